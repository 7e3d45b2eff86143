/*
 * Wellbase LAS upload: several files at once, chosen or dropped, each sent to the JSON API
 * (POST {api}/logs?name=…[&well=…], the raw file as the body, the session cookie and this
 * page's Origin, which the API's same-origin check requires) with its own progress bar from
 * XMLHttpRequest upload events. The API's answer is shown under the file: the log's summary
 * (version, index, rows, curves) and its warnings with line numbers, or the API's error detail.
 * A large file is answered 202 while a job parses it: it shows as processing, and the job is
 * polled until it ends, then the log is read. No inline script; runs under default-src 'self'.
 *
 * Mount: <form data-wb-upload data-api="/api/v1" [data-well="wel_…"]> with an
 * <input type=file multiple>, an element [data-dropzone] and a list [data-uploads].
 * Each <li> gets data-state="uploading|processing|done|error" (tests read it).
 */
(function () {
  "use strict";

  var POLL_MS = 1000, WARNINGS_SHOWN = 8;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function size(n) {
    if (n >= 1048576) return (n / 1048576).toFixed(1) + " MiB";
    if (n >= 1024) return Math.round(n / 1024) + " KiB";
    return n + " B";
  }

  function problem(xhr) {
    try {
      var p = JSON.parse(xhr.responseText);
      return p.detail || p.title || ("HTTP " + xhr.status);
    } catch (e) {
      return "HTTP " + xhr.status + (xhr.statusText ? " " + xhr.statusText : "");
    }
  }

  function getJSON(url, done, fail) {
    var x = new XMLHttpRequest();
    x.open("GET", url);
    x.setRequestHeader("Accept", "application/json");
    x.onload = function () {
      if (x.status >= 200 && x.status < 300) done(JSON.parse(x.responseText));
      else fail(problem(x));
    };
    x.onerror = function () { fail("the server could not be reached"); };
    x.send();
  }

  function summary(item, log) {
    item.li.setAttribute("data-state", "done");
    item.status.textContent = "stored";
    item.bar.value = 100;
    var s = el("div", "upload-summary");
    var p = el("p");
    var a = el("a", null, log.file_name || log.id);
    a.href = "/logs/" + encodeURIComponent(log.id);
    p.appendChild(a);
    var ix = log.index || {};
    p.appendChild(document.createTextNode(
      ": LAS " + log.version + ", " + log.rows + " rows × " + (log.curves || []).length + " curves, " +
      ix.mnemonic + " " + ix.start + "–" + ix.stop + " " + (ix.unit || "") + "; " +
      (log.warnings || []).length + " warning" + ((log.warnings || []).length === 1 ? "" : "s") + "."));
    s.appendChild(p);
    var ws = log.warnings || [];
    if (ws.length) {
      var ul = el("ul", "warnings");
      ws.slice(0, WARNINGS_SHOWN).forEach(function (w) {
        ul.appendChild(el("li", null, (w.line ? "line " + w.line + ": " : "") + w.message));
      });
      if (ws.length > WARNINGS_SHOWN) ul.appendChild(el("li", "hint", (ws.length - WARNINGS_SHOWN) + " more on the log's page"));
      s.appendChild(ul);
    }
    item.li.appendChild(s);
  }

  function failed(item, msg) {
    item.li.setAttribute("data-state", "error");
    item.status.textContent = "refused";
    var m = el("p", "error", msg);
    m.setAttribute("role", "alert");
    item.li.appendChild(m);
  }

  function poll(api, item, logID, jobID) {
    getJSON(api + "/jobs/" + encodeURIComponent(jobID), function (j) {
      if (j.status === "queued" || j.status === "running") {
        item.status.textContent = "processing" + (j.progress ? " (" + Math.round(j.progress * 100) + " %)" : "");
        setTimeout(function () { poll(api, item, logID, jobID); }, POLL_MS);
        return;
      }
      if (j.status !== "succeeded") {
        failed(item, "parsing " + j.status + (j.error ? ": " + j.error : ""));
        return;
      }
      getJSON(api + "/logs/" + encodeURIComponent(logID), function (log) { summary(item, log); },
        function (msg) { failed(item, msg); });
    }, function (msg) { failed(item, msg); });
  }

  function upload(form, file) {
    var api = form.getAttribute("data-api") || "/api/v1";
    var well = form.getAttribute("data-well");
    var list = form.querySelector("[data-uploads]");
    var li = el("li", "upload");
    li.setAttribute("data-state", "uploading");
    li.setAttribute("data-file", file.name);
    var head = el("div", "upload-head");
    head.appendChild(el("span", "upload-name", file.name));
    head.appendChild(el("span", "hint", size(file.size)));
    var bar = el("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Upload of " + file.name);
    head.appendChild(bar);
    var status = el("span", "upload-status", "uploading");
    head.appendChild(status);
    li.appendChild(head);
    list.appendChild(li);
    var item = { li: li, bar: bar, status: status };

    var url = api + "/logs?name=" + encodeURIComponent(file.name) + (well ? "&well=" + encodeURIComponent(well) : "");
    var x = new XMLHttpRequest();
    x.open("POST", url);
    x.setRequestHeader("Accept", "application/json");
    x.setRequestHeader("Content-Type", "application/octet-stream");
    x.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round(100 * e.loaded / e.total);
        li.setAttribute("data-progress", String(bar.value));
        status.textContent = e.loaded < e.total ? "uploading " + bar.value + " %" : "reading the file";
      }
    };
    x.onload = function () {
      if (x.status === 201) {
        summary(item, JSON.parse(x.responseText));
      } else if (x.status === 202) {
        var r = JSON.parse(x.responseText);
        li.setAttribute("data-state", "processing");
        bar.value = 100;
        status.textContent = "processing";
        poll(api, item, r.id, r.job_id);
      } else {
        failed(item, problem(x));
      }
    };
    x.onerror = function () { failed(item, "the upload was interrupted: the server could not be reached"); };
    x.send(file);
  }

  function mount(form) {
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector("[data-dropzone]") || form;
    var send = function (files) {
      for (var i = 0; i < files.length; i++) upload(form, files[i]);
    };
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      send(input.files);
      input.value = "";
    });
    input.addEventListener("change", function () {
      send(input.files);
      input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("dragging"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files) send(e.dataTransfer.files);
    });
    form.setAttribute("data-ready", "true");
  }

  function init() {
    var forms = document.querySelectorAll("form[data-wb-upload]");
    for (var i = 0; i < forms.length; i++) mount(forms[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

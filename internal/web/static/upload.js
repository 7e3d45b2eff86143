/*
 * Wellbase LAS upload: several files at once, chosen or dropped. Each file is first checked
 * (POST {api}/las/check?name=…, which parses it as the upload would and stores nothing): its
 * version, well, index range, curves and warnings are shown with an "Upload" button (the form's
 * button uploads all checked files). A file over the check limit (data-check-bytes, or a 413
 * from the check) is said to be checked when the upload parses it. Uploading sends it to the JSON API
 * (POST {api}/logs?name=…[&well=…], the raw file as the body, the session cookie and this
 * page's Origin, which the API's same-origin check requires) with its own progress bar from
 * XMLHttpRequest upload events. The API's answer is shown under the file: the log's summary
 * (version, index, rows, curves) and its warnings with line numbers, or the API's error detail.
 * A large file is answered 202 while a job parses it: it shows as processing, and the job is
 * polled until it ends, then the log is read. No inline script; runs under default-src 'self'.
 *
 * Mount: <form data-wb-upload data-api="/api/v1" [data-well="wel_…"]> with an
 * <input type=file multiple>, an element [data-dropzone] and a list [data-uploads].
 * Each <li> gets data-state="checking|checked|uploading|processing|done|error" (tests read it).
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
      ix.mnemonic + " " + ix.start + "–" + ix.stop + " " + unitOf(ix) + "; " +
      (log.warnings || []).length + " warning" + ((log.warnings || []).length === 1 ? "" : "s") + "."));
    s.appendChild(p);
    var ws = log.warnings || [];
    if (ws.length) s.appendChild(warningList(ws, "on the log's page"));
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

  // unitOf is the display spelling the API sends (display_unit: OHMM → ohm·m, from
  // internal/logplot, the one table); the file's own spelling stays in unit.
  function unitOf(o) {
    return o ? (o.display_unit != null ? o.display_unit : (o.unit || "")) : "";
  }

  // mnemonics lists the curves with their display units; raw: with the units as the file writes them.
  function mnemonics(curves, raw) {
    var m = (curves || []).map(function (c) {
      var u = raw ? c.unit : unitOf(c);
      return c.mnemonic + (u ? " (" + u + ")" : "");
    });
    return m.length > 12 ? m.slice(0, 12).join(", ") + ", … " + (m.length - 12) + " more" : m.join(", ");
  }

  function warningList(ws, more) {
    var ul = el("ul", "warnings");
    ws.slice(0, WARNINGS_SHOWN).forEach(function (w) {
      ul.appendChild(el("li", null, (w.line ? "line " + w.line + ": " : "") + w.message));
    });
    if (ws.length > WARNINGS_SHOWN) ul.appendChild(el("li", "hint", (ws.length - WARNINGS_SHOWN) + " more " + more));
    return ul;
  }

  // checked shows the check's answer c and the file's Upload button.
  function checked(item, c, note) {
    item.li.setAttribute("data-state", "checked");
    var box = el("div", "check-summary");
    if (c) {
      item.status.textContent = "checked";
      var ix = c.index || {};
      var well = (c.well && (c.well.WELL || c.well.UWI || c.well.API)) || "no WELL in ~W";
      box.appendChild(el("p", null, "LAS " + c.version + ", well " + well + ", " + c.rows + " rows × " +
        (c.curves || []).length + " curves, " + ix.mnemonic + " " + ix.start + "–" + ix.stop + " " + unitOf(ix) +
        ", " + c.encoding + "; " + (c.warnings || []).length + " warning" + ((c.warnings || []).length === 1 ? "" : "s") + "."));
      var cp = el("p", "hint", "Curves: " + mnemonics(c.curves));
      cp.title = "Units as the file writes them: " + mnemonics(c.curves, true);
      box.appendChild(cp);
      if ((c.warnings || []).length) box.appendChild(warningList(c.warnings, "after upload, on the log's page"));
    } else {
      item.status.textContent = "not checked";
      box.appendChild(el("p", "hint", note));
    }
    var btn = el("button", "upload-one", "Upload");
    btn.type = "button";
    btn.setAttribute("aria-label", "Upload " + item.file.name);
    btn.addEventListener("click", function () { upload(item); });
    box.appendChild(btn);
    item.check = box;
    item.li.appendChild(box);
  }

  // add lists file and checks it; the form's button or the file's own uploads it.
  function add(form, file) {
    var api = form.getAttribute("data-api") || "/api/v1";
    var limit = parseInt(form.getAttribute("data-check-bytes") || "0", 10);
    var list = form.querySelector("[data-uploads]");
    var li = el("li", "upload");
    li.setAttribute("data-state", "checking");
    li.setAttribute("data-file", file.name);
    var head = el("div", "upload-head");
    head.appendChild(el("span", "upload-name", file.name));
    head.appendChild(el("span", "hint", size(file.size)));
    var bar = el("progress");
    bar.max = 100;
    bar.value = 0;
    bar.hidden = true;
    bar.setAttribute("aria-label", "Upload of " + file.name);
    head.appendChild(bar);
    var status = el("span", "upload-status", "checking");
    head.appendChild(status);
    li.appendChild(head);
    list.appendChild(li);
    var item = { form: form, file: file, li: li, bar: bar, status: status };
    li.wbItem = item;
    var late = "Larger than the check limit" + (limit > 0 ? " of " + size(limit) : "") + ": the file is checked when the upload parses it.";
    if (limit > 0 && file.size > limit) {
      checked(item, null, late);
      return;
    }
    var x = new XMLHttpRequest();
    x.open("POST", api + "/las/check?name=" + encodeURIComponent(file.name));
    x.setRequestHeader("Accept", "application/json");
    x.setRequestHeader("Content-Type", "application/octet-stream");
    x.onload = function () {
      if (x.status === 200) checked(item, JSON.parse(x.responseText));
      else if (x.status === 413) checked(item, null, late);
      else failed(item, problem(x));
    };
    x.onerror = function () { failed(item, "the check was interrupted: the server could not be reached"); };
    x.send(file);
  }

  function upload(item) {
    if (item.li.getAttribute("data-state") !== "checked") return;
    var form = item.form, file = item.file, li = item.li, bar = item.bar, status = item.status;
    var api = form.getAttribute("data-api") || "/api/v1";
    var well = form.getAttribute("data-well");
    if (item.check) item.check.querySelectorAll("button").forEach(function (b) { b.remove(); });
    li.setAttribute("data-state", "uploading");
    bar.hidden = false;
    status.textContent = "uploading";

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
      for (var i = 0; i < files.length; i++) add(form, files[i]);
    };
    var all = form.querySelector("button[type=submit]");
    if (all) all.textContent = "Upload all checked files";
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (input.files.length) {
        send(input.files);
        input.value = "";
        return;
      }
      form.querySelectorAll("li.upload[data-state=checked]").forEach(function (li) { upload(li.wbItem); });
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

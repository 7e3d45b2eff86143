/*
 * Wellbase jobs: live progress of queued and running jobs. Every element [data-job] whose
 * data-status is queued or running is polled (GET /api/v1/jobs/{id}, the session cookie) every
 * second; its [data-job-status] text and [data-job-progress] bar follow the job, and when the
 * job ends the page is reloaded once so that its result (links, EUR, errors) is rendered by the
 * server. Cancel forms stay plain POST forms (same-origin, no script needed).
 */
(function () {
  "use strict";
  var POLL_MS = 1000;

  function poll(row) {
    var id = row.getAttribute("data-job");
    var x = new XMLHttpRequest();
    x.open("GET", "/api/v1/jobs/" + encodeURIComponent(id));
    x.setRequestHeader("Accept", "application/json");
    x.onload = function () {
      if (x.status !== 200) return; // signed out or gone: leave the page as it is
      var j = JSON.parse(x.responseText);
      var st = row.querySelector("[data-job-status]");
      var bar = row.querySelector("[data-job-progress]");
      if (bar) {
        bar.value = Math.round(100 * (j.progress || 0));
        bar.textContent = bar.value + " %";
      }
      if (j.status === "queued" || j.status === "running") {
        if (st) st.textContent = j.status;
        setTimeout(function () { poll(row); }, POLL_MS);
        return;
      }
      row.setAttribute("data-status", j.status);
      window.location.reload();
    };
    x.send();
  }

  function init() {
    var rows = document.querySelectorAll("[data-job]");
    for (var i = 0; i < rows.length; i++) {
      var s = rows[i].getAttribute("data-status");
      if (s === "queued" || s === "running") poll(rows[i]);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

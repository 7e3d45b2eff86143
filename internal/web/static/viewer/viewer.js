/*
 * Wellbase interactive log viewer: well-log tracks side by side on one measured-depth axis,
 * drawn on <canvas>, with depth scrolling and zoom (wheel, drag, keyboard), curve selection,
 * logarithmic resistivity, the density-neutron overlay on compatible scales and NULL samples
 * as gaps. No dependencies; no inline script or style, so it runs under the app's
 * Content-Security-Policy (default-src 'self'). README.md in this folder explains the choices.
 *
 * Mount: an element with data-wb-log-viewer and
 *   data-logs="LOG_ID[,LOG_ID…]"  the logs of one well to show side by side (required)
 *   data-api="/api/v1"             the JSON API base (default /api/v1)
 *   data-curves="GR,RDEP,DEN,NEU"  mnemonics shown first (default: the known families, up to 8)
 *   data-top, data-base            the first depth window, in the first log's depth unit
 *   data-height                    the height of the tracks in CSS pixels, or "70vh" for a share
 *                                  of the window's height (default 640 px, at least 200 px)
 * It reads GET {api}/logs/{log} (curves, index, well items) and, per shown curve,
 * GET {api}/logs/{log}/curves/{mnemonic} ({"index": [...], "values": [... null ...]}).
 * The element gets data-state="loading|ready|error" and data-view-top/-base (the window shown);
 * tests read them.
 */
(function () {
  "use strict";

  // Curve families, as internal/logplot draws them (tracks.go): track, scale, colour and dash;
  // convert: the family draws in one unit (the server's draw_unit and draw_factor). Scales are
  // left→right; a reversed scale has left > right.
  var GAMMA = "gamma", RESIST = "resistivity", PORO = "porosity", SONIC = "sonic";
  var RED = "#cc0000", BLUE = "#0000cc", GREEN = "#008000", BLACK = "#000000",
    BROWN = "#8b4513", MAGENTA = "#aa00aa", PURPLE = "#660099";
  var DASHED = [5, 2.5], DOTTED = [1.5, 1.5], DASHDOT = [6, 2, 1.5, 2];
  var RES_SCALE = { left: 0.2, right: 2000, log: true };
  var FAMILIES = [
    { name: "gamma ray", track: GAMMA, group: "gamma", color: GREEN, scale: { left: 0, right: 150 },
      mnems: "GR GRC GRD GRS GRR GRN SGR CGR HSGR HCGR ECGR EHGR GRGC GR_EDTC GAM GAMMA GRAM", units: "API GAPI APIGR" },
    { name: "spontaneous potential", track: GAMMA, group: "sp", color: BLACK, dash: DASHDOT, scale: { left: -80, right: 20 },
      mnems: "SP SSP SPBR" },
    { name: "caliper", track: GAMMA, group: "caliper", color: BLACK, dash: DASHED, scale: { left: 6, right: 16 }, convert: true,
      mnems: "CALI CAL CALX CALY CAL1 CAL2 C1 C2 HCAL LCAL" },
    { name: "bit size", track: GAMMA, group: "caliper", color: BROWN, dash: DOTTED, scale: { left: 6, right: 16 }, convert: true,
      mnems: "BS BIT BITSIZE" },
    { name: "deep resistivity", track: RESIST, group: "res", color: RED, scale: RES_SCALE,
      mnems: "RDEP RD RDEEP ILD RILD LLD RLLD RT AT90 AHT90 AF90 HDRS IDPH RLA5" },
    { name: "medium resistivity", track: RESIST, group: "res", color: BLUE, dash: DASHED, scale: RES_SCALE,
      mnems: "RMED RM ILM RILM LLS RLLS AT60 AT30 AHT60 HMRS IMPH RLA3" },
    { name: "shallow resistivity", track: RESIST, group: "res", color: GREEN, dash: DOTTED, scale: RES_SCALE,
      mnems: "RSHA RS MSFL RXO RXOZ SFL SFLU LL8 MLL AT10 AHT10 RLA1" },
    { name: "resistivity", track: RESIST, group: "res", color: BLACK, scale: RES_SCALE,
      units: "OHMM OHM.M OHM-M OHM·M OHMS.M OHM" },
    // Density and neutron keep these scales whatever the data: on the compatible (limestone)
    // scales a water-filled limestone plots both on one line, and their separation reads as
    // shale (neutron left) or gas / light hydrocarbon (density left: the crossover, shaded).
    { name: "bulk density", track: PORO, group: "density", color: RED, scale: { left: 1.95, right: 2.95 }, convert: true,
      mnems: "DEN RHOB RHOZ ZDEN DENS RHO8 HDEN", units: "G/CC G/CM3 GM/CC G/C3 GR/CC K/M3 KG/M3", density: true },
    { name: "neutron porosity", track: PORO, group: "neutron", color: BLUE, dash: DASHED, scale: { left: 0.45, right: -0.15 },
      convert: true, mnems: "NEU NPHI TNPH NPOR CNL CNC NPHS APLC NPLS", neutron: true },
    { name: "photoelectric factor", track: PORO, group: "pef", color: MAGENTA, dash: DOTTED, scale: { left: 0, right: 10 },
      mnems: "PEF PE PEFZ PEF8", units: "B/E B/ELEC BARNS/E" },
    { name: "sonic", track: SONIC, group: "sonic", color: PURPLE, scale: { left: 140, right: 40 }, convert: true,
      mnems: "AC DT DTC DTCO DT4P DTP DT24", units: "US/F US/FT USEC/FT US/M USEC/M" }
  ];
  var TRACK_ORDER = [GAMMA, RESIST, PORO, SONIC];
  var TRACK_TITLE = {};
  TRACK_TITLE[GAMMA] = "Gamma ray";
  TRACK_TITLE[RESIST] = "Resistivity";
  TRACK_TITLE[PORO] = "Density–neutron";
  TRACK_TITLE[SONIC] = "Sonic";
  var SPARES = ["#ff8000", "#008b8b", BROWN, "#808080", "#556b2f", PURPLE, MAGENTA, BLACK];
  var SHADE_GR = "rgba(0, 128, 0, 0.14)", SHADE_XOVER = "rgba(255, 196, 0, 0.55)";

  function normUnit(u) {
    return String(u || "").trim().replace(/[µμ]/g, "U").toUpperCase().replace(/^[[(]|[\])]$/g, "").replace(/ /g, "");
  }
  // Unit spellings come from the server (internal/logplot, the one table the pages and SVG
  // plots use too): display_unit for a curve's or index's own unit, label for a description
  // without its LAS ordinal, draw_unit and draw_factor for a curve a family converts (K/M3
  // density to g/cm3). This file has no table of its own.
  function shownUnit(o) {
    return o ? (o.display_unit != null ? o.display_unit : String(o.unit || "").trim()) : "";
  }
  function normMnem(m) {
    m = String(m || "").trim().toUpperCase();
    var i = m.lastIndexOf(":");
    return i > 0 ? m.slice(0, i) : m;
  }
  function classify(mnem, unit) {
    var m = normMnem(mnem), u = normUnit(unit), i, f;
    for (i = 0; i < FAMILIES.length; i++) {
      f = FAMILIES[i];
      if (f.mnems && (" " + f.mnems + " ").indexOf(" " + m + " ") >= 0) return f;
    }
    if (!u) return null;
    for (i = 0; i < FAMILIES.length; i++) {
      f = FAMILIES[i];
      if (f.units && (" " + f.units + " ").indexOf(" " + u + " ") >= 0) return f;
    }
    return null;
  }

  // depthFactor converts a depth unit to metres; null: not a length (the curves are then drawn
  // on the first log's index as is).
  function depthFactor(u) {
    u = normUnit(u);
    if (u === "M" || u === "METER" || u === "METRE" || u === "METERS" || u === "METRES") return 1;
    if (u === "F" || u === "FT" || u === "FEET" || u === "FOOT") return 0.3048;
    if (u === "CM") return 0.01;
    if (u === "IN") return 0.0254;
    return null;
  }

  // niceStep returns a 1, 2 or 5 × 10^n step at least raw.
  function niceStep(raw) {
    var p = Math.pow(10, Math.floor(Math.log10(raw))), n = raw / p;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
  }
  function fmt(v, step) {
    var d = step >= 1 ? 0 : Math.min(4, Math.ceil(-Math.log10(step)));
    return v.toFixed(d);
  }
  function fmtScale(v) {
    return String(Math.round(v * 1000) / 1000).replace("-", "−");
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  var uid = 0;

  function Viewer(root) {
    this.root = root;
    this.api = (root.getAttribute("data-api") || "/api/v1").replace(/\/$/, "");
    this.logIDs = (root.getAttribute("data-logs") || "").split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    this.want = (root.getAttribute("data-curves") || "").split(",").map(function (s) { return normMnem(s); }).filter(Boolean);
    // data-height="70vh" is a share of the window's height, read once when the viewer starts.
    var dh = root.getAttribute("data-height") || "";
    var hpx = /vh$/.test(dh) ? Math.round(window.innerHeight * parseFloat(dh) / 100) : parseInt(dh, 10);
    this.height = Math.max(200, hpx || 640);
    this.logs = [];
    this.shade = true;
    this.id = "wbv" + (++uid);
    this.pending = false;
    root.classList.add("wbv");
    root.setAttribute("data-state", "loading");
    this.status = el("p", "wbv-status", "Loading the log…");
    this.status.setAttribute("role", "status");
    root.replaceChildren(this.status);
    this.start();
  }

  Viewer.prototype.fetchJSON = function (url) {
    var self = this;
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (r.ok) return r.json();
      return r.json().catch(function () { return {}; }).then(function (p) {
        if (r.status === 409 && p.code === "log_processing") {
          var wait = (parseInt(r.headers.get("Retry-After"), 10) || 5) * 1000;
          self.status.textContent = "The log is still being processed; trying again in " + wait / 1000 + " s.";
          return new Promise(function (res) { setTimeout(res, wait); }).then(function () { return self.fetchJSON(url); });
        }
        throw new Error(p.detail || p.title || ("HTTP " + r.status + " for " + url));
      });
    });
  };

  Viewer.prototype.start = function () {
    var self = this;
    if (!this.logIDs.length) return this.fail(new Error("no log to show (data-logs is empty)"));
    Promise.all(this.logIDs.map(function (id) {
      return self.fetchJSON(self.api + "/logs/" + encodeURIComponent(id));
    })).then(function (metas) {
      self.logs = metas.map(function (m, i) { return self.newLog(m, i); });
      self.build();
      return self.loadShown();
    }).then(function () {
      self.fullRange(true);
      self.root.setAttribute("data-state", "ready");
    }).catch(function (e) { self.fail(e); });
  };

  Viewer.prototype.fail = function (e) {
    this.root.setAttribute("data-state", "error");
    var p = el("p", "wbv-error", "The log viewer could not load the log: " + e.message);
    p.setAttribute("role", "alert");
    if (this.status.isConnected) this.status.replaceWith(p); else this.root.prepend(p);
  };

  // newLog prepares one log's curves: family, drawing unit and factor, colour, default
  // selection.
  Viewer.prototype.newLog = function (meta, li) {
    var self = this, idx = meta.index || {}, first = this.logs[0] || null;
    var log = {
      meta: meta, id: meta.id, curves: [],
      title: ((meta.well && meta.well.WELL) ? meta.well.WELL + " — " : "") + (meta.file_name || meta.id),
      indexUnit: shownUnit(idx), depthToM: depthFactor(idx.unit)
    };
    var spare = 0, known = 0, shownFamily = {};
    (meta.curves || []).slice(1).forEach(function (c) {
      if (c.kind !== "number" || !c.count) return;
      var f = classify(c.mnemonic, c.unit), conv = f && f.convert && c.draw_unit ? [c.draw_factor || 1, c.draw_unit] : null;
      var cv = {
        log: log, mnemonic: c.mnemonic, unit: c.unit || "", displayUnit: shownUnit(c),
        description: c.label != null ? c.label : String(c.description || "").trim(),
        family: f, factor: conv ? conv[0] : 1, drawUnit: conv ? conv[1] : shownUnit(c),
        color: f ? f.color : SPARES[spare++ % SPARES.length], dash: f && f.dash ? f.dash : [],
        data: null, loading: null, id: self.id + "-c" + li + "-" + c.mnemonic.replace(/[^A-Za-z0-9_-]/g, "_")
      };
      if (f && f.convert && !conv) cv.family = null; // a unit the family cannot draw: its own scale
      if (cv.family) {
        cv.scale = cv.family.scale;
        cv.track = cv.family.track;
      } else {
        // Unrecognised: its own linear track scaled to its range, rounded outwards.
        var lo = c.min, hi = c.max;
        if (lo == null || hi == null || lo === hi) { lo = (lo || 0) - 1; hi = (hi || 0) + 1; }
        var st = niceStep((hi - lo) / 5);
        cv.scale = { left: Math.floor(lo / st) * st, right: Math.ceil(hi / st) * st };
        cv.track = "other:" + c.mnemonic;
      }
      var m = normMnem(c.mnemonic);
      if (self.want.length) {
        cv.shown = self.want.indexOf(m) >= 0;
      } else {
        // One curve of each known family, in file order, as logplot.DefaultCurves: a log with
        // eight resistivity curves still shows its gamma ray and density.
        cv.shown = !!cv.family && !shownFamily[cv.family.name] && known < 8;
        if (cv.shown) { shownFamily[cv.family.name] = true; known++; }
      }
      log.curves.push(cv);
    });
    if (!this.want.length && !log.curves.some(function (c) { return c.shown; })) {
      log.curves.slice(0, 4).forEach(function (c) { c.shown = true; });
    }
    if (first && first.depthToM && log.depthToM) log.toAxis = log.depthToM / first.depthToM; else log.toAxis = 1;
    return log;
  };

  Viewer.prototype.loadShown = function () {
    var self = this, jobs = [];
    this.logs.forEach(function (log) {
      log.curves.forEach(function (c) { if (c.shown) jobs.push(self.loadCurve(c)); });
    });
    return Promise.all(jobs);
  };

  Viewer.prototype.loadCurve = function (c) {
    var self = this;
    if (c.data) return Promise.resolve(c);
    if (c.loading) return c.loading;
    c.loading = this.fetchJSON(this.api + "/logs/" + encodeURIComponent(c.log.id) + "/curves/" + encodeURIComponent(c.mnemonic))
      .then(function (d) {
        var n = d.index.length, depth = new Float64Array(n), vals = new Float64Array(n), k = c.log.toAxis, i, v;
        for (i = 0; i < n; i++) {
          depth[i] = d.index[i] == null ? NaN : d.index[i] * k;
          v = d.values[i];
          vals[i] = (v == null || typeof v !== "number") ? NaN : v * c.factor;
        }
        c.data = { depth: depth, values: vals };
        c.loading = null;
        return c;
      }, function (e) {
        c.loading = null;
        throw e;
      });
    return c.loading;
  };

  // build lays out the toolbar, the curve choices and the plot grid.
  Viewer.prototype.build = function () {
    var self = this, root = this.root;
    var bar = el("div", "wbv-toolbar");
    var zoom = el("div", "wbv-buttons");
    zoom.setAttribute("role", "group");
    zoom.setAttribute("aria-label", "Depth window");
    [["in", "Zoom in", "+"], ["out", "Zoom out", "−"], ["up", "Scroll up", "↑"], ["down", "Scroll down", "↓"], ["all", "Whole log", "⤢"]].forEach(function (b) {
      var btn = el("button", "wbv-btn", b[2] + " " + b[1]);
      btn.type = "button";
      btn.setAttribute("data-action", b[0]);
      btn.addEventListener("click", function () { self.act(b[0]); });
      zoom.appendChild(btn);
    });
    bar.appendChild(zoom);
    var shadeLabel = el("label", "wbv-check");
    var shade = el("input");
    shade.type = "checkbox";
    shade.checked = this.shade;
    shade.className = "wbv-shade";
    shade.addEventListener("change", function () { self.shade = shade.checked; self.draw(); });
    shadeLabel.append(shade, " Shade GR and density–neutron crossover");
    bar.appendChild(shadeLabel);
    this.range = el("output", "wbv-range");
    this.range.setAttribute("aria-live", "polite");
    bar.appendChild(this.range);

    var pick = el("details", "wbv-pick");
    pick.appendChild(el("summary", null, "Curves"));
    this.logs.forEach(function (log, li) {
      var fs = el("fieldset", "wbv-pick-log");
      fs.appendChild(el("legend", null, log.title));
      log.curves.forEach(function (c) {
        var lab = el("label", "wbv-check"), box = el("input");
        box.type = "checkbox";
        box.id = c.id;
        box.checked = c.shown;
        box.setAttribute("data-mnemonic", c.mnemonic);
        box.setAttribute("data-log", log.id);
        box.addEventListener("change", function () { self.toggle(c, box); });
        var sw = el("span", "wbv-swatch");
        sw.style.borderTopColor = c.color;
        lab.setAttribute("for", c.id);
        lab.append(box, sw, " " + c.mnemonic + (c.displayUnit ? " (" + c.displayUnit + ")" : "") + (c.description ? " — " + c.description : ""));
        fs.appendChild(lab);
      });
      pick.appendChild(fs);
    });

    this.plot = el("div", "wbv-plot");
    this.plot.tabIndex = 0;
    this.plot.setAttribute("role", "group");
    this.plot.setAttribute("aria-label", "Log tracks");
    var help = el("p", "wbv-help", "Scroll the depth with the mouse wheel, a drag, the arrow keys or Page Up/Down; zoom with Ctrl+wheel or + and −; Home shows the whole log.");
    help.id = this.id + "-help";
    this.plot.setAttribute("aria-describedby", help.id);
    this.readout = el("p", "wbv-readout", "\u00a0");
    this.readout.setAttribute("aria-hidden", "true");
    root.replaceChildren(bar, pick, help, this.plot, this.readout);
    this.status = this.range;
    this.layout();
    this.bind();
    if (window.ResizeObserver) {
      new ResizeObserver(function () { self.draw(); }).observe(this.plot);
    }
  };

  // layout (re)builds the grid: a depth track, then per log its title over its tracks.
  Viewer.prototype.layout = function () {
    var self = this, grid = this.plot, col = 1;
    grid.replaceChildren();
    this.tracks = [];
    var depthTrack = { depth: true, curves: [] };
    this.addTrack(depthTrack, col++, 2);
    this.logs.forEach(function (log) {
      var groups = {}, order = [];
      log.curves.forEach(function (c) {
        if (!c.shown) return;
        if (!groups[c.track]) { groups[c.track] = []; order.push(c.track); }
        groups[c.track].push(c);
      });
      order.sort(function (a, b) {
        var ia = TRACK_ORDER.indexOf(a), ib = TRACK_ORDER.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
      });
      var title = el("div", "wbv-log-title", log.title);
      title.style.gridColumn = col + " / span " + Math.max(1, order.length);
      grid.appendChild(title);
      if (!order.length) {
        var none = el("div", "wbv-empty", "No curve chosen");
        none.style.gridColumn = String(col);
        none.style.gridRow = "2 / span 2";
        grid.appendChild(none);
        col++;
        return;
      }
      order.forEach(function (key) {
        var cs = groups[key], fam = cs[0].family;
        var t = { key: key, log: log, curves: cs, logScale: !!cs[0].scale.log, title: fam ? TRACK_TITLE[fam.track] : cs[0].mnemonic };
        self.addTrack(t, col++, 2);
      });
    });
    var depthTitle = el("div", "wbv-log-title wbv-depth-title", "");
    depthTitle.style.gridColumn = "1";
    grid.appendChild(depthTitle);
  };

  Viewer.prototype.addTrack = function (t, col, row) {
    var head = el("div", "wbv-head" + (t.depth ? " wbv-head-depth" : ""));
    head.style.gridColumn = String(col);
    head.style.gridRow = String(row);
    if (t.depth) {
      var u = this.logs[0].indexUnit || "";
      head.appendChild(el("span", "wbv-mnem", "MD"));
      head.appendChild(el("span", "wbv-unit", u ? "(" + u + ")" : ""));
    } else {
      t.curves.forEach(function (c) {
        var row = el("div", "wbv-curve");
        row.title = (c.description || c.mnemonic) + (c.unit && c.unit !== c.drawUnit ? " (unit in the file: " + c.unit + ")" : "");
        var name = el("span", "wbv-mnem", c.mnemonic);
        name.style.color = c.color;
        var line = el("span", "wbv-line" + (c.dash.length ? (c.dash.length > 2 ? " wbv-dashdot" : c.dash[0] > 2 ? " wbv-dashed" : " wbv-dotted") : ""));
        line.style.borderTopColor = c.color;
        var sc = el("span", "wbv-scale");
        sc.append(el("span", "wbv-left", fmtScale(c.scale.left)), el("span", "wbv-unit", (c.drawUnit || "") + (c.scale.log ? " (log)" : "")),
          el("span", "wbv-right", fmtScale(c.scale.right)));
        row.append(name, line, sc);
        head.appendChild(row);
      });
    }
    var body = el("div", "wbv-body" + (t.depth ? " wbv-body-depth" : t.logScale ? " wbv-body-log" : ""));
    body.style.gridColumn = String(col);
    body.style.gridRow = String(row + 1);
    body.style.height = this.height + "px";
    var canvas = el("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", t.depth ? "Measured depth scale" : (t.title + " track: " + t.curves.map(function (c) { return c.mnemonic; }).join(", ")));
    body.appendChild(canvas);
    this.plot.append(head, body);
    t.canvas = canvas;
    t.body = body;
    this.tracks.push(t);
  };

  Viewer.prototype.toggle = function (c, box) {
    var self = this;
    c.shown = box.checked;
    if (!c.shown) { this.layout(); this.draw(); return; }
    box.disabled = true;
    this.loadCurve(c).then(function () {
      box.disabled = false;
      self.layout();
      self.draw();
    }, function (e) {
      box.disabled = false;
      box.checked = c.shown = false;
      self.range.textContent = "Curve " + c.mnemonic + " could not be loaded: " + e.message;
    });
  };

  // extent is the depth range of every loaded curve, on the shared axis.
  Viewer.prototype.extent = function () {
    var lo = Infinity, hi = -Infinity;
    this.logs.forEach(function (log) {
      var m = log.meta.index || {}, a = m.start * log.toAxis, b = m.stop * log.toAxis;
      if (isFinite(a) && isFinite(b)) { lo = Math.min(lo, a, b); hi = Math.max(hi, a, b); }
    });
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    if (hi - lo < 1e-9) hi = lo + 1;
    return [lo, hi];
  };

  Viewer.prototype.fullRange = function (initial) {
    var e = this.extent(), top = e[0], base = e[1];
    if (initial) {
      var t = parseFloat(this.root.getAttribute("data-top")), b = parseFloat(this.root.getAttribute("data-base"));
      if (isFinite(t)) top = t;
      if (isFinite(b)) base = b;
    }
    this.setView(top, base);
  };

  // setView shows [top, base], kept inside the logs' extent (with a margin) and no thinner
  // than a few samples.
  Viewer.prototype.setView = function (top, base) {
    var e = this.extent(), full = e[1] - e[0], margin = full * 0.02;
    var step = Math.abs((this.logs[0].meta.index || {}).step || 0) * this.logs[0].toAxis;
    var minSpan = Math.max(step * 20, full / 5000, 1e-6), span = Math.max(minSpan, Math.min(base - top, full + 2 * margin));
    if (top < e[0] - margin) top = e[0] - margin;
    if (top + span > e[1] + margin) top = e[1] + margin - span;
    this.top = top;
    this.base = top + span;
    this.root.setAttribute("data-view-top", this.top.toFixed(3));
    this.root.setAttribute("data-view-base", this.base.toFixed(3));
    var u = this.logs[0].indexUnit || "", s = niceStep(span / 10) / 10;
    this.range.textContent = "MD " + fmt(this.top, s) + " – " + fmt(this.base, s) + (u ? " " + u : "") +
      " (" + fmt(span, s) + (u ? " " + u : "") + " shown)";
    this.draw();
  };

  Viewer.prototype.zoom = function (f, at) {
    if (at == null) at = (this.top + this.base) / 2;
    this.setView(at - (at - this.top) * f, at + (this.base - at) * f);
  };
  Viewer.prototype.scroll = function (frac) {
    var d = (this.base - this.top) * frac;
    this.setView(this.top + d, this.base + d);
  };
  Viewer.prototype.act = function (a) {
    if (a === "in") this.zoom(1 / 1.5);
    else if (a === "out") this.zoom(1.5);
    else if (a === "up") this.scroll(-0.5);
    else if (a === "down") this.scroll(0.5);
    else if (a === "all") this.fullRange(false);
  };

  Viewer.prototype.bind = function () {
    var self = this, plot = this.plot, drag = null;
    plot.addEventListener("wheel", function (ev) {
      if (!self.logs.length) return;
      ev.preventDefault();
      var dy = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaMode === 2 ? ev.deltaY * self.height : ev.deltaY;
      if (ev.ctrlKey || ev.metaKey) {
        self.zoom(Math.pow(1.0015, dy), self.depthAt(ev));
      } else {
        self.scroll(dy / self.height);
      }
    }, { passive: false });
    plot.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0 || !ev.target.closest(".wbv-body")) return;
      drag = { y: ev.clientY, top: self.top, base: self.base };
      plot.setPointerCapture(ev.pointerId);
      plot.classList.add("wbv-dragging");
    });
    plot.addEventListener("pointermove", function (ev) {
      if (drag) {
        var d = (drag.y - ev.clientY) / self.height * (drag.base - drag.top);
        self.setView(drag.top + d, drag.base + d);
        return;
      }
      self.hover(ev);
    });
    function end() { drag = null; plot.classList.remove("wbv-dragging"); }
    plot.addEventListener("pointerup", end);
    plot.addEventListener("pointercancel", end);
    plot.addEventListener("pointerleave", function () { self.readout.textContent = "\u00a0"; self.cursor = null; self.draw(); });
    plot.addEventListener("keydown", function (ev) {
      var k = ev.key, used = true;
      if (k === "+" || k === "=") self.zoom(1 / 1.5);
      else if (k === "-" || k === "_") self.zoom(1.5);
      else if (k === "ArrowDown") self.scroll(0.1);
      else if (k === "ArrowUp") self.scroll(-0.1);
      else if (k === "PageDown" || k === " ") self.scroll(0.9);
      else if (k === "PageUp") self.scroll(-0.9);
      else if (k === "Home" || k === "0") self.fullRange(false);
      else used = false;
      if (used) ev.preventDefault();
    });
  };

  // depthAt is the depth under a pointer event (null outside the tracks).
  Viewer.prototype.depthAt = function (ev) {
    var body = ev.target.closest && ev.target.closest(".wbv-body");
    if (!body) return null;
    var r = body.getBoundingClientRect();
    return this.top + (ev.clientY - r.top) / r.height * (this.base - this.top);
  };

  // hover shows the depth and each shown curve's value under the pointer.
  Viewer.prototype.hover = function (ev) {
    var d = this.depthAt(ev);
    this.cursor = d;
    this.draw();
    if (d == null) { this.readout.textContent = "\u00a0"; return; }
    var u = this.logs[0].indexUnit || "", parts = ["MD " + d.toFixed(2) + (u ? " " + u : "")];
    this.logs.forEach(function (log) {
      log.curves.forEach(function (c) {
        if (!c.shown || !c.data) return;
        var i = nearest(c.data.depth, d), v = i < 0 ? NaN : c.data.values[i];
        parts.push(c.mnemonic + " " + (isNaN(v) ? "–" : (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(3))) + (c.drawUnit ? " " + c.drawUnit : ""));
      });
    });
    this.readout.textContent = parts.join(" · ");
  };

  // lowerBound is the first i with depth[i] >= d in an increasing index.
  function lowerBound(depth, d) {
    var lo = 0, hi = depth.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (depth[mid] < d) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
  function nearest(depth, d) {
    var n = depth.length;
    if (!n || d < depth[0] - (depth[1] - depth[0] || 1) || d > depth[n - 1] + (depth[n - 1] - depth[n - 2] || 1)) return -1;
    var i = lowerBound(depth, d);
    if (i >= n) return n - 1;
    if (i > 0 && d - depth[i - 1] < depth[i] - d) return i - 1;
    return i;
  }

  Viewer.prototype.draw = function () {
    var self = this;
    if (this.pending || this.top == null) return;
    this.pending = true;
    requestAnimationFrame(function () {
      self.pending = false;
      self.tracks.forEach(function (t) { self.drawTrack(t); });
    });
  };

  // ticks returns the depth grid: major (labelled) and minor steps for the window.
  Viewer.prototype.ticks = function () {
    var span = this.base - this.top, major = niceStep(span * 70 / this.height), minor = major / 5;
    if (minor / span * this.height < 7) minor = major / 2;
    return { major: major, minor: minor };
  };

  Viewer.prototype.drawTrack = function (t) {
    var canvas = t.canvas, dpr = window.devicePixelRatio || 1;
    var w = t.body.clientWidth, h = t.body.clientHeight;
    if (!w || !h) return;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    canvas.style.width = w + "px";
    canvas.style.height = h + "px";
    var ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    var top = this.top, base = this.base, ky = h / (base - top), tk = this.ticks();
    var y = function (d) { return (d - top) * ky; };

    // Depth grid, across every track.
    ctx.lineWidth = 1;
    var d0 = Math.ceil(top / tk.minor) * tk.minor, d, major;
    for (d = d0; d <= base; d += tk.minor) {
      major = Math.abs(d / tk.major - Math.round(d / tk.major)) < 1e-6;
      ctx.strokeStyle = major ? "#9a9a9a" : "#dedede";
      ctx.beginPath();
      var yy = Math.round(y(d)) + 0.5;
      if (t.depth) {
        ctx.moveTo(major ? w - 10 : w - 5, yy);
      } else {
        ctx.moveTo(0, yy);
      }
      ctx.lineTo(w, yy);
      ctx.stroke();
      if (t.depth && major) {
        ctx.fillStyle = "#1a1a1a";
        ctx.font = "12px system-ui, sans-serif";
        ctx.textAlign = "right";
        ctx.textBaseline = "middle";
        var ty = Math.min(h - 7, Math.max(7, yy));
        ctx.fillText(fmt(d, tk.major), w - 13, ty);
      }
    }
    if (t.depth) return;

    // Vertical grid: ten divisions, or decades and their 2…9 on a logarithmic track.
    if (t.logScale) {
      var sc = t.curves[0].scale, l0 = Math.log10(sc.left), l1 = Math.log10(sc.right);
      for (var dec = Math.floor(l0); dec < l1; dec++) {
        for (var m = 1; m < 10; m++) {
          var v = m * Math.pow(10, dec);
          if (v < sc.left * 0.999 || v > sc.right * 1.001) continue;
          var x = Math.round((Math.log10(v) - l0) / (l1 - l0) * w) + 0.5;
          ctx.strokeStyle = m === 1 ? "#9a9a9a" : "#e4e4e4";
          ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, h); ctx.stroke();
        }
      }
    } else {
      for (var i = 1; i < 10; i++) {
        var gx = Math.round(i * w / 10) + 0.5;
        ctx.strokeStyle = i === 5 ? "#b8b8b8" : "#e4e4e4";
        ctx.beginPath(); ctx.moveTo(gx, 0); ctx.lineTo(gx, h); ctx.stroke();
      }
    }

    var self = this;
    if (this.shade) this.shadeTrack(ctx, t, w, y);
    t.curves.forEach(function (c) { if (c.data) self.drawCurve(ctx, c, w, h, y); });

    if (this.cursor != null && this.cursor >= top && this.cursor <= base) {
      ctx.strokeStyle = "rgba(0,0,0,0.55)";
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(0, Math.round(y(this.cursor)) + 0.5);
      ctx.lineTo(w, Math.round(y(this.cursor)) + 0.5);
      ctx.stroke();
      ctx.setLineDash([]);
    }
  };

  // xOf maps a curve's value to x in a track w wide; NaN for NULL or off a log scale.
  function xOf(sc, w) {
    if (sc.log) {
      var l0 = Math.log10(sc.left), l1 = Math.log10(sc.right);
      return function (v) { return v > 0 ? (Math.log10(v) - l0) / (l1 - l0) * w : NaN; };
    }
    return function (v) { return (v - sc.left) / (sc.right - sc.left) * w; };
  }

  // window returns the index range [i0, i1] of the samples within [top, base], one more each side.
  function sampleRange(depth, top, base) {
    return [Math.max(0, lowerBound(depth, top) - 1), Math.min(depth.length - 1, lowerBound(depth, base) + 1)];
  }

  Viewer.prototype.drawCurve = function (ctx, c, w, h, y) {
    var depth = c.data.depth, vals = c.data.values, x = xOf(c.scale, w), r = sampleRange(depth, this.top, this.base);
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, 0, w, h);
    ctx.clip();
    var perPx = (r[1] - r[0]) / h, pen = false, i, xv, yv;
    ctx.strokeStyle = c.color;
    ctx.lineWidth = 1.25;
    // A dash pattern on a compressed, noisy curve breaks it into pieces that read as NULL
    // gaps: dashes only where each sample has its own pixels; colour tells curves apart.
    ctx.setLineDash(perPx > 2 ? [] : c.dash);
    ctx.lineJoin = "round";
    ctx.beginPath();
    // Many samples per pixel row: draw each row's min-max span, so no spike is lost and the
    // work is bounded by the track's height, not the log's length.
    if (perPx > 2) {
      var row = -1, lo = 0, hi = 0, last = NaN;
      for (i = r[0]; i <= r[1]; i++) {
        xv = x(vals[i]);
        yv = Math.floor(y(depth[i]));
        if (yv !== row) {
          if (row >= 0 && !isNaN(last)) { ctx.lineTo(lo, row + 0.5); ctx.lineTo(hi, row + 0.5); ctx.lineTo(last, row + 0.5); }
          row = yv; lo = Infinity; hi = -Infinity; last = NaN;
        }
        if (isNaN(xv)) {
          if (!isNaN(last)) { ctx.lineTo(lo, row + 0.5); ctx.lineTo(hi, row + 0.5); }
          pen = false; last = NaN; lo = Infinity; hi = -Infinity;
          continue;
        }
        if (!pen) { ctx.moveTo(xv, yv + 0.5); pen = true; }
        if (xv < lo) lo = xv;
        if (xv > hi) hi = xv;
        last = xv;
      }
      if (!isNaN(last)) { ctx.lineTo(lo, row + 0.5); ctx.lineTo(hi, row + 0.5); ctx.lineTo(last, row + 0.5); }
    } else {
      for (i = r[0]; i <= r[1]; i++) {
        xv = x(vals[i]);
        if (isNaN(xv) || isNaN(depth[i])) { pen = false; continue; }
        yv = y(depth[i]);
        if (pen) ctx.lineTo(xv, yv); else { ctx.moveTo(xv, yv); pen = true; }
      }
    }
    ctx.stroke();
    ctx.restore();
  };

  // rows reduces the samples r[0]..r[1] to at most one point per pixel row (the mean x of the
  // row's samples; every sample when there are fewer than two per row), with NaN where any of
  // xs is NULL: fills then have a few hundred vertices, not one subpath per sample (30 000
  // subpaths made a fill take seconds).
  function rows(depth, r, y, xs) {
    var out = [], row = NaN, n = 0, sums = xs.map(function () { return 0; }), i, k, yv, xv, bad;
    var dense = (r[1] - r[0]) / Math.max(1, y(depth[r[1]]) - y(depth[r[0]])) > 2;
    function flush() {
      if (n) out.push([row + 0.5].concat(sums.map(function (s) { return s / n; })));
      n = 0;
      for (k = 0; k < sums.length; k++) sums[k] = 0;
    }
    for (i = r[0]; i <= r[1]; i++) {
      yv = y(depth[i]);
      bad = isNaN(yv);
      var vs = [];
      for (k = 0; k < xs.length && !bad; k++) {
        xv = xs[k](i);
        if (isNaN(xv)) bad = true; else vs.push(xv);
      }
      if (bad) { flush(); out.push(null); row = NaN; continue; }
      if (!dense) { out.push([yv].concat(vs)); continue; }
      if (Math.floor(yv) !== row) { flush(); row = Math.floor(yv); }
      for (k = 0; k < vs.length; k++) sums[k] += vs[k];
      n++;
    }
    flush();
    return out;
  }

  // shadeTrack fills the GR track left of the gamma-ray curve, and the density-neutron
  // crossover (density left of neutron on the compatible scales) in the porosity track.
  Viewer.prototype.shadeTrack = function (ctx, t, w, y) {
    var gr = null, den = null, neu = null, pts, i, run;
    t.curves.forEach(function (c) {
      if (!c.data || !c.family) return;
      if (c.family.group === "gamma" && !gr) gr = c;
      if (c.family.density && !den) den = c;
      if (c.family.neutron && !neu) neu = c;
    });
    // fillRuns fills each run of points between the left side (x of column a, or 0) and the
    // curve in column b.
    function fillRuns(runs, a, b) {
      ctx.beginPath();
      runs.forEach(function (run) {
        if (run.length < 2) return;
        ctx.moveTo(a ? run[0][a] : 0, run[0][0]);
        for (i = 0; i < run.length; i++) ctx.lineTo(Math.min(w, run[i][b]), run[i][0]);
        for (i = run.length - 1; i >= 0; i--) ctx.lineTo(a ? run[i][a] : 0, run[i][0]);
        ctx.closePath();
      });
      ctx.fill();
    }
    // split cuts points into runs at NULLs (null entries) and where keep is false.
    function split(points, keep) {
      var runs = [], cur = [];
      points.forEach(function (p) {
        if (p && keep(p)) { cur.push(p); return; }
        if (cur.length) runs.push(cur);
        cur = [];
      });
      if (cur.length) runs.push(cur);
      return runs;
    }
    if (gr) {
      var xg = xOf(gr.scale, w), gv = gr.data.values;
      pts = rows(gr.data.depth, sampleRange(gr.data.depth, this.top, this.base), y, [function (j) { return xg(gv[j]); }]);
      ctx.fillStyle = SHADE_GR;
      fillRuns(split(pts, function () { return true; }), 0, 1);
    }
    if (den && neu && den.log === neu.log && den.data.depth.length === neu.data.depth.length) {
      var xd = xOf(den.scale, w), xn = xOf(neu.scale, w), dv = den.data.values, nv = neu.data.values;
      pts = rows(den.data.depth, sampleRange(den.data.depth, this.top, this.base), y,
        [function (j) { return xd(dv[j]); }, function (j) { return xn(nv[j]); }]);
      ctx.fillStyle = SHADE_XOVER;
      fillRuns(split(pts, function (p) { return p[1] < p[2]; }), 1, 2);
    }
  };

  function mountAll() {
    var els = document.querySelectorAll("[data-wb-log-viewer]");
    for (var i = 0; i < els.length; i++) {
      if (!els[i].wbViewer) els[i].wbViewer = new Viewer(els[i]);
    }
  }
  window.WellbaseLogViewer = { mount: function (e) { return e.wbViewer || (e.wbViewer = new Viewer(e)); }, classify: classify };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll); else mountAll();
})();

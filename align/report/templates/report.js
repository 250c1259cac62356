/* bitextqa report: filters, sorting, search and keyboard navigation.
   Rows are rendered on the server; this script only hides, shows and reorders them. */
(function () {
  "use strict";
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  function checkedSet(name) {
    var s = new Set();
    $$('input[name="' + name + '"]').forEach(function (el) { if (el.checked) s.add(el.value); });
    return s;
  }
  function num(el, dflt) {
    if (!el || el.value === "") return dflt;
    var v = parseFloat(el.value);
    return isNaN(v) ? dflt : v;
  }
  function debounce(fn, ms) {
    var t = null;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }
  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.isContentEditable);
  }

  /* ---- sortable tables (run page): click a header to sort by that column ---- */
  $$("table.sortable").forEach(function (table) {
    $$("thead th", table).forEach(function (th, col) {
      th.tabIndex = 0;
      var sort = function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        $$("thead th", table).forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (tr) {
          var c = tr.cells[col];
          var v = c ? (c.getAttribute("data-sort") || c.textContent.trim()) : "";
          var n = parseFloat(v);
          return isNaN(n) || !/^-?[\d.]/.test(v) ? v.toLowerCase() : n;
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (typeof x !== typeof y) { x = String(x); y = String(y); }
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        var frag = document.createDocumentFragment();
        rows.forEach(function (r) { frag.appendChild(r); });
        body.appendChild(frag);
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  });

  /* ---- keyboard navigation shared by both pages ---- */
  var nav = { items: function () { return []; }, index: -1, onGo: null };
  function go(delta) {
    var items = nav.items();
    if (!items.length) return;
    var cur = items.indexOf(nav.current);
    var next = cur < 0 ? (delta > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, cur + delta));
    if (nav.current) nav.current.classList.remove("current");
    nav.current = items[next];
    nav.current.classList.add("current");
    if (nav.onGo) nav.onGo(nav.current);
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/" && !typing(e)) { var s = $("#search"); if (s) { e.preventDefault(); s.focus(); } return; }
    if (e.key === "Escape" && typing(e)) { e.target.blur(); return; }
    if (typing(e)) return;
    if (e.key === "j" || e.key === "n") { e.preventDefault(); go(1); }
    else if (e.key === "k" || e.key === "p") { e.preventDefault(); go(-1); }
    else if (e.key === "Enter" && nav.current) {
      var a = $("a[href]", nav.current);
      if (a) { e.preventDefault(); a.click(); }
    }
  });

  /* ---- sticky offsets: everything sticky sits just below the (wrapping) filter bar ---- */
  var bar = $(".controls");
  if (bar) {
    var place = function () { document.documentElement.style.setProperty("--sticky-top", bar.offsetHeight + "px"); };
    // Measuring the bar forces a layout of the whole page: do it after the first paint.
    requestAnimationFrame(place);
    if (window.ResizeObserver) new ResizeObserver(place).observe(bar);
    else window.addEventListener("resize", place);
  }

  /* ---- document page ---- */
  var dataEl = document.getElementById("bitextqa-findings");
  var rowsEl = document.getElementById("rows");
  if (dataEl && rowsEl) {
    var findings = JSON.parse(dataEl.textContent);
    var rows = Array.prototype.slice.call(rowsEl.children);
    var original = rows.slice();
    var rowFids = rows.map(function (r) {
      var f = r.getAttribute("data-f");
      return f ? f.split(" ").map(Number) : [];
    });
    var rowIndex = new Map(rows.map(function (r, i) { return [r, i]; }));
    var rowTexts = null;  // lower-cased row texts, built on first search
    var marks = $$("mark[data-f]", rowsEl).map(function (m) {
      return { el: m, fids: m.getAttribute("data-f").split(" ").map(Number) };
    });
    var items = $$("#findings li[data-id]");
    var fOn = findings.map(function () { return true; });

    var apply = function () {
      var checks = checkedSet("check"), sevs = checkedSet("severity");
      fOn = findings.map(function (f) { return checks.has(f.check) && sevs.has(f.severity); });
      var lo = num($("#min-score"), -Infinity), hi = num($("#max-score"), Infinity);
      var only = $("#only-findings") && $("#only-findings").checked;
      var q = ($("#search") && $("#search").value || "").trim().toLowerCase();
      if (q && !rowTexts) rowTexts = rows.map(function (r) { return r.textContent.toLowerCase(); });
      var shown = 0;
      rows.forEach(function (r, i) {
        var score = parseFloat(r.getAttribute("data-score"));
        var ok = isNaN(score) || (score >= lo && score <= hi);
        if (ok && only) ok = rowFids[i].some(function (id) { return fOn[id]; });
        if (ok && q) ok = rowTexts[i].indexOf(q) >= 0;
        if (r.hidden === ok) r.hidden = !ok;
        if (ok) shown++;
      });
      marks.forEach(function (m) {
        var on = m.fids.some(function (id) { return fOn[id]; });
        m.el.classList.toggle("off", !on);
      });
      var listed = 0;
      items.forEach(function (li) {
        var f = findings[Number(li.getAttribute("data-id"))];
        var row = f.row ? document.getElementById(f.row) : null;
        var ok = fOn[f.id] && (!row || !row.hidden);
        li.hidden = !ok;
        if (ok) listed++;
      });
      var st = $("#status");
      if (st) st.textContent = shown + " of " + rows.length + " rows · " + listed + " of " + findings.length + " findings";
    };
    var applySoon = debounce(apply, 120);
    $$(".controls input").forEach(function (el) {
      el.addEventListener(el.type === "search" || el.type === "number" ? "input" : "change", el.type === "search" ? applySoon : apply);
    });

    var sortSel = $("#sort");
    if (sortSel) sortSel.addEventListener("change", function () {
      var how = sortSel.value;
      var sevRank = { error: 0, warning: 1, info: 2 };
      var worst = function (r) { var w = r.getAttribute("data-worst"); return w ? sevRank[w] : 9; };
      var score = function (r) { var s = parseFloat(r.getAttribute("data-score")); return isNaN(s) ? -1 : s; };
      var order = original.slice();
      if (how === "score-asc") order.sort(function (a, b) { return score(a) - score(b) || rowIndex.get(a) - rowIndex.get(b); });
      else if (how === "score-desc") order.sort(function (a, b) { return score(b) - score(a) || rowIndex.get(a) - rowIndex.get(b); });
      else if (how === "severity") order.sort(function (a, b) { return worst(a) - worst(b) || rowIndex.get(a) - rowIndex.get(b); });
      var frag = document.createDocumentFragment();
      order.forEach(function (r) { frag.appendChild(r); });
      rowsEl.appendChild(frag);
    });

    // j/k walks the visible findings in page order (the list is in document order).
    nav.items = function () { return items.filter(function (li) { return !li.hidden; }); };
    nav.onGo = function (li) {
      var f = findings[Number(li.getAttribute("data-id"))];
      $$(".row.current", rowsEl).forEach(function (r) { r.classList.remove("current"); });
      li.scrollIntoView({ block: "nearest" });
      var row = f.row ? document.getElementById(f.row) : null;
      if (row) {
        row.classList.add("current");
        row.scrollIntoView({ block: "center" });
        row.focus({ preventScroll: true });
      }
      var st = $("#current-finding");
      if (st) st.textContent = "finding " + (nav.items().indexOf(li) + 1) + " of " + nav.items().length + ": " + f.check + " — " + f.message;
    };
    items.forEach(function (li) {
      li.addEventListener("click", function () {
        if (nav.current) nav.current.classList.remove("current");
        nav.current = li; li.classList.add("current"); nav.onGo(li);
      });
    });
    apply();
  }

  /* ---- run page: the table of every finding ---- */
  var table = document.getElementById("all-findings");
  if (table) {
    var trs = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = null;
    var applyRun = function () {
      var checks = checkedSet("check"), sevs = checkedSet("severity");
      var q = ($("#search") && $("#search").value || "").trim().toLowerCase();
      if (q && !texts) texts = new Map(trs.map(function (tr) { return [tr, tr.textContent.toLowerCase()]; }));
      var shown = 0;
      trs.forEach(function (tr) {
        var ok = checks.has(tr.getAttribute("data-check")) && sevs.has(tr.getAttribute("data-severity"));
        if (ok && q) ok = texts.get(tr).indexOf(q) >= 0;
        tr.hidden = !ok;
        if (ok) shown++;
      });
      var st = $("#status");
      if (st) st.textContent = shown + " of " + trs.length + " findings";
    };
    $$(".controls input").forEach(function (el) {
      el.addEventListener(el.type === "search" ? "input" : "change", el.type === "search" ? debounce(applyRun, 120) : applyRun);
    });
    nav.items = function () { return $$("tbody tr", table).filter(function (tr) { return !tr.hidden; }); };
    nav.onGo = function (tr) { tr.scrollIntoView({ block: "center" }); };
    applyRun();
  }
})();

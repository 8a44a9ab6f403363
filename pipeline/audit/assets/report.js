// The audit report: charts as SVG, the flag and figure tables as AuditTable.PagedTable (table.js).
(function () {
  "use strict";
  const { PagedTable, byNumber, byText, then, el, count, collator } = AuditTable;
  const DATA = JSON.parse(document.getElementById("audit-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const DOCS = DATA.documents, FIGURES = DATA.figures, FLAGS = DATA.flags;
  const figureIndex = new Map(FIGURES.map((f, i) => [f.id, i]));
  const flagById = new Map(FLAGS.map((f) => [f.flag_id, f]));
  const SEVERITY_RANK = { error: 0, warning: 1, info: 2 };
  const STATUS_RANK = { corrected: 0, disputed: 1, verified: 2 };

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function fmt(v) { return Number(v).toLocaleString("en-US", { maximumFractionDigits: 2 }); }
  function debounce(fn, ms) { let timer = 0; return () => { clearTimeout(timer); timer = setTimeout(fn, ms); }; }

  // ---- summary
  const severities = { error: 0, warning: 0, info: 0 };
  FLAGS.forEach((f) => { severities[f.severity] += 1; });
  const reviewed = FIGURES.filter((f) => f.review).length;
  const cards = document.getElementById("cards");
  [["documents", DOCS.length], ["figures", FIGURES.length], ["errors", severities.error], ["warnings", severities.warning],
   ["info", severities.info], ["reviewed", reviewed]].forEach(([label, n]) => cards.append(el("div", { class: "card" }, el("b", {}, count(n)), label)));

  // ---- bar charts
  function barChart(container, title, entries) {
    container.replaceChildren(el("h3", {}, title));
    const rowH = 20, labelW = 170, width = 420, valueW = 70;
    const max = Math.max(1, ...entries.map((e) => e[1]));
    const chart = svg("svg", { width, height: entries.length * rowH + 4, role: "img", "aria-label": title });
    entries.forEach(([label, value], i) => {
      const y = i * rowH + 2;
      const w = Math.max(1, ((width - labelW - valueW) * value) / max);
      chart.append(svg("text", { x: labelW - 6, y: y + 14, "text-anchor": "end", class: "bar-label" }, label.length > 14 ? label.slice(0, 13) + "…" : label));
      const rect = svg("rect", { x: labelW, y, width: w, height: rowH - 5, class: "bar" });
      rect.append(svg("title", {}, `${label}: ${fmt(value)}`));
      chart.append(rect);
      chart.append(svg("text", { x: labelW + w + 4, y: y + 14, class: "bar-label" }, fmt(value)));
    });
    if (!entries.length) container.append(el("p", { class: "muted" }, "no figures"));
    container.append(chart);
  }
  function totals(field, unit, limit) {
    const sums = new Map();
    FIGURES.forEach((f) => {
      if (unit && f.unit !== unit) return;
      const k = f[field] || "(none)";
      sums.set(k, (sums.get(k) || 0) + (unit ? f.value : 1));
    });
    return [...sums.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
  }
  const unitSelect = document.getElementById("unit");
  [...new Set(FIGURES.map((f) => f.unit))].sort(collator.compare).forEach((u) => unitSelect.append(el("option", { value: u }, `sum of values in ${u}`)));
  function drawBars() {
    const unit = unitSelect.value;
    const what = unit ? `total ${unit}` : "figures";
    barChart(document.getElementById("chart-county"), `${what} per county`, totals("county", unit, 20));
    barChart(document.getElementById("chart-section"), `${what} per section`, totals("section", unit, 20));
    barChart(document.getElementById("chart-measure"), `${what} per measure (top 20)`, totals("key", unit, 20));
  }
  unitSelect.addEventListener("change", drawBars);
  drawBars();

  // ---- time series, a few dozen at a time
  const SERIES_STEP = 24;
  const seriesBox = document.getElementById("series");
  const seriesText = document.getElementById("series-text");
  const seriesPager = document.getElementById("series-pager");
  let seriesMatches = DATA.series, seriesShown = 0;
  function seriesChart(s) {
    const w = 290, h = 130, pad = 34;
    const values = s.points.map((p) => p.value);
    const lo = Math.min(...values), hi = Math.max(...values);
    const span = hi - lo || Math.abs(hi) || 1;
    const x = (i) => pad + (i * (w - pad - 10)) / Math.max(1, s.points.length - 1);
    const y = (v) => h - 22 - ((v - lo) * (h - 40)) / span;
    const chart = svg("svg", { width: w, height: h, role: "img", "aria-label": `${s.county} ${s.key}` });
    chart.append(svg("polyline", { class: "line", points: s.points.map((p, i) => `${x(i)},${y(p.value)}`).join(" ") }));
    s.points.forEach((p, i) => {
      const dot = svg("circle", { cx: x(i), cy: y(p.value), r: 4, class: p.flagged ? "pt flagged" : "pt" });
      dot.append(svg("title", {}, `issue ${p.issue} (${p.date}): ${fmt(p.value)} ${s.unit}`));
      chart.append(dot);
      chart.append(svg("text", { x: x(i), y: h - 6, "text-anchor": "middle", class: "axis" }, `#${p.issue}`));
    });
    chart.append(svg("text", { x: 2, y: 12, class: "axis" }, fmt(hi)));
    chart.append(svg("text", { x: 2, y: h - 22, class: "axis" }, fmt(lo)));
    return el("div", { class: "series" }, el("h3", {}, `${s.county} · ${s.key} (${s.unit})`), chart);
  }
  function moreSeries() {
    const next = seriesMatches.slice(seriesShown, seriesShown + SERIES_STEP);
    seriesBox.append(...next.map(seriesChart));
    seriesShown += next.length;
    document.getElementById("series-count").textContent = `${count(seriesShown)} of ${count(seriesMatches.length)} shown`;
    seriesPager.replaceChildren(seriesShown < seriesMatches.length ? el("button", { type: "button", onclick: moreSeries }, `show ${Math.min(SERIES_STEP, seriesMatches.length - seriesShown)} more`) : "");
  }
  function drawSeries() {
    const text = seriesText.value.trim().toLowerCase();
    seriesMatches = text ? DATA.series.filter((s) => `${s.county} ${s.key} ${s.unit}`.toLowerCase().includes(text)) : DATA.series;
    seriesShown = 0;
    seriesBox.replaceChildren();
    if (!seriesMatches.length) seriesBox.append(el("p", { class: "muted" }, text ? "no series matches" : "no measure is reported in more than one issue"));
    moreSeries();
  }
  seriesText.addEventListener("input", debounce(drawSeries, 150));
  drawSeries();

  // ---- figures table
  function documentOf(f) { return DOCS[f.d]; }
  function sourceLink(f) {
    const d = documentOf(f);
    if (!d.href) return d.source_file;
    const href = d.format === "pdf" && f.page ? `${d.href}#page=${f.page}` : d.href;
    return el("a", { class: "source", href, target: "_blank", rel: "noopener", title: `open ${d.source_file}${d.format === "pdf" && f.page ? ` at page ${f.page}` : ""}` }, d.source_file);
  }
  function sentence(f) {
    const [s, e] = f.hl;
    return el("span", {}, f.ev.slice(0, s), el("mark", {}, f.ev.slice(s, e)), f.ev.slice(e));
  }
  function reviewCell(f) {
    if (!f.review) return el("span", { class: "muted" }, "—");
    const r = f.review;
    const corrected = r.corrected_value || r.corrected_unit ? ` → ${r.corrected_value || fmt(f.value)} ${r.corrected_unit || f.unit}` : "";
    return el("span", {}, el("span", { class: `status ${r.status}` }, r.status), corrected, r.note ? el("div", { class: "muted" }, r.note) : null);
  }
  const figDoc = document.getElementById("fig-doc");
  const figCounty = document.getElementById("fig-county");
  const figState = document.getElementById("fig-state");
  const figText = document.getElementById("fig-text");
  const figFilters = [figDoc, figCounty, figState, figText];
  const onlyDocument = (f) => el("button", { type: "button", class: "only", title: "show only this document's figures",
    onclick: () => { figDoc.value = String(f.d); drawFigures(); } }, "only this");
  const figures = new PagedTable({
    table: document.getElementById("figures"), items: FIGURES, counter: document.getElementById("fig-count"),
    pagers: [document.getElementById("figures-pager-top"), document.getElementById("figures-pager")],
    rowAttrs: (f) => ({ id: `fig-${f.id}` }),
    columns: [
      { label: "figure", compare: byText((f) => f.id), cell: (f) => el("code", {}, f.id) },
      { label: "document", compare: then(byText((f) => documentOf(f).source_file), byNumber((f) => Number(documentOf(f).issue_part)), byNumber((f) => f.page)),
        cell: (f) => { const d = documentOf(f); return el("span", {}, sourceLink(f), " ", onlyDocument(f), el("div", { class: "muted" }, [d.issue_no && `issue ${d.issue_no}`, d.issue_date, f.page && `page ${f.page}`].filter(Boolean).join(" · "))); } },
      { label: "county", compare: then(byText((f) => f.county), byText((f) => f.section)), cell: (f) => el("span", {}, f.county || "—", el("div", { class: "muted" }, f.section)) },
      { label: "measure / key", compare: byText((f) => f.measure), cell: (f) => el("span", {}, f.measure, el("div", { class: "muted" }, f.key)) },
      { label: "value", compare: then(byNumber((f) => f.value), byText((f) => f.unit)), cls: "num", cell: (f) => `${fmt(f.value)} ${f.unit}` },
      { label: "sentence", compare: byText((f) => f.ev), cell: sentence },
      { label: "flags", compare: byNumber((f) => f.flags.length || null),
        cell: (f) => el("span", {}, ...f.flags.map((id) => { const g = flagById.get(id); return el("div", {}, el("span", { class: `sev ${g.severity}` }, g.check)); })) },
      { label: "review", compare: byNumber((f) => (f.review ? STATUS_RANK[f.review.status] : null)), cell: reviewCell },
    ],
  });
  const figuresPerDocument = new Map();
  FIGURES.forEach((f) => figuresPerDocument.set(f.d, (figuresPerDocument.get(f.d) || 0) + 1));
  const partsPerFile = new Map();
  DOCS.forEach((d) => partsPerFile.set(d.source_file, (partsPerFile.get(d.source_file) || 0) + 1));
  [...figuresPerDocument.keys()]
    .map((i) => [i, DOCS[i].source_file + (partsPerFile.get(DOCS[i].source_file) > 1 ? ` · issue ${DOCS[i].issue_no || DOCS[i].issue_part}` : "")])
    .sort((a, b) => collator.compare(a[1], b[1]))
    .forEach(([i, label]) => figDoc.append(el("option", { value: i }, `${label} (${count(figuresPerDocument.get(i))})`)));
  [...new Set(FIGURES.map((f) => f.county || "(none)"))].sort(collator.compare).forEach((c) => figCounty.append(el("option", { value: c }, c)));
  let haystack = null; // the searchable text of every figure, built at the first search
  function searchable(i) {
    if (!haystack) haystack = FIGURES.map((f) => [f.ev, f.measure, f.key, documentOf(f).source_file, f.id, f.county, f.vt].join("\n").toLowerCase());
    return haystack[i];
  }
  function drawFigures() {
    const doc = figDoc.value === "" ? null : Number(figDoc.value);
    const county = figCounty.value, state = figState.value, text = figText.value.trim().toLowerCase();
    const tests = [];
    if (doc !== null) tests.push((f) => f.d === doc);
    if (county) tests.push((f) => (f.county || "(none)") === county);
    if (state === "flagged") tests.push((f) => f.flags.length > 0);
    else if (state === "unreviewed") tests.push((f) => !f.review);
    else if (state) tests.push((f) => f.review && f.review.status === state);
    if (text) tests.push((f) => searchable(figureIndex.get(f.id)).includes(text));
    figures.filter(tests.length ? (f) => tests.every((t) => t(f)) : null);
  }
  [figDoc, figCounty, figState].forEach((c) => c.addEventListener("change", drawFigures));
  figText.addEventListener("input", debounce(drawFigures, 150));
  drawFigures();

  function revealFigure(id) {
    const i = figureIndex.get(id);
    if (i === undefined) return;
    if (!figures.reveal(FIGURES[i])) {
      figFilters.forEach((c) => { c.value = ""; });
      drawFigures();
      figures.reveal(FIGURES[i]);
    }
    const row = document.getElementById(`fig-${id}`);
    document.querySelectorAll("tr.target").forEach((r) => r.classList.remove("target"));
    if (row) { row.classList.add("target"); row.scrollIntoView({ block: "center" }); }
  }
  function figureLink(id) {
    const f = FIGURES[figureIndex.get(id)];
    return el("a", { href: `#fig-${id}`, onclick: (event) => { event.preventDefault(); history.replaceState(null, "", `#fig-${id}`); revealFigure(id); } },
      f ? `${f.county} ${f.vt}` : id);
  }

  // ---- flag table
  const FLAG_LINKS = 12;
  const sevSelect = document.getElementById("flag-severity");
  const checkSelect = document.getElementById("flag-check");
  const flagText = document.getElementById("flag-text");
  const flagTable = new PagedTable({
    table: document.getElementById("flags"), items: FLAGS, counter: document.getElementById("flag-count"), pageSize: 50,
    pagers: [document.getElementById("flags-pager")], rowAttrs: (f) => ({ id: `flag-${f.flag_id}` }),
    columns: [
      { label: "severity", compare: byNumber((f) => SEVERITY_RANK[f.severity]), cell: (f) => el("span", { class: `sev ${f.severity}` }, f.severity) },
      { label: "check", compare: byText((f) => f.check), cell: (f) => f.check },
      { label: "message", compare: byText((f) => f.message), cell: (f) => f.message },
      { label: "figures", compare: byNumber((f) => f.figure_ids.length),
        cell: (f) => el("span", {}, ...f.figure_ids.slice(0, FLAG_LINKS).map((id) => el("div", {}, figureLink(id))),
          f.figure_ids.length > FLAG_LINKS ? el("div", { class: "muted" }, `and ${count(f.figure_ids.length - FLAG_LINKS)} more`) : null) },
    ],
  });
  [...new Set(FLAGS.map((f) => f.check))].sort().forEach((c) => checkSelect.append(el("option", { value: c }, c)));
  function drawFlags() {
    const sev = sevSelect.value, check = checkSelect.value, text = flagText.value.trim().toLowerCase();
    flagTable.filter(sev || check || text ? (f) => (!sev || f.severity === sev) && (!check || f.check === check) && (!text || f.message.toLowerCase().includes(text)) : null);
  }
  [sevSelect, checkSelect].forEach((c) => c.addEventListener("change", drawFlags));
  flagText.addEventListener("input", debounce(drawFlags, 150));
  drawFlags();

  const linked = /^#fig-(.+)$/.exec(location.hash);
  if (linked) revealFigure(decodeURIComponent(linked[1]));
  window.addEventListener("hashchange", () => { const m = /^#fig-(.+)$/.exec(location.hash); if (m) revealFigure(decodeURIComponent(m[1])); });
  document.body.dataset.ready = "1";
})();

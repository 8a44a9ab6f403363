"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("audit-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const byId = new Map(DATA.figures.map((f) => [f.id, f]));
  const flagById = new Map(DATA.flags.map((f) => [f.flag_id, f]));

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    return node;
  }
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function fmt(v) { return Number(v).toLocaleString("en-US", { maximumFractionDigits: 2 }); }

  // ---- summary
  const counts = { error: 0, warning: 0, info: 0 };
  DATA.flags.forEach((f) => { counts[f.severity] += 1; });
  const reviewed = DATA.figures.filter((f) => f.review).length;
  const cards = document.getElementById("cards");
  [["documents", DATA.documents.length], ["figures", DATA.figures.length], ["errors", counts.error], ["warnings", counts.warning],
   ["info", counts.info], ["reviewed", reviewed]].forEach(([label, n]) => cards.append(el("div", { class: "card" }, el("b", {}, n), label)));

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
    DATA.figures.forEach((f) => {
      if (unit && f.unit !== unit) return;
      const k = f[field] || "(none)";
      sums.set(k, (sums.get(k) || 0) + (unit ? f.value : 1));
    });
    return [...sums.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
  }
  const unitSelect = document.getElementById("unit");
  const units = [...new Set(DATA.figures.map((f) => f.unit))].sort();
  units.forEach((u) => unitSelect.append(el("option", { value: u }, `sum of values in ${u}`)));
  function drawBars() {
    const unit = unitSelect.value;
    const what = unit ? `total ${unit}` : "figures";
    barChart(document.getElementById("chart-county"), `${what} per county`, totals("county", unit, 20));
    barChart(document.getElementById("chart-section"), `${what} per section`, totals("section", unit, 20));
    barChart(document.getElementById("chart-measure"), `${what} per measure (top 20)`, totals("key", unit, 20));
  }
  unitSelect.addEventListener("change", drawBars);
  drawBars();

  // ---- time series
  const seriesBox = document.getElementById("series");
  DATA.series.forEach((s) => {
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
    seriesBox.append(el("div", { class: "series" }, el("h3", {}, `${s.county} · ${s.key} (${s.unit})`), chart));
  });
  if (!DATA.series.length) seriesBox.append(el("p", { class: "muted" }, "no measure is reported in more than one issue"));

  // ---- figures table
  function figureLink(id) {
    const f = byId.get(id);
    return el("a", { href: `#fig-${id}`, onclick: () => showFigure(id) }, f ? `${f.county} ${f.vt}` : id);
  }
  function showFigure(id) {
    figFilters.forEach((c) => { c.value = ""; });
    drawFigures();
    const row = document.getElementById(`fig-${id}`);
    document.querySelectorAll("tr.target").forEach((r) => r.classList.remove("target"));
    if (row) { row.classList.add("target"); row.scrollIntoView({ block: "center" }); }
  }
  function sentence(f) {
    const [s, e] = f.hl;
    return el("span", {}, f.ev.slice(0, s), el("mark", {}, f.ev.slice(s, e)), f.ev.slice(e));
  }
  function reviewCell(f) {
    if (!f.review) return el("span", { class: "muted" }, "—");
    const r = f.review;
    return el("span", {}, el("span", { class: `status ${r.status}` }, r.status),
      r.corrected_value ? ` → ${r.corrected_value} ${f.unit}` : "", r.note ? el("div", { class: "muted" }, r.note) : null);
  }
  const figBody = document.querySelector("#figures tbody");
  const figCounty = document.getElementById("fig-county");
  const figState = document.getElementById("fig-state");
  const figText = document.getElementById("fig-text");
  const figFilters = [figCounty, figState, figText];
  [...new Set(DATA.figures.map((f) => f.county || "(none)"))].sort().forEach((c) => figCounty.append(el("option", { value: c }, c)));
  function drawFigures() {
    const county = figCounty.value, state = figState.value, text = figText.value.trim();
    const rows = DATA.figures.filter((f) =>
      (!county || (f.county || "(none)") === county) &&
      (!state || (state === "flagged" ? f.flags.length > 0 : state === "unreviewed" ? !f.review : f.review && f.review.status === state)) &&
      (!text || [f.ev, f.measure, f.key, f.source, f.id].some((v) => v.includes(text))));
    figBody.replaceChildren(...rows.map((f) => el("tr", { id: `fig-${f.id}` },
      el("td", {}, el("code", {}, f.id)),
      el("td", {}, f.source, el("div", { class: "muted" }, `issue ${f.issue} · ${f.date} · page ${f.page}`)),
      el("td", {}, f.county || "—", el("div", { class: "muted" }, f.section)),
      el("td", {}, f.measure, el("div", { class: "muted" }, f.key)),
      el("td", { class: "num" }, `${fmt(f.value)} ${f.unit}`),
      el("td", {}, sentence(f)),
      el("td", {}, ...f.flags.map((id) => { const g = flagById.get(id); return el("div", {}, el("span", { class: `sev ${g.severity}` }, g.check)); })),
      el("td", {}, reviewCell(f)))));
    document.getElementById("fig-count").textContent = `${rows.length} of ${DATA.figures.length}`;
  }
  figFilters.forEach((c) => c.addEventListener("input", drawFigures));
  drawFigures();

  // ---- flag table
  const flagBody = document.querySelector("#flags tbody");
  const sevSelect = document.getElementById("flag-severity");
  const checkSelect = document.getElementById("flag-check");
  const flagText = document.getElementById("flag-text");
  [...new Set(DATA.flags.map((f) => f.check))].sort().forEach((c) => checkSelect.append(el("option", { value: c }, c)));
  function drawFlags() {
    const sev = sevSelect.value, check = checkSelect.value, text = flagText.value.trim();
    const rows = DATA.flags.filter((f) => (!sev || f.severity === sev) && (!check || f.check === check) && (!text || f.message.includes(text)));
    flagBody.replaceChildren(...rows.map((f) => el("tr", {},
      el("td", {}, el("span", { class: `sev ${f.severity}` }, f.severity)),
      el("td", {}, f.check),
      el("td", {}, f.message),
      el("td", {}, ...f.figure_ids.map((id) => el("div", {}, figureLink(id)))))));
    document.getElementById("flag-count").textContent = `${rows.length} of ${DATA.flags.length}`;
  }
  [sevSelect, checkSelect, flagText].forEach((c) => c.addEventListener("input", drawFlags));
  drawFlags();
  document.body.dataset.ready = "1";
})();

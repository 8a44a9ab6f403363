// Tables drawn a page at a time: whatever the number of rows, a change of filter, sort or page
// touches only index arrays and draws one page; each sort order is built once and kept.
const AuditTable = (function () {
  "use strict";
  const collator = new Intl.Collator("zh-CN", { numeric: true });
  const PAGE_SIZES = [25, 50, 100, 250, 500];
  function count(n) { return n.toLocaleString("en-US"); }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    return node;
  }
  // ---- comparisons for sorting: empty values last in either direction, numbers as numbers
  function missing(v) { return v === null || v === undefined || v === "" || Number.isNaN(v); }
  function byNumber(get) {
    return (a, b, sign) => {
      const x = get(a), y = get(b);
      if (missing(x) || missing(y)) return missing(x) - missing(y);
      return sign * (x - y);
    };
  }
  function byText(get) {
    return (a, b, sign) => {
      const x = get(a), y = get(b);
      if (missing(x) || missing(y)) return missing(x) - missing(y);
      return sign * collator.compare(x, y);
    };
  }
  function then(...compares) {
    return (a, b, sign) => { for (const compare of compares) { const r = compare(a, b, sign); if (r) return r; } return 0; };
  }

  // ---- a table drawn a page at a time, sortable by its columns, filtered by a predicate
  class PagedTable {
    constructor({ table, items, columns, rowAttrs, pagers, counter, pageSize }) {
      Object.assign(this, { items, columns, rowAttrs, pagers, counter });
      this.body = table.querySelector("tbody");
      this.pageSize = pageSize || 100;
      this.page = 0;
      this.sortBy = -1;
      this.descending = false;
      this.orders = new Map();
      this.match = null;
      const head = table.querySelector("thead tr");
      this.headers = columns.map((column, i) => {
        const th = el("th", { scope: "col", "aria-sort": "none" });
        th.append(column.compare ? el("button", { type: "button", class: "sort", onclick: () => this.sort(i) }, column.label) : column.label);
        head.append(th);
        return th;
      });
    }
    order() {
      if (this.sortBy < 0) return null;
      const key = `${this.sortBy}:${this.descending}`;
      if (!this.orders.has(key)) {
        const compare = this.columns[this.sortBy].compare, items = this.items, sign = this.descending ? -1 : 1;
        const order = Array.from(items.keys());
        order.sort((a, b) => compare(items[a], items[b], sign) || a - b);
        this.orders.set(key, order);
      }
      return this.orders.get(key);
    }
    filter(match) { this.match = match; this.refresh(); }
    refresh() {
      const items = this.items, match = this.match, rows = [];
      const order = this.order();
      if (order) { for (const i of order) if (!match || match(items[i])) rows.push(i); }
      else { for (let i = 0; i < items.length; i += 1) if (!match || match(items[i])) rows.push(i); }
      this.rows = rows;
      this.go(0);
    }
    sort(column) {
      this.descending = this.sortBy === column ? !this.descending : false;
      this.sortBy = column;
      this.headers.forEach((th, i) => th.setAttribute("aria-sort", i !== column ? "none" : this.descending ? "descending" : "ascending"));
      this.refresh();
    }
    pages() { return Math.max(1, Math.ceil(this.rows.length / this.pageSize)); }
    go(page) {
      this.page = Math.min(Math.max(0, page), this.pages() - 1);
      const start = this.page * this.pageSize;
      const shown = this.rows.slice(start, start + this.pageSize).map((i) => this.items[i]);
      this.body.replaceChildren(...shown.map((item) => el("tr", this.rowAttrs(item),
        ...this.columns.map((column) => el("td", column.cls ? { class: column.cls } : {}, column.cell(item))))));
      if (!shown.length) this.body.append(el("tr", {}, el("td", { colspan: this.columns.length, class: "muted" }, "nothing matches")));
      this.counter.textContent = `${count(this.rows.length)} of ${count(this.items.length)}`;
      this.pagers.forEach((box) => this.drawPager(box, start, shown.length));
    }
    reveal(item) {
      const at = this.rows.indexOf(this.items.indexOf(item));
      if (at < 0) return false;
      this.go(Math.floor(at / this.pageSize));
      return true;
    }
    drawPager(box, start, shown) {
      const pages = this.pages();
      const input = el("input", { type: "number", class: "page-no", min: 1, max: pages, value: this.page + 1, "aria-label": "page" });
      input.addEventListener("change", () => this.go(Number(input.value) - 1));
      const size = el("select", { class: "page-size", "aria-label": "rows per page" },
        ...PAGE_SIZES.map((n) => { const option = el("option", { value: n }, `${n} per page`); option.selected = n === this.pageSize; return option; }));
      size.addEventListener("change", () => { this.pageSize = Number(size.value); this.go(Math.floor(start / this.pageSize)); });
      const prev = el("button", { type: "button", class: "prev", onclick: () => this.go(this.page - 1) }, "‹ previous");
      const next = el("button", { type: "button", class: "next", onclick: () => this.go(this.page + 1) }, "next ›");
      prev.disabled = this.page === 0;
      next.disabled = this.page >= pages - 1;
      box.replaceChildren(prev, " page ", input, ` of ${count(pages)} `, next,
        el("span", { class: "muted" }, shown ? `rows ${count(start + 1)}–${count(start + shown)}` : "no rows"), size);
    }
  }

  return { PagedTable, byNumber, byText, then, el, count, collator };
})();

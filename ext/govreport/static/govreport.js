/* govreport: tables on a phone.
 *
 * - The hint "scroll sideways" shows only on tables wider than their box.
 * - The label cells (th.gov-stub) stay in view while the numbers scroll: each is
 *   pinned (position: sticky) at the place where it starts, measured once the
 *   table is laid out, so tables with several label columns (表三) keep them
 *   side by side. The rightmost label cells get a shadow edge.
 */
(() => {
  const layout = () => {
    for (const box of document.querySelectorAll(".gov-table-scroll")) {
      const wrap = box.parentElement;
      const table = box.querySelector("table.gov-table");
      if (!wrap || !table) continue;
      const wide = box.scrollWidth > box.clientWidth + 1;
      wrap.classList.toggle("gov-scrollable", wide);
      const stubs = table.querySelectorAll("th.gov-stub, thead tr:first-child > th:first-child");
      const saved = box.scrollLeft;
      box.scrollLeft = 0;
      table.classList.remove("gov-pinned");
      for (const th of stubs) th.style.left = "";
      if (wide) {
        const left = table.getBoundingClientRect().left;
        const edges = [];
        for (const th of stubs) {
          const r = th.getBoundingClientRect();
          th.style.left = `${Math.round(r.left - left)}px`;
          edges.push([th, Math.round(r.right - left)]);
        }
        const edge = Math.max(0, ...edges.map(([, right]) => right));
        for (const [th, right] of edges) th.classList.toggle("gov-stub-end", right >= edge - 1);
        table.classList.add("gov-pinned");
      }
      box.scrollLeft = saved;
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", layout);
  else layout();
  let timer = 0;
  window.addEventListener("resize", () => { clearTimeout(timer); timer = setTimeout(layout, 100); });
})();

/* govreport: the index's filter box (issue 21). Without a script the whole list shows. */
(() => {
  const box = document.getElementById("gov-unit-filter");
  const root = document.querySelector("[data-gov-units]");
  if (!box || !root) return;
  const rows = [...root.querySelectorAll(".gov-units__list > li")];
  const count = root.querySelector(".gov-units__count");
  const none = root.querySelector(".gov-units__none");
  const apply = () => {
    const words = box.value.trim().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const name = row.firstElementChild.textContent;  // the unit's name (its first link)
      const ok = words.every((w) => name.includes(w));
      row.hidden = !ok;
      if (ok) shown += 1;
    }
    for (const group of root.querySelectorAll(".gov-units__group")) {
      group.hidden = !group.querySelector(".gov-units__list > li:not([hidden])");
    }
    count.textContent = words.length ? `筛选出 ${shown} 个单位（共 ${rows.length} 个）` : `共 ${rows.length} 个单位`;
    none.hidden = shown > 0;
  };
  box.addEventListener("input", apply);
  if (box.value) apply();
})();

/* govreport: a comparison table sorted by a column (issue 21): click a header; again for the other order. */
(() => {
  for (const table of document.querySelectorAll("table[data-gov-sort]")) {
    const heads = [...table.querySelectorAll("thead th")];
    const body = table.tBodies[0];
    heads.forEach((th, i) => {
      const button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", () => {
        const down = th.getAttribute("aria-sort") === "ascending";
        const num = button.dataset.kind === "num";
        const key = (row) => row.children[i].dataset.v || "";
        const rows = [...body.rows].sort((a, b) => {
          const x = key(a), y = key(b);
          if (num) {
            if (x === "" || y === "") return (x === "") - (y === "");  // blanks last, either way
            return down ? Number(y) - Number(x) : Number(x) - Number(y);
          }
          return down ? y.localeCompare(x) : x.localeCompare(y);
        });
        for (const h of heads) h.removeAttribute("aria-sort");
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        body.append(...rows);
      });
    });
  }
})();

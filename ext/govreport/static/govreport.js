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

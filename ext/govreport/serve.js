/* govreport preview (make serve only): reload when a new build is done; mark
 * links to PDFs that were not rebuilt after the report changed. */
(() => {
  const start = window.GOV_PREVIEW || { build: 0, stale: [] };
  const mark = (names) => {
    for (const a of document.querySelectorAll('a[href$=".pdf"]')) {
      const name = a.getAttribute("href").split("/").pop();
      const stale = names.includes(name);
      a.classList.toggle("gov-pdf-stale", stale);
      if (stale) a.setAttribute("title", "PDF 未随修改重新生成：运行 make pdf");
      else a.removeAttribute("title");
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => mark(start.stale));
  else mark(start.stale);
  setInterval(async () => {
    try {
      const r = await fetch("/__govreport/state", { cache: "no-store" });
      const s = await r.json();
      if (s.build !== start.build && !s.running) location.reload();
      else mark(s.stale_pdfs);
    } catch (e) {
      /* the preview is restarting: try again */
    }
  }, start.poll || 200);
})();

/* govreport preview (make serve only): reload when a new build is done, or as
 * soon as this page's own HTML is written again (a saved report's page shows
 * before the build's last steps); mark links to PDFs that were not rebuilt
 * after the report changed. */
(() => {
  const start = window.GOV_PREVIEW || { build: 0, stale: [] };
  let build = start.build;
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
  const here = encodeURIComponent(location.pathname);
  setInterval(async () => {
    try {
      const r = await fetch(`/__govreport/state?page=${here}`, { cache: "no-store" });
      const s = await r.json();
      const rewritten = start.page && s.page && s.page !== start.page;
      // Served while a build ran, and that build ended without rewriting this page: nothing new to show.
      const same = start.running && s.build === start.build + 1 && s.page === start.page && s.ok === start.ok;
      if (rewritten) location.reload();
      else if (s.build !== build && !s.running && !same) location.reload();
      else {
        if (same) build = s.build;
        mark(s.stale_pdfs);
      }
    } catch (e) {
      /* the preview is restarting: try again */
    }
  }, start.poll || 200);
})();

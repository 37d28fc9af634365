/* govreport: the search page over Pagefind's index (sphinxext/pagefind.py).
 *
 * search.html?q=行政复议&unit=…&year=2021: the query and the filters live in the
 * address, so a search is a link that can be shared. Pagefind loads only the
 * index chunks of the query's words (its extended build splits Chinese the same
 * way when indexing and when searching). Each result: the report's title, its
 * unit and year, and the matching sentence with the words marked.
 */
const root = document.getElementById("gov-search");
const results = document.getElementById("search-results");
const form = root.querySelector("form");
const q = document.getElementById("gov-q");
const unit = document.getElementById("gov-unit");
const year = document.getElementById("gov-year");
const PAGE = 10;
let pagefind = null;
let shown = 0;
let current = [];
let run = 0;
let want = { q: "", unit: "", year: "" };  // the search asked for (the address), whether or not the lists are filled yet

const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

/* Pagefind's excerpt is the page's text with <mark> around the words: keep only those marks. */
const excerpt = (html) => {
  const p = el("p", "gov-search__excerpt");
  const parts = html.split(/(<mark>.*?<\/mark>)/);
  const tmp = document.createElement("textarea");
  for (const part of parts) {
    const m = part.match(/^<mark>(.*)<\/mark>$/);
    tmp.innerHTML = (m ? m[1] : part).replace(/<[^>]*>/g, "");
    if (m) p.append(el("mark", "", tmp.value)); else p.append(tmp.value);
  }
  return p;
};

const load = async () => {
  if (!pagefind) {
    pagefind = await import(new URL(root.dataset.bundle, location.href).href);
    await pagefind.options({ baseUrl: new URL(root.dataset.base || "./", location.href).pathname, excerptLength: 40 });
  }
  return pagefind;
};

const fillFilters = async () => {
  const pf = await load();
  const filters = await pf.filters();
  const add = (select, values, numericDesc) => {
    const keys = Object.keys(values || {});
    keys.sort((a, b) => (numericDesc ? b.localeCompare(a) : a.localeCompare(b, "zh-CN")));
    for (const k of keys) {
      const o = el("option", "", k);
      o.value = k;
      select.append(o);
    }
  };
  add(unit, filters.unit, false);
  add(year, filters.year, true);
};

const renderMore = async () => {
  const mine = run;
  const list = results.querySelector("ul.search");
  const more = results.querySelector(".gov-search__more");
  const batch = current.slice(shown, shown + PAGE);
  shown += batch.length;
  results.setAttribute("aria-busy", "true");  // results still arriving (screen readers wait; so do the tests)
  // Each result as soon as its fragment is here, in order: the first one does not wait for the tenth.
  const pending = batch.map((r) => r.data());
  for (const next of pending) {
    const d = await next;
    if (mine !== run) return;
    const li = el("li");
    const sub = (d.sub_results || []).find((s) => s.excerpt && s.excerpt.includes("<mark>")) || null;
    const a = el("a", "gov-search__title", d.meta.title || d.url);
    a.href = sub ? sub.url : d.url;
    li.append(a);
    li.append(el("p", "gov-search__where", [d.meta.unit, d.meta.year ? `${d.meta.year} 年度` : ""].filter(Boolean).join(" · ")));
    li.append(excerpt(sub ? sub.excerpt : d.excerpt));
    list.append(li);
  }
  if (more) more.hidden = shown >= current.length;
  results.setAttribute("aria-busy", "false");
};

const search = async () => {
  const mine = ++run;
  const term = want.q;
  const filters = {};
  if (want.unit) filters.unit = want.unit;
  if (want.year) filters.year = want.year;
  results.replaceChildren();
  results.setAttribute("aria-busy", "true");
  if (!term) {
    results.setAttribute("aria-busy", "false");
    results.append(el("p", "search-summary", "请输入要搜索的词，例如：行政复议。"));
    return;
  }
  results.append(el("p", "gov-search__busy", "正在搜索……"));
  const pf = await load();
  const found = await pf.search(term, { filters });
  if (mine !== run) return;
  current = found.results;
  shown = 0;
  results.replaceChildren();
  const scope = [want.unit, want.year ? `${want.year} 年度` : ""].filter(Boolean).join("、");
  results.append(el("p", "search-summary", current.length
    ? `“${term}”${scope ? `（${scope}）` : ""}：找到 ${current.length} 份报告。`
    : `“${term}”${scope ? `（${scope}）` : ""}：没有找到。请换一个词，或去掉单位、年度的限制。`));
  if (!current.length) results.setAttribute("aria-busy", "false");
  results.append(el("ul", "search"));
  const more = el("button", "gov-search__more", "显示更多");
  more.type = "button";
  more.hidden = true;
  more.addEventListener("click", renderMore);
  results.append(more);
  await renderMore();
};

const fromAddress = () => {
  const params = new URLSearchParams(location.search);
  want = { q: (params.get("q") || "").trim(), unit: params.get("unit") || "", year: params.get("year") || "" };
  q.value = want.q;
  unit.value = want.unit;
  year.value = want.year;
};

form.addEventListener("submit", (event) => {
  event.preventDefault();
  want = { q: q.value.trim(), unit: unit.value, year: year.value };
  const params = new URLSearchParams();
  if (want.q) params.set("q", want.q);
  if (unit.value) params.set("unit", unit.value);
  if (year.value) params.set("year", year.value);
  history.pushState(null, "", `${location.pathname}?${params}`);
  search();
});
for (const select of [unit, year]) select.addEventListener("change", () => form.requestSubmit());
window.addEventListener("popstate", () => { fromAddress(); search(); });

(async () => {
  fromAddress();
  if (want.q) search();
  await fillFilters();
  unit.value = want.unit;  // the options exist now: show the ones asked for
  year.value = want.year;
})();

/* govreport: the search page (sphinxext/sitesearch.py; the index: web/sitesearch.py).
 *
 * Written inline in search.html's head, before the stylesheet, so that the
 * query's buckets are on their way while the page's CSS is: a phone's network
 * has 150 ms a round trip. The page calls govSearchPage() once its form and
 * the results' place are parsed. search.html?q=行政复议&unit=…&year=2021: the query
 * and the filters live in the address, so a search is a link to share.
 *
 * A query is split as the index was: a lone Han character as itself, a longer
 * run by its pairs (行政复议: 行政, 政复, 复议), Latin words and numbers whole.
 * Each term's pages come from its bucket; a page must have every term. Pages
 * with the query in their title come first, then newest year first. Each page
 * shown is read (its fragment) for its title, unit, year and the sentence that
 * matches; a page where the words do not stand together is dropped there.
 */
(() => {
  "use strict";
  const cfg = document.currentScript.dataset;
  const INDEX = new URL(cfg.index, location.href);
  const SITE = new URL(cfg.site, location.href);
  const VERSION = cfg.version;
  const BUCKETS = Number(cfg.buckets);
  const PAGE = 10;
  // The same ranges as web/sitesearch.py's _HAN.
  const TOKEN = /([\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3347f}]+)|([a-z0-9]+)/gu;
  const norm = (s) => s.normalize("NFKC").toLowerCase();

  /* The words of a query (as typed, normalised) and the index terms they need. */
  const MAX_QUERY = 64;  // characters: a pasted page must not become hundreds of requests
  const parse = (query) => {
    const words = [];
    const terms = [];
    const add = (t) => { if (!terms.includes(t)) terms.push(t); };
    for (const m of norm(Array.from(query).slice(0, MAX_QUERY).join("")).matchAll(TOKEN)) {
      const word = m[1] || m[2];
      if (!words.includes(word)) words.push(word);
      if (m[2] || Array.from(word).length === 1) { add(word); continue; }  // one character, astral ones too
      const chars = Array.from(word);
      for (let i = 0; i + 1 < chars.length; i++) add(chars[i] + chars[i + 1]);
    }
    return { words, terms };
  };

  const fnv1a = (s) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  };

  const files = new Map();
  /* One file of the index, gzip (or already inflated by a server), as JSON; each fetched once. */
  const get = (path) => {
    if (!files.has(path)) {
      files.set(path, fetch(new URL(`${path}?v=${VERSION}`, INDEX)).then(async (resp) => {
        if (!resp.ok) throw new Error(`${path}: HTTP ${resp.status}`);
        const bytes = new Uint8Array(await resp.arrayBuffer());
        if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
          const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
          return JSON.parse(await new Response(stream).text());
        }
        return JSON.parse(new TextDecoder().decode(bytes));
      }));
    }
    return files.get(path);
  };

  const ids = (deltas) => {
    const out = [];
    let prev = -1;
    if (deltas === undefined || deltas === "") return out;
    for (const d of deltas.split(",")) { prev += Number(d) + 1; out.push(prev); }
    return out;
  };
  const intersect = (a, b) => {
    const out = [];
    let i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  };
  const all = async (terms, part) => {
    let got = null;
    for (const t of terms) {
      const bucket = await get(`b/${fnv1a(t) % BUCKETS}.grs`);
      if (bucket.v !== VERSION) throw new Error("stale");
      const list = ids(Object.hasOwn(bucket[part], t) ? bucket[part][t] : undefined);  // not "constructor" of Object
      got = got === null ? list : intersect(got, list);
      if (!got.length) break;
    }
    return got || [];
  };
  const filtered = async (list, unit, year) => {
    if (!unit && !year) return list;
    const f = await get("filters.grs");
    if (f.v !== VERSION) throw new Error("stale");
    for (const [key, pick] of [[unit, f.units], [year, f.years]]) {
      if (!key) continue;
      const hit = pick.find(([name]) => String(name) === key);
      list = hit ? intersect(list, ids(hit[1])) : [];
    }
    return list;
  };

  /* Pages with every term; those with them all in the title first. */
  const search = async (query, unit, year) => {
    const { words, terms } = parse(query);
    if (!terms.length) return { words, pages: [] };
    for (const t of terms) get(`b/${fnv1a(t) % BUCKETS}.grs`);  // all buckets at once, not one after another
    const [body, title] = await Promise.all([all(terms, "b"), all(terms, "t")]);
    // Each list filtered while it is still in order (the merge needs it), then joined.
    const [inTitle, inBody] = await Promise.all([filtered(title, unit, year), filtered(body, unit, year)]);
    const first = new Set(inTitle);
    const pages = [...inTitle, ...inBody.filter((i) => !first.has(i))];
    for (const i of pages.slice(0, 2)) get(`f/${i}.grs`);  // the first results' (the rest when shown: the stylesheet needs the network too)
    return { words, pages };
  };

  /* The sentence of a page that holds the most of the words (null: the words are not all in it). */
  const best = (page, words) => {
    const text = norm([page.t, ...page.s.flatMap(([, h, ss]) => [h, ...ss])].join("\n"));
    if (!words.every((w) => text.includes(w))) return null;
    let top = null;
    for (const [anchor, heading, sentences] of page.s) {
      for (const s of [heading, ...sentences]) {
        const n = norm(s);
        // A sentence says more than a heading with as many of the words: the heading only breaks no tie.
        const score = words.filter((w) => n.includes(w)).length - (s === heading ? 0.5 : 0);
        if (score > 0 && (!top || score > top.score)) top = { anchor, sentence: s, score };
      }
    }
    return top || { anchor: "", sentence: page.t, score: 0 };
  };

  /* The sentence as text nodes, each occurrence of a word in <mark> (found in the normalised text, mapped back). */
  const WINDOW = 120;  // characters of a long sentence shown, around the first word found
  const marked = (sentence, words) => {
    let chars = Array.from(sentence);
    let flat = "";
    const owner = [];  // per code unit of the normalised text: the character of the sentence it came from
    chars.forEach((c, i) => { const n = norm(c); flat += n; for (let k = 0; k < n.length; k++) owner.push(i); });
    const hit = new Array(chars.length).fill(false);
    for (const w of words) {
      for (let at = flat.indexOf(w); at >= 0; at = flat.indexOf(w, at + 1)) {
        for (let k = at; k < at + w.length; k++) hit[owner[k]] = true;
      }
    }
    let before = "", after = "";
    if (chars.length > WINDOW) {
      const start = Math.max(0, Math.min(hit.indexOf(true) - WINDOW / 3, chars.length - WINDOW));
      before = start > 0 ? "…" : "";
      after = start + WINDOW < chars.length ? "…" : "";
      chars = chars.slice(start, start + WINDOW);
      hit.splice(0, start);
      hit.length = chars.length;
    }
    const p = document.createElement("p");
    p.className = "gov-search__excerpt";
    if (before) p.append(before);
    let run = "", on = false;
    const flush = () => {
      if (!run) return;
      if (on) { const m = document.createElement("mark"); m.textContent = run; p.append(m); } else p.append(run);
      run = "";
    };
    chars.forEach((c, i) => { if (hit[i] !== on) { flush(); on = hit[i]; } run += c; });
    flush();
    if (after) p.append(after);
    return p;
  };

  const params = new URLSearchParams(location.search);
  const first = { q: (params.get("q") || "").trim(), unit: params.get("unit") || "", year: params.get("year") || "" };
  // Started now, while the stylesheet loads: the page's own request for the address's query.
  const early = first.q ? search(first.q, first.unit, first.year) : null;
  if (first.unit) get("filters.grs");
  if (!("DecompressionStream" in window)) document.documentElement.dataset.govNoSearch = "1";

  const ui = () => {
    const results = document.getElementById("search-results");
    const form = document.querySelector("#gov-search form");
    const q = document.getElementById("gov-q");
    const unit = document.getElementById("gov-unit");
    const year = document.getElementById("gov-year");
    const el = (tag, cls, text) => {
      const e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    };
    let run = 0;
    let found = { words: [], pages: [] };
    let shown = 0;
    let count = 0;
    let asked = { ...first };

    const summary = () => {
      const scope = [asked.unit, asked.year ? `${asked.year} 年度` : ""].filter(Boolean).join("、");
      const what = `“${asked.q}”${scope ? `（${scope}）` : ""}`;
      return count ? `${what}：找到 ${count} 份报告。` : `${what}：没有找到。请换一个词，或去掉单位、年度的限制。`;
    };

    const failed = (err) => err.message === "stale"
      ? "网站刚刚更新，本页还是更新前的。请刷新页面后再搜索。"
      : `搜索索引读取失败（${err.message}）。请稍后刷新页面再试。`;

    const more = async () => {
      const mine = run;
      const list = results.querySelector("ul.search");
      const button = results.querySelector(".gov-search__more");
      if (button) button.disabled = true;  // one batch at a time: a second press waits for this one
      results.setAttribute("aria-busy", "true");  // results still arriving (screen readers wait; so do the tests)
      try {
        await batch(mine, list);
      } catch (err) {
        if (mine !== run) return;
        results.append(el("p", "search-summary", failed(err)));
      }
      if (mine !== run) return;
      if (button) {
        button.disabled = false;
        button.hidden = shown >= found.pages.length;
      }
      results.setAttribute("aria-busy", "false");
    };

    const batch = async (mine, list) => {
      let added = 0;
      while (added < PAGE && shown < found.pages.length) {
        const batch = found.pages.slice(shown, shown + PAGE - added);
        shown += batch.length;
        const pending = batch.map((i) => get(`f/${i}.grs`));
        for (const next of pending) {  // each as soon as it is here, in order
          const page = await next;
          if (mine !== run) return;
          const hit = best(page, found.words);
          if (!hit) {  // the terms are there, the words not together: not a match
            count -= 1;
            results.querySelector(".search-summary").textContent = summary();
            continue;
          }
          const li = el("li");
          const a = el("a", "gov-search__title", page.t);
          a.href = new URL(page.u + (hit.anchor ? `#${hit.anchor}` : ""), SITE).href;
          li.append(a, el("p", "gov-search__where", `${page.n} · ${page.y} 年度`), marked(hit.sentence, found.words));
          list.append(li);
          added += 1;
        }
      }
    };

    const show = async (pending) => {
      const mine = ++run;
      results.replaceChildren();
      if (!asked.q) {
        results.append(el("p", "search-summary", "请输入要搜索的词，例如：行政复议。"));
        return;
      }
      if (document.documentElement.dataset.govNoSearch) {
        results.append(el("p", "search-summary", "这个浏览器不能使用站内搜索（缺少 DecompressionStream）。请换用较新的浏览器，或从首页按单位和年度查看报告。"));
        return;
      }
      results.setAttribute("aria-busy", "true");
      results.append(el("p", "gov-search__busy", "正在搜索……"));
      try {
        found = await (pending || search(asked.q, asked.unit, asked.year));
      } catch (err) {
        if (mine !== run) return;
        results.replaceChildren(el("p", "search-summary", failed(err)));
        results.setAttribute("aria-busy", "false");
        return;
      }
      if (mine !== run) return;
      shown = 0;
      count = found.pages.length;
      results.replaceChildren(el("p", "search-summary", summary()), el("ul", "search"));
      const button = el("button", "gov-search__more", "显示更多");
      button.type = "button";
      button.hidden = true;
      button.addEventListener("click", more);
      results.append(button);
      await more();
    };

    const fillUnits = async () => {
      const f = await get("filters.grs");
      if (f.v !== VERSION) return;
      for (const [name] of f.units) {
        const o = el("option", "", name);
        o.value = name;
        unit.append(o);
      }
      unit.value = asked.unit;
    };

    q.value = first.q;
    year.value = first.year;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      // The unit asked for in the address stays until the list of units is there to show it.
      asked = { q: q.value.trim(), unit: unit.options.length > 1 ? unit.value : asked.unit, year: year.value };
      const p = new URLSearchParams();
      for (const k of ["q", "unit", "year"]) if (asked[k]) p.set(k, asked[k]);
      history.pushState(null, "", `${location.pathname}?${p}`);
      show(null);
    });
    for (const select of [unit, year]) select.addEventListener("change", () => form.requestSubmit());
    window.addEventListener("popstate", () => {
      const p = new URLSearchParams(location.search);
      asked = { q: (p.get("q") || "").trim(), unit: p.get("unit") || "", year: p.get("year") || "" };
      q.value = asked.q;
      unit.value = asked.unit;
      year.value = asked.year;
      show(null);
    });
    // The results first; the list of units (a file of its own) after them.
    show(early).then(fillUnits, fillUnits);
  };

  // Called by the page right after the results' place (gov-search.html): not at DOMContentLoaded,
  // which waits for the theme's deferred script too.
  window.govSearchPage = ui;
  // The query's splitting and hashing, for the test that holds them to the indexer's (tests/test_browser.py).
  window.govSearchTerms = (query) => { const { terms } = parse(query); return terms.map((t) => [t, fnv1a(t)]); };
})();

/* govreport: split a Chinese search query into the words of the index.
 *
 * Sphinx looks a query up word by word, and never splits Chinese: 政府信息公开申请
 * would be one word. The index was split by jieba with the form's dictionary;
 * here the query is split into the longest words that the index holds (so the
 * words the browser asks for are words the build wrote), Latin words and
 * numbers as Sphinx does. Characters that make no indexed word are dropped:
 * the index keeps no single characters either.
 */
var splitQuery = (query) => {
  const index = (typeof Search !== "undefined" && Search._index) || null;
  const known = (w) => !!index && (w in index.terms || w in index.titleterms);
  const out = [];
  const MAX = 16;
  for (const chunk of query.split(/[\s\p{P}\p{S}]+/u)) {
    if (!chunk) continue;
    if (!/\p{Script=Han}/u.test(chunk)) {
      out.push(chunk);
      continue;
    }
    for (const part of chunk.split(/(\p{Script=Han}+)/u)) {
      if (!part) continue;
      if (!/\p{Script=Han}/u.test(part)) { out.push(part); continue; }
      if (known(part) || !index) { out.push(part); continue; }
      let i = 0;
      while (i < part.length) {
        let found = "";
        for (let n = Math.min(MAX, part.length - i); n >= 2; n--) {
          const w = part.slice(i, i + n);
          if (known(w)) { found = w; break; }
        }
        if (found) { out.push(found); i += found.length; } else { i += 1; }
      }
    }
  }
  return out.filter((w) => w !== "");
};

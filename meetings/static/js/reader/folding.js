// Accent-insensitive matching, as the server's search folds text (meetings/search/folding.py):
// lower case, tone and vowel marks removed, đ as d, anything but letters and digits a space.
// So "ngan sach" finds "ngân sách", and "NGÂN SÁCH" finds it too.

const STROKED = { "đ": "d", "Đ": "d", "Ð": "d", "ð": "d" };
const MARK = /\p{M}/u;
const ALNUM = /[\p{L}\p{N}]/u;
const cache = new Map();

function foldChar(char) {
  let folded = cache.get(char);
  if (folded !== undefined) return folded;
  if (STROKED[char]) {
    folded = STROKED[char];
  } else {
    const base = char.normalize("NFD")[0];
    if (MARK.test(base)) folded = " ";
    else {
      const lower = base.toLowerCase();
      folded = ALNUM.test(lower) ? (lower.length === 1 ? lower : base) : " ";
    }
  }
  cache.set(char, folded);
  return folded;
}

/** Fold text: one character (code point) of NFC text for one of the result. */
export function fold(text) {
  let out = "";
  for (const char of text.normalize("NFC")) out += foldChar(char);
  return out;
}

/** The folded words of text, in order. */
export function terms(text) {
  return fold(text).split(" ").filter(Boolean);
}

/**
 * Where the query's words occur on a page, as lists of word indexes (one list per hit).
 * words: the page's words [{text}]; a PDF word may hold several folded words ("Kinh-tế").
 * The query's words must follow each other, the last one may be the start of a word ("ngân sá").
 * With loose, when the phrase is nowhere on the page, every word matching one of the terms is a hit
 * of its own: the server's search may have found the page by words far apart.
 */
export function findHits(words, queryTerms, { loose = false } = {}) {
  if (!queryTerms.length) return [];
  const stream = []; // [{term, word}]
  words.forEach((w, index) => {
    for (const t of terms(w.text)) stream.push({ term: t, word: index });
  });
  const last = queryTerms.length - 1;
  const hits = [];
  for (let i = 0; i + last < stream.length; i++) {
    let ok = true;
    for (let k = 0; k <= last && ok; k++) {
      const got = stream[i + k].term;
      ok = k === last ? got.startsWith(queryTerms[k]) : got === queryTerms[k];
    }
    if (ok) {
      hits.push([...new Set(stream.slice(i, i + last + 1).map((s) => s.word))]);
      i += last;
    }
  }
  if (hits.length || !loose || queryTerms.length === 1) return hits;
  return stream.filter((s) => queryTerms.includes(s.term)).map((s) => [s.word]);
}

/**
 * A snippet around a hit: some words before and after, and the hit's [start, end] in the snippet,
 * the shape of the server's search answer.
 */
export function snippetFor(words, hit, around = 8) {
  const from = Math.max(0, hit[0] - around);
  const to = Math.min(words.length, hit[hit.length - 1] + around + 1);
  let text = from > 0 ? "… " : "";
  let start = 0;
  let end = 0;
  for (let i = from; i < to; i++) {
    if (i === hit[0]) start = text.length;
    text += words[i].text;
    if (i === hit[hit.length - 1]) end = text.length;
    text += " ";
  }
  text = text.trimEnd() + (to < words.length ? " …" : "");
  return { snippet: text, highlights: [[start, end]] };
}

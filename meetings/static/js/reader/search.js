// Searching the open document: the server's search (searchMeeting) by page, or, when it has
// nothing or is not there, the document's own text layers here, accent-insensitively (folding.js);
// the hits listed in the side panel and boxed over the words of the page shown.

import { api, ApiFailure } from "../api.js";
import { fill } from "../shared.js";
import { findHits, snippetFor, terms as foldTerms } from "./folding.js";
import { snippetNodes } from "./panel.js";
import { renderHits } from "./textlayer.js";

const LOCAL_SEARCH_MAX_PAGES = 80;

const $ = (id) => document.getElementById(id);

export class DocumentSearch {
  /** reader: the Reader (its document, page, text layers, panel and stage). */
  constructor(reader) {
    this.reader = reader;
    this.state = { query: "", terms: [], results: [], index: -1 };
    this.focusHit = false; // scroll to the current hit once the page's text arrives
  }

  /** Forget the search (keepQuery: but not what was typed, for the next document). */
  clear({ keepQuery = false } = {}) {
    this.state = { query: keepQuery ? this.state.query : "", terms: [], results: [], index: -1 };
    $("search-results").replaceChildren();
    $("search-status").textContent = "";
    this.reader.hitLayer.replaceChildren();
    if (!keepQuery) $("search-input").value = "";
  }

  /** Search the document for what was typed (the same again: go to the next page with hits). */
  async run(raw) {
    const query = raw.trim();
    const status = $("search-status");
    const queryTerms = foldTerms(query);
    if (!queryTerms.length) {
      this.clear();
      status.textContent = this.reader.strings.searchTooShort;
      return;
    }
    if (query === this.state.query && this.state.results.length && this.state.doc === this.reader.doc.id) {
      this.goTo((this.state.index + 1) % this.state.results.length); // Enter again: the next page
      return;
    }
    const doc = this.reader.doc;
    this.state = { query, terms: queryTerms, results: [], index: -1, doc: doc.id };
    status.textContent = this.reader.strings.searching;
    $("search-results").replaceChildren();
    let results;
    try {
      results = await this.onServer(query);
      if (results === null || (!results.length && this.reader.pageCount() <= LOCAL_SEARCH_MAX_PAGES)) {
        results = await this.onPages(queryTerms);
      }
    } catch (failure) {
      if (doc !== this.reader.doc || this.state.query !== query) return;
      status.textContent = failure instanceof ApiFailure && failure.status === 0 ? failure.message : this.reader.strings.searchFailed;
      return;
    }
    if (doc !== this.reader.doc || this.state.query !== query) return;
    this.state.results = results;
    this.showResults();
    if (results.length) {
      const ahead = results.findIndex((r) => r.page >= this.reader.page);
      this.goTo(ahead >= 0 ? ahead : 0);
    } else {
      this.reader.hitLayer.replaceChildren();
    }
  }

  /** The server's search (searchMeeting) for this document, by page; null when it is not available. */
  async onServer(query) {
    const url = `${this.reader.apiRoot}/meetings/${this.reader.meeting.id}/search?${new URLSearchParams({ q: query, document: this.reader.doc.id })}`;
    let answer;
    try {
      answer = await api("GET", url, undefined, this.reader.apiOptions());
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.status === 0) throw failure;
      return null; // not there (404) or refusing: the text layers can be searched here instead
    }
    // a hit in the document's title is no place on a page: only hits in the text count here
    const items = (answer && Array.isArray(answer.items) ? answer.items : [])
      .filter((item) => item.document_id === this.reader.doc.id && item.match !== "title")
      .filter((item) => item.page >= 1 && item.page <= this.reader.pageCount());
    const current = items.filter((item) => !item.version || !this.reader.doc.version || item.version === this.reader.doc.version);
    const byPage = new Map();
    for (const item of current.length ? current : items) {
      if (byPage.has(item.page)) continue;
      const before = item.more_before ? "… " : "";
      const highlights = (item.highlights || []).map(([a, b]) => [a + before.length, b + before.length]);
      const snippet = before + (item.snippet || "") + (item.more_after ? " …" : "");
      byPage.set(item.page, { page: item.page, snippet, highlights, count: null });
    }
    return [...byPage.values()].sort((a, b) => a.page - b.page);
  }

  /** Search the document's text layers here, accent-insensitively. */
  async onPages(queryTerms) {
    const count = this.reader.pageCount();
    const results = [];
    let next = 1;
    const worker = async () => {
      while (next <= count) {
        const page = next++;
        const text = await this.reader.text(page);
        const hits = findHits(text.words, queryTerms);
        if (hits.length) results.push({ page, ...snippetFor(text.words, hits[0]), count: hits.length });
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return results.sort((a, b) => a.page - b.page);
  }

  /** List the results in the side panel. */
  showResults() {
    const { results, query } = this.state;
    const status = $("search-status");
    if (!results.length) {
      status.textContent = fill(this.reader.strings.noHits, { query });
    } else {
      const template = results.length === 1 ? this.reader.strings.hitsOne : this.reader.strings.hitsOther;
      status.textContent = fill(template, { n: results.length, query });
    }
    $("search-results").replaceChildren(...results.map((result, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "search-result";
      button.dataset.page = String(result.page);
      const head = document.createElement("span");
      head.className = "result-page";
      head.textContent = fill(this.reader.strings.page, { page: result.page });
      if (result.count > 1) {
        const more = document.createElement("span");
        more.className = "result-count";
        more.textContent = fill(this.reader.strings.matchesOther, { n: result.count });
        head.append(" · ", more);
      }
      const snippet = document.createElement("span");
      snippet.className = "result-snippet";
      snippet.append(...snippetNodes(result.snippet, result.highlights));
      button.append(head, snippet);
      button.addEventListener("click", () => {
        this.reader.panel.picked();
        this.goTo(index);
      });
      const li = document.createElement("li");
      li.append(button);
      return li;
    }));
    this.mark();
  }

  /** Turn to the page of result index and box its hits. */
  goTo(index) {
    const result = this.state.results[index];
    if (!result) return;
    this.state.index = index;
    this.focusHit = true;
    if (result.page === this.reader.page) {
      this.mark();
      this.reader.text(this.reader.page).then((text) => this.paint(text)).catch(() => {});
    } else {
      this.reader.go(result.page);
    }
  }

  /** Mark the result of the page shown in the list. */
  mark() {
    for (const button of document.querySelectorAll("#search-results .search-result")) {
      if (Number(button.dataset.page) === this.reader.page) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    }
  }

  /** Boxes over the search's words on the page shown; scroll to the first when we came for it. */
  paint(text) {
    if (!this.state.terms.length || text.page !== this.reader.page) {
      this.reader.hitLayer.replaceChildren();
      return;
    }
    const hits = findHits(text.words, this.state.terms, { loose: true });
    const first = renderHits(this.reader.hitLayer, text.words, hits, 0);
    this.reader.sheet.dataset.hits = String(hits.length);
    if (first && this.focusHit) {
      this.focusHit = false;
      requestAnimationFrame(() => {
        const box = first.getBoundingClientRect();
        const view = this.reader.stage.getBoundingClientRect();
        if (box.top < view.top + 40 || box.bottom > view.bottom - 40) {
          this.reader.stage.scrollBy({ top: box.top - view.top - view.height / 3, behavior: "smooth" });
        }
      });
    }
  }
}

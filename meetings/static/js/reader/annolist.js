// The annotations tab of the side panel: the document's annotations in reading order (those a new
// version could not place apart), filtered to all, mine or my group's; a tap goes to one.

import { fill, h } from "../shared.js";
import { bounds } from "./annolayer.js";

const $ = (id) => document.getElementById(id);

function where(a) {
  const [x0, y0] = bounds(a);
  return [a.page, Math.round(y0), x0];
}

function readingOrder(a, b) {
  const [pa, ya, xa] = where(a);
  const [pb, yb, xb] = where(b);
  return pa - pb || ya - yb || xa - xb;
}

export class AnnotationList {
  /** annotator: the hub (strings, me, shown, card, reader, visibilityLabel). */
  constructor(annotator) {
    this.a = annotator;
    this.strings = annotator.strings;
    this.filter = "all";
    const filters = $("annotation-filters");
    for (const button of filters.querySelectorAll("[data-scope]")) {
      button.addEventListener("click", () => {
        this.filter = button.dataset.scope;
        for (const other of filters.querySelectorAll("[data-scope]")) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        }
        this.render();
      });
    }
  }

  /** Redraw the list from the annotator's current view. */
  render() {
    const me = this.a.me;
    const visible = this.a.shown.filter((a) => this.filter === "all"
      || (this.filter === "mine" && a.author_id === me)
      || (this.filter === "group" && a.visibility === "group"));
    const placed = visible.filter((a) => !a.orphaned).sort(readingOrder);
    const lost = visible.filter((a) => a.orphaned).sort(readingOrder);
    // the list is redrawn as events come: whoever was on an entry stays on it
    const focused = document.activeElement && document.activeElement.closest(".annotation-entry");
    const focusedKey = focused ? focused.dataset.key : null;
    $("annotation-list").replaceChildren(...placed.map((a) => this.entry(a)));
    $("orphan-list").replaceChildren(...lost.map((a) => this.entry(a)));
    if (focusedKey) {
      const again = [...document.querySelectorAll(".annotation-entry")].find((e) => e.dataset.key === focusedKey);
      again?.focus({ preventScroll: true });
    }
    $("orphan-section").hidden = !lost.length;
    $("annotations-empty").hidden = placed.length + lost.length > 0;
    this.markSelection();
  }

  entry(a) {
    const strings = this.strings;
    const text = a.quote && a.quote.exact ? a.quote.exact : a.note;
    const swatch = h("span", { class: "entry-swatch", "aria-hidden": "true" });
    swatch.style.background = /^#[0-9a-f]{6}/i.test(a.color || "") ? a.color.slice(0, 7) : "#ffd400";
    const button = h("button", {
      type: "button", class: "annotation-entry",
      dataset: { key: a.key, id: a.id ?? "", page: a.page, kind: a.kind, pending: a.pending ? "true" : "false" },
      onclick: () => this.goTo(a),
    },
    h("span", { class: "entry-head" }, swatch,
      h("span", { class: "entry-kind" }, strings.kinds[a.kind] || a.kind),
      h("span", { class: "entry-page" }, fill(strings.pageShort, { page: a.page })),
      a.pending ? h("span", { class: "entry-pending" }, strings.pending) : null),
    text ? h("span", { class: a.quote && a.quote.exact ? "entry-text quote" : "entry-text" }, text) : null,
    a.quote && a.quote.exact && a.note ? h("span", { class: "entry-text" }, a.note) : null,
    h("span", { class: "entry-meta" }, `${a.author_id === this.a.me ? strings.you : a.author_name || "…"} · ${this.a.visibilityLabel(a)}`));
    return h("li", {}, button);
  }

  goTo(annotation) {
    const reader = this.a.reader;
    reader.panel.picked();
    if (!annotation.orphaned && annotation.page !== reader.page) reader.go(annotation.page);
    this.a.card.open(annotation);
    $("card-close").focus({ preventScroll: true }); // keyboard and screen-reader users land in the card
  }

  /** Mark the entry of the annotation open in the card. */
  markSelection() {
    const selected = this.a.card ? this.a.card.selected : null;
    for (const entry of document.querySelectorAll(".annotation-entry")) {
      const current = selected && (Number(entry.dataset.id) === selected.id || entry.dataset.key === `c${selected.cid}`);
      if (current) entry.setAttribute("aria-current", "true");
      else entry.removeAttribute("aria-current");
    }
  }
}

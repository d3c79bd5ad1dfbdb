// The card over the page: one annotation (its text, author, audience; the reader's own can be
// edited or deleted), or a new sticky note being written. Text written by people is only ever set
// with textContent.

import { fill, h } from "../shared.js";
import { bounds, NOTE_SIZE, svgEl } from "./annolayer.js";

export const COLORS = ["#ffd400", "#4cc76b", "#3d8bfd", "#ff6fae", "#e5322d"];

const $ = (id) => document.getElementById(id);

/** The reference of an annotation, stable across its ack: {id} once stored, {cid} while queued. */
export const refOf = (a) => ({ id: a.id || undefined, cid: a.client_id || undefined });
/** Whether two references name the same annotation. */
export const sameRef = (a, b) => Boolean(a && b && ((a.id && a.id === b.id) || (a.cid && a.cid === b.cid)));

/** Colour swatches as toggle buttons; onPick(color, button) when one is tapped. */
export function swatches(strings, pressed, onPick) {
  return COLORS.map((color, i) => {
    const button = h("button", {
      type: "button", class: "swatch", dataset: { color }, "aria-pressed": color === pressed ? "true" : "false",
      title: strings.colors[i], "aria-label": strings.colors[i], onclick: () => onPick(color, button),
    }, h("span", { class: "swatch-dot", "aria-hidden": "true" }));
    button.firstChild.style.background = color;
    return button;
  });
}

export class AnnotationCard {
  /** annotator: the hub (strings, me, readOnly, visibility helpers, create/update/remove). */
  constructor(annotator) {
    this.a = annotator;
    this.strings = annotator.strings;
    this.el = $("annotation-card");
    this.selected = null; // ref {id, cid} of the annotation shown
    this.base = null; // the revision an edit made in the card is made against
    this.newNoteAt = null;
    this.wire();
  }

  get hidden() {
    return this.el.hidden;
  }

  /** True while the card holds a new note rather than an annotation. */
  get isNewNote() {
    return this.el.classList.contains("new-note");
  }

  wire() {
    $("card-close").addEventListener("click", () => this.close());
    $("card-cancel").addEventListener("click", () => this.close());
    $("card-delete").addEventListener("click", () => {
      const annotation = this.a.find(this.selected);
      if (annotation && annotation.author_id === this.a.me) this.a.remove(annotation);
    });
    const colors = $("card-colors");
    colors.replaceChildren(...swatches(this.strings, null, (_, button) => {
      for (const other of colors.querySelectorAll(".swatch")) other.setAttribute("aria-pressed", other === button ? "true" : "false");
    }));
    this.a.fillVisibility($("card-visibility"));
    $("card-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    $("card-note").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.save();
      } else if (event.key === "Escape") {
        event.preventDefault();
        this.close();
      }
    });
  }

  color() {
    const pressed = $("card-colors").querySelector('[aria-pressed="true"]');
    return pressed ? pressed.dataset.color : this.a.color;
  }

  setColor(color) {
    const base = (color || "").slice(0, 7).toLowerCase();
    for (const button of $("card-colors").querySelectorAll(".swatch")) {
      button.setAttribute("aria-pressed", button.dataset.color === base ? "true" : "false");
    }
  }

  /** Place the card on the side of the page away from what it is about. */
  place(page, box) {
    const [width] = this.a.pageSize(page);
    const center = (box[0] + box[2]) / 2;
    this.el.classList.toggle("left", center > width / 2);
  }

  /** Show annotation in the card. */
  open(annotation) {
    this.a.drawing.commitInk();
    this.selected = refOf(annotation);
    this.el.classList.remove("new-note");
    this.el.hidden = false;
    this.place(annotation.page, bounds(annotation));
    this.base = annotation.id && annotation.revision ? annotation.revision : null; // what the edit is made on
    this.refresh(annotation, { fresh: true });
    this.a.renderPage();
    this.a.list.markSelection();
  }

  /** Show annotation's latest state (it changed while the card was open); fresh: fill the form too. */
  refresh(annotation, { fresh = false } = {}) {
    const strings = this.strings;
    const own = annotation.author_id === this.a.me && !this.a.readOnly;
    $("card-title").textContent = strings.kinds[annotation.kind] || annotation.kind;
    $("card-page").textContent = fill(strings.pageShort, { page: annotation.page });
    $("card-author").textContent = own ? strings.you : annotation.author_name || "…";
    $("card-visibility-label").textContent = this.a.visibilityLabel(annotation);
    $("card-pending").hidden = !annotation.pending;
    $("card-orphaned").hidden = !annotation.orphaned;
    const quote = $("card-quote");
    quote.textContent = annotation.quote && annotation.quote.exact ? annotation.quote.exact : "";
    quote.hidden = !quote.textContent;
    const note = $("card-note-text");
    note.textContent = annotation.note || "";
    note.hidden = own || !annotation.note;
    $("card-form").hidden = !own;
    $("card-delete").hidden = !own;
    $("card-save").textContent = strings.save;
    if (own && fresh) {
      $("card-note").value = annotation.note || "";
      this.setColor(annotation.color);
      $("card-visibility").value = this.a.visibilityChoice(annotation);
    }
  }

  /** After a redraw: show the selected annotation as it now is, or close if it is gone. */
  follow() {
    if (!this.selected || this.el.hidden || this.isNewNote) return;
    const annotation = this.a.find(this.selected);
    if (annotation) this.refresh(annotation);
    else this.close();
  }

  close() {
    const wasNote = this.isNewNote;
    this.el.hidden = true;
    this.el.classList.remove("new-note");
    this.selected = null;
    if (wasNote) this.a.drawing.drafts().replaceChildren();
    this.a.renderPage();
    this.a.list.markSelection();
  }

  /** A tap with the note tool: a note icon where it goes, and the card to write it. */
  newNote(page, point) {
    const strings = this.strings;
    const [width, height] = this.a.pageSize(page);
    const x = Math.min(width - NOTE_SIZE, Math.max(0, point[0] - NOTE_SIZE / 2));
    const y = Math.min(height - NOTE_SIZE, Math.max(0, point[1] - NOTE_SIZE / 2));
    this.selected = null;
    this.newNoteAt = { page, point: [Math.round(x * 100) / 100, Math.round(y * 100) / 100] };
    const marker = svgEl("rect", { class: "draft-note", x, y, width: NOTE_SIZE, height: NOTE_SIZE, rx: 2, fill: this.a.color });
    this.a.drawing.drafts().replaceChildren(marker);
    this.el.classList.add("new-note");
    this.el.hidden = false;
    this.place(page, [x, y, x + NOTE_SIZE, y + NOTE_SIZE]);
    $("card-title").textContent = strings.kinds.note;
    $("card-page").textContent = fill(strings.pageShort, { page });
    $("card-author").textContent = strings.you;
    $("card-visibility-label").textContent = "";
    for (const id of ["card-pending", "card-orphaned", "card-quote", "card-note-text", "card-delete"]) $(id).hidden = true;
    $("card-form").hidden = false;
    $("card-save").textContent = strings.addNote;
    $("card-note").value = "";
    this.setColor(this.a.color);
    $("card-visibility").value = this.a.visibility;
    $("card-note").focus({ preventScroll: true });
  }

  save() {
    const note = $("card-note").value;
    const color = this.color();
    const choice = $("card-visibility").value;
    if (this.isNewNote) {
      const { page, point } = this.newNoteAt;
      this.el.classList.remove("new-note");
      this.a.drawing.drafts().replaceChildren();
      const { cid } = this.a.create({ kind: "note", page, geometry: { point }, note, color, ...this.a.visibilityFields(choice) });
      this.el.hidden = true;
      this.selected = null;
      this.a.render();
      return cid;
    }
    const annotation = this.a.find(this.selected);
    if (!annotation || annotation.author_id !== this.a.me) return null;
    const changes = {};
    const before = {};
    if (note !== (annotation.note || "")) {
      changes.note = note;
      before.note = annotation.note || "";
    }
    if (color.toLowerCase() !== (annotation.color || "").toLowerCase()) {
      changes.color = color;
      before.color = annotation.color;
    }
    const was = this.a.visibilityChoice(annotation);
    if (choice !== was) {
      Object.assign(changes, this.a.visibilityFields(choice));
      Object.assign(before, this.a.visibilityFields(was));
    }
    const base = this.base;
    this.close();
    if (Object.keys(changes).length) this.a.update(refOf(annotation), changes, before, { base });
    return null;
  }
}

// Annotating in the reader: the hub that ties the parts together. The tools draw (drawing.js), the
// toolbar picks them (toolbar.js), the card shows one annotation (annocard.js), the side panel lists
// them (annolist.js), and the sync (annosync.js) keeps them current with the server through the
// page's live connection and the outbox. What the reader sees is one view of those, redrawn here;
// the hub also keeps undo, and who may see what.
//
// Every change goes through the outbox: it shows at once, marked pending, and stays queued, across
// reloads, until the server acknowledges it. Text written by people is only ever set with textContent.

import { pageLive } from "../live/page.js";
import { fill, h } from "../shared.js";
import { AnnotationCard, COLORS, refOf, sameRef } from "./annocard.js";
import { lineRects, quoteOf, renderLayer } from "./annolayer.js";
import { AnnotationList } from "./annolist.js";
import { AnnotationSync } from "./annosync.js";
import { Drawing, TEXT_KINDS } from "./drawing.js";
import { Toolbar } from "./toolbar.js";

export { COLORS };

const TOAST_MS = 7000;

const $ = (id) => document.getElementById(id);

export class Annotator {
  /** reader: the Reader (its page, document, text layers, panel); config: the page's JSON blocks. */
  constructor(reader, { strings, viewer, meeting }) {
    this.reader = reader;
    this.strings = strings;
    this.me = viewer.id;
    this.viewer = viewer;
    this.meeting = meeting;
    this.readOnly = meeting.status === "closed";
    this.groups = (meeting.groups || []).filter((g) => viewer.group_ids.includes(g.id));
    this.undoStack = [];
    this.tool = "read";
    this.color = COLORS[0];
    this.visibility = "private";
    this.words = null; // {page, words} of the page shown
    this.shown = []; // the current view (annotations of the document, pending ones included)
    this.online = false;
    this.layer = $("annotation-layer");

    const live = pageLive(meeting.id);
    this.sync = new AnnotationSync(this, live);
    this.drawing = new Drawing(this);
    this.list = new AnnotationList(this);
    this.card = new AnnotationCard(this);
    this.toolbar = new Toolbar(this);
    live.onStatus((online) => this.setOnline(online));
    $("version-reload").addEventListener("click", () => location.reload());
    $("toast-close").addEventListener("click", () => this.hideToast());
  }

  // ---- documents and pages -------------------------------------------------------------------

  /** The reader opened doc: load its annotations. */
  showDocument(doc) {
    this.drawing.commitInk(); // a drawing in progress is kept, on the document it was drawn on
    this.drawing.cancelDraft();
    this.card.close();
    this.undoStack = [];
    this.updateUndo();
    this.sync.showDocument(doc.id);
    this.render();
  }

  /** The reader turned to page: draw its annotations, fetch its words for the text tools. */
  showPage(page) {
    this.drawing.commitInk();
    this.drawing.cancelDraft();
    if (this.find(this.card.selected)?.page !== page) this.card.close();
    this.words = null;
    this.renderPage();
    const doc = this.reader.doc;
    this.reader.text(page).then((text) => {
      if (this.reader.doc === doc && this.reader.page === page) this.words = { page, words: text.words };
    }).catch(() => {});
  }

  /** A page's size in PDF points (A4 until the document says). */
  pageSize(page = this.reader.page) {
    const sizes = (this.reader.doc && this.reader.doc.page_sizes) || [];
    return sizes[page - 1] || [595, 842];
  }

  /** A new version of a document came out: offer to reload if it is the one shown. */
  documentPublished(data) {
    const doc = this.reader.doc;
    if (doc && data.document === doc.id && data.version && data.version !== doc.version) $("version-notice").hidden = false;
  }

  setOnline(online) {
    this.online = online;
    $("live-banner").hidden = online;
    this.reader.root.dataset.live = online ? "online" : "offline";
    this.renderStatus();
  }

  // ---- actions, and undo ----------------------------------------------------------------------

  /** Make an annotation on the document shown, with the toolbar's colour and audience. */
  create(fields) {
    const payload = { document: this.reader.doc.id, color: this.color, note: "", ...this.visibilityFields(this.visibility), ...fields };
    const cid = this.sync.create(payload);
    this.undoStack.push({ op: "create", ref: { cid } });
    this.updateUndo();
    return { cid };
  }

  /** Mark words first..last of a page with a text kind (highlight, underline, strikeout). */
  markWords(kind, page, words, first, last) {
    const chosen = words.slice(first, last + 1);
    if (!chosen.length) return;
    this.create({ kind, page, geometry: { rects: lineRects(chosen) }, quote: quoteOf(words, first, last) });
  }

  /** Change the reader's own annotation; before: what undo puts back. */
  update(ref, changes, before, { undoable = true, base = undefined } = {}) {
    if (undoable) {
      this.undoStack.push({ op: "update", ref, before });
      this.updateUndo();
    }
    this.sync.update(ref, changes, base ?? this.baseRevision(ref));
  }

  /** The revision an edit is made against: the stored one the reader sees (null while the
   * annotation's creation is still queued: then the creation's ack tells it). */
  baseRevision(ref) {
    const target = this.find(ref);
    return target && target.id && target.revision ? target.revision : null;
  }

  remove(annotation, { undoable = true } = {}) {
    const ref = refOf(annotation);
    if (undoable) {
      const { kind, page, geometry, quote, color, note, visibility, group_id: groupId } = annotation;
      this.undoStack.push({ op: "delete", ref, snapshot: { kind, page, geometry, quote, color, note, visibility, group_id: groupId } });
      this.updateUndo();
    }
    if (sameRef(ref, this.card.selected)) this.card.close();
    this.sync.remove(ref, this.baseRevision(ref));
  }

  undo() {
    if (this.drawing.popStroke()) {
      this.updateUndo(); // a drawing not yet saved loses its last stroke
      return;
    }
    const last = this.undoStack.pop();
    this.updateUndo();
    if (!last) return;
    if (last.op === "create") {
      const target = this.find(last.ref);
      if (target) this.remove(target, { undoable: false });
    } else if (last.op === "update") {
      if (this.find(last.ref)) this.update(last.ref, last.before, null, { undoable: false });
    } else if (last.op === "delete") {
      const payload = { document: this.reader.doc.id, ...last.snapshot };
      if (payload.visibility !== "group") delete payload.group_id;
      if (!TEXT_KINDS.has(payload.kind)) delete payload.quote;
      const cid = this.sync.create(payload);
      // older steps about the deleted annotation now mean its re-creation
      for (const step of this.undoStack) if (sameRef(step.ref, last.ref)) step.ref = { cid };
    }
  }

  /** The creation with client_id cid was refused: undo steps about it go with it. */
  forgetUndo(cid) {
    this.undoStack = this.undoStack.filter((step) => !(step.ref && step.ref.cid === cid));
    this.updateUndo();
  }

  updateUndo() {
    this.toolbar?.updateUndo(this.undoStack.length > 0 || this.drawing.hasInk);
  }

  // ---- who sees what --------------------------------------------------------------------------

  visibilityFields(choice) {
    if (choice.startsWith("group:")) return { visibility: "group", group_id: Number(choice.slice(6)) };
    return { visibility: choice === "meeting" ? "meeting" : "private" };
  }

  visibilityChoice(annotation) {
    if (annotation.visibility === "group") return `group:${annotation.group_id ?? (this.groups[0] && this.groups[0].id)}`;
    return annotation.visibility === "meeting" ? "meeting" : "private";
  }

  visibilityLabel(annotation) {
    if (annotation.visibility === "meeting") return this.strings.visibilityMeeting;
    if (annotation.visibility === "group") {
      const group = (this.meeting.groups || []).find((g) => g.id === annotation.group_id);
      return group ? fill(this.strings.visibilityGroup, { name: group.name }) : this.strings.visibilitySomeGroup;
    }
    return this.strings.visibilityPrivate;
  }

  /** The choices of audience: private, each of the reader's groups, the whole meeting. */
  fillVisibility(select) {
    const options = [h("option", { value: "private" }, this.strings.visibilityPrivate)];
    for (const group of this.groups) options.push(h("option", { value: `group:${group.id}` }, fill(this.strings.visibilityGroup, { name: group.name })));
    options.push(h("option", { value: "meeting" }, this.strings.visibilityMeeting));
    select.replaceChildren(...options);
  }

  // ---- drawing what is known ------------------------------------------------------------------

  /** The shown annotation ref ({id} or {cid}) names, or null. */
  find(ref) {
    if (!ref) return null;
    return this.shown.find((a) => sameRef(refOf(a), ref)) || null;
  }

  render() {
    const names = this.sync.names;
    this.shown = this.sync.view().map((a) => ({
      ...a, author_name: a.author_id === this.me ? this.viewer.name : (names.get(a.author_id) || a.author_name || ""),
    }));
    this.renderPage();
    this.list.render();
    this.renderStatus();
    this.card.follow();
  }

  renderPage() {
    const page = this.reader.page;
    if (!page || !this.reader.doc) {
      this.layer.replaceChildren();
      return;
    }
    const [width, height] = this.pageSize(page);
    const selected = this.find(this.card.selected);
    renderLayer(this.layer, this.shown, { page, width, height, selected: selected ? selected.key : null });
    this.layer.dataset.count = String(this.layer.querySelectorAll("g.annotation").length);
  }

  renderStatus() {
    const status = $("annotate-status");
    const waiting = this.sync.outbox.size;
    status.textContent = waiting ? fill(waiting === 1 ? this.strings.pendingOne : this.strings.pendingOther, { n: waiting }) : "";
    status.hidden = !waiting;
  }

  // ---- messages -------------------------------------------------------------------------------

  toast(message) {
    $("toast-text").textContent = message;
    $("annotate-toast").hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => this.hideToast(), TOAST_MS);
  }

  hideToast() {
    $("annotate-toast").hidden = true;
  }
}

// Annotating in the reader: the tools (highlight, underline, strike through, pen, sticky note, area),
// the layer that draws everyone's annotations over the page as they arrive, the card that shows one
// (and edits or deletes the reader's own), the list in the side panel, and undo.
//
// Every change goes through the outbox (outbox.js) and the live connection (live.js): it shows at
// once, marked pending, and stays queued, across reloads, until the server acknowledges it. Text
// written by people (notes, names) is only ever set with textContent.

import { api, h } from "../api.js";
import { bounds, hitTest, lineRects, NOTE_SIZE, quoteOf, renderLayer, simplify, svgEl, wordAt } from "./annolayer.js";
import { AnnotationState } from "./annostate.js";
import { LiveConnection } from "./live.js";
import { DROP, newClientId, Outbox, WAIT } from "./outbox.js";
import { fill } from "./panel.js";

const TEXT_KINDS = new Set(["highlight", "underline", "strikeout"]);
export const COLORS = ["#ffd400", "#4cc76b", "#3d8bfd", "#ff6fae", "#e5322d"];
const INK_WIDTH = 2; // points, whatever the pressure
const INK_COMMIT_MS = 1200; // strokes drawn within this of each other make one drawing
const MIN_AREA = 4; // points: a smaller drag is a tap
const TAP_SLOP_PX = 8;
const NAMES_REFETCH_MS = 1500;
const TOAST_MS = 7000;
const REMEMBER_BAR = "paperless.reader.annotate";

const $ = (id) => document.getElementById(id);

function remembered(key) {
  try {
    return localStorage.getItem(key);
  } catch (_) {
    return null;
  }
}

function remember(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch (_) {
    // the choice lasts as long as the page
  }
}

const sameRef = (a, b) => Boolean(a && b && ((a.id && a.id === b.id) || (a.cid && a.cid === b.cid)));
const refOf = (a) => ({ id: a.id || undefined, cid: a.client_id || undefined });

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
    this.names = new Map([[viewer.id, viewer.name]]);
    this.state = new AnnotationState(this.me);
    this.known = new Map(); // annotation id -> latest revision heard of, on any document
    this.undoStack = [];
    this.tool = "read";
    this.color = COLORS[0];
    this.visibility = "private";
    this.filter = "all";
    this.selected = null; // ref {id, cid} of the annotation whose card is open
    this.draft = null; // what the pointer is drawing now
    this.ink = null; // {page, strokes: []} waiting to be committed as one drawing
    this.words = null; // {page, words} of the page shown
    this.shown = []; // the current view (annotations of the document, pending ones included)
    this.online = false;

    this.layer = $("annotation-layer");
    this.card = $("annotation-card");
    this.bar = $("annotate-bar");

    this.outbox = new Outbox(`paperless.outbox.${this.me}.${meeting.id}`, {
      canSend: () => this.live.online,
      send: (name, payload) => this.live.request(name, payload),
      prepare: (entry) => this.prepare(entry),
      settled: (entry, ack) => this.settled(entry, ack),
      changed: () => this.render(),
    });
    this.live = new LiveConnection(meeting.id, {
      onEvent: (envelope) => this.onEvent(envelope),
      onStatus: (online) => this.setOnline(online),
      onJoined: ({ first, truncated }) => this.onJoined(first, truncated),
    });
    // for tests and support: simulate a network drop (Socket.IO reconnects by itself)
    window.__live = {
      disconnect: () => this.live.dropTransport(),
      get online() { return Boolean(window.paperlessReader?.annotations?.online); },
    };
    this.buildBar();
    this.wire();
    if (this.outbox.size) this.learnRevisions();
  }

  // ---- documents and pages -------------------------------------------------------------------

  /** The reader opened doc: load its annotations. */
  showDocument(doc) {
    this.commitInk(); // a drawing in progress is kept, on the document it was drawn on
    this.cancelDraft();
    this.closeCard();
    this.state.reset(doc.id);
    this.undoStack = [];
    this.updateUndo();
    this.render();
    this.fetchAnnotations();
  }

  /** The reader turned to page: draw its annotations, fetch its words for the text tools. */
  showPage(page) {
    this.commitInk();
    this.cancelDraft();
    if (this.selectedAnnotation()?.page !== page) this.closeCard();
    this.words = null;
    this.renderPage();
    const doc = this.reader.doc;
    this.reader.text(page).then((text) => {
      if (this.reader.doc === doc && this.reader.page === page) this.words = { page, words: text.words };
    }).catch(() => {});
  }

  pageSize(page = this.reader.page) {
    const sizes = (this.reader.doc && this.reader.doc.page_sizes) || [];
    return sizes[page - 1] || [595, 842];
  }

  async fetchAnnotations() {
    const doc = this.reader.doc;
    if (!doc || !doc.page_count) return;
    const url = `${this.reader.apiRoot}/meetings/${this.meeting.id}/annotations?${new URLSearchParams({ document: doc.id })}`;
    let answer;
    try {
      answer = await api("GET", url, undefined, this.reader.apiOptions());
    } catch (_) {
      return; // offline: what the live connection brings (and the outbox) is shown meanwhile
    }
    if (this.reader.doc !== doc) return;
    for (const item of answer.items || []) {
      if (item.author_name) this.names.set(item.author_id, item.author_name);
      this.hear(item);
      this.state.upsert(item);
    }
    this.render();
    this.outbox.flush(); // edits waiting for a revision may now have it
  }

  /** Fill in the revisions of annotations that queued edits refer to (after a reload). */
  async learnRevisions() {
    if (this.learning) return;
    this.learning = true;
    try {
      const url = `${this.reader.apiRoot}/meetings/${this.meeting.id}/annotations?scope=mine`;
      const answer = await api("GET", url, undefined, this.reader.apiOptions());
      for (const item of answer.items || []) this.hear(item);
      this.learned = true;
      this.outbox.flush();
    } catch (_) {
      // offline: tried again when the connection returns
    } finally {
      this.learning = false;
    }
  }

  hear(annotation) {
    if (!annotation || !Number.isInteger(annotation.id)) return;
    if ((this.known.get(annotation.id) ?? 0) < annotation.revision) this.known.set(annotation.id, annotation.revision);
    if (annotation.client_id && annotation.author_id === this.me) this.outbox.ids[annotation.client_id] ??= annotation.id;
  }

  // ---- the live connection --------------------------------------------------------------------

  setOnline(online) {
    this.online = online;
    $("live-banner").hidden = online;
    this.reader.root.dataset.live = online ? "online" : "offline";
    this.renderStatus();
    if (online) {
      if (this.outbox.size && !this.learned) this.learnRevisions();
      this.outbox.flush();
    }
  }

  onJoined(first, truncated) {
    // the first join fixes the point from which events count: what was stored before it is
    // fetched after it, so that nothing falls between the list and the events
    if (first || truncated) {
      if (truncated) this.state.reset(this.reader.doc ? this.reader.doc.id : null);
      this.fetchAnnotations();
    }
  }

  onEvent({ type, data }) {
    if (!data) return;
    if (type === "document.published") {
      const doc = this.reader.doc;
      if (doc && data.document === doc.id && data.version && data.version !== doc.version) $("version-notice").hidden = false;
      return;
    }
    let changed = false;
    if (type === "annotation.created" || type === "annotation.updated") {
      this.hear(data);
      changed = this.state.upsert(data);
      if (changed && !this.names.has(data.author_id)) this.refetchNamesSoon();
    } else if (type === "annotation.deleted" || type === "annotation.hidden") {
      if (Number.isInteger(data.id)) {
        if ((this.known.get(data.id) ?? 0) < data.revision) this.known.set(data.id, data.revision);
        changed = data.document === this.state.documentId && this.state.remove(data.id, data.revision, type === "annotation.deleted");
      }
    }
    if (changed) this.render();
  }

  /** Events carry no author's name: a new author's comes with the list, fetched again shortly. */
  refetchNamesSoon() {
    clearTimeout(this.namesTimer);
    this.namesTimer = setTimeout(() => this.fetchAnnotations(), NAMES_REFETCH_MS);
  }

  // ---- actions and the outbox -----------------------------------------------------------------

  create(fields) {
    const cid = newClientId();
    const payload = {
      client_id: cid, document: this.reader.doc.id, color: this.color, note: "", ...this.visibilityFields(this.visibility), ...fields,
    };
    this.undoStack.push({ op: "create", ref: { cid } });
    this.updateUndo();
    this.outbox.push({ cid, name: "annotation.create", payload });
    return { cid };
  }

  update(ref, changes, before, { undoable = true, base = undefined } = {}) {
    if (undoable) {
      this.undoStack.push({ op: "update", ref, before });
      this.updateUndo();
    }
    this.outbox.push({ cid: newClientId(), name: "annotation.update", ref, changes, base: base ?? this.baseRevision(ref) });
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
    if (sameRef(ref, this.selected)) this.closeCard();
    this.outbox.push({ cid: newClientId(), name: "annotation.delete", ref, base: this.baseRevision(ref) });
  }

  undo() {
    if (this.ink && this.ink.strokes.length) {
      // a drawing not yet saved loses its last stroke
      this.ink.strokes.pop();
      this.ink.els.pop()?.remove();
      if (!this.ink.strokes.length) this.ink = null;
      this.updateUndo();
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
      const cid = newClientId();
      const payload = { client_id: cid, document: this.reader.doc.id, ...last.snapshot };
      if (payload.visibility !== "group") delete payload.group_id;
      if (!TEXT_KINDS.has(payload.kind)) delete payload.quote;
      this.outbox.push({ cid, name: "annotation.create", payload });
      // older steps about the deleted annotation now mean its re-creation
      for (const step of this.undoStack) if (sameRef(step.ref, last.ref)) step.ref = { cid };
    }
  }

  /** The payload of a queued edit or deletion, now that what it depends on is known. */
  prepare(entry) {
    const ref = entry.ref || {};
    const id = ref.id || this.outbox.ids[ref.cid] || this.state.byClientId(ref.cid)?.id;
    if (!id) {
      const queued = this.outbox.entries.some((e) => e.name === "annotation.create" && e.cid === ref.cid);
      return queued ? WAIT : DROP; // its creation failed or was never made
    }
    // the revision the user saw when acting: if the annotation changed since (another device),
    // the server refuses the edit as stale rather than silently overwrite that change
    const revision = entry.base ?? this.state.server.get(id)?.revision ?? this.known.get(id);
    if (!revision) {
      if (this.learned) return DROP; // not among the user's annotations any more: nothing to change
      if (!this.learning) this.learnRevisions();
      return WAIT;
    }
    return { id, client_id: entry.cid, revision, ...(entry.changes || {}) };
  }

  /** The server answered a queued action (ack null: it was dropped, its annotation being gone). */
  settled(entry, ack) {
    const targetId = entry.name === "annotation.create" ? this.outbox.ids[entry.cid] : entry.payload && entry.payload.id;
    const queuedOn = (id) => (e) => !e.payload && e.name !== "annotation.create" && e.ref
      && (e.ref.id === id || (e.ref.cid && this.outbox.ids[e.ref.cid] === id));
    if (ack && ack.ok && ack.annotation) {
      this.hear(ack.annotation);
      this.state.upsert(ack.annotation);
      // the user's next actions on it were made on top of this one: they now expect its revision
      const revision = ack.annotation.revision;
      const next = queuedOn(ack.annotation.id);
      for (const e of this.outbox.entries) {
        if (next(e) && (e.base === null || e.base === undefined || e.base === revision - 1)) e.base = revision;
      }
      this.outbox.save();
    } else if (ack && !ack.ok) {
      const error = ack.error || {};
      if (error.code === "stale_revision" && error.annotation) {
        this.hear(error.annotation);
        this.state.upsert(error.annotation);
        if (targetId) this.outbox.dropWhere(queuedOn(targetId)); // they built on the refused edit
        this.toast(this.strings.annotationStale);
      } else if (error.code === "gone") {
        if (targetId) {
          this.state.remove(targetId, error.current, true);
          this.outbox.dropWhere(queuedOn(targetId));
        }
        this.toast(this.strings.annotationGone);
      } else {
        const known = { meeting_closed: "meetingClosed", not_found: "annotationNotFound", internal_error: "serverFailed" }[error.code];
        this.toast(known ? this.strings[known] : fill(this.strings.changeRefused, { message: error.message || error.code || "?" }));
      }
      if (entry.name === "annotation.create") {
        // what was queued on an annotation that will never exist goes with it
        this.outbox.dropWhere((e) => e.ref && e.ref.cid === entry.cid);
        this.undoStack = this.undoStack.filter((step) => !(step.ref && step.ref.cid === entry.cid));
        this.updateUndo();
      }
    }
    this.render();
  }

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

  // ---- drawing --------------------------------------------------------------------------------

  find(ref) {
    if (!ref) return null;
    return this.shown.find((a) => sameRef(refOf(a), ref)) || null;
  }

  selectedAnnotation() {
    return this.find(this.selected);
  }

  render() {
    this.shown = this.state.view(this.outbox.entries, this.outbox.ids).map((a) => ({
      ...a, author_name: a.author_id === this.me ? this.viewer.name : (this.names.get(a.author_id) || a.author_name || ""),
    }));
    this.renderPage();
    this.renderList();
    this.renderStatus();
    if (this.selected && !this.card.hidden && !this.card.classList.contains("new-note")) {
      const annotation = this.selectedAnnotation();
      if (annotation) this.refreshCard(annotation);
      else this.closeCard();
    }
  }

  renderPage() {
    const page = this.reader.page;
    if (!page || !this.reader.doc) {
      this.layer.replaceChildren();
      return;
    }
    const [width, height] = this.pageSize(page);
    const selected = this.selectedAnnotation();
    renderLayer(this.layer, this.shown, { page, width, height, selected: selected ? selected.key : null });
    this.layer.dataset.count = String(this.layer.querySelectorAll("g.annotation").length);
  }

  renderStatus() {
    const status = $("annotate-status");
    const waiting = this.outbox.size;
    status.textContent = waiting ? fill(waiting === 1 ? this.strings.pendingOne : this.strings.pendingOther, { n: waiting }) : "";
    status.hidden = !waiting;
  }

  renderList() {
    const list = $("annotation-list");
    const orphans = $("orphan-list");
    const visible = this.shown.filter((a) => this.filter === "all"
      || (this.filter === "mine" && a.author_id === this.me)
      || (this.filter === "group" && a.visibility === "group"));
    const where = (a) => {
      const [x0, y0] = bounds(a);
      return [a.page, Math.round(y0), x0];
    };
    const order = (a, b) => {
      const [pa, ya, xa] = where(a);
      const [pb, yb, xb] = where(b);
      return pa - pb || ya - yb || xa - xb;
    };
    const placed = visible.filter((a) => !a.orphaned).sort(order);
    const lost = visible.filter((a) => a.orphaned).sort(order);
    // the list is redrawn as events come: whoever was on an entry stays on it
    const focused = document.activeElement && document.activeElement.closest(".annotation-entry");
    const focusedKey = focused ? focused.dataset.key : null;
    list.replaceChildren(...placed.map((a) => this.listEntry(a)));
    orphans.replaceChildren(...lost.map((a) => this.listEntry(a)));
    if (focusedKey) {
      const again = [...document.querySelectorAll(".annotation-entry")].find((e) => e.dataset.key === focusedKey);
      again?.focus({ preventScroll: true });
    }
    $("orphan-section").hidden = !lost.length;
    $("annotations-empty").hidden = placed.length + lost.length > 0;
    this.markListSelection();
  }

  listEntry(a) {
    const text = a.quote && a.quote.exact ? a.quote.exact : a.note;
    const swatch = h("span", { class: "entry-swatch", "aria-hidden": "true" });
    swatch.style.background = /^#[0-9a-f]{6}/i.test(a.color || "") ? a.color.slice(0, 7) : "#ffd400";
    const button = h("button", {
      type: "button", class: "annotation-entry",
      dataset: { key: a.key, id: a.id ?? "", page: a.page, kind: a.kind, pending: a.pending ? "true" : "false" },
      onclick: () => this.goTo(a),
    },
    h("span", { class: "entry-head" }, swatch,
      h("span", { class: "entry-kind" }, this.strings.kinds[a.kind] || a.kind),
      h("span", { class: "entry-page" }, fill(this.strings.pageShort, { page: a.page })),
      a.pending ? h("span", { class: "entry-pending" }, this.strings.pending) : null),
    text ? h("span", { class: a.quote && a.quote.exact ? "entry-text quote" : "entry-text" }, text) : null,
    a.quote && a.quote.exact && a.note ? h("span", { class: "entry-text" }, a.note) : null,
    h("span", { class: "entry-meta" }, `${a.author_id === this.me ? this.strings.you : a.author_name || "…"} · ${this.visibilityLabel(a)}`));
    return h("li", {}, button);
  }

  goTo(annotation) {
    this.reader.panel.picked();
    if (!annotation.orphaned && annotation.page !== this.reader.page) this.reader.go(annotation.page);
    this.openCard(annotation);
    $("card-close").focus({ preventScroll: true }); // keyboard and screen-reader users land in the card
  }

  // ---- the toolbar ----------------------------------------------------------------------------

  buildBar() {
    const swatches = $("annotate-colors");
    swatches.replaceChildren(...COLORS.map((color, i) => {
      const button = h("button", {
        type: "button", class: "swatch", dataset: { color }, "aria-pressed": i === 0 ? "true" : "false",
        title: this.strings.colors[i], "aria-label": this.strings.colors[i],
        onclick: () => this.setColor(color),
      }, h("span", { class: "swatch-dot", "aria-hidden": "true" }));
      button.firstChild.style.background = color;
      return button;
    }));
    this.fillVisibility($("annotate-visibility"));
    if (this.readOnly) {
      for (const button of this.bar.querySelectorAll("button, select")) button.disabled = true;
      $("annotate-hint").textContent = this.strings.meetingClosed;
    }
  }

  fillVisibility(select) {
    const options = [h("option", { value: "private" }, this.strings.visibilityPrivate)];
    for (const group of this.groups) options.push(h("option", { value: `group:${group.id}` }, fill(this.strings.visibilityGroup, { name: group.name })));
    options.push(h("option", { value: "meeting" }, this.strings.visibilityMeeting));
    select.replaceChildren(...options);
  }

  setTool(tool) {
    if (this.readOnly) tool = "read";
    this.commitInk();
    this.cancelDraft();
    this.tool = tool;
    for (const button of this.bar.querySelectorAll("[data-tool]")) {
      button.setAttribute("aria-pressed", button.dataset.tool === tool ? "true" : "false");
    }
    this.reader.sheet.dataset.tool = tool;
    this.reader.sheet.classList.toggle("drawing", tool !== "read");
    $("annotate-hint").textContent = this.readOnly ? this.strings.meetingClosed : this.strings.hints[tool] || "";
  }

  setColor(color) {
    this.color = color;
    for (const button of $("annotate-colors").querySelectorAll(".swatch")) {
      button.setAttribute("aria-pressed", button.dataset.color === color ? "true" : "false");
    }
  }

  setBarShown(shown) {
    this.bar.hidden = !shown;
    $("annotate-toggle").setAttribute("aria-pressed", shown ? "true" : "false");
    if (!shown) this.setTool("read");
  }

  updateUndo() {
    $("annotate-undo").disabled = this.readOnly || !(this.undoStack.length || (this.ink && this.ink.strokes.length));
  }

  wire() {
    const saved = remembered(REMEMBER_BAR);
    this.setBarShown(saved ? saved === "shown" : window.innerWidth >= 600);
    $("annotate-toggle").addEventListener("click", () => {
      const shown = this.bar.hidden;
      this.setBarShown(shown);
      remember(REMEMBER_BAR, shown ? "shown" : "hidden");
    });
    for (const button of this.bar.querySelectorAll("[data-tool]")) {
      // the text selected before the tap: a tap on a button may clear it
      button.addEventListener("pointerdown", () => {
        this.pickedSelection = this.selectionWords();
      });
      button.addEventListener("click", () => this.onToolButton(button.dataset.tool));
    }
    $("annotate-visibility").addEventListener("change", (event) => {
      this.visibility = event.target.value;
    });
    $("annotate-undo").addEventListener("click", () => this.undo());
    $("version-reload").addEventListener("click", () => location.reload());
    $("toast-close").addEventListener("click", () => this.hideToast());

    for (const button of $("annotation-filters").querySelectorAll("[data-scope]")) {
      button.addEventListener("click", () => {
        this.filter = button.dataset.scope;
        for (const other of $("annotation-filters").querySelectorAll("[data-scope]")) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        }
        this.renderList();
      });
    }

    this.wireCard();
    this.wirePointer();
    document.addEventListener("keydown", (event) => {
      const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z" && !typing) {
        event.preventDefault();
        this.undo();
      } else if (event.key === "Escape" && !typing) {
        if (!this.card.hidden) this.closeCard();
        else if (this.tool !== "read") this.setTool("read");
      }
    });
  }

  onToolButton(tool) {
    const picked = this.pickedSelection || this.selectionWords();
    this.pickedSelection = null;
    if (TEXT_KINDS.has(tool) && picked) {
      // text already selected: mark it at once, and stay in the mode the reader was in
      this.markWords(tool, picked.page, picked.words, picked.first, picked.last);
      window.getSelection()?.removeAllRanges();
      return;
    }
    this.setTool(this.tool === tool && tool !== "read" ? "read" : tool);
  }

  /** The words of the text layer the reader has selected: {page, words, first, last} or null. */
  selectionWords() {
    const selection = window.getSelection();
    const layer = this.reader.textLayer;
    if (!selection || selection.isCollapsed || !selection.rangeCount || !this.words) return null;
    if (Number(layer.dataset.page) !== this.words.page || this.words.page !== this.reader.page) return null;
    const range = selection.getRangeAt(0);
    const spans = [...layer.children];
    let first = null;
    let last = null;
    spans.forEach((span, i) => {
      const word = this.words.words[i];
      const textNode = span.firstChild;
      if (!word || !textNode) return;
      const box = document.createRange();
      box.setStart(textNode, 0);
      box.setEnd(textNode, Math.min(word.text.length, textNode.length));
      const overlaps = range.compareBoundaryPoints(Range.END_TO_START, box) < 0
        && range.compareBoundaryPoints(Range.START_TO_END, box) > 0;
      if (overlaps) {
        if (first === null) first = i;
        last = i;
      }
    });
    return first === null ? null : { page: this.words.page, words: this.words.words, first, last };
  }

  markWords(kind, page, words, first, last) {
    const chosen = words.slice(first, last + 1);
    if (!chosen.length) return;
    this.create({ kind, page, geometry: { rects: lineRects(chosen) }, quote: quoteOf(words, first, last) });
  }

  // ---- pointer input on the page --------------------------------------------------------------

  /** A pointer's place on the page in PDF points (from the top-left), at any zoom. */
  toPoint(event) {
    const box = this.reader.sheet.getBoundingClientRect();
    const [width, height] = this.pageSize();
    const x = ((event.clientX - box.left) / box.width) * width;
    const y = ((event.clientY - box.top) / box.height) * height;
    return [Math.min(width, Math.max(0, x)), Math.min(height, Math.max(0, y))];
  }

  wirePointer() {
    const layer = this.layer;
    const pointers = new Map();
    let pan = null; // two fingers: {x, y, distance, scale}

    const middle = () => {
      const [a, b] = [...pointers.values()];
      return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, distance: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)) };
    };

    layer.addEventListener("pointerdown", (event) => {
      if (this.tool === "read" || (event.pointerType === "mouse" && event.button !== 0)) return;
      event.stopPropagation(); // neither a swipe nor a pinch of the reader's: the tool has it
      event.preventDefault();
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pointers.size === 2 && event.pointerType === "touch") {
        // two fingers scroll and zoom, whatever the tool
        this.cancelDraft();
        pan = { ...middle(), scale: 1 };
        return;
      }
      if (pointers.size > 1) return;
      try {
        layer.setPointerCapture(event.pointerId);
      } catch (_) {
        // the pointer is already gone
      }
      this.startDraft(event);
    });
    layer.addEventListener("pointermove", (event) => {
      const p = pointers.get(event.pointerId);
      if (!p) return;
      p.x = event.clientX;
      p.y = event.clientY;
      if (pan) {
        if (pointers.size < 2) return;
        const now = middle();
        this.reader.stage.scrollBy(pan.x - now.x, pan.y - now.y);
        pan.scale *= now.distance / pan.distance;
        Object.assign(pan, { x: now.x, y: now.y, distance: now.distance });
        return;
      }
      if (this.draft && this.draft.pointerId === event.pointerId) this.moveDraft(event);
    });
    const up = (event, cancelled) => {
      if (!pointers.has(event.pointerId)) return;
      pointers.delete(event.pointerId);
      if (pan) {
        if (pointers.size === 0) {
          const { scale, x, y } = pan;
          pan = null;
          if (Math.abs(scale - 1) > 0.08) this.reader.setZoom(this.reader.zoom * scale, { x, y });
        }
        return;
      }
      if (this.draft && this.draft.pointerId === event.pointerId) {
        if (cancelled) this.cancelDraft();
        else this.endDraft(event);
      }
    };
    layer.addEventListener("pointerup", (event) => up(event, false));
    layer.addEventListener("pointercancel", (event) => up(event, true));
    layer.addEventListener("dblclick", (event) => {
      if (this.tool !== "read") event.stopPropagation(); // no zooming by double-click while drawing
    });
    // reading: a tap (or a click) on an annotation opens it
    this.reader.sheet.addEventListener("click", (event) => {
      if (this.tool !== "read" || event.target.closest("#annotation-card")) return;
      const selection = window.getSelection();
      if (selection && !selection.isCollapsed) return; // the end of a text selection, not a tap
      const hit = hitTest(this.shown, this.reader.page, this.toPoint(event));
      if (hit) this.openCard(hit);
      else if (!this.card.hidden) this.closeCard();
    });
  }

  drafts() {
    let group = this.layer.querySelector(".drafts");
    if (!group) {
      group = svgEl("g", { class: "drafts" });
      this.layer.append(group);
    }
    return group;
  }

  startDraft(event) {
    const point = this.toPoint(event);
    const page = this.reader.page;
    this.draft = { pointerId: event.pointerId, tool: this.tool, page, start: point, last: point, x: event.clientX, y: event.clientY, moved: false };
    if (this.tool === "ink") {
      clearTimeout(this.inkTimer);
      if (this.ink && this.ink.page !== page) this.commitInk();
      this.draft.points = [point];
      this.draft.el = svgEl("path", { class: "draft-ink", stroke: this.color, "stroke-width": INK_WIDTH });
      this.drafts().append(this.draft.el);
      this.drawInkDraft();
    } else if (TEXT_KINDS.has(this.tool)) {
      const words = this.words && this.words.page === page ? this.words.words : null;
      this.draft.words = words;
      this.draft.anchor = words ? wordAt(words, point) : null;
      this.draft.el = svgEl("g", { class: `draft-text kind-${this.tool}` });
      this.drafts().append(this.draft.el);
      this.drawTextDraft(point);
    } else if (this.tool === "rect") {
      this.draft.el = svgEl("rect", { class: "draft-rect", stroke: this.color, x: point[0], y: point[1], width: 0, height: 0 });
      this.drafts().append(this.draft.el);
    }
  }

  moveDraft(event) {
    const draft = this.draft;
    if (Math.hypot(event.clientX - draft.x, event.clientY - draft.y) > TAP_SLOP_PX) draft.moved = true;
    const events = typeof event.getCoalescedEvents === "function" ? event.getCoalescedEvents() : [];
    const samples = events.length ? events : [event];
    if (draft.tool === "ink") {
      for (const sample of samples) {
        const point = this.toPoint(sample);
        const last = draft.points[draft.points.length - 1];
        if (Math.hypot(point[0] - last[0], point[1] - last[1]) >= 0.75) draft.points.push(point);
      }
      this.drawInkDraft();
    } else {
      const point = this.toPoint(event);
      draft.last = point;
      if (TEXT_KINDS.has(draft.tool)) this.drawTextDraft(point);
      else if (draft.tool === "rect") {
        const [x0, y0, x1, y1] = this.draftRect();
        Object.entries({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }).forEach(([k, v]) => draft.el.setAttribute(k, String(v)));
      }
    }
  }

  endDraft(event) {
    const draft = this.draft;
    this.draft = null;
    const point = this.toPoint(event);
    draft.last = point;
    const tapped = !draft.moved;
    if (draft.tool === "ink") {
      if (tapped && draft.points.length < 3) {
        const hit = hitTest(this.shown, draft.page, point);
        if (hit) {
          draft.el.remove();
          this.openCard(hit);
          return;
        }
      }
      if (!this.ink || this.ink.page !== draft.page) this.ink = { document: this.reader.doc.id, page: draft.page, strokes: [], els: [] };
      this.ink.strokes.push(simplify(draft.points));
      this.ink.els.push(draft.el);
      this.updateUndo();
      clearTimeout(this.inkTimer);
      this.inkTimer = setTimeout(() => this.commitInk(), INK_COMMIT_MS);
      return;
    }
    if (draft.el) draft.el.remove();
    if (tapped) {
      const hit = hitTest(this.shown, draft.page, point);
      if (hit) {
        this.openCard(hit);
        return;
      }
      if (draft.tool === "note") {
        this.newNote(draft.page, point);
        return;
      }
    }
    if (TEXT_KINDS.has(draft.tool)) {
      const range = this.draftWords(point, draft);
      if (range) this.markWords(draft.tool, draft.page, draft.words, range[0], range[1]);
    } else if (draft.tool === "rect") {
      const rect = this.draftRect(draft);
      if (rect[2] - rect[0] >= MIN_AREA && rect[3] - rect[1] >= MIN_AREA) {
        this.create({ kind: "rect", page: draft.page, geometry: { rect: rect.map((v) => Math.round(v * 100) / 100) } });
      }
    }
  }

  cancelDraft() {
    if (this.draft && this.draft.el) this.draft.el.remove();
    this.draft = null;
  }

  draftRect(draft = this.draft) {
    const [ax, ay] = draft.start;
    const [bx, by] = draft.last;
    return [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
  }

  draftWords(point, draft = this.draft || {}) {
    const words = draft.words;
    if (!words || draft.anchor === null || draft.anchor === undefined) return null;
    const end = wordAt(words, point);
    if (end === null) return [draft.anchor, draft.anchor];
    return [Math.min(draft.anchor, end), Math.max(draft.anchor, end)];
  }

  drawTextDraft(point) {
    const range = this.draftWords(point);
    const words = this.draft.words;
    this.draft.el.replaceChildren(...(range ? lineRects(words.slice(range[0], range[1] + 1)) : []).map(([x0, y0, x1, y1]) =>
      svgEl("rect", { x: x0, y: y0, width: x1 - x0, height: y1 - y0, fill: this.color })));
  }

  drawInkDraft() {
    const d = this.draft.points.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(2)} ${y.toFixed(2)}`).join("");
    this.draft.el.setAttribute("d", this.draft.points.length === 1 ? `${d}l0.01 0` : d);
  }

  /** The strokes drawn since the last pause become one ink annotation. */
  commitInk() {
    clearTimeout(this.inkTimer);
    const ink = this.ink;
    this.ink = null;
    if (!ink || !ink.strokes.length) return;
    for (const el of ink.els) el.remove();
    this.create({ kind: "ink", document: ink.document, page: ink.page, geometry: { strokes: ink.strokes, width: INK_WIDTH } });
  }

  // ---- the card: one annotation, or a new sticky note -----------------------------------------

  wireCard() {
    $("card-close").addEventListener("click", () => this.closeCard());
    $("card-cancel").addEventListener("click", () => this.closeCard());
    $("card-delete").addEventListener("click", () => {
      const annotation = this.selectedAnnotation();
      if (annotation && annotation.author_id === this.me) this.remove(annotation);
    });
    const colors = $("card-colors");
    colors.replaceChildren(...COLORS.map((color, i) => {
      const button = h("button", {
        type: "button", class: "swatch", dataset: { color }, "aria-pressed": "false",
        title: this.strings.colors[i], "aria-label": this.strings.colors[i],
        onclick: () => {
          for (const other of colors.querySelectorAll(".swatch")) other.setAttribute("aria-pressed", other === button ? "true" : "false");
        },
      }, h("span", { class: "swatch-dot", "aria-hidden": "true" }));
      button.firstChild.style.background = color;
      return button;
    }));
    this.fillVisibility($("card-visibility"));
    $("card-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveCard();
    });
    $("card-note").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.saveCard();
      } else if (event.key === "Escape") {
        event.preventDefault();
        this.closeCard();
      }
    });
  }

  cardColor() {
    const pressed = $("card-colors").querySelector('[aria-pressed="true"]');
    return pressed ? pressed.dataset.color : this.color;
  }

  setCardColor(color) {
    const base = (color || "").slice(0, 7).toLowerCase();
    for (const button of $("card-colors").querySelectorAll(".swatch")) {
      button.setAttribute("aria-pressed", button.dataset.color === base ? "true" : "false");
    }
  }

  /** Place the card on the side of the page away from what it is about. */
  placeCard(page, box) {
    const [width] = this.pageSize(page);
    const center = (box[0] + box[2]) / 2;
    this.card.classList.toggle("left", center > width / 2);
  }

  openCard(annotation) {
    this.commitInk();
    this.selected = refOf(annotation);
    this.card.classList.remove("new-note");
    this.card.hidden = false;
    this.placeCard(annotation.page, bounds(annotation));
    this.cardBase = annotation.id && annotation.revision ? annotation.revision : null; // what the edit is made on
    this.refreshCard(annotation, { fresh: true });
    this.renderPage();
    this.markListSelection();
  }

  refreshCard(annotation, { fresh = false } = {}) {
    const own = annotation.author_id === this.me && !this.readOnly;
    $("card-title").textContent = this.strings.kinds[annotation.kind] || annotation.kind;
    $("card-page").textContent = fill(this.strings.pageShort, { page: annotation.page });
    $("card-author").textContent = own ? this.strings.you : annotation.author_name || "…";
    $("card-visibility-label").textContent = this.visibilityLabel(annotation);
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
    $("card-save").textContent = this.strings.save;
    if (own && fresh) {
      $("card-note").value = annotation.note || "";
      this.setCardColor(annotation.color);
      $("card-visibility").value = this.visibilityChoice(annotation);
    }
  }

  closeCard() {
    const wasNote = this.card.classList.contains("new-note");
    this.card.hidden = true;
    this.card.classList.remove("new-note");
    this.selected = null;
    if (wasNote) this.drafts().replaceChildren();
    this.renderPage();
    this.markListSelection();
  }

  markListSelection() {
    for (const entry of document.querySelectorAll(".annotation-entry")) {
      const current = this.selected && (Number(entry.dataset.id) === this.selected.id || entry.dataset.key === `c${this.selected.cid}`);
      if (current) entry.setAttribute("aria-current", "true");
      else entry.removeAttribute("aria-current");
    }
  }

  /** A tap with the note tool: a note icon where it goes, and the card to write it. */
  newNote(page, point) {
    const [width, height] = this.pageSize(page);
    const x = Math.min(width - NOTE_SIZE, Math.max(0, point[0] - NOTE_SIZE / 2));
    const y = Math.min(height - NOTE_SIZE, Math.max(0, point[1] - NOTE_SIZE / 2));
    this.selected = null;
    this.newNoteAt = { page, point: [Math.round(x * 100) / 100, Math.round(y * 100) / 100] };
    const marker = svgEl("rect", { class: "draft-note", x, y, width: NOTE_SIZE, height: NOTE_SIZE, rx: 2, fill: this.color });
    this.drafts().replaceChildren(marker);
    this.card.classList.add("new-note");
    this.card.hidden = false;
    this.placeCard(page, [x, y, x + NOTE_SIZE, y + NOTE_SIZE]);
    $("card-title").textContent = this.strings.kinds.note;
    $("card-page").textContent = fill(this.strings.pageShort, { page });
    $("card-author").textContent = this.strings.you;
    $("card-visibility-label").textContent = "";
    for (const id of ["card-pending", "card-orphaned", "card-quote", "card-note-text", "card-delete"]) $(id).hidden = true;
    $("card-form").hidden = false;
    $("card-save").textContent = this.strings.addNote;
    $("card-note").value = "";
    this.setCardColor(this.color);
    $("card-visibility").value = this.visibility;
    $("card-note").focus({ preventScroll: true });
  }

  saveCard() {
    const note = $("card-note").value;
    const color = this.cardColor();
    const choice = $("card-visibility").value;
    if (this.card.classList.contains("new-note")) {
      const { page, point } = this.newNoteAt;
      this.card.classList.remove("new-note");
      this.drafts().replaceChildren();
      const fields = { kind: "note", page, geometry: { point }, note, color, ...this.visibilityFields(choice) };
      const { cid } = this.create(fields);
      this.card.hidden = true;
      this.selected = null;
      this.render();
      return cid;
    }
    const annotation = this.selectedAnnotation();
    if (!annotation || annotation.author_id !== this.me) return null;
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
    if (choice !== this.visibilityChoice(annotation)) {
      Object.assign(changes, this.visibilityFields(choice));
      Object.assign(before, this.visibilityFields(this.visibilityChoice(annotation)));
    }
    const base = this.cardBase;
    this.closeCard();
    if (Object.keys(changes).length) this.update(refOf(annotation), changes, before, { base });
    return null;
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

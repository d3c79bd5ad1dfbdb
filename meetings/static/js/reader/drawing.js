// The drawing tools on the page: pointer input on the annotation layer (one finger or pen draws,
// two fingers scroll and zoom whatever the tool), the drafts shown while drawing, pen strokes
// gathered into one drawing, and taps that open an annotation or place a sticky note.

import { hitTest, lineRects, simplify, svgEl, wordAt } from "./annolayer.js";

export const TEXT_KINDS = new Set(["highlight", "underline", "strikeout"]);
export const INK_WIDTH = 2; // points, whatever the pressure
const INK_COMMIT_MS = 1200; // strokes drawn within this of each other make one drawing
const MIN_AREA = 4; // points: a smaller drag is a tap
const TAP_SLOP_PX = 8;

export class Drawing {
  /** annotator: the hub (reader, layer, tool, color, words, shown, and what a gesture makes). */
  constructor(annotator) {
    this.a = annotator;
    this.reader = annotator.reader;
    this.layer = annotator.layer;
    this.draft = null; // what the pointer is drawing now
    this.ink = null; // {page, strokes: []} waiting to be committed as one drawing
    this.wirePointer();
  }

  /** A pointer's place on the page in PDF points (from the top-left), at any zoom. */
  toPoint(event) {
    const box = this.reader.sheet.getBoundingClientRect();
    const [width, height] = this.a.pageSize();
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
      if (this.a.tool === "read" || (event.pointerType === "mouse" && event.button !== 0)) return;
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
      if (this.a.tool !== "read") event.stopPropagation(); // no zooming by double-click while drawing
    });
    // reading: a tap (or a click) on an annotation opens it
    this.reader.sheet.addEventListener("click", (event) => {
      if (this.a.tool !== "read" || event.target.closest("#annotation-card")) return;
      const selection = window.getSelection();
      if (selection && !selection.isCollapsed) return; // the end of a text selection, not a tap
      const hit = hitTest(this.a.shown, this.reader.page, this.toPoint(event));
      if (hit) this.a.card.open(hit);
      else if (!this.a.card.hidden) this.a.card.close();
    });
  }

  /** The layer's group of drafts (created on first use: the layer is redrawn as events come). */
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
    const tool = this.a.tool;
    const color = this.a.color;
    this.draft = { pointerId: event.pointerId, tool, page, start: point, last: point, x: event.clientX, y: event.clientY, moved: false };
    if (tool === "ink") {
      clearTimeout(this.inkTimer);
      if (this.ink && this.ink.page !== page) this.commitInk();
      this.draft.points = [point];
      this.draft.el = svgEl("path", { class: "draft-ink", stroke: color, "stroke-width": INK_WIDTH });
      this.drafts().append(this.draft.el);
      this.drawInkDraft();
    } else if (TEXT_KINDS.has(tool)) {
      const words = this.a.words && this.a.words.page === page ? this.a.words.words : null;
      this.draft.words = words;
      this.draft.anchor = words ? wordAt(words, point) : null;
      this.draft.el = svgEl("g", { class: `draft-text kind-${tool}` });
      this.drafts().append(this.draft.el);
      this.drawTextDraft(point);
    } else if (tool === "rect") {
      this.draft.el = svgEl("rect", { class: "draft-rect", stroke: color, x: point[0], y: point[1], width: 0, height: 0 });
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
        const hit = hitTest(this.a.shown, draft.page, point);
        if (hit) {
          draft.el.remove();
          this.a.card.open(hit);
          return;
        }
      }
      if (!this.ink || this.ink.page !== draft.page) this.ink = { document: this.reader.doc.id, page: draft.page, strokes: [], els: [] };
      this.ink.strokes.push(simplify(draft.points));
      this.ink.els.push(draft.el);
      this.a.updateUndo();
      clearTimeout(this.inkTimer);
      this.inkTimer = setTimeout(() => this.commitInk(), INK_COMMIT_MS);
      return;
    }
    if (draft.el) draft.el.remove();
    if (tapped) {
      const hit = hitTest(this.a.shown, draft.page, point);
      if (hit) {
        this.a.card.open(hit);
        return;
      }
      if (draft.tool === "note") {
        this.a.card.newNote(draft.page, point);
        return;
      }
    }
    if (TEXT_KINDS.has(draft.tool)) {
      const range = this.draftWords(point, draft);
      if (range) this.a.markWords(draft.tool, draft.page, draft.words, range[0], range[1]);
    } else if (draft.tool === "rect") {
      const rect = this.draftRect(draft);
      if (rect[2] - rect[0] >= MIN_AREA && rect[3] - rect[1] >= MIN_AREA) {
        this.a.create({ kind: "rect", page: draft.page, geometry: { rect: rect.map((v) => Math.round(v * 100) / 100) } });
      }
    }
  }

  /** Forget what the pointer was drawing (the page or the tool changed). */
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
      svgEl("rect", { x: x0, y: y0, width: x1 - x0, height: y1 - y0, fill: this.a.color })));
  }

  drawInkDraft() {
    const d = this.draft.points.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(2)} ${y.toFixed(2)}`).join("");
    this.draft.el.setAttribute("d", this.draft.points.length === 1 ? `${d}l0.01 0` : d);
  }

  /** Whether a drawing not yet saved has strokes (undo takes those back first). */
  get hasInk() {
    return Boolean(this.ink && this.ink.strokes.length);
  }

  /** Take back the last stroke of the drawing not yet saved. */
  popStroke() {
    if (!this.hasInk) return false;
    this.ink.strokes.pop();
    this.ink.els.pop()?.remove();
    if (!this.ink.strokes.length) this.ink = null;
    return true;
  }

  /** The strokes drawn since the last pause become one ink annotation. */
  commitInk() {
    clearTimeout(this.inkTimer);
    const ink = this.ink;
    this.ink = null;
    if (!ink || !ink.strokes.length) return;
    for (const el of ink.els) el.remove();
    this.a.create({ kind: "ink", document: ink.document, page: ink.page, geometry: { strokes: ink.strokes, width: INK_WIDTH } });
  }
}

// The annotation toolbar: the tools, the colour, with whom new annotations are shared, undo, and
// the keyboard shortcuts; a text tool tapped while text is selected marks that text at once.

import { remember, remembered } from "../shared.js";
import { swatches } from "./annocard.js";
import { TEXT_KINDS } from "./drawing.js";

const REMEMBER_BAR = "paperless.reader.annotate";

const $ = (id) => document.getElementById(id);

export class Toolbar {
  /** annotator: the hub (its tool, color and visibility live there; drawing, card, undo). */
  constructor(annotator) {
    this.a = annotator;
    this.strings = annotator.strings;
    this.bar = $("annotate-bar");
    this.pickedSelection = null;
    this.build();
    this.wire();
  }

  build() {
    $("annotate-colors").replaceChildren(...swatches(this.strings, this.a.color, (color) => this.setColor(color)));
    this.a.fillVisibility($("annotate-visibility"));
    if (this.a.readOnly) {
      for (const button of this.bar.querySelectorAll("button, select")) button.disabled = true;
      $("annotate-hint").textContent = this.strings.meetingClosed;
    }
  }

  /** Choose the tool ("read" to read, select and tap). */
  setTool(tool) {
    const a = this.a;
    if (a.readOnly) tool = "read";
    a.drawing.commitInk();
    a.drawing.cancelDraft();
    a.tool = tool;
    for (const button of this.bar.querySelectorAll("[data-tool]")) {
      button.setAttribute("aria-pressed", button.dataset.tool === tool ? "true" : "false");
    }
    a.reader.sheet.dataset.tool = tool;
    a.reader.sheet.classList.toggle("drawing", tool !== "read");
    $("annotate-hint").textContent = a.readOnly ? this.strings.meetingClosed : this.strings.hints[tool] || "";
  }

  setColor(color) {
    this.a.color = color;
    for (const button of $("annotate-colors").querySelectorAll(".swatch")) {
      button.setAttribute("aria-pressed", button.dataset.color === color ? "true" : "false");
    }
  }

  setShown(shown) {
    this.bar.hidden = !shown;
    $("annotate-toggle").setAttribute("aria-pressed", shown ? "true" : "false");
    if (!shown) this.setTool("read");
  }

  /** Enable undo when there is something to take back. */
  updateUndo(possible) {
    $("annotate-undo").disabled = this.a.readOnly || !possible;
  }

  wire() {
    const a = this.a;
    const saved = remembered(REMEMBER_BAR);
    this.setShown(saved ? saved === "shown" : window.innerWidth >= 600);
    $("annotate-toggle").addEventListener("click", () => {
      const shown = this.bar.hidden;
      this.setShown(shown);
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
      a.visibility = event.target.value;
    });
    $("annotate-undo").addEventListener("click", () => a.undo());
    document.addEventListener("keydown", (event) => {
      const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z" && !typing) {
        event.preventDefault();
        a.undo();
      } else if (event.key === "Escape" && !typing) {
        if (!a.card.hidden) a.card.close();
        else if (a.tool !== "read") this.setTool("read");
      }
    });
  }

  onToolButton(tool) {
    const picked = this.pickedSelection || this.selectionWords();
    this.pickedSelection = null;
    if (TEXT_KINDS.has(tool) && picked) {
      // text already selected: mark it at once, and stay in the mode the reader was in
      this.a.markWords(tool, picked.page, picked.words, picked.first, picked.last);
      window.getSelection()?.removeAllRanges();
      return;
    }
    this.setTool(this.a.tool === tool && tool !== "read" ? "read" : tool);
  }

  /** The words of the text layer the reader has selected: {page, words, first, last} or null. */
  selectionWords() {
    const selection = window.getSelection();
    const layer = this.a.reader.textLayer;
    const shown = this.a.words;
    if (!selection || selection.isCollapsed || !selection.rangeCount || !shown) return null;
    if (Number(layer.dataset.page) !== shown.page || shown.page !== this.a.reader.page) return null;
    const range = selection.getRangeAt(0);
    const spans = [...layer.children];
    let first = null;
    let last = null;
    spans.forEach((span, i) => {
      const word = shown.words[i];
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
    return first === null ? null : { page: shown.page, words: shown.words, first, last };
  }
}

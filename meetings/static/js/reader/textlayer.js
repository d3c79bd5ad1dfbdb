// The transparent text over a page image, so that a finger or a mouse can select and copy the text,
// and the boxes that mark search hits. Both are laid out in PDF points and scaled as a whole with
// one CSS transform, so zooming never rebuilds them.

const FONT = "sans-serif";
let measure = null;

function textWidth(text, size) {
  if (!measure) measure = document.createElement("canvas").getContext("2d");
  measure.font = `${size}px ${FONT}`;
  return measure.measureText(text).width;
}

/** Size a layer to a page of width × height points, shown cssWidth CSS pixels wide. */
export function scaleLayer(layer, width, height, cssWidth) {
  layer.style.width = `${width}px`;
  layer.style.height = `${height}px`;
  layer.style.transform = `scale(${cssWidth / width})`;
}

/**
 * Fill layer with one absolutely placed span per word, stretched to the word's box, each followed by
 * a space (or a line break at the end of a line) so that copied text reads naturally.
 */
export function renderText(layer, text) {
  const fragment = document.createDocumentFragment();
  const words = text.words;
  words.forEach((word, i) => {
    const height = Math.max(1, word.y1 - word.y0);
    const width = Math.max(1, word.x1 - word.x0);
    const span = document.createElement("span");
    const next = words[i + 1];
    const sameLine = next && Math.abs(next.y0 - word.y0) < height * 0.5 && next.x0 >= word.x0;
    span.textContent = word.text + (sameLine ? " " : "\n");
    span.style.left = `${word.x0}px`;
    span.style.top = `${word.y0}px`;
    span.style.fontSize = `${height}px`;
    const natural = textWidth(word.text, height);
    if (natural > 0) span.style.transform = `scaleX(${width / natural})`;
    fragment.append(span);
  });
  layer.replaceChildren(fragment);
}

/**
 * Draw a box over each word of each hit; the current hit stands out. Returns the current hit's
 * first box (to scroll to), or null.
 */
export function renderHits(layer, words, hits, current = -1) {
  const fragment = document.createDocumentFragment();
  let currentBox = null;
  hits.forEach((hit, index) => {
    // the words of a hit on one line become one box: easier to see than a box per word
    const lines = [];
    for (const i of hit) {
      const w = words[i];
      const line = lines.find((l) => Math.abs(l.y0 - w.y0) < (w.y1 - w.y0) * 0.5);
      if (line) {
        line.x0 = Math.min(line.x0, w.x0);
        line.x1 = Math.max(line.x1, w.x1);
        line.y1 = Math.max(line.y1, w.y1);
      } else {
        lines.push({ x0: w.x0, y0: w.y0, x1: w.x1, y1: w.y1 });
      }
    }
    for (const box of lines) {
      const mark = document.createElement("div");
      mark.className = index === current ? "hit current" : "hit";
      mark.style.left = `${box.x0 - 1}px`;
      mark.style.top = `${box.y0 - 1}px`;
      mark.style.width = `${box.x1 - box.x0 + 2}px`;
      mark.style.height = `${box.y1 - box.y0 + 2}px`;
      fragment.append(mark);
      if (index === current && !currentBox) currentBox = mark;
    }
  });
  layer.replaceChildren(fragment);
  return currentBox;
}

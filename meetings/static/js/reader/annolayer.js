// Drawing annotations over a page, and the geometry they are made of.
//
// The layer is an SVG whose viewBox is the page in PDF points (origin at the top-left), stretched
// over the page image: what is stored is what is drawn, at any zoom. Nothing here touches the
// network or the user's text: notes and names are shown elsewhere, with textContent.

const SVG = "http://www.w3.org/2000/svg";
export const NOTE_SIZE = 20; // points: a note's icon, its top-left corner at the stored point
const KIND_ORDER = { highlight: 0, rect: 1, underline: 2, strikeout: 2, ink: 3, note: 4 };

export function svgEl(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  }
  return el;
}

const round = (v) => Math.round(v * 100) / 100;

/** The colour without its alpha, for SVG attributes (#rrggbb). */
function solid(color) {
  return /^#[0-9a-f]{6}/i.test(color || "") ? color.slice(0, 7) : "#ffd400";
}

/** The box an annotation covers, [x0, y0, x1, y1] in points. */
export function bounds(a) {
  const g = a.geometry || {};
  if (Array.isArray(g.rects) && g.rects.length) {
    return g.rects.reduce((b, r) => [Math.min(b[0], r[0]), Math.min(b[1], r[1]), Math.max(b[2], r[2]), Math.max(b[3], r[3])],
      [Infinity, Infinity, -Infinity, -Infinity]);
  }
  if (Array.isArray(g.rect)) return g.rect;
  if (Array.isArray(g.point)) return [g.point[0], g.point[1], g.point[0] + NOTE_SIZE, g.point[1] + NOTE_SIZE];
  if (Array.isArray(g.strokes)) {
    const pts = g.strokes.flat();
    const w = (g.width || 2) / 2;
    return [Math.min(...pts.map((p) => p[0])) - w, Math.min(...pts.map((p) => p[1])) - w,
      Math.max(...pts.map((p) => p[0])) + w, Math.max(...pts.map((p) => p[1])) + w];
  }
  return [0, 0, 0, 0];
}

function strokePath(points) {
  if (!points.length) return "";
  if (points.length === 1) {
    const [x, y] = points[0];
    return `M${round(x)} ${round(y)}l0.01 0`; // a dot: round caps make it visible
  }
  return points.map(([x, y], i) => `${i ? "L" : "M"}${round(x)} ${round(y)}`).join("");
}

/** One annotation as an SVG group. */
export function drawAnnotation(a) {
  const color = solid(a.color);
  const g = svgEl("g", {
    class: "annotation", "data-key": a.key, "data-kind": a.kind, "data-page": a.page,
    "data-id": a.id ?? "", "data-pending": a.pending ? "true" : "false",
  });
  const geometry = a.geometry || {};
  if (a.kind === "highlight") {
    for (const [x0, y0, x1, y1] of geometry.rects || []) {
      g.append(svgEl("rect", { class: "shape fill", x: x0 - 0.5, y: y0, width: x1 - x0 + 1, height: y1 - y0, fill: color }));
    }
  } else if (a.kind === "underline" || a.kind === "strikeout") {
    for (const [x0, y0, x1, y1] of geometry.rects || []) {
      const height = y1 - y0;
      const y = a.kind === "underline" ? y1 - height * 0.06 : y0 + height * 0.55;
      g.append(svgEl("rect", { class: "hit-area", x: x0, y: y0, width: x1 - x0, height }));
      g.append(svgEl("line", {
        class: "shape line", x1: x0, y1: y, x2: x1, y2: y, stroke: color, "stroke-width": Math.max(1, height * 0.09),
      }));
    }
  } else if (a.kind === "ink") {
    for (const stroke of geometry.strokes || []) {
      g.append(svgEl("path", { class: "shape ink", d: strokePath(stroke), stroke: color, "stroke-width": geometry.width || 2 }));
    }
  } else if (a.kind === "rect" && Array.isArray(geometry.rect)) {
    const [x0, y0, x1, y1] = geometry.rect;
    g.append(svgEl("rect", { class: "shape area", x: x0, y: y0, width: x1 - x0, height: y1 - y0, stroke: color, fill: color }));
  } else if (a.kind === "note" && Array.isArray(geometry.point)) {
    const [x, y] = geometry.point;
    const s = NOTE_SIZE;
    const icon = svgEl("g", { class: "shape note-icon", transform: `translate(${round(x)} ${round(y)})` });
    icon.append(
      svgEl("path", { class: "note-paper", d: `M1 1h${s - 2}v${s * 0.62}l-${s * 0.3} ${s * 0.3}H1z`, fill: color }),
      svgEl("path", { class: "note-fold", d: `M${s - 1} ${s * 0.62 + 1}h-${s * 0.3}v${s * 0.3}`, fill: "none" }),
      svgEl("path", { class: "note-lines", d: `M${s * 0.22} ${s * 0.3}h${s * 0.56}M${s * 0.22} ${s * 0.5}h${s * 0.4}`, fill: "none" }),
    );
    g.append(icon);
  }
  if (a.note && a.kind !== "note") {
    // a small mark at the corner says "there is a note on this": tap to read it
    const [, y0, x1] = bounds(a);
    g.append(svgEl("circle", { class: "note-dot", cx: x1 + 2, cy: y0, r: 3.2, fill: color }));
  }
  return g;
}

/** Redraw layer with the annotations of one page, sized width × height points. */
export function renderLayer(layer, annotations, { page, width, height, selected }) {
  layer.setAttribute("viewBox", `0 0 ${width} ${height}`);
  layer.dataset.page = String(page);
  const shown = annotations.filter((a) => a.page === page && !a.orphaned)
    .sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9));
  const groups = shown.map((a) => {
    const g = drawAnnotation(a);
    if (a.key === selected) g.classList.add("selected");
    return g;
  });
  const drafts = layer.querySelector(".drafts");
  layer.replaceChildren(...groups, drafts || svgEl("g", { class: "drafts" }));
  return shown.length;
}

function distanceToSegment(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const length = dx * dx + dy * dy;
  const t = length ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length)) : 0;
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** The annotation under point (in points), with slop points of tolerance; the topmost wins. */
export function hitTest(annotations, page, point, slop = 6) {
  const [x, y] = point;
  const inside = (r, pad) => x >= r[0] - pad && x <= r[2] + pad && y >= r[1] - pad && y <= r[3] + pad;
  const candidates = annotations.filter((a) => a.page === page && !a.orphaned)
    .sort((a, b) => (KIND_ORDER[b.kind] ?? 9) - (KIND_ORDER[a.kind] ?? 9));
  for (const a of candidates) {
    const g = a.geometry || {};
    if (a.kind === "note" && inside(bounds(a), slop)) return a;
    if (Array.isArray(g.rects) && g.rects.some((r) => inside(r, slop / 2))) return a;
    if (a.kind === "ink" && inside(bounds(a), slop)) {
      const reach = (g.width || 2) / 2 + slop;
      for (const stroke of g.strokes || []) {
        for (let i = 0; i < stroke.length; i++) {
          if (distanceToSegment(point, stroke[i], stroke[Math.min(i + 1, stroke.length - 1)]) <= reach) return a;
        }
      }
    }
    if (a.kind === "rect" && Array.isArray(g.rect)) {
      const [x0, y0, x1, y1] = g.rect;
      const nearEdge = inside(g.rect, slop) && (x - x0 <= slop || x1 - x <= slop || y - y0 <= slop || y1 - y <= slop);
      // a small area is tapped anywhere inside; a large one on its edge, so the text in it stays readable
      if (nearEdge || (inside(g.rect, 0) && (x1 - x0) * (y1 - y0) < 120 * 120)) return a;
    }
  }
  return null;
}

// ---- text: words of the text layer ([{text, x0, y0, x1, y1}] in points) -------------------------

/** The index of the word at point, or the nearest word on the nearest line (null: no words). */
export function wordAt(words, [x, y]) {
  let best = null;
  let bestScore = Infinity;
  words.forEach((w, i) => {
    const dy = y < w.y0 ? w.y0 - y : y > w.y1 ? y - w.y1 : 0;
    const dx = x < w.x0 ? w.x0 - x : x > w.x1 ? x - w.x1 : 0;
    const score = dy * 4 + dx; // off the line counts more than along it
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return bestScore <= 40 ? best : null;
}

/** One rectangle per line of words, as the server makes them (annotations/anchoring.rects_of). */
export function lineRects(words) {
  const rects = [];
  for (const w of words) {
    const last = rects[rects.length - 1];
    if (last && w.y0 < last[3] && w.y1 > last[1] && w.x0 >= last[0] - 1) {
      last[0] = Math.min(last[0], w.x0);
      last[1] = Math.min(last[1], w.y0);
      last[2] = Math.max(last[2], w.x1);
      last[3] = Math.max(last[3], w.y1);
    } else {
      rects.push([w.x0, w.y0, w.x1, w.y1]);
    }
  }
  return rects.map((r) => r.map(round));
}

const squash = (text) => text.split(/\s+/).filter(Boolean).join(" ");

/** The quote of words[first..last]: the words joined with single spaces, and up to 32 characters
 * of the words either side (as annotations/anchoring.quote_from makes it). */
export function quoteOf(words, first, last, context = 32) {
  const join = (list) => squash(list.map((w) => w.text).join(" "));
  return {
    exact: join(words.slice(first, last + 1)),
    prefix: join(words.slice(0, first)).slice(-context),
    suffix: join(words.slice(last + 1)).slice(0, context),
  };
}

/** Ramer–Douglas–Peucker: drop the points of a stroke that lie within epsilon of the line kept. */
export function simplify(points, epsilon = 0.6) {
  if (points.length < 3) return points.map((p) => p.map(round));
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [from, to] = stack.pop();
    let worst = -1;
    let index = -1;
    for (let i = from + 1; i < to; i++) {
      const d = distanceToSegment(points[i], points[from], points[to]);
      if (d > worst) {
        worst = d;
        index = i;
      }
    }
    if (worst > epsilon) {
      keep[index] = 1;
      stack.push([from, index], [index, to]);
    }
  }
  return points.filter((_, i) => keep[i]).map((p) => p.map(round));
}

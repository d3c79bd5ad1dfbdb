// The document reader: one page at a time, fitted to the width, turned by swipe, keys or buttons,
// zoomed by pinch, double-tap or buttons (then fetched sharper), with selectable text, thumbnails,
// outline, search, and the meeting's other documents a tap away. The page number lives in the
// address (#page=3), so reloading or coming back keeps the place.

import { api, ApiFailure } from "../api.js";
import { fill, jsonBlock, remember, remembered } from "../shared.js";
import { Annotator } from "./annotate.js";
import { attachGestures } from "./gestures.js";
import { markCurrent, markOutline, renderAgenda, renderOutline, SidePanel } from "./panel.js";
import { DocumentSearch } from "./search.js";
import { renderText, scaleLayer } from "./textlayer.js";
import { ThumbnailStrip } from "./thumbnails.js";

const MIN_ZOOM = 0.5;
const MAX_ZOOM = 4;
const ZOOM_STEP = 1.25;
const MAX_FIT_WIDTH = 1200; // CSS px: wider than this a page is no easier to read on a desktop
const SHOW_SPINNER_AFTER_MS = 120; // a prefetched page appears before a spinner would be noticed
const SHARPEN_AFTER_MS = 180;
const REMEMBER_THUMBS = "paperless.reader.thumbs";

const $ = (id) => document.getElementById(id);

function pageFromHash() {
  const match = /(?:^#|&)page=(\d+)/.exec(location.hash);
  return match ? Number(match[1]) : null;
}

function documentIdFromPath() {
  const match = /\/documents\/(\d+)\/?$/.exec(location.pathname);
  return match ? Number(match[1]) : null;
}

class Reader {
  constructor(root) {
    this.root = root;
    this.apiRoot = root.dataset.apiRoot;
    this.readerBase = root.dataset.readerBase;
    this.strings = jsonBlock("reader-strings");
    this.config = jsonBlock("reader-config");
    this.meeting = jsonBlock("reader-meeting");
    this.doc = null;
    this.page = 1;
    this.zoom = 1;
    this.texts = new Map(); // page -> Promise of its text layer, for the open document
    this.prefetched = [];
    this.token = 0; // bumped whenever the page or document changes: late answers are dropped
    this.shown = { page: 0, width: 0, url: "" }; // the image on screen

    this.stage = $("stage");
    this.sheet = $("sheet");
    this.image = $("page-image");
    this.textLayer = $("text-layer");
    this.hitLayer = $("hit-layer");
    this.pageInput = $("page-input");

    this.panel = new SidePanel($("reader-panel"), {
      toggle: $("panel-toggle"), close: $("panel-close"), backdrop: $("panel-backdrop"),
      tabs: [$("tab-documents"), $("tab-outline"), $("tab-search"), $("tab-annotations")],
    });
    this.thumbs = new ThumbnailStrip($("thumb-list"), $("thumbs"), {
      onPick: (page) => this.go(page),
      label: (page) => fill(this.strings.page, { page }),
    });
    this.finder = new DocumentSearch(this);
    this.wire();
    renderAgenda($("agenda-list"), this.meeting, {
      currentId: null, readerUrl: (id) => this.readerUrl(id), strings: this.strings,
      onOpen: (doc, event) => this.onAgendaOpen(doc, event),
    });
    const initial = jsonBlock("reader-document");
    this.annotations = new Annotator(this, { strings: this.strings, viewer: jsonBlock("reader-viewer"), meeting: this.meeting });
    this.setThumbsShown(this.thumbsDefault());
    this.show(initial, pageFromHash() || 1);
  }

  // ---- addresses -------------------------------------------------------------------------------

  readerUrl(documentId) {
    return `${this.readerBase}/${documentId}`;
  }

  docUrl(path, params = {}) {
    const query = new URLSearchParams(params);
    if (this.doc.version) query.set("version", this.doc.version);
    return `${this.apiRoot}/documents/${this.doc.id}${path}?${query}`;
  }

  imageUrl(page, width) {
    // the version is part of the address: images are cached as immutable, and a new version's
    // pages must not be answered from the cache of the old one's
    return this.docUrl(`/pages/${page}/image`, { width, format: "webp" });
  }

  /** The width bucket for a page shown cssWidth CSS pixels wide on this screen. */
  bucketFor(cssWidth) {
    const wanted = Math.min(this.config.maxWidth, Math.ceil(cssWidth * (window.devicePixelRatio || 1)));
    return this.config.buckets.find((b) => b >= wanted) || this.config.maxWidth;
  }

  // ---- wiring ----------------------------------------------------------------------------------

  wire() {
    $("prev-page").addEventListener("click", () => this.go(this.page - 1));
    $("next-page").addEventListener("click", () => this.go(this.page + 1));
    $("zoom-in").addEventListener("click", () => this.setZoom(this.zoom * ZOOM_STEP));
    $("zoom-out").addEventListener("click", () => this.setZoom(this.zoom / ZOOM_STEP));
    $("zoom-reset").addEventListener("click", () => this.setZoom(1));
    $("page-retry").addEventListener("click", () => {
      this.hideError();
      if (this.retry) this.retry();
    });
    $("thumbs-toggle").addEventListener("click", () => {
      const shown = !this.root.classList.contains("thumbs-shown");
      this.setThumbsShown(shown);
      remember(REMEMBER_THUMBS, shown ? "shown" : "hidden");
    });
    $("search-toggle").addEventListener("click", () => this.panel.open("tab-search"));

    const jump = () => {
      const wanted = parseInt(this.pageInput.value, 10);
      if (Number.isFinite(wanted)) this.go(wanted);
      else this.pageInput.value = String(this.page);
    };
    this.pageInput.addEventListener("change", jump);
    this.pageInput.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        jump();
        this.pageInput.select();
      }
    });
    this.pageInput.addEventListener("focus", () => this.pageInput.select());

    $("search-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.finder.run($("search-input").value);
    });
    $("search-input").addEventListener("search", (event) => {
      if (!event.target.value) this.finder.clear();
    });

    document.addEventListener("keydown", (event) => this.onKey(event));
    window.addEventListener("hashchange", () => {
      const page = pageFromHash();
      if (page && page !== this.page) this.go(page);
    });
    window.addEventListener("popstate", () => {
      const id = documentIdFromPath();
      if (id && this.doc && id !== this.doc.id) this.openDocument(id, pageFromHash() || 1, { push: false });
      else if (pageFromHash()) this.go(pageFromHash());
    });

    let lastWidth = 0;
    new ResizeObserver(() => {
      const width = this.stage.clientWidth;
      if (width && width !== lastWidth) {
        lastWidth = width;
        this.layout();
        this.sharpenSoon();
      }
    }).observe(this.stage);

    this.stage.addEventListener("dblclick", (event) => {
      if (this.lastPointerType === "mouse") this.toggleZoomAt({ x: event.clientX, y: event.clientY });
    });
    // a trackpad's pinch (and Ctrl + wheel) zooms the page, not the whole app
    this.stage.addEventListener("wheel", (event) => {
      if (!event.ctrlKey || !this.doc) return;
      event.preventDefault();
      this.setZoom(this.zoom * Math.exp(-event.deltaY / 300), { x: event.clientX, y: event.clientY });
    }, { passive: false });
    this.stage.addEventListener("pointerdown", (event) => {
      this.lastPointerType = event.pointerType;
    }, { capture: true });
    this.wireGestures();
  }

  wireGestures() {
    let swiping = false;
    let pinchOrigin = null;
    const atEnd = (dx) => (dx < 0 && this.page >= this.pageCount()) || (dx > 0 && this.page <= 1);
    attachGestures(this.stage, {
      canSwipe: () => this.pageCount() > 1 && !this.wider(),
      swipeMove: (dx) => {
        swiping = true;
        this.sheet.classList.remove("settle", "enter-next", "enter-prev");
        const shift = atEnd(dx) ? dx / 4 : dx; // resist past the first and last page
        this.sheet.style.transform = `translateX(${shift}px)`;
      },
      swipeEnd: (direction) => {
        if (!swiping) return;
        swiping = false;
        this.sheet.style.transform = "";
        if (direction === "next" && this.page < this.pageCount()) this.go(this.page + 1, { enter: "next" });
        else if (direction === "prev" && this.page > 1) this.go(this.page - 1, { enter: "prev" });
        else this.animate("settle");
      },
      pinchStart: (center) => {
        const box = this.sheet.getBoundingClientRect();
        pinchOrigin = center;
        this.sheet.style.transformOrigin = `${center.x - box.left}px ${center.y - box.top}px`;
      },
      pinchMove: (scale) => {
        const clamped = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.zoom * scale)) / this.zoom;
        this.sheet.style.transform = `scale(${clamped})`;
      },
      pinchEnd: (scale) => {
        this.sheet.style.transform = "";
        this.sheet.style.transformOrigin = "";
        if (scale !== 1 && pinchOrigin) this.setZoom(this.zoom * scale, pinchOrigin);
        pinchOrigin = null;
      },
      doubleTap: (point) => this.toggleZoomAt(point),
    });
  }

  onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable], [role=tab]")) return;
    const actions = {
      ArrowRight: () => this.go(this.page + 1),
      PageDown: () => this.go(this.page + 1),
      ArrowLeft: () => this.go(this.page - 1),
      PageUp: () => this.go(this.page - 1),
      Home: () => this.go(1),
      End: () => this.go(this.pageCount()),
      "+": () => this.setZoom(this.zoom * ZOOM_STEP),
      "=": () => this.setZoom(this.zoom * ZOOM_STEP),
      "-": () => this.setZoom(this.zoom / ZOOM_STEP),
      0: () => this.setZoom(1),
    };
    const action = actions[event.key];
    if (!action || !this.doc) return;
    event.preventDefault();
    action();
  }

  onAgendaOpen(doc, event) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    this.panel.picked();
    if (this.doc && doc.id === this.doc.id) return;
    this.openDocument(doc.id, 1, { push: true });
  }

  // ---- documents -------------------------------------------------------------------------------

  pageCount() {
    return (this.doc && this.doc.page_count) || 0;
  }

  async openDocument(documentId, page, { push }) {
    const token = ++this.token;
    if (push) history.pushState(null, "", `${this.readerUrl(documentId)}#page=${page}`);
    markCurrent($("agenda-list"), documentId);
    this.setLoading(true, token);
    let doc;
    try {
      doc = await api("GET", `${this.apiRoot}/documents/${documentId}`, undefined, this.apiOptions());
    } catch (failure) {
      if (token !== this.token) return;
      this.showError(failure.message || this.strings.documentFailed, {
        retry: () => this.openDocument(documentId, page, { push: false }),
      });
      return;
    }
    if (token !== this.token) return;
    this.show(doc, page);
  }

  /** Show doc (as getDocument answers it) at page. */
  show(doc, page) {
    this.token++;
    this.doc = doc;
    this.texts = new Map();
    this.prefetched = [];
    this.shown = { page: 0, width: 0, url: "" };
    this.zoom = 1;
    this.finder.clear({ keepQuery: true });
    $("doc-title").textContent = doc.title;
    document.title = `${doc.title} · ${this.meeting.title}`;
    markCurrent($("agenda-list"), doc.id);
    const count = this.pageCount();
    $("page-total").textContent = `/ ${count}`;
    this.pageInput.max = String(Math.max(1, count));
    const ratios = (doc.page_sizes || []).map(([w, hgt]) => hgt / w);
    this.thumbs.show(count, (p) => this.imageUrl(p, this.config.thumbnailWidth), ratios);
    this.loadOutline();
    this.annotations.showDocument(doc);
    if (!count) {
      this.image.removeAttribute("src");
      this.image.alt = "";
      this.textLayer.replaceChildren();
      this.hitLayer.replaceChildren();
      this.updatePager();
      this.showError(this.strings.noPages);
      return;
    }
    this.page = 0;
    this.go(Math.min(Math.max(1, page), count), { force: true });
  }

  async loadOutline() {
    const doc = this.doc;
    const list = $("outline-list");
    list.replaceChildren();
    let outline = [];
    if (this.pageCount()) {
      try {
        outline = await api("GET", this.docUrl("/outline"), undefined, this.apiOptions());
      } catch (_) {
        outline = []; // an outline is a convenience: the reader works without it
      }
    }
    if (doc !== this.doc) return;
    renderOutline(list, $("outline-empty"), outline, {
      strings: this.strings, currentPage: this.page,
      onPick: (page) => {
        this.panel.picked();
        this.go(page);
      },
    });
  }

  // ---- pages -----------------------------------------------------------------------------------

  /** Turn to page (clamped to the document). */
  go(page, { force = false, enter = null } = {}) {
    const count = this.pageCount();
    if (!count) return;
    const target = Math.min(Math.max(1, Math.round(page)), count);
    if (target === this.page && !force) {
      this.pageInput.value = String(target);
      return;
    }
    const forward = target > this.page;
    this.page = target;
    this.token++;
    this.updatePager();
    history.replaceState(history.state, "", `#page=${target}`);
    this.stage.scrollTo({ top: 0, left: this.stage.scrollLeft });
    this.textLayer.replaceChildren();
    this.hitLayer.replaceChildren();
    this.layout();
    this.annotations.showPage(target);
    this.loadImage();
    this.loadText();
    if (enter) this.animate(enter);
    else if (!force) this.animate(forward ? "next" : "prev");
  }

  animate(name) {
    const cls = name === "next" ? "enter-next" : name === "prev" ? "enter-prev" : name;
    this.sheet.classList.remove("settle", "enter-next", "enter-prev");
    void this.sheet.offsetWidth; // restart the animation
    this.sheet.classList.add(cls);
  }

  updatePager() {
    const count = this.pageCount();
    this.pageInput.value = String(this.page || 1);
    this.pageInput.disabled = !count;
    $("prev-page").disabled = this.page <= 1;
    $("next-page").disabled = this.page >= count;
    this.sheet.dataset.page = String(this.page);
    $("page-status").textContent = count ? fill(this.strings.pageOf, { page: this.page, total: count }) : "";
    this.thumbs.select(this.page);
    markOutline($("outline-list"), this.page);
    this.finder.mark();
  }

  /** The CSS width that fits the stage, and the page's size at the current zoom. */
  layout() {
    if (!this.doc || !this.page) return;
    const style = getComputedStyle(this.stage);
    const room = this.stage.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    this.fitWidth = Math.max(120, Math.min(MAX_FIT_WIDTH, room));
    const [w, hgt] = this.doc.page_sizes[this.page - 1] || [595, 842];
    const width = Math.round(this.fitWidth * this.zoom);
    const height = Math.round((width * hgt) / w);
    this.sheet.style.width = `${width}px`;
    this.sheet.style.height = `${height}px`;
    this.cssWidth = width;
    const text = this.textLayer.dataset.width;
    if (text) {
      scaleLayer(this.textLayer, Number(text), Number(this.textLayer.dataset.height), width);
      scaleLayer(this.hitLayer, Number(text), Number(this.textLayer.dataset.height), width);
    }
    this.stage.classList.toggle("zoomed", this.wider());
    $("zoom-reset").textContent = `${Math.round(this.zoom * 100)}%`;
    $("zoom-reset").setAttribute("aria-label", `${this.strings.fitWidth} (${fill(this.strings.zoomLevel, { percent: Math.round(this.zoom * 100) })})`);
    $("zoom-out").disabled = this.zoom <= MIN_ZOOM + 1e-3;
    $("zoom-in").disabled = this.zoom >= MAX_ZOOM - 1e-3;
  }

  /** Whether the page is wider than the stage (zoomed in): then a horizontal drag pans, not turns. */
  wider() {
    const style = getComputedStyle(this.stage);
    const room = this.stage.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return this.sheet.offsetWidth > room + 1; // the layout width: a running page-turn animation does not count
  }

  /** Load the current page's image at the width the screen needs; keep what is shown until it arrives. */
  loadImage(retry = false) {
    const token = this.token;
    const page = this.page;
    const width = this.bucketFor(this.cssWidth);
    const url = this.imageUrl(page, width); // failed loads are not cached: trying again is asking again
    const samePage = this.shown.page === page;
    if (samePage && this.shown.width >= width && !retry) return;
    this.hideError();
    if (!samePage) {
      this.sheet.dataset.state = "loading";
      setTimeout(() => {
        if (token === this.token && this.shown.page !== page && this.sheet.dataset.state === "loading") {
          this.image.removeAttribute("src"); // a blank sheet, not the previous page, under the spinner
          this.image.alt = "";
          this.setLoading(true, token);
        }
      }, SHOW_SPINNER_AFTER_MS);
    }
    const probe = new Image();
    probe.decoding = "async";
    const doc = this.doc;
    probe.onload = () => {
      // a late answer for another page or document is dropped, and so is a blurrier one than shown
      if (this.doc !== doc || this.page !== page) return;
      if (this.shown.page === page && this.shown.width >= width && !retry) return;
      this.image.src = url;
      this.image.alt = fill(this.strings.pageOf, { page, total: this.pageCount() });
      this.image.dataset.width = String(width);
      this.shown = { page, width, url };
      this.prefetch(width);
      // "ready" once the image on screen is decoded: what the reader sees is the page it asked for
      this.image.decode().catch(() => {}).then(() => {
        if (this.doc !== doc || this.page !== page || this.shown.url !== url) return;
        this.sheet.dataset.state = "ready";
        this.setLoading(false);
        if (this.bucketFor(this.cssWidth) > width) this.loadImage(); // zoomed while it loaded
      });
    };
    probe.onerror = () => {
      if (this.doc !== doc || this.page !== page) return;
      if (this.shown.page === page) return; // a sharper image failed: the one shown will do
      this.sheet.dataset.state = "error";
      this.image.removeAttribute("src");
      this.image.alt = "";
      this.setLoading(false);
      this.showError(fill(this.strings.pageFailed, { page }), { retry: () => this.loadImage(true) });
    };
    probe.src = url;
  }

  /** The next two pages, at the same width, into the browser's cache. Fetched saying they are a
   * prefetch, so the server renders them after every page someone is looking at. */
  prefetch(width) {
    for (const page of [this.page + 1, this.page + 2]) {
      if (page > this.pageCount()) break;
      const url = this.imageUrl(page, width);
      if (this.prefetched.includes(url)) continue;
      this.prefetched.push(url);
      fetch(url, { headers: { "X-Purpose": "prefetch" }, credentials: "same-origin" }).catch(() => {
        this.prefetched = this.prefetched.filter((u) => u !== url); // not fetched: may try again
      });
    }
    if (this.prefetched.length > 12) this.prefetched.splice(0, this.prefetched.length - 12);
  }

  sharpenSoon() {
    clearTimeout(this.sharpenTimer);
    this.sharpenTimer = setTimeout(() => {
      if (this.doc && this.page && this.sheet.dataset.state === "ready") this.loadImage();
    }, SHARPEN_AFTER_MS);
  }

  text(page) {
    if (!this.texts.has(page)) {
      const promise = api("GET", this.docUrl(`/pages/${page}/text`), undefined, this.apiOptions());
      promise.catch(() => this.texts.delete(page)); // try again next time
      this.texts.set(page, promise);
    }
    return this.texts.get(page);
  }

  async loadText() {
    const token = this.token;
    let text;
    try {
      text = await this.text(this.page);
    } catch (_) {
      return; // the image is what matters; selection and highlights come back with the next visit
    }
    if (token !== this.token) return;
    this.textLayer.dataset.width = String(text.width);
    this.textLayer.dataset.height = String(text.height);
    renderText(this.textLayer, text);
    scaleLayer(this.textLayer, text.width, text.height, this.cssWidth);
    scaleLayer(this.hitLayer, text.width, text.height, this.cssWidth);
    this.textLayer.dataset.page = String(this.page);
    this.finder.paint(text);
  }

  // ---- zoom ------------------------------------------------------------------------------------

  /** Zoom to zoom (1 fits the width), keeping the point under focus (client coordinates) in place. */
  setZoom(zoom, focus = null) {
    const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    if (!this.doc || !this.page || Math.abs(next - this.zoom) < 1e-3) return;
    const before = this.sheet.getBoundingClientRect();
    const view = this.stage.getBoundingClientRect();
    const point = focus || { x: view.left + view.width / 2, y: view.top + Math.min(view.height, before.height) / 2 };
    const fx = (point.x - before.left) / before.width;
    const fy = (point.y - before.top) / before.height;
    this.zoom = next;
    this.layout();
    const after = this.sheet.getBoundingClientRect();
    this.stage.scrollLeft += after.left + fx * after.width - point.x;
    this.stage.scrollTop += after.top + fy * after.height - point.y;
    this.sharpenSoon();
  }

  toggleZoomAt(point) {
    this.setZoom(this.zoom > 1.05 ? 1 : 2, point);
  }

  // ---- states ----------------------------------------------------------------------------------

  setLoading(on, token = this.token) {
    if (on && token !== this.token) return;
    $("page-loading").hidden = !on;
    this.stage.setAttribute("aria-busy", on ? "true" : "false");
  }

  /** Say what went wrong over the page; retry, when given, is what the "Try again" button does. */
  showError(message, { retry = null } = {}) {
    this.setLoading(false);
    this.retry = retry;
    $("page-error-text").textContent = message;
    $("page-retry").hidden = !retry;
    $("page-error").hidden = false;
  }

  hideError() {
    $("page-error").hidden = true;
  }

  thumbsDefault() {
    const saved = remembered(REMEMBER_THUMBS);
    if (saved) return saved === "shown";
    return window.innerWidth >= 600 && window.innerHeight >= 600;
  }

  setThumbsShown(shown) {
    this.root.classList.toggle("thumbs-shown", shown);
    $("thumbs-toggle").setAttribute("aria-pressed", shown ? "true" : "false");
    if (shown) requestAnimationFrame(() => this.thumbs.select(this.page));
  }

  apiOptions() {
    return { networkError: this.strings.networkError, fallback: this.strings.failed };
  }
}

const root = document.getElementById("reader");
if (root) window.paperlessReader = new Reader(root);

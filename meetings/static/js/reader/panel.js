// The side panel: the meeting's agenda and documents, the document's outline, and search.
// Docked beside the page on wide screens, a drawer over it on narrow ones (phones, tablets upright).

import { fill, h, remember, remembered } from "../shared.js";

const DRAWER = "(max-width: 899px)";
const REMEMBER = "paperless.reader.panel";

export class SidePanel {
  constructor(root, { toggle, close, backdrop, tabs }) {
    this.root = root;
    this.toggleButton = toggle;
    this.backdrop = backdrop;
    this.tabs = tabs; // [button]
    this.drawerQuery = window.matchMedia(DRAWER);
    this.docked = remembered(REMEMBER) !== "closed";
    this.drawerOpen = false;

    toggle.addEventListener("click", () => (this.isDrawer() ? this.setDrawer(!this.drawerOpen) : this.setDocked(!this.docked)));
    close.addEventListener("click", () => (this.isDrawer() ? this.setDrawer(false) : this.setDocked(false)));
    backdrop.addEventListener("click", () => this.setDrawer(false));
    root.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.isDrawer() && this.drawerOpen) {
        event.stopPropagation();
        this.setDrawer(false);
      }
    });
    this.drawerQuery.addEventListener("change", () => this.apply());
    for (const tab of tabs) {
      tab.addEventListener("click", () => this.select(tab.id));
      tab.addEventListener("keydown", (event) => this.tabKey(event, tab));
    }
    this.apply();
  }

  isDrawer() {
    return this.drawerQuery.matches;
  }

  /** Show the panel (open the drawer, or dock it), with the tab named tabId selected. */
  open(tabId) {
    if (tabId) this.select(tabId);
    if (this.isDrawer()) this.setDrawer(true);
    else this.setDocked(true);
  }

  /** After the reader picked something from the panel: a drawer gets out of the way of the page. */
  picked() {
    if (this.isDrawer() && this.drawerOpen) this.setDrawer(false, { restoreFocus: false });
  }

  setDocked(docked) {
    this.docked = docked;
    remember(REMEMBER, docked ? "open" : "closed");
    this.apply();
    if (docked) this.focusSelectedTab();
    else this.toggleButton.focus();
  }

  setDrawer(open, { restoreFocus = true } = {}) {
    this.drawerOpen = open;
    this.apply();
    if (open) this.focusSelectedTab();
    else if (restoreFocus) this.toggleButton.focus();
  }

  apply() {
    const drawer = this.isDrawer();
    const shown = drawer ? this.drawerOpen : this.docked;
    const reader = this.root.closest(".reader");
    reader.classList.toggle("panel-drawer", drawer);
    reader.classList.toggle("panel-shown", shown);
    this.root.hidden = false;
    this.root.inert = !shown;
    this.root.setAttribute("aria-hidden", shown ? "false" : "true");
    if (drawer) {
      this.root.setAttribute("role", "dialog");
      this.root.setAttribute("aria-modal", "true");
    } else {
      this.root.removeAttribute("role");
      this.root.removeAttribute("aria-modal");
    }
    this.backdrop.hidden = !(drawer && shown);
    this.toggleButton.setAttribute("aria-expanded", shown ? "true" : "false");
    this.root.dispatchEvent(new CustomEvent("panel-layout", { bubbles: true }));
  }

  focusSelectedTab() {
    const selected = this.tabs.find((t) => t.getAttribute("aria-selected") === "true");
    const pane = selected && document.getElementById(selected.getAttribute("aria-controls"));
    const field = pane && pane.querySelector("input");
    (field || selected)?.focus({ preventScroll: true });
  }

  select(tabId) {
    for (const tab of this.tabs) {
      const chosen = tab.id === tabId;
      tab.setAttribute("aria-selected", chosen ? "true" : "false");
      tab.tabIndex = chosen ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !chosen;
    }
  }

  tabKey(event, tab) {
    const index = this.tabs.indexOf(tab);
    const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: this.tabs.length - 1 - index };
    if (!(event.key in moves)) return;
    event.preventDefault();
    event.stopPropagation();
    const next = this.tabs[(index + moves[event.key] + this.tabs.length) % this.tabs.length];
    this.select(next.id);
    next.focus();
  }
}

/**
 * The agenda with its documents, grouped as main, reference and links, each a link to the reader.
 * readerUrl(id) is a document's reader address; onOpen(document, event) is called on a click.
 */
export function renderAgenda(nav, meeting, { currentId, readerUrl, onOpen, strings }) {
  const groups = [
    ["main", strings.mainDocuments],
    ["reference", strings.referenceDocuments],
    ["link", strings.links],
  ];

  const documentItem = (doc) => {
    const current = doc.id === currentId;
    const meta = [];
    if (doc.number) meta.push(doc.symbol ? `${doc.number}/${doc.symbol}` : doc.number);
    if (doc.page_count) meta.push(fill(doc.page_count === 1 ? strings.pageCountOne : strings.pageCountOther, { n: doc.page_count }));
    const badge = doc.confidentiality === "confidential" ? strings.confidential
      : doc.confidentiality === "restricted" ? strings.restricted : null;
    if (doc.category === "link") {
      return h("li", { class: "nav-doc nav-link" },
        h("a", { href: doc.url, target: "_blank", rel: "noopener noreferrer" },
          h("span", { class: "nav-doc-title" }, doc.title),
          h("span", { class: "sr-only" }, ` ${strings.opensInNewTab}`),
          h("span", { class: "nav-doc-meta" }, doc.url)));
    }
    const link = h("a", {
      href: readerUrl(doc.id), dataset: { documentId: doc.id },
      onclick: (event) => onOpen(doc, event),
    },
    h("span", { class: "nav-doc-title" }, doc.title),
    h("span", { class: "nav-doc-meta" }, meta.join(" · "), badge ? h("span", { class: `badge ${doc.confidentiality}` }, badge) : null));
    if (current) link.setAttribute("aria-current", "page");
    return h("li", { class: `nav-doc nav-${doc.category}` }, link);
  };

  const documentsOf = (docs) => groups
    .map(([category, label]) => {
      const chosen = docs.filter((d) => d.category === category);
      if (!chosen.length) return null;
      return h("div", { class: "nav-group" },
        h("p", { class: "nav-group-label" }, label),
        h("ul", { class: "nav-docs" }, chosen.map(documentItem)));
    })
    .filter(Boolean);

  const hasDocuments = (item) => item.documents.length || item.children.some(hasDocuments);
  const itemView = (item, depth) => h("li", { class: `nav-item depth-${depth}`, dataset: { agendaId: item.id } },
    h("p", { class: "nav-item-title" }, item.title),
    documentsOf(item.documents),
    item.children.length ? h("ol", { class: "nav-items" }, item.children.filter(hasDocuments).map((c) => itemView(c, depth + 1))) : null);

  const content = [h("ol", { class: "nav-items" }, meeting.agenda.filter(hasDocuments).map((item) => itemView(item, 0)))];
  if (meeting.documents.length) {
    content.push(h("div", { class: "nav-item" }, h("p", { class: "nav-item-title" }, strings.otherDocuments), documentsOf(meeting.documents)));
  }
  if (!meeting.agenda.some(hasDocuments) && !meeting.documents.length) {
    content.push(h("p", { class: "muted pane-note" }, strings.noDocuments));
  }
  nav.replaceChildren(...content);
}

/** Mark the document being read in the agenda. */
export function markCurrent(nav, documentId) {
  for (const link of nav.querySelectorAll("a[data-document-id]")) {
    if (Number(link.dataset.documentId) === documentId) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

/** The outline: one button per entry, indented by level. */
export function renderOutline(list, empty, outline, { onPick, strings, currentPage }) {
  empty.hidden = outline.length > 0;
  list.replaceChildren(...outline.map((entry) => {
    const button = h("button", {
      type: "button", class: "outline-entry", dataset: { page: entry.page },
      onclick: () => onPick(entry.page),
    }, h("span", { class: "outline-title" }, entry.title),
    h("span", { class: "outline-page", "aria-label": fill(strings.page, { page: entry.page }) }, String(entry.page)));
    button.style.setProperty("--level", String(Math.max(0, (entry.level || 1) - 1)));
    return h("li", {}, button);
  }));
  markOutline(list, currentPage);
}

/** Mark the outline entries of the page shown. */
export function markOutline(list, page) {
  for (const button of list.querySelectorAll(".outline-entry")) {
    button.classList.toggle("on-page", Number(button.dataset.page) === page);
  }
}

/** A snippet with its highlighted ranges as <mark>s, built as text nodes (never parsed as HTML). */
export function snippetNodes(snippet, highlights) {
  const nodes = [];
  let at = 0;
  const ranges = [...(highlights || [])].sort((a, b) => a[0] - b[0]);
  for (const [start, end] of ranges) {
    if (start < at || end <= start) continue;
    if (start > at) nodes.push(snippet.slice(at, start));
    nodes.push(h("mark", {}, snippet.slice(start, end)));
    at = end;
  }
  if (at < snippet.length) nodes.push(snippet.slice(at));
  return nodes;
}


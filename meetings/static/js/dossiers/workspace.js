// The secretary's workspace: build a meeting's dossier through the JSON API.
// Every change goes to the API; the page then re-renders from the dossier the API answers
// (getMeeting), so what the secretary sees is what the server holds.
import Sortable from "../../vendor/sortable.esm.js";
import { api, ApiFailure, h, jsonBlock, upload } from "../api.js";

const root = document.getElementById("workspace");
const T = jsonBlock("workspace-strings");
let meeting = jsonBlock("meeting-data");

const API = root.dataset.apiRoot;
const MEETING = `${API}/meetings/${meeting.id}`;
const LOCALE = root.dataset.locale || document.documentElement.lang || "vi";
const CALL_OPTIONS = { networkError: T.networkError, fallback: T.failed };
// One upload at a time: on a hall's shared Wi-Fi, parallel uploads only split the bandwidth, so each
// file would finish later. (Also, at the time of writing, concurrent uploads on the SQLite server fail
// with "database is locked": the upload's transaction waits on the render workers while holding the lock.)
const PARALLEL_UPLOADS = 1;

const $ = (id) => document.getElementById(id);
const call = (method, url, body) => api(method, url, body, CALL_OPTIONS);
const isClosed = () => meeting.status === "closed";

/** Fill {placeholders} of a translated string. */
function fmt(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

// -- formatting --------------------------------------------------------------------------------
const dateFormat = new Intl.DateTimeFormat(LOCALE, { weekday: "long", day: "numeric", month: "numeric", year: "numeric" });
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short" });
const plural = new Intl.PluralRules(LOCALE);
const sizeFormat = (bytes) => {
  const [unit, value] = bytes >= 1 << 20 ? ["megabyte", bytes / (1 << 20)] : ["kilobyte", Math.max(1, bytes / 1024)];
  return new Intl.NumberFormat(LOCALE, { style: "unit", unit, maximumFractionDigits: 1 }).format(value);
};
const formatDate = (iso) => (iso ? dateFormat.format(new Date(`${iso}T00:00:00`)) : "");
const formatTime = (iso) => (iso ? iso.slice(0, 5) : "");
const pages = (n) => fmt(plural.select(n) === "one" ? T.pageOne : T.pageOther, { n });

// -- feedback ----------------------------------------------------------------------------------
const toast = $("toast");
let toastTimer = 0;

/** Show a short message at the bottom of the screen; errors stay longer and are announced at once. */
function notify(message, kind = "ok") {
  toast.textContent = message;
  toast.className = `toast toast-${kind}`;
  toast.setAttribute("role", kind === "error" ? "alert" : "status");
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, kind === "error" ? 10000 : 3500);
}
toast.addEventListener("click", () => { toast.hidden = true; });

function formError(form, message) {
  const el = form.querySelector(".form-error");
  if (!el) {
    if (message) notify(message, "error");
    return;
  }
  el.textContent = message || "";
  el.hidden = !message;
}

/** Run an API call for a form: its submit buttons wait, and a refusal shows in the form. */
async function submitting(form, work) {
  const buttons = [...form.querySelectorAll("button[type=submit]")];
  formError(form, "");
  buttons.forEach((b) => { b.disabled = true; });
  try {
    return { ok: true, value: await work() };
  } catch (failure) {
    if (!(failure instanceof ApiFailure)) throw failure;
    formError(form, failure.message);
    return { ok: false };
  } finally {
    buttons.forEach((b) => { b.disabled = isClosed(); });
  }
}

/** Run an API call outside a form: a refusal shows as an alert. */
async function attempt(work) {
  try {
    return { ok: true, value: await work() };
  } catch (failure) {
    if (!(failure instanceof ApiFailure)) throw failure;
    notify(failure.message, "error");
    return { ok: false };
  }
}

const confirmDialog = $("confirm-dialog");
const confirmOk = $("confirm-ok");

/** Ask before something that cannot be undone; resolves true when confirmed. */
function confirmAction(message, { ok = T.delete, danger = true } = {}) {
  if (confirmDialog.open) return Promise.resolve(false);
  return new Promise((resolve) => {
    $("confirm-message").textContent = message;
    confirmOk.textContent = ok;
    confirmOk.className = danger ? "danger" : "primary";
    confirmDialog.returnValue = "";
    confirmDialog.addEventListener("close", () => resolve(confirmDialog.returnValue === "ok"), { once: true });
    confirmDialog.showModal();
  });
}

// -- the dossier, and re-rendering it ------------------------------------------------------------
let refreshing = null;
let refreshAgain = false;

/** Fetch the whole dossier and re-render; calls made meanwhile coalesce into one more fetch. */
function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      do {
        refreshAgain = false;
        meeting = await call("GET", MEETING);
        render();
      } while (refreshAgain);
    } catch (failure) {
      if (!(failure instanceof ApiFailure)) throw failure;
      notify(failure.message, "error");
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function show(detail) {
  meeting = detail;
  render();
}

/** Agenda items in display order, with their numbers ("2", "2.1") and depth. */
function agendaEntries() {
  const entries = [];
  meeting.agenda.forEach((item, i) => {
    entries.push({ item, number: `${i + 1}`, depth: 0 });
    item.children.forEach((child, j) => entries.push({ item: child, number: `${i + 1}.${j + 1}`, depth: 1 }));
  });
  return entries;
}

function render() {
  renderHead();
  renderDetails();
  renderSittings();
  renderAgenda();
  renderItemChoices();
  renderParticipants();
  renderGroups();
  applyClosed();
}

// -- heading and publishing ------------------------------------------------------------------------
const publishButton = $("publish");
const titleSuffix = document.title.includes(" · ") ? document.title.slice(document.title.lastIndexOf(" · ")) : "";

function renderHead() {
  $("ws-title").textContent = meeting.title;
  $("passwords-meeting").textContent = meeting.title;
  $("ws-subtitle").textContent = [meeting.body, meeting.term].filter(Boolean).join(" · ");
  document.title = meeting.title + titleSuffix;
  const badge = $("ws-status");
  badge.className = `status status-${meeting.status}`;
  badge.textContent = T.status[meeting.status] || meeting.status;
  const notes = {
    draft: T.draftNote,
    published: meeting.published_at ? fmt(T.publishedOn, { date: dateTimeFormat.format(new Date(meeting.published_at)) }) : "",
    closed: T.closedNote,
  };
  $("ws-status-note").textContent = notes[meeting.status] || "";
  publishButton.hidden = meeting.status !== "draft";
}

publishButton.addEventListener("click", async () => {
  if (!(await confirmAction(T.publishConfirm, { ok: T.publishOk, danger: false }))) return;
  publishButton.disabled = true;
  const result = await attempt(() => call("POST", `${MEETING}/publish`));
  publishButton.disabled = false;
  if (result.ok) {
    show(result.value);
    notify(T.published);
    followRendering();
  }
});

// -- the meeting's own fields ----------------------------------------------------------------------
const meetingForm = $("meeting-form");
const MEETING_FIELDS = ["title", "body", "term", "place", "description"];
let meetingFormDirty = false;

function renderDetails() {
  if (meetingFormDirty) return; // never overwrite what the secretary is typing
  for (const name of MEETING_FIELDS) meetingForm.elements[name].value = meeting[name] || "";
}

meetingForm.addEventListener("input", () => { meetingFormDirty = true; });
meetingForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(MEETING_FIELDS.map((name) => [name, meetingForm.elements[name].value.trim()]));
  const result = await submitting(meetingForm, () => call("PATCH", MEETING, data));
  if (result.ok) {
    meetingFormDirty = false;
    show(result.value);
    notify(T.saved);
  }
});

// -- sittings ----------------------------------------------------------------------------------------
const sittingForm = $("sitting-form");

function renderSittings() {
  $("sitting-list").replaceChildren(...meeting.sittings.map((s) => {
    const times = s.starts_at ? fmt(T.sittingTime, { start: formatTime(s.starts_at), end: formatTime(s.ends_at) || "…" }) : "";
    return h("li", { class: "chip" }, [formatDate(s.date), times, s.room, s.title].filter(Boolean).join(" · "));
  }));
}

sittingForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const f = sittingForm.elements;
  const data = { date: f.date.value };
  for (const name of ["starts_at", "ends_at", "room", "title"]) {
    if (f[name].value.trim()) data[name] = f[name].value.trim();
  }
  const result = await submitting(sittingForm, () => call("POST", `${MEETING}/sittings`, data));
  if (result.ok) {
    sittingForm.reset();
    notify(T.sittingAdded);
    await refresh();
  }
});

// -- the agenda tree: items, sub-items, drag and drop -----------------------------------------------
const tree = $("agenda-tree");
const agendaForm = $("agenda-form");
let sortables = [];
/** The item being renamed, with what has been typed so far (survives a re-render). */
let renaming = null;

function renderAgenda() {
  // A re-render (after an upload elsewhere, say) must not take the cursor away from a rename under way.
  const typingIn = document.activeElement && document.activeElement.closest(".rename-form")
    ? document.activeElement.name : null;
  sortables.forEach((s) => s.destroy());
  sortables = [];
  tree.replaceChildren(...meeting.agenda.map((item, i) => agendaNode(item, `${i + 1}`, true)));
  $("agenda-empty").hidden = meeting.agenda.length > 0;
  $("unfiled").hidden = meeting.documents.length === 0;
  $("unfiled-docs").replaceChildren(...meeting.documents.map(documentRow));
  if (!isClosed()) {
    makeSortable(tree);
    tree.querySelectorAll(".agenda-children").forEach(makeSortable);
  }
  if (typingIn) {
    const input = tree.querySelector(`.rename-form [name="${typingIn}"]`);
    if (input) input.focus();
  }
}

function agendaNode(item, number, top) {
  const isRenaming = renaming && renaming.id === item.id;
  const text = isRenaming
    ? renameForm(item)
    : h("div", { class: "agenda-text" },
      h("span", { class: "agenda-title" }, item.title),
      item.presenter ? h("span", { class: "muted agenda-presenter" }, fmt(T.presentedBy, { name: item.presenter })) : null);
  const node = h("li", { class: top ? "agenda-node" : "agenda-node sub-node", dataset: { id: item.id } },
    h("div", { class: "agenda-row" },
      h("button", {
        type: "button", class: "drag-handle", title: fmt(T.dragHandle, { title: item.title }),
        "aria-label": fmt(T.dragHandle, { title: item.title }),
      }, "⠿"),
      h("span", { class: "agenda-number" }, number),
      text,
      isRenaming ? null : h("div", { class: "row-actions" },
        top ? h("button", { type: "button", class: "small", onclick: () => startSubItem(item) }, T.addSubItem) : null,
        h("button", { type: "button", class: "small", onclick: () => startRename(item) }, T.rename),
        h("button", { type: "button", class: "small danger", onclick: () => deleteItem(item) }, T.delete))),
    item.documents.length ? h("ul", { class: "doc-rows" }, item.documents.map(documentRow)) : null);
  if (top) {
    node.append(h("ol", { class: "agenda-children", dataset: { parentId: item.id } },
      item.children.map((child, j) => agendaNode(child, `${number}.${j + 1}`, false))));
  }
  return node;
}

function makeSortable(list) {
  sortables.push(Sortable.create(list, {
    group: "agenda",
    handle: ".drag-handle",
    draggable: ".agenda-node",
    animation: 150,
    // Pointer-driven dragging behaves the same with a finger, a pen and a mouse.
    forceFallback: true,
    fallbackOnBody: true,
    fallbackTolerance: 4,
    swapThreshold: 0.65,
    emptyInsertThreshold: 20,
    scrollSensitivity: 110, // the sticky top bar and section tabs cover the top of the screen
    ghostClass: "drag-ghost",
    chosenClass: "drag-chosen",
    onStart: () => tree.classList.add("dragging"),
    onMove: (event) => {
      // One level of nesting: an item that has sub-items cannot become a sub-item itself.
      const intoSubList = event.to.classList.contains("agenda-children");
      return !(intoSubList && event.dragged.querySelector(".agenda-children > .agenda-node"));
    },
    onEnd: (event) => {
      tree.classList.remove("dragging");
      if (event.from === event.to && event.oldIndex === event.newIndex) return;
      saveOrder();
    },
  }));
}

/** Send the whole agenda, in display order, with each item's parent, as drag and drop left it. */
async function saveOrder() {
  const items = [];
  for (const top of tree.querySelectorAll(":scope > .agenda-node")) {
    items.push({ id: Number(top.dataset.id), parent_id: null });
    for (const child of top.querySelectorAll(":scope > .agenda-children > .agenda-node")) {
      items.push({ id: Number(child.dataset.id), parent_id: Number(top.dataset.id) });
    }
  }
  const result = await attempt(() => call("PUT", `${MEETING}/agenda/order`, { items }));
  if (result.ok) {
    show(result.value);
    notify(T.orderSaved);
  } else {
    await refresh(); // put the tree back as the server holds it
  }
}

function renameForm(item) {
  const form = h("form", { class: "rename-form" },
    h("label", {}, T.title,
      h("input", { name: "title", required: true, maxlength: "500", value: renaming.title })),
    h("label", {}, T.presenter,
      h("input", { name: "presenter", maxlength: "200", value: renaming.presenter })),
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "primary small" }, T.save),
      h("button", { type: "button", class: "small", onclick: () => { renaming = null; renderAgenda(); } }, T.cancel)),
    h("p", { class: "error form-error", role: "alert", hidden: true }));
  form.addEventListener("input", () => {
    renaming.title = form.elements.title.value;
    renaming.presenter = form.elements.presenter.value;
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      renaming = null;
      renderAgenda();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = { title: form.elements.title.value.trim(), presenter: form.elements.presenter.value.trim() };
    const result = await submitting(form, () => call("PATCH", `${MEETING}/agenda/${item.id}`, data));
    if (result.ok) {
      renaming = null;
      notify(T.saved);
      await refresh();
    }
  });
  return form;
}

function startRename(item) {
  renaming = { id: item.id, title: item.title, presenter: item.presenter || "" };
  renderAgenda();
  const input = tree.querySelector(".rename-form input[name=title]");
  if (input) input.focus();
}

function startSubItem(item) {
  agendaForm.elements.parent_id.value = String(item.id);
  agendaForm.scrollIntoView({ behavior: "smooth", block: "center" });
  agendaForm.elements.title.focus({ preventScroll: true });
}

async function deleteItem(item) {
  if (!(await confirmAction(fmt(T.deleteItemConfirm, { title: item.title })))) return;
  const result = await attempt(() => call("DELETE", `${MEETING}/agenda/${item.id}`));
  if (result.ok) {
    notify(T.itemDeleted);
    await refresh();
  }
}

agendaForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const f = agendaForm.elements;
  const data = { title: f.title.value.trim() };
  if (f.presenter.value.trim()) data.presenter = f.presenter.value.trim();
  if (f.parent_id.value) data.parent_id = Number(f.parent_id.value);
  const result = await submitting(agendaForm, () => call("POST", `${MEETING}/agenda`, data));
  if (result.ok) {
    f.title.value = "";
    f.presenter.value = "";
    notify(T.itemAdded);
    await refresh();
    f.title.focus();
  }
});

/** Fill a <select> of agenda items, keeping its choice when that item still exists. */
function fillItemSelect(select, { empty, topOnly = false, selected } = {}) {
  const keep = selected !== undefined ? selected : select.value;
  const options = [h("option", { value: "" }, empty)];
  for (const { item, number, depth } of agendaEntries()) {
    if (topOnly && depth) continue;
    const label = topOnly ? fmt(T.underItem, { title: `${number}. ${item.title}` })
      : `${depth ? "\u00a0\u00a0\u00a0\u00a0" : ""}${number}. ${item.title}`;
    options.push(h("option", { value: String(item.id) }, label));
  }
  select.replaceChildren(...options);
  const wanted = keep === null || keep === undefined ? "" : String(keep);
  select.value = [...select.options].some((o) => o.value === wanted) ? wanted : "";
}

function renderItemChoices() {
  fillItemSelect(agendaForm.elements.parent_id, { empty: T.topLevel, topOnly: true });
  fillItemSelect($("upload-target"), { empty: T.unfiled });
  fillItemSelect($("link-form").elements.agenda_item_id, { empty: T.unfiled });
}

// -- documents: rows, filing, editing, versions, deleting ------------------------------------------
/** Uploads of new versions under way or failed, by document id, so that re-renders keep them. */
const versionUploads = new Map();

function documentRow(doc) {
  const isLink = doc.category === "link";
  const meta = [T.categories[doc.category] || doc.category];
  if (doc.number) meta.push(fmt(T.number, { number: doc.symbol ? `${doc.number}/${doc.symbol}` : doc.number }));
  if (doc.issuing_body) meta.push(doc.issuing_body);
  if (doc.page_count) meta.push(pages(doc.page_count));
  if (doc.version && doc.version > 1) meta.push(fmt(T.version, { n: doc.version }));
  const safeUrl = isLink && /^https?:\/\//i.test(doc.url || "") ? doc.url : null;
  const title = safeUrl
    ? h("a", { class: "doc-title", href: safeUrl, target: "_blank", rel: "noopener noreferrer" }, doc.title)
    : doc.version
      ? h("a", { class: "doc-title", href: `${API}/documents/${doc.id}/versions/${doc.version}/original` }, doc.title)
      : h("span", { class: "doc-title" }, doc.title);
  const picker = h("input", { type: "file", accept: "application/pdf,.pdf", hidden: true });
  picker.addEventListener("change", () => {
    if (picker.files.length) uploadVersion(doc, picker.files[0]);
  });
  const fileUnder = h("select", { class: "doc-file-under", "aria-label": fmt(T.fileUnderFor, { title: doc.title }) });
  fillItemSelect(fileUnder, { empty: T.unfiled, selected: doc.agenda_item_id });
  fileUnder.addEventListener("change", () => fileDocument(doc, fileUnder.value ? Number(fileUnder.value) : null));
  const state = versionUploads.get(doc.id);
  const pagesReady = renderProgress.get(doc.id);
  return h("li", { class: `doc-row doc-${doc.category}`, dataset: { documentId: doc.id } },
    h("div", { class: "doc-summary" },
      h("span", { class: "doc-icon", "aria-hidden": "true" }, isLink ? "URL" : "PDF"),
      h("div", { class: "doc-text" }, title, h("span", { class: "doc-meta muted" }, meta.join(" · "))),
      doc.confidentiality === "confidential" ? h("span", { class: "badge confidential" }, T.confidentiality.confidential) : null,
      doc.confidentiality === "restricted" ? h("span", { class: "badge restricted" }, T.confidentiality.restricted) : null),
    h("div", { class: "doc-actions" },
      h("label", { class: "file-under" }, h("span", { class: "label-text" }, T.fileUnder), fileUnder),
      h("button", { type: "button", class: "small", onclick: () => openDocumentDialog(doc) }, T.edit),
      isLink ? null : h("button", { type: "button", class: "small", onclick: () => picker.click() }, T.newVersion),
      isLink ? null : picker,
      meeting.status === "draft"
        ? h("button", { type: "button", class: "small danger", onclick: () => deleteDocument(doc) }, T.delete) : null),
    h("div", { class: "doc-progress", hidden: !state },
      h("progress", { max: 1, value: state ? state.fraction : 0, hidden: !state || state.error !== undefined }),
      h("span", { class: state && state.error ? "progress-text error" : "progress-text" }, state ? state.text : ""),
      h("button", {
        type: "button", class: "small dismiss", hidden: !(state && state.error), "aria-label": T.dismiss, title: T.dismiss,
        onclick: () => showVersionState(doc.id, null),
      }, "×")),
    pagesReady ? renderProgressRow(pagesReady) : null);
}

// -- pages prepared for tablets after publishing (getRenderProgress) --------------------------------
const renderProgress = new Map();
let renderPoll = null;

function renderProgressRow(p) {
  const finished = p.state === "done" || p.state === "partial";
  const text = !finished ? fmt(T.rendering, { done: p.done, total: p.total })
    : p.failed ? fmt(T.renderedPartly, { failed: p.failed }) : T.rendered;
  return h("div", { class: "doc-progress render-progress", dataset: { state: p.state } },
    h("progress", { max: Math.max(p.total, 1), value: p.done }),
    h("span", { class: p.failed ? "progress-text error" : "progress-text" }, text));
}

/** Follow pre-rendering after publishing or a new version, until every document's pages are ready. */
async function followRendering() {
  if (renderPoll || meeting.status === "draft") return;
  renderPoll = true;
  try {
    for (;;) {
      const rows = await call("GET", `${MEETING}/rendering`);
      renderProgress.clear();
      for (const row of rows) renderProgress.set(row.document_id, row);
      renderAgenda();
      const busy = rows.some((row) => row.state === "queued" || row.state === "running");
      if (!busy) break;
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
  } catch (failure) {
    if (!(failure instanceof ApiFailure)) throw failure;
  } finally {
    renderPoll = null;
  }
}

async function fileDocument(doc, agendaItemId) {
  const result = await attempt(() => call("PATCH", `${API}/documents/${doc.id}`, { agenda_item_id: agendaItemId }));
  if (result.ok) notify(T.saved);
  await refresh();
}

async function deleteDocument(doc) {
  if (!(await confirmAction(fmt(T.deleteDocConfirm, { title: doc.title })))) return;
  const result = await attempt(() => call("DELETE", `${API}/documents/${doc.id}`));
  if (result.ok) {
    notify(T.docDeleted);
    await refresh();
  }
}

function showVersionState(docId, state) {
  if (state) versionUploads.set(docId, state);
  else versionUploads.delete(docId);
  const row = document.querySelector(`.doc-row[data-document-id="${docId}"]`);
  if (!row) return;
  const box = row.querySelector(".doc-progress");
  box.hidden = !state;
  if (!state) return;
  const bar = box.querySelector("progress");
  bar.value = state.fraction;
  bar.hidden = state.error !== undefined;
  const text = box.querySelector(".progress-text");
  text.textContent = state.text;
  text.className = state.error ? "progress-text error" : "progress-text";
  box.querySelector(".dismiss").hidden = !state.error;
}

async function uploadVersion(doc, file) {
  const form = new FormData();
  form.append("file", file, file.name);
  showVersionState(doc.id, { fraction: 0, text: fmt(T.uploading, { percent: 0 }) });
  try {
    const answer = await upload(`${API}/documents/${doc.id}/versions`, form, (fraction) => {
      const text = fraction >= 1 ? T.checking : fmt(T.uploading, { percent: Math.round(fraction * 100) });
      showVersionState(doc.id, { fraction, text });
    }, CALL_OPTIONS);
    showVersionState(doc.id, null);
    notify(fmt(T.versionUploaded, { n: answer.version }));
  } catch (failure) {
    if (!(failure instanceof ApiFailure)) throw failure;
    showVersionState(doc.id, { fraction: 0, text: `${file.name}: ${failure.message}`, error: true });
  }
  await refresh();
  followRendering();
}

const docDialog = $("doc-dialog");
const docForm = $("doc-form");
let dialogDocument = null;

function openDocumentDialog(doc) {
  if (docDialog.open) return;
  dialogDocument = doc;
  const f = docForm.elements;
  const isLink = doc.category === "link";
  formError(docForm, "");
  docForm.classList.toggle("is-link", isLink);
  f.title.value = doc.title;
  f.url.value = doc.url || "";
  f.category.value = isLink ? "main" : doc.category;
  fillItemSelect(f.agenda_item_id, { empty: T.unfiled, selected: doc.agenda_item_id });
  f.number.value = doc.number || "";
  f.symbol.value = doc.symbol || "";
  f.issued_on.value = doc.issued_on || "";
  f.issuing_body.value = doc.issuing_body || "";
  f.confidentiality.value = doc.confidentiality;
  f.downloadable.checked = Boolean(doc.downloadable);
  const readers = new Set(doc.reader_ids);
  const people = meeting.participants.map((p) => [p.user_id, `${p.full_name} (${p.username})`]);
  for (const id of readers) if (!people.some(([uid]) => uid === id)) people.push([id, `#${id}`]);
  $("reader-choices").replaceChildren(...people.map(([uid, label]) => h("label", { class: "check" },
    h("input", { type: "checkbox", name: "reader", value: String(uid), checked: readers.has(uid) }), " ", label)));
  if (!people.length) $("reader-choices").append(h("p", { class: "muted" }, T.noMembersToPick));
  showReaders();
  docDialog.showModal();
  f.title.focus();
}

function showReaders() {
  docForm.querySelector("fieldset.readers").hidden = docForm.elements.confidentiality.value !== "restricted";
}

docForm.elements.confidentiality.addEventListener("change", showReaders);
docForm.querySelector(".dialog-cancel").addEventListener("click", () => docDialog.close());
docForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const doc = dialogDocument;
  const f = docForm.elements;
  const orNull = (value) => (value.trim() ? value.trim() : null);
  const data = {
    title: f.title.value.trim(),
    agenda_item_id: f.agenda_item_id.value ? Number(f.agenda_item_id.value) : null,
    number: orNull(f.number.value),
    symbol: orNull(f.symbol.value),
    issued_on: orNull(f.issued_on.value),
    issuing_body: f.issuing_body.value.trim(),
    confidentiality: f.confidentiality.value,
  };
  if (doc.category === "link") {
    data.url = f.url.value.trim();
  } else {
    data.category = f.category.value;
    data.downloadable = f.downloadable.checked;
  }
  if (data.confidentiality === "restricted") {
    data.reader_ids = [...docForm.querySelectorAll("input[name=reader]:checked")].map((i) => Number(i.value));
  }
  const result = await submitting(docForm, () => call("PATCH", `${API}/documents/${doc.id}`, data));
  if (result.ok) {
    docDialog.close();
    notify(T.saved);
    await refresh();
  }
});

// -- uploading new documents: drop zone, file picker, one progress bar per file ---------------------
const dropZone = $("drop-zone");
const filePicker = $("file-picker");
const uploadList = $("upload-list");
const queue = [];
let uploading = 0;

$("pick-files").addEventListener("click", () => filePicker.click());
filePicker.addEventListener("change", () => {
  enqueue([...filePicker.files]);
  filePicker.value = "";
});

const hasFiles = (event) => event.dataTransfer && [...event.dataTransfer.types].includes("Files");
dropZone.addEventListener("dragenter", (event) => {
  if (!hasFiles(event)) return;
  event.preventDefault();
  dropZone.classList.add("over");
});
dropZone.addEventListener("dragover", (event) => {
  if (!hasFiles(event)) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = "copy";
  dropZone.classList.add("over");
});
dropZone.addEventListener("dragleave", (event) => {
  if (!dropZone.contains(event.relatedTarget)) dropZone.classList.remove("over");
});
dropZone.addEventListener("drop", (event) => {
  event.preventDefault();
  dropZone.classList.remove("over");
  if (isClosed()) return;
  enqueue([...event.dataTransfer.files]);
});
// A file dropped beside the zone must not make the browser leave the page to show it.
window.addEventListener("dragover", (event) => { if (hasFiles(event)) event.preventDefault(); });
window.addEventListener("drop", (event) => { if (hasFiles(event)) event.preventDefault(); });
window.addEventListener("beforeunload", (event) => {
  if (uploading || queue.length) {
    event.preventDefault();
    event.returnValue = ""; // older browsers ask only when this is set
  }
});

function enqueue(files) {
  const agendaItemId = $("upload-target").value;
  const category = $("upload-category").value;
  for (const file of files) {
    const row = uploadRow(file);
    uploadList.append(row.element);
    queue.push({ file, agendaItemId, category, row });
  }
  pump();
}

function pump() {
  while (uploading < PARALLEL_UPLOADS && queue.length) {
    const job = queue.shift();
    uploading += 1;
    sendDocument(job).finally(() => {
      uploading -= 1;
      pump();
    });
  }
}

function uploadRow(file) {
  const bar = h("progress", { max: 1, value: 0 });
  const status = h("span", { class: "upload-status" }, T.waiting);
  const dismiss = h("button", { type: "button", class: "small dismiss", hidden: true, "aria-label": T.dismiss, title: T.dismiss }, "×");
  const element = h("li", { class: "upload-row", dataset: { state: "waiting" } },
    h("div", { class: "upload-head" },
      h("span", { class: "upload-name" }, file.name),
      h("span", { class: "muted upload-size" }, sizeFormat(file.size)),
      dismiss),
    bar, status);
  dismiss.addEventListener("click", () => element.remove());
  return {
    element,
    progress(fraction) {
      element.dataset.state = "uploading";
      bar.value = fraction;
      status.textContent = fraction >= 1 ? T.checking : fmt(T.uploading, { percent: Math.round(fraction * 100) });
    },
    done() {
      element.dataset.state = "done";
      bar.value = 1;
      status.textContent = T.uploaded;
      dismiss.hidden = false;
    },
    failed(message) {
      element.dataset.state = "failed";
      bar.hidden = true;
      status.textContent = message;
      status.classList.add("error");
      status.setAttribute("role", "alert");
      dismiss.hidden = false;
    },
  };
}

async function sendDocument({ file, agendaItemId, category, row }) {
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("category", category);
  if (agendaItemId) form.append("agenda_item_id", agendaItemId);
  row.progress(0);
  try {
    await upload(`${MEETING}/documents`, form, (fraction) => row.progress(fraction), CALL_OPTIONS);
    row.done();
    refresh();
  } catch (failure) {
    if (!(failure instanceof ApiFailure)) throw failure;
    row.failed(failure.message);
  }
}

// -- links ---------------------------------------------------------------------------------------------
const linkForm = $("link-form");
linkForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const f = linkForm.elements;
  const data = { url: f.url.value.trim() };
  if (f.title.value.trim()) data.title = f.title.value.trim();
  if (f.agenda_item_id.value) data.agenda_item_id = Number(f.agenda_item_id.value);
  const result = await submitting(linkForm, () => call("POST", `${MEETING}/links`, data));
  if (result.ok) {
    f.url.value = "";
    f.title.value = "";
    notify(T.linkAdded);
    await refresh();
  }
});

// -- participants ------------------------------------------------------------------------------------
const participantForm = $("participant-form");
const csvForm = $("csv-form");

function renderParticipants() {
  const groupNames = new Map(meeting.groups.map((g) => [g.id, g.name]));
  const rows = meeting.participants.map((p) => h("tr", { dataset: { participantId: p.id, username: p.username } },
    h("td", { dataset: { label: T.columns.name } }, p.full_name),
    h("td", { class: "mono", dataset: { label: T.columns.username } }, p.username),
    h("td", { dataset: { label: T.columns.role } }, T.roles[p.role] || p.role),
    h("td", { dataset: { label: T.columns.groups } }, p.group_ids.map((id) => groupNames.get(id)).filter(Boolean).join(", ")),
    h("td", { class: "actions" },
      h("button", { type: "button", class: "small danger", onclick: () => removeParticipant(p) }, T.remove))));
  if (!rows.length) rows.push(h("tr", {}, h("td", { colspan: "5", class: "muted" }, T.noParticipants)));
  $("participant-rows").replaceChildren(...rows);
  $("participant-count").textContent = fmt(T.participantCount, { n: meeting.participants.length });
  $("group-names").replaceChildren(...meeting.groups.map((g) => h("option", { value: g.name })));
}

async function removeParticipant(participant) {
  const question = fmt(T.removeParticipantConfirm, { name: participant.full_name });
  if (!(await confirmAction(question, { ok: T.remove }))) return;
  const result = await attempt(() => call("DELETE", `${MEETING}/participants/${participant.id}`));
  if (result.ok) await refresh();
}

/** Show the initial passwords of accounts just created; they are never shown again. */
function showPasswords(answer) {
  const created = Object.entries(answer.created || {});
  if (!created.length) return;
  const names = new Map(answer.items.map((p) => [p.username, p.full_name]));
  $("password-rows").append(...created.map(([username, password]) => h("tr", {},
    h("td", {}, names.get(username) || ""), h("td", { class: "mono" }, username), h("td", { class: "mono password" }, password))));
  const box = $("passwords");
  box.hidden = false;
  box.scrollIntoView({ behavior: "smooth", block: "start" });
}

$("print-passwords").addEventListener("click", () => {
  document.body.classList.add("printing-passwords");
  window.print();
});
window.addEventListener("afterprint", () => document.body.classList.remove("printing-passwords"));
$("hide-passwords").addEventListener("click", () => {
  $("password-rows").replaceChildren();
  $("passwords").hidden = true;
});

participantForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const f = participantForm.elements;
  const entry = { username: f.username.value.trim().toLowerCase(), role: f.role.value };
  if (f.full_name.value.trim()) entry.full_name = f.full_name.value.trim();
  if (f.group.value.trim()) entry.group = f.group.value.trim();
  const result = await submitting(participantForm, () => call("POST", `${MEETING}/participants`, { items: [entry] }));
  if (result.ok) {
    participantForm.reset();
    showPasswords(result.value);
    notify(T.added);
    await refresh();
    f.username.focus();
  }
});

csvForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = csvForm.elements.file.files[0];
  if (!file) return;
  const body = new FormData();
  body.append("file", file, file.name);
  const result = await submitting(csvForm, () => call("POST", `${MEETING}/participants/import`, body));
  if (result.ok) {
    csvForm.reset();
    showPasswords(result.value);
    notify(fmt(T.imported, { n: result.value.items.length }));
    await refresh();
  }
});

// -- groups ---------------------------------------------------------------------------------------------
const groupForm = $("group-form");
const openGroups = new Set();
/** Group editors with unsaved choices, kept as they are when the dossier re-renders. */
const editedGroups = new Map();

function renderGroups() {
  const cards = meeting.groups.map((g) => editedGroups.get(g.id) || groupCard(g));
  $("group-list").replaceChildren(...cards);
  $("groups-empty").hidden = meeting.groups.length > 0;
}

function groupCard(group) {
  const people = new Map(meeting.participants.map((p) => [p.user_id, p]));
  const rapporteur = people.get(group.rapporteur_id);
  const summary = h("summary", {},
    h("strong", { class: "group-name" }, group.name),
    h("span", { class: "muted" }, [fmt(T.memberCount, { n: group.member_ids.length }),
      rapporteur ? fmt(T.rapporteurOf, { name: rapporteur.full_name }) : null].filter(Boolean).join(" · ")));
  const checks = meeting.participants.map((p) => h("label", { class: "check" },
    h("input", { type: "checkbox", name: "member", value: String(p.user_id), checked: group.member_ids.includes(p.user_id) }),
    " ", p.full_name));
  const rapporteurSelect = h("select", { name: "rapporteur_id" });
  const form = h("form", { class: "stacked group-form" },
    h("label", {}, T.groupName, h("input", { name: "name", required: true, maxlength: "200", value: group.name })),
    h("fieldset", {}, h("legend", {}, T.members),
      checks.length ? h("div", { class: "check-grid" }, checks) : h("p", { class: "muted" }, T.noMembersToPick)),
    h("label", {}, T.rapporteur, rapporteurSelect),
    h("p", { class: "error form-error", role: "alert", hidden: true }),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "primary" }, T.saveGroup)));
  const chosen = () => [...form.querySelectorAll("input[name=member]:checked")].map((i) => Number(i.value));
  const fillRapporteurs = (selected) => {
    const members = chosen();
    rapporteurSelect.replaceChildren(h("option", { value: "" }, T.noRapporteur),
      ...members.map((uid) => h("option", { value: String(uid) }, people.get(uid) ? people.get(uid).full_name : `#${uid}`)));
    rapporteurSelect.value = members.includes(selected) ? String(selected) : "";
  };
  fillRapporteurs(group.rapporteur_id);
  const card = h("details", { class: "group-card", dataset: { groupId: group.id }, open: openGroups.has(group.id) },
    summary, form);
  card.addEventListener("toggle", () => (card.open ? openGroups.add(group.id) : openGroups.delete(group.id)));
  form.addEventListener("change", (event) => {
    editedGroups.set(group.id, card);
    if (event.target.name === "member") fillRapporteurs(Number(rapporteurSelect.value) || null);
  });
  form.addEventListener("input", () => editedGroups.set(group.id, card));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = {
      name: form.elements.name.value.trim(),
      member_ids: chosen(),
      rapporteur_id: rapporteurSelect.value ? Number(rapporteurSelect.value) : null,
    };
    const result = await submitting(form, () => call("PUT", `${MEETING}/groups/${group.id}`, data));
    if (result.ok) {
      editedGroups.delete(group.id);
      notify(T.saved);
      await refresh();
    }
  });
  return card;
}

groupForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = groupForm.elements.name.value.trim();
  const result = await submitting(groupForm, () => call("POST", `${MEETING}/groups`, { name }));
  if (result.ok) {
    groupForm.reset();
    openGroups.add(result.value.id);
    notify(T.groupCreated);
    await refresh();
  }
});

// -- a closed meeting is read-only ------------------------------------------------------------------
function applyClosed() {
  const closed = isClosed();
  root.classList.toggle("is-closed", closed);
  if (!closed) return;
  root.querySelectorAll("input, select, textarea, button").forEach((el) => {
    if (!el.closest("#passwords")) el.disabled = true;
  });
}

// Controls wait, disabled, for this script: a tap before it would submit a form the browser's way.
document.querySelectorAll("[data-needs-script]").forEach((el) => { el.disabled = false; });
render();
followRendering();

// The workspace's document rows: filing under an item, editing a document's details and readers,
// uploading a new version (its progress kept across re-renders), deleting.

import { ApiFailure, upload } from "../../api.js";
import { h } from "../../shared.js";

/** Wire the document rows and their dialog; adds ws.documentRow. */
export function setupDocuments(ws) {
  const { $, T, fmt } = ws;
  /** Uploads of new versions under way or failed, by document id, so that re-renders keep them. */
  const versionUploads = new Map();

  function documentRow(doc) {
    const isLink = doc.category === "link";
    const meta = [T.categories[doc.category] || doc.category];
    if (doc.number) meta.push(fmt(T.number, { number: doc.symbol ? `${doc.number}/${doc.symbol}` : doc.number }));
    if (doc.issuing_body) meta.push(doc.issuing_body);
    if (doc.page_count) meta.push(ws.pages(doc.page_count));
    if (doc.version && doc.version > 1) meta.push(fmt(T.version, { n: doc.version }));
    const safeUrl = isLink && /^https?:\/\//i.test(doc.url || "") ? doc.url : null;
    const title = safeUrl
      ? h("a", { class: "doc-title", href: safeUrl, target: "_blank", rel: "noopener noreferrer" }, doc.title)
      : doc.version
        ? h("a", { class: "doc-title", href: `${ws.API}/documents/${doc.id}/versions/${doc.version}/original` }, doc.title)
        : h("span", { class: "doc-title" }, doc.title);
    const picker = h("input", { type: "file", accept: "application/pdf,.pdf", hidden: true });
    picker.addEventListener("change", () => {
      if (picker.files.length) uploadVersion(doc, picker.files[0]);
    });
    const fileUnder = h("select", { class: "doc-file-under", "aria-label": fmt(T.fileUnderFor, { title: doc.title }) });
    ws.fillItemSelect(fileUnder, { empty: T.unfiled, selected: doc.agenda_item_id });
    fileUnder.addEventListener("change", () => fileDocument(doc, fileUnder.value ? Number(fileUnder.value) : null));
    const state = versionUploads.get(doc.id);
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
        ws.meeting.status === "draft"
          ? h("button", { type: "button", class: "small danger", onclick: () => deleteDocument(doc) }, T.delete) : null),
      h("div", { class: "doc-progress", hidden: !state },
        h("progress", { max: 1, value: state ? state.fraction : 0, hidden: !state || state.error !== undefined }),
        h("span", { class: state && state.error ? "progress-text error" : "progress-text" }, state ? state.text : ""),
        h("button", {
          type: "button", class: "small dismiss", hidden: !(state && state.error), "aria-label": T.dismiss, title: T.dismiss,
          onclick: () => showVersionState(doc.id, null),
        }, "×")),
      ws.renderProgressRow(doc.id));
  }

  async function fileDocument(doc, agendaItemId) {
    const result = await ws.attempt(() => ws.call("PATCH", `${ws.API}/documents/${doc.id}`, { agenda_item_id: agendaItemId }));
    if (result.ok) ws.notify(T.saved);
    await ws.refresh();
  }

  async function deleteDocument(doc) {
    if (!(await ws.confirmAction(fmt(T.deleteDocConfirm, { title: doc.title })))) return;
    const result = await ws.attempt(() => ws.call("DELETE", `${ws.API}/documents/${doc.id}`));
    if (result.ok) {
      ws.notify(T.docDeleted);
      await ws.refresh();
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
      const answer = await upload(`${ws.API}/documents/${doc.id}/versions`, form, (fraction) => {
        const text = fraction >= 1 ? T.checking : fmt(T.uploading, { percent: Math.round(fraction * 100) });
        showVersionState(doc.id, { fraction, text });
      }, ws.CALL_OPTIONS);
      showVersionState(doc.id, null);
      ws.notify(fmt(T.versionUploaded, { n: answer.version }));
    } catch (failure) {
      if (!(failure instanceof ApiFailure)) throw failure;
      showVersionState(doc.id, { fraction: 0, text: `${file.name}: ${failure.message}`, error: true });
    }
    await ws.refresh();
    ws.followRendering();
  }

  const docDialog = $("doc-dialog");
  const docForm = $("doc-form");
  let dialogDocument = null;

  function openDocumentDialog(doc) {
    if (docDialog.open) return;
    dialogDocument = doc;
    const f = docForm.elements;
    const isLink = doc.category === "link";
    ws.formError(docForm, "");
    docForm.classList.toggle("is-link", isLink);
    f.title.value = doc.title;
    f.url.value = doc.url || "";
    f.category.value = isLink ? "main" : doc.category;
    ws.fillItemSelect(f.agenda_item_id, { empty: T.unfiled, selected: doc.agenda_item_id });
    f.number.value = doc.number || "";
    f.symbol.value = doc.symbol || "";
    f.issued_on.value = doc.issued_on || "";
    f.issuing_body.value = doc.issuing_body || "";
    f.confidentiality.value = doc.confidentiality;
    f.downloadable.checked = Boolean(doc.downloadable);
    const readers = new Set(doc.reader_ids);
    const people = ws.meeting.participants.map((p) => [p.user_id, `${p.full_name} (${p.username})`]);
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
    const result = await ws.submitting(docForm, () => ws.call("PATCH", `${ws.API}/documents/${doc.id}`, data));
    if (result.ok) {
      docDialog.close();
      ws.notify(T.saved);
      await ws.refresh();
    }
  });

  ws.documentRow = documentRow;
}

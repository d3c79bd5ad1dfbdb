// The workspace's new documents: a drop zone and a file picker, one upload at a time with a
// progress bar per file, and links to other sites.

import { ApiFailure, upload } from "../../api.js";
import { h } from "../../shared.js";

// One upload at a time: on a hall's shared Wi-Fi, parallel uploads only split the bandwidth, so each
// file would finish later. (Also, at the time of writing, concurrent uploads on the SQLite server fail
// with "database is locked": the upload's transaction waits on the render workers while holding the lock.)
const PARALLEL_UPLOADS = 1;

/** Wire the uploads of new documents and the links form. */
export function setupUploads(ws) {
  const { $, T, fmt } = ws;
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
    if (ws.isClosed()) return;
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
        h("span", { class: "muted upload-size" }, ws.sizeFormat(file.size)),
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
      await upload(`${ws.MEETING}/documents`, form, (fraction) => row.progress(fraction), ws.CALL_OPTIONS);
      row.done();
      ws.refresh();
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
    const result = await ws.submitting(linkForm, () => ws.call("POST", `${ws.MEETING}/links`, data));
    if (result.ok) {
      f.url.value = "";
      f.title.value = "";
      ws.notify(T.linkAdded);
      await ws.refresh();
    }
  });
}

// The workspace's heading and publishing: the meeting's status, the publish button, and, once
// published, how far the pages are prepared for tablets (getRenderProgress), followed until ready.

import { ApiFailure } from "../../api.js";
import { h } from "../../shared.js";

const POLL_MS = 1500;

/** Wire the heading and publishing; adds ws.renderHead, ws.followRendering, ws.renderProgressRow. */
export function setupPublishing(ws) {
  const { $, T, fmt } = ws;
  const publishButton = $("publish");
  const titleSuffix = document.title.includes(" · ") ? document.title.slice(document.title.lastIndexOf(" · ")) : "";
  const progress = new Map(); // document id -> its pages' progress
  let polling = null;

  ws.renderHead = () => {
    const meeting = ws.meeting;
    $("ws-title").textContent = meeting.title;
    $("passwords-meeting").textContent = meeting.title;
    $("ws-subtitle").textContent = [meeting.body, meeting.term].filter(Boolean).join(" · ");
    document.title = meeting.title + titleSuffix;
    const badge = $("ws-status");
    badge.className = `status status-${meeting.status}`;
    badge.textContent = T.status[meeting.status] || meeting.status;
    const notes = {
      draft: T.draftNote,
      published: meeting.published_at ? fmt(T.publishedOn, { date: ws.dateTimeFormat.format(new Date(meeting.published_at)) }) : "",
      closed: T.closedNote,
    };
    $("ws-status-note").textContent = notes[meeting.status] || "";
    publishButton.hidden = meeting.status !== "draft";
  };

  publishButton.addEventListener("click", async () => {
    if (!(await ws.confirmAction(T.publishConfirm, { ok: T.publishOk, danger: false }))) return;
    publishButton.disabled = true;
    const result = await ws.attempt(() => ws.call("POST", `${ws.MEETING}/publish`));
    publishButton.disabled = false;
    if (result.ok) {
      ws.show(result.value);
      ws.notify(T.published);
      ws.followRendering();
    }
  });

  /** The progress row of a document's pages, or null when nothing was prepared for it. */
  ws.renderProgressRow = (documentId) => {
    const p = progress.get(documentId);
    if (!p) return null;
    const finished = p.state === "done" || p.state === "partial";
    const text = !finished ? fmt(T.rendering, { done: p.done, total: p.total })
      : p.failed ? fmt(T.renderedPartly, { failed: p.failed }) : T.rendered;
    return h("div", { class: "doc-progress render-progress", dataset: { state: p.state } },
      h("progress", { max: Math.max(p.total, 1), value: p.done }),
      h("span", { class: p.failed ? "progress-text error" : "progress-text" }, text));
  };

  /** Follow pre-rendering after publishing or a new version, until every document's pages are ready. */
  ws.followRendering = async () => {
    if (polling || ws.meeting.status === "draft") return;
    polling = true;
    try {
      for (;;) {
        const rows = await ws.call("GET", `${ws.MEETING}/rendering`);
        progress.clear();
        for (const row of rows) progress.set(row.document_id, row);
        ws.renderAgenda();
        const busy = rows.some((row) => row.state === "queued" || row.state === "running");
        if (!busy) break;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    } catch (failure) {
      if (!(failure instanceof ApiFailure)) throw failure;
    } finally {
      polling = null;
    }
  };
}

// A document's comments: threads with replies, live; edit and delete one's own (earlier versions
// shown), and for the secretary and the chair, hide and lock. Text only: see common.js.

import { api } from "/static/js/api.js";
import { Live, cid, el, json, renderText, strings, when } from "./common.js";

const config = json("comments-config");
const list = document.getElementById("threads");
const errorBox = document.getElementById("comments-error");
const threads = new Map(); // root id -> comment with replies

function fail(message) {
  errorBox.textContent = message || strings.failed;
  errorBox.hidden = false;
}

async function act(name, payload) {
  errorBox.hidden = true;
  try {
    const ack = await live.request(name, payload);
    if (!ack.ok) fail(ack.error.message);
    else upsert(ack.comment);
    return ack;
  } catch (_) {
    fail();
    return null;
  }
}

function commentNode(comment, root) {
  const item = el("li", { class: "comment", "data-comment-id": comment.id });
  const meta = `${when(comment.created_at)}${comment.page ? ` · ${strings.page} ${comment.page}` : ""}` +
    `${comment.visibility === "group" ? ` · ${strings.group}` : ""}${comment.edited ? ` · ${strings.edited}` : ""}`;
  item.append(el("p", { class: "muted" }, el("strong", { text: comment.author_name }), document.createTextNode(` · ${meta}`)));
  if (comment.anchor && comment.anchor.quote && !comment.hidden && !comment.deleted) {
    item.append(el("blockquote", { class: "comment-quote", text: comment.anchor.quote.exact }));
  }
  const body = el("p", { class: "comment-body" });
  if (comment.hidden) body.textContent = strings.hidden;
  else if (comment.deleted) body.textContent = strings.deleted;
  else renderText(body, comment.body);
  if (comment.hidden || comment.deleted) body.classList.add("hidden-text");
  item.append(body);
  if ((comment.history || []).length) {
    const details = el("details", {}, el("summary", { text: strings.history }));
    for (const old of comment.history) details.append(renderText(el("p", { class: "muted" }), old.body));
    item.append(details);
  }
  const actions = el("div", { class: "comment-actions" });
  const live_ = !comment.hidden && !comment.deleted;
  if (live_ && comment.author_id === config.user) {
    actions.append(el("button", { type: "button", class: "link", text: strings.edit, onclick: () => {
      const area = el("textarea", { rows: 3, maxlength: 4000 });
      area.value = comment.body;
      const save = el("button", { type: "button", class: "button", text: strings.save, onclick: () =>
        act("comment.update", { id: comment.id, client_id: cid(), revision: comment.revision, body: area.value }) });
      body.replaceWith(el("div", {}, area, save));
    } }));
    actions.append(el("button", { type: "button", class: "link", text: strings.delete, onclick: () =>
      act("comment.delete", { id: comment.id, client_id: cid(), revision: comment.revision }) }));
  }
  if (config.moderator && live_) {
    actions.append(el("button", { type: "button", class: "link", text: strings.hide,
      onclick: () => act("comment.hide", { id: comment.id }) }));
  }
  if (root && config.moderator) {
    actions.append(el("button", { type: "button", class: "link", text: root.locked ? strings.unlock : strings.lock,
      onclick: () => act("comment.lock", { id: comment.id, locked: !root.locked }) }));
  }
  item.append(actions);
  return item;
}

function render() {
  list.textContent = "";
  if (!threads.size) list.append(el("li", { class: "muted", text: strings.noComments }));
  for (const root of threads.values()) {
    const item = commentNode(root, root);
    item.classList.add("thread");
    const replies = el("ol", { class: "replies" });
    for (const reply of root.replies) replies.append(commentNode(reply, null));
    item.append(replies);
    if (root.locked) item.append(el("p", { class: "muted locked", text: strings.locked }));
    else if (!root.hidden && !root.deleted) {
      const form = el("form", { class: "reply-form" });
      const area = el("textarea", { name: "body", rows: 2, maxlength: 4000, required: true, "aria-label": strings.reply });
      form.append(area, el("button", { type: "submit", class: "button", text: strings.reply }));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const ack = await act("comment.create", { client_id: cid(), parent: root.id, body: area.value });
        if (ack && ack.ok) area.value = "";
      });
      item.append(form);
    }
    list.append(item);
  }
}

function upsert(comment) {
  if (comment.document !== config.document) return;
  if (comment.parent_id === null) {
    const known = threads.get(comment.id);
    threads.set(comment.id, { history: known?.history || [], replies: known ? known.replies : [], ...comment });
  } else {
    const root = threads.get(comment.parent_id);
    if (!root) return load();
    const at = root.replies.findIndex((r) => r.id === comment.id);
    if (at >= 0) root.replies[at] = { history: root.replies[at].history, ...comment };
    else root.replies.push(comment);
  }
  render();
}

async function load() {
  try {
    const answer = await api("GET", `/api/v1/meetings/${config.meeting}/comments?document=${config.document}`);
    threads.clear();
    for (const thread of answer.items) threads.set(thread.id, thread);
    render();
  } catch (error) {
    fail(error.message);
  }
}

const changed = (e) => upsert(e.data);
const live = new Live(config.meeting, {
  "comment.created": changed, "comment.updated": changed, "comment.deleted": changed,
});

document.getElementById("comment-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const payload = { client_id: cid(), document: config.document, body: form.elements.body.value,
    visibility: form.elements.visibility.value };
  if (form.elements.page && form.elements.page.value) payload.page = Number(form.elements.page.value);
  const ack = await act("comment.create", payload);
  if (ack && ack.ok) form.elements.body.value = "";
});

load();

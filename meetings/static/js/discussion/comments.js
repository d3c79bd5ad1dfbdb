// A document's comments: threads with replies, live; edit and delete one's own (earlier versions
// shown), and for the secretary and the chair, hide and lock. Every action goes through the outbox:
// written offline it shows at once, marked "waiting to be sent", and is sent once the network is back.

import { api } from "../api.js";
import { pageLive } from "../live/page.js";
import { h, jsonBlock, newClientId, renderText, timeOfDay } from "../shared.js";
import { connectionLine, discussionOutbox, pendingMark, strings } from "./common.js";
import { commentView } from "./pending.js";

const config = jsonBlock("comments-config");
const list = document.getElementById("threads");
const errorBox = document.getElementById("comments-error");
const threads = new Map(); // root id -> comment with replies, as the server holds them
const me = { id: config.user, name: strings.you };

function fail(message) {
  errorBox.textContent = message || strings.failed;
  errorBox.hidden = false;
}

/** Queue an action; a creation or an edit carries its client_id, moderation needs none. */
function act(name, payload) {
  errorBox.hidden = true;
  const cid = payload.client_id || newClientId();
  outbox.push({ cid, name, payload });
  return cid;
}

function settled(entry, ack) {
  if (!ack) return;
  if (!ack.ok) {
    fail(ack.error && ack.error.message);
    // the text the refused comment held goes back into its form, if that is empty
    const area = entry.name === "comment.create" ? formFor(entry.payload) : null;
    if (area && !area.value) area.value = entry.payload.body || "";
    if (ack.error && ack.error.comment) upsert(ack.error.comment);
    else render();
    return;
  }
  if (ack.comment) upsert(ack.comment);
}

function formFor(payload) {
  if (payload.document === config.document && !payload.parent) return document.getElementById("comment-form").elements.body;
  return list.querySelector(`.thread[data-comment-id="${payload.parent}"] .reply-form textarea`);
}

function commentNode(comment, root) {
  const item = h("li", { class: comment.pending ? "comment pending" : "comment",
    "data-comment-id": comment.id ?? "", "data-key": comment.key, "data-pending": comment.pending ? "true" : "false" });
  const meta = `${timeOfDay(comment.created_at)}${comment.page ? ` · ${strings.page} ${comment.page}` : ""}` +
    `${comment.visibility === "group" ? ` · ${strings.group}` : ""}${comment.edited ? ` · ${strings.edited}` : ""}`;
  item.append(h("p", { class: "muted" }, h("strong", { text: comment.author_name }), ` · ${meta}`,
    comment.pending ? " " : null, comment.pending ? pendingMark() : null));
  if (comment.anchor && comment.anchor.quote && !comment.hidden && !comment.deleted) {
    item.append(h("blockquote", { class: "comment-quote", text: comment.anchor.quote.exact }));
  }
  const body = h("p", { class: "comment-body" });
  if (comment.hidden) body.textContent = strings.hidden;
  else if (comment.deleted) body.textContent = strings.deleted;
  else renderText(body, comment.body);
  if (comment.hidden || comment.deleted) body.classList.add("hidden-text");
  item.append(body);
  if ((comment.history || []).length) {
    const details = h("details", {}, h("summary", { text: strings.history }));
    for (const old of comment.history) details.append(renderText(h("p", { class: "muted" }), old.body));
    item.append(details);
  }
  item.append(actionsOf(comment, root, body));
  return item;
}

function actionsOf(comment, root, body) {
  const actions = h("div", { class: "comment-actions" });
  if (comment.id === null) return actions; // not stored yet: nothing to act on
  const shown = !comment.hidden && !comment.deleted;
  if (shown && comment.author_id === config.user) {
    actions.append(h("button", { type: "button", class: "link", text: strings.edit, onclick: () => {
      const area = h("textarea", { rows: 3, maxlength: 4000 });
      area.value = comment.body;
      const save = h("button", { type: "button", class: "button", text: strings.save, onclick: () =>
        act("comment.update", { id: comment.id, client_id: newClientId(), revision: comment.revision, body: area.value }) });
      body.replaceWith(h("div", {}, area, save));
    } }));
    actions.append(h("button", { type: "button", class: "link", text: strings.delete, onclick: () =>
      act("comment.delete", { id: comment.id, client_id: newClientId(), revision: comment.revision }) }));
  }
  if (config.moderator && shown) {
    actions.append(h("button", { type: "button", class: "link", text: strings.hide,
      onclick: () => act("comment.hide", { id: comment.id }) }));
  }
  if (root && config.moderator) {
    actions.append(h("button", { type: "button", class: "link", text: root.locked ? strings.unlock : strings.lock,
      onclick: () => act("comment.lock", { id: comment.id, locked: !root.locked }) }));
  }
  return actions;
}

function replyForm(root) {
  const form = h("form", { class: "reply-form" });
  const area = h("textarea", { name: "body", rows: 2, maxlength: 4000, required: true, "aria-label": strings.reply });
  form.append(area, h("button", { type: "submit", class: "button", text: strings.reply }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!area.value.trim()) return;
    act("comment.create", { client_id: newClientId(), parent: root.id, body: area.value });
    area.value = "";
  });
  return form;
}

function render() {
  // a reply being typed survives the redraw that a live event causes
  const typing = new Map([...list.querySelectorAll(".thread")].map((node) => [node.dataset.key, node.querySelector(".reply-form textarea")]));
  const active = document.activeElement;
  let refocus = null;
  list.textContent = "";
  const roots = commentView(threads, outbox.entries, { document: config.document, me });
  if (!roots.length) list.append(h("li", { class: "muted", text: strings.noComments }));
  for (const root of roots) {
    const item = commentNode(root, root);
    item.classList.add("thread");
    const replies = h("ol", { class: "replies" });
    for (const reply of root.replies) replies.append(commentNode(reply, null));
    item.append(replies);
    if (root.locked) item.append(h("p", { class: "muted locked", text: strings.locked }));
    else if (!root.hidden && !root.deleted && root.id !== null) {
      const form = replyForm(root);
      const before = typing.get(root.key);
      if (before && before.value) form.elements.body.value = before.value;
      item.append(form);
      if (before && before === active) refocus = form.elements.body;
    }
    list.append(item);
  }
  refocus?.focus({ preventScroll: true });
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
    if (error.code !== "network") fail(error.message); // offline: what waits is shown meanwhile
  }
}

const live = pageLive(config.meeting);
const outbox = discussionOutbox(live, config.user, "comments", { settled, changed: () => render() });
const changed = (e) => upsert(e.data);
live.on("comment.created", changed);
live.on("comment.updated", changed);
live.on("comment.deleted", changed);
// the first join fixes the point from which events count: what came before it is fetched after it
live.onJoined(({ first, truncated }) => {
  if (first || truncated) load();
});
connectionLine(live, list);

document.getElementById("comment-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  const body = form.elements.body.value;
  if (!body.trim()) return;
  const payload = { client_id: newClientId(), document: config.document, body, visibility: form.elements.visibility.value };
  if (form.elements.page && form.elements.page.value) payload.page = Number(form.elements.page.value);
  act("comment.create", payload);
  form.elements.body.value = ""; // the comment shows below, waiting to be sent if it must
});

render();
load();

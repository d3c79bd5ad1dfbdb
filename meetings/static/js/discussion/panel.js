// The meeting page's group discussion panel: the caller's group rooms live, who of the group is
// online, the countdown to the time limit, the rapporteur's summary form, and for the secretary
// and the chair opening and closing the discussion. Also badges of comment counts on the agenda.

import { api } from "../api.js";
import { pageLive } from "../live/page.js";
import { h, jsonBlock, newClientId, renderText, timeOfDay } from "../shared.js";
import { discussionOutbox, pendingMark, placeChildren, strings } from "./common.js";
import { messageView } from "./pending.js";

const config = jsonBlock("discussion-config");
const panel = document.getElementById("discussion-panel");
const errorBox = panel.querySelector(".form-error");
const me = { id: config.user, name: strings.you };
let discussion = config.discussion;
let timer = null;
const replyTo = new Map(); // group id -> message id being answered
const rooms = new Map(config.groups.map((g) => [g.id, new Map()])); // group id -> message id -> message
const nodes = new Map(); // a message's key -> {node, sig}: unchanged ones stay as they are in the live region

function fail(message) {
  errorBox.textContent = message || strings.failed;
  errorBox.hidden = false;
}

function room(groupId) {
  return panel.querySelector(`.group-room[data-group-id="${groupId}"]`);
}

function messageNode(message, messages) {
  const item = h("li", { class: message.pending ? "message pending" : "message", "data-message-id": message.id ?? "",
    "data-key": message.key, "data-pending": message.pending ? "true" : "false" });
  item.append(h("p", { class: "message-head muted" }, h("strong", { text: message.author_name }),
    ` · ${timeOfDay(message.created_at)}`, message.pending ? " " : null, message.pending ? pendingMark() : null));
  const quoted = message.reply_to ? messages.get(message.reply_to) : null;
  if (quoted) {
    const text = quoted.hidden ? strings.hidden : quoted.body || "";
    item.append(h("p", { class: "message-quote muted", text: `↪ ${text.slice(0, 80)}` }));
  }
  const body = h("p", { class: "message-body" });
  if (message.hidden) {
    body.textContent = strings.hidden;
    body.classList.add("hidden-text");
  } else {
    renderText(body, message.body);
  }
  item.append(body);
  if (message.link && !message.hidden) {
    const href = `/meetings/${config.meeting}/documents/${message.link.document}#page=${message.link.page}`;
    item.append(h("a", { class: "message-link", href, text: `${strings.openLink} · ${strings.page} ${message.link.page}` }));
  }
  if (!message.hidden && message.id !== null) {
    item.append(h("button", { type: "button", class: "link", text: strings.reply, onclick: () => {
      replyTo.set(message.group_id, message.id);
      const note = room(message.group_id).querySelector(".replying");
      note.textContent = `${strings.replyingTo}: ${message.author_name}`;
      note.hidden = false;
    } }));
  }
  if (config.moderator && !message.hidden && message.id !== null) {
    item.append(h("button", { type: "button", class: "link", text: strings.hide,
      onclick: () => outbox.push({ cid: newClientId(), name: "group.message.hide", payload: { id: message.id } }) }));
  }
  return item;
}

/** Draw one group's room: its stored messages, then what waits in the outbox for it. */
function renderRoom(groupId) {
  const list = room(groupId)?.querySelector(".messages");
  const messages = rooms.get(groupId);
  if (!list || !messages) return;
  const view = discussion ? messageView(messages, outbox.entries, { discussion: discussion.id, group: groupId, me }) : [];
  placeChildren(list, view.map((message) => {
    const quoted = message.reply_to ? messages.get(message.reply_to) : null;
    const sig = JSON.stringify([message, quoted && [quoted.hidden, quoted.body]]);
    const known = nodes.get(message.key);
    if (known && known.sig === sig) return known.node;
    const node = messageNode(message, messages);
    nodes.set(message.key, { node, sig });
    if (message.id !== null && message.client_id) nodes.delete(`c${message.client_id}`);
    return node;
  }));
}

function renderRooms() {
  for (const groupId of rooms.keys()) renderRoom(groupId);
}

/** Take a message the server sent (ack, event or list) of the open discussion. */
function showMessage(message) {
  const messages = rooms.get(message.group_id);
  if (!messages || !discussion || message.discussion !== discussion.id) return;
  messages.set(message.id, message);
  renderRoom(message.group_id);
}

function settled(entry, ack) {
  if (!ack) return;
  if (!ack.ok) {
    fail(ack.error && ack.error.message);
    const form = entry.name === "group.message" ? room(entry.payload.group)?.querySelector(".message-form") : null;
    if (form && !form.elements.body.value) form.elements.body.value = entry.payload.body || "";
    renderRooms();
    return;
  }
  if (ack.message) showMessage(ack.message);
  if (entry.name === "group.summary.submit") {
    const status = room(entry.payload.group)?.querySelector(".summary-status");
    if (status) status.textContent = strings.summarySent;
  }
}

function showSummaryWaiting() {
  for (const entry of outbox.where((e) => e.name === "group.summary.submit")) {
    const status = room(entry.payload.group)?.querySelector(".summary-status");
    if (status) status.textContent = strings.pending;
  }
}

async function loadMessages() {
  for (const group of config.groups) {
    const messages = rooms.get(group.id);
    if (!discussion) {
      messages.clear();
      continue;
    }
    try {
      const answer = await api("GET", `/api/v1/discussions/${discussion.id}/messages?group=${group.id}`);
      messages.clear();
      for (const message of answer.items) messages.set(message.id, message);
    } catch (error) {
      if (error.code !== "network") fail(error.message); // offline: what waits is shown meanwhile
    }
  }
  renderRooms();
}

function isOpen() {
  return discussion && !discussion.closed_at && new Date(discussion.ends_at) > new Date();
}

function showState() {
  const topic = document.getElementById("discussion-topic");
  const countdown = document.getElementById("discussion-countdown");
  topic.textContent = discussion ? discussion.topic : strings.noDiscussion;
  clearInterval(timer);
  const tick = () => {
    if (!isOpen()) {
      countdown.textContent = discussion ? strings.closed : "";
      panel.querySelectorAll(".message-form").forEach((form) => { form.hidden = true; });
      panel.dataset.state = discussion ? "closed" : "none";
      clearInterval(timer);
      return;
    }
    const left = Math.max(0, Math.round((new Date(discussion.ends_at) - new Date()) / 1000));
    const minutes = Math.floor(left / 60);
    countdown.textContent = `${strings.timeLeft}: ${minutes}:${String(left % 60).padStart(2, "0")}`;
    panel.querySelectorAll(".message-form").forEach((form) => { form.hidden = false; });
    panel.dataset.state = "open";
  };
  tick();
  if (isOpen()) timer = setInterval(tick, 1000);
  const close = document.getElementById("discussion-close");
  const open = document.getElementById("discussion-open");
  if (close) close.hidden = !isOpen();
  if (open) open.hidden = isOpen();
  panel.querySelectorAll(".summary-form").forEach((form) => { form.hidden = !discussion; });
}

function showPresence(data) {
  const names = new Map(data.online.map((u) => [u.id, u.name]));
  for (const group of data.groups) {
    const target = room(group.id)?.querySelector(".group-online");
    if (target) target.textContent = group.online.map((id) => names.get(id)).join(", ") || strings.nobodyOnline;
  }
  const target = document.getElementById("discussion-presence");
  if (target) {
    target.textContent = `${strings.online}: ${data.count} · ` +
      data.groups.map((g) => `${g.name} ${g.online.length}/${g.members}`).join(" · ");
  }
}

// the managers hear presence.changed live; a delegate's panel asks now and then
function pollPresence() {
  api("GET", `/api/v1/meetings/${config.meeting}/presence`).then(showPresence).catch(() => {});
}

const live = pageLive(config.meeting);
const outbox = discussionOutbox(live, config.user, "group", {
  settled,
  changed: () => {
    renderRooms();
    showSummaryWaiting();
  },
});
live.on("discussion.opened", (e) => {
  discussion = e.data;
  showState();
  loadMessages();
});
live.on("discussion.closed", (e) => {
  if (discussion && discussion.id === e.data.id) {
    discussion = e.data;
    showState();
  }
});
live.on("group.message", (e) => showMessage(e.data));
live.on("group.message.hidden", (e) => showMessage(e.data));
live.on("presence.changed", (e) => showPresence(e.data));
live.onStatus((online) => {
  document.getElementById("discussion-connection").textContent = online ? "" : strings.offline;
  if (online) setTimeout(pollPresence, 500);
});
// the first join fixes the point from which events count: what came before it is fetched after it
live.onJoined(({ first, truncated }) => {
  if (first || truncated) loadMessages();
});

panel.querySelectorAll(".group-room").forEach((node) => {
  const groupId = Number(node.dataset.groupId);
  const form = node.querySelector(".message-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    const body = form.elements.body.value;
    if (!discussion || !body.trim()) return;
    const cid = newClientId();
    const payload = { client_id: cid, discussion: discussion.id, group: groupId, body };
    if (replyTo.has(groupId)) payload.reply_to = replyTo.get(groupId);
    // the message shows in the room at once, waiting to be sent if it must
    form.elements.body.value = "";
    replyTo.delete(groupId);
    form.querySelector(".replying").hidden = true;
    outbox.push({ cid, name: "group.message", payload });
  });
  const summary = node.querySelector(".summary-form");
  if (summary) {
    summary.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!discussion) return;
      errorBox.hidden = true;
      const cid = newClientId();
      outbox.push({ cid, name: "group.summary.submit",
        payload: { client_id: cid, discussion: discussion.id, group: groupId, body: summary.elements.body.value } });
    });
  }
});

const openForm = document.getElementById("discussion-open");
if (openForm) {
  openForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const item = openForm.elements.agenda_item_id.value;
    try {
      discussion = await api("POST", `/api/v1/meetings/${config.meeting}/discussions`, {
        topic: openForm.elements.topic.value, minutes: Number(openForm.elements.minutes.value),
        agenda_item_id: item ? Number(item) : null,
      });
      showState();
      loadMessages();
    } catch (error) {
      fail(error.message);
    }
  });
  document.getElementById("discussion-close").addEventListener("click", async () => {
    try {
      discussion = await api("POST", `/api/v1/discussions/${discussion.id}/close`);
      showState();
    } catch (error) {
      fail(error.message);
    }
  });
}

// comment counts on the agenda, and a link to each document's comments
async function commentCounts() {
  let counts;
  try {
    counts = await api("GET", `/api/v1/meetings/${config.meeting}/comments/counts`);
  } catch (_) {
    return;
  }
  const perDocument = new Map(counts.documents.map((d) => [d.document_id, d.comment_count]));
  for (const item of counts.items) {
    const heading = document.querySelector(`.agenda-item[data-agenda-id="${item.agenda_item_id}"] > h3`);
    if (heading) heading.append(h("span", { class: "badge comment-count", text: ` 💬 ${item.comment_count}` }));
  }
  document.querySelectorAll("li.document:not(.doc-link)[data-document-id]").forEach((li) => {
    const id = Number(li.dataset.documentId);
    const n = perDocument.get(id) || 0;
    li.append(h("a", { class: "comments-link", href: `/meetings/${config.meeting}/documents/${id}/comments`,
      text: `${strings.comments} (${n})` }));
  });
}

showState();
loadMessages();
commentCounts();
pollPresence();
setInterval(pollPresence, 15000);

// The meeting page's group discussion panel: the caller's group rooms live, who of the group is
// online, the countdown to the time limit, the rapporteur's summary form, and for the secretary
// and the chair opening and closing the discussion. Also badges of comment counts on the agenda.

import { api } from "/static/js/api.js";
import { Live, cid, el, json, renderText, strings, when } from "./common.js";

const config = json("discussion-config");
const panel = document.getElementById("discussion-panel");
const errorBox = panel.querySelector(".form-error");
let discussion = config.discussion;
let timer = null;
const replyTo = new Map(); // group id -> message id being answered
const shown = new Map(); // message id -> its <li>

function fail(message) {
  errorBox.textContent = message || strings.failed;
  errorBox.hidden = false;
}

function room(groupId) {
  return panel.querySelector(`.group-room[data-group-id="${groupId}"]`);
}

function showMessage(message) {
  const list = room(message.group_id)?.querySelector(".messages");
  if (!list) return;
  const item = el("li", { class: "message", "data-message-id": message.id });
  const head = el("p", { class: "message-head muted" },
    el("strong", { text: message.author_name }), document.createTextNode(` · ${when(message.created_at)}`));
  item.append(head);
  if (message.reply_to && shown.has(message.reply_to)) {
    const quoted = shown.get(message.reply_to).querySelector(".message-body");
    item.append(el("p", { class: "message-quote muted", text: `↪ ${(quoted?.textContent || "").slice(0, 80)}` }));
  }
  const body = el("p", { class: "message-body" });
  if (message.hidden) {
    body.textContent = strings.hidden;
    body.classList.add("hidden-text");
  } else {
    renderText(body, message.body);
  }
  item.append(body);
  if (message.link && !message.hidden) {
    const href = `/meetings/${config.meeting}/documents/${message.link.document}#page=${message.link.page}`;
    item.append(el("a", { class: "message-link", href, text: `${strings.openLink} · ${strings.page} ${message.link.page}` }));
  }
  if (!message.hidden) {
    item.append(el("button", { type: "button", class: "link", text: strings.reply, onclick: () => {
      replyTo.set(message.group_id, message.id);
      const note = room(message.group_id).querySelector(".replying");
      note.textContent = `${strings.replyingTo}: ${message.author_name}`;
      note.hidden = false;
    } }));
  }
  if (config.moderator && !message.hidden) {
    item.append(el("button", { type: "button", class: "link", text: strings.hide,
      onclick: () => live.request("group.message.hide", { id: message.id }) }));
  }
  const old = shown.get(message.id);
  if (old) old.replaceWith(item);
  else list.append(item);
  shown.set(message.id, item);
}

async function loadMessages() {
  for (const group of config.groups) {
    const list = room(group.id).querySelector(".messages");
    list.textContent = "";
    if (!discussion) continue;
    try {
      const answer = await api("GET", `/api/v1/discussions/${discussion.id}/messages?group=${group.id}`);
      answer.items.forEach(showMessage);
    } catch (error) {
      fail(error.message);
    }
  }
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

const live = new Live(config.meeting, {
  "discussion.opened": (e) => { discussion = e.data; showState(); loadMessages(); },
  "discussion.closed": (e) => { if (discussion && discussion.id === e.data.id) { discussion = e.data; showState(); } },
  "group.message": (e) => { if (discussion && e.data.discussion === discussion.id) showMessage(e.data); },
  "group.message.hidden": (e) => { if (shown.has(e.data.id)) showMessage(e.data); },
  "presence.changed": (e) => showPresence(e.data),
}, (online) => {
  document.getElementById("discussion-connection").textContent = online ? "" : strings.offline;
  if (online) setTimeout(pollPresence, 500);
});

panel.querySelectorAll(".group-room").forEach((node) => {
  const groupId = Number(node.dataset.groupId);
  const form = node.querySelector(".message-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    const body = form.elements.body.value;
    if (!discussion || !body.trim()) return;
    const payload = { client_id: cid(), discussion: discussion.id, group: groupId, body };
    if (replyTo.has(groupId)) payload.reply_to = replyTo.get(groupId);
    try {
      const ack = await live.request("group.message", payload);
      if (!ack.ok) return fail(ack.error.message);
      form.elements.body.value = "";
      replyTo.delete(groupId);
      form.querySelector(".replying").hidden = true;
      showMessage(ack.message);
    } catch (_) {
      fail();
    }
  });
  const summary = node.querySelector(".summary-form");
  if (summary) {
    summary.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!discussion) return;
      try {
        const ack = await live.request("group.summary.submit",
          { client_id: cid(), discussion: discussion.id, group: groupId, body: summary.elements.body.value });
        if (!ack.ok) return fail(ack.error.message);
        summary.querySelector(".summary-status").textContent = strings.summarySent;
      } catch (_) {
        fail();
      }
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
    if (heading) heading.append(el("span", { class: "badge comment-count", text: ` 💬 ${item.comment_count}` }));
  }
  document.querySelectorAll("li.document:not(.doc-link)[data-document-id]").forEach((li) => {
    const id = Number(li.dataset.documentId);
    const n = perDocument.get(id) || 0;
    li.append(el("a", { class: "comments-link", href: `/meetings/${config.meeting}/documents/${id}/comments`,
      text: `${strings.comments} (${n})` }));
  });
}

showState();
loadMessages();
commentCounts();
pollPresence();
setInterval(pollPresence, 15000);

// What the discussion pages share: the page's strings, plain text with safe links (never markup),
// a client_id per action, and a small live connection to /live that joins one meeting.
// Everything a delegate wrote is inserted with textContent: no HTML of theirs ever reaches the DOM.

import { io } from "/static/vendor/socket.io.esm.min.js";

export function json(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

export const strings = json("discussion-strings") || {};

export function cid() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;

/** Put text into node as text; http(s) addresses become links that open apart (rel=noopener). */
export function renderText(node, text) {
  node.textContent = "";
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let href = match[0].replace(/[.,;:!?)\]]+$/, "");
    let url;
    try {
      url = new URL(href);
    } catch (_) {
      continue;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") continue;
    node.append(document.createTextNode(text.slice(last, match.index)));
    node.append(el("a", { href: url.href, rel: "noopener noreferrer nofollow", target: "_blank", text: href }));
    last = match.index + href.length;
  }
  node.append(document.createTextNode(text.slice(last)));
  return node;
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "";
}

/**
 * One socket on /live joined to meetingId; handlers[type](envelope) for each event once (by seq),
 * including those missed while disconnected (join with since); onStatus(online).
 */
export class Live {
  constructor(meetingId, handlers, onStatus = () => {}) {
    this.meetingId = meetingId;
    this.handlers = handlers;
    this.seen = new Set();
    this.since = null;
    this.socket = io("/live", { withCredentials: true });
    this.socket.on("connect", () => this.join());
    this.socket.on("disconnect", () => onStatus(false));
    this.onStatus = onStatus;
    this.socket.on("event", (envelope) => this.receive(envelope));
  }

  async join() {
    const ack = await this.request("join", { meeting: this.meetingId, since: this.since });
    if (!ack || !ack.ok) return;
    for (const envelope of ack.missed || []) this.receive(envelope);
    this.since = Math.max(this.since || 0, ack.seq);
    this.onStatus(true);
  }

  receive(envelope) {
    if (!envelope || envelope.meeting !== this.meetingId) return;
    if (Number.isInteger(envelope.seq)) {
      if (this.seen.has(envelope.seq)) return;
      this.seen.add(envelope.seq);
      if (this.since !== null) this.since = Math.max(this.since, envelope.seq);
    }
    const handler = this.handlers[envelope.type];
    if (handler) handler(envelope);
  }

  request(name, payload) {
    return this.socket.timeout(10000).emitWithAck(name, payload);
  }
}

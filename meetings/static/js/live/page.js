// The browser's side of the live connection: the page's one socket on /live (the session cookie
// signs it in), made the first time a module asks for it, and outboxes that send through it.
// Every module of a page shares that one socket, its seq bookkeeping and its bus.

import { io } from "../../vendor/socket.io.esm.min.js";
import { storageOrNull } from "../shared.js";
import { LiveConnection } from "./connection.js";
import { Outbox } from "./outbox.js";

let shared = null;

/** The page's live connection, joined to meetingId (made, and connected, on the first call). */
export function pageLive(meetingId) {
  if (shared) {
    if (shared.meetingId !== meetingId) throw new Error(`this page is live for meeting ${shared.meetingId}`);
    return shared;
  }
  const socket = io("/live", { withCredentials: true, reconnectionDelay: 1000, reconnectionDelayMax: 5000 });
  // the meeting's latest seq when the server began this page: joining from it replays whatever
  // happened while the page was built and loaded (null without it: nothing to replay)
  const seq = Number.parseInt(document.querySelector('meta[name="live-seq"]')?.content ?? "", 10);
  const live = new LiveConnection(meetingId, socket, { since: Number.isInteger(seq) ? seq : null });
  shared = live;
  // When the device says the network is gone, the socket would only notice after its heartbeat
  // times out (tens of seconds): drop the transport now, so the page says "offline" at once and
  // Socket.IO starts reconnecting; when it says the network is back, try at once, not after the back-off.
  window.addEventListener("offline", () => live.dropTransport());
  window.addEventListener("online", () => live.reconnectNow());
  // for tests and support: simulate a network drop (Socket.IO reconnects by itself)
  window.__live = {
    disconnect: () => live.dropTransport(),
    get online() { return live.online; },
  };
  return live;
}

/**
 * An outbox in localStorage under key that sends through live: flushed whenever the connection
 * comes up, and taking another tab's changes to the same key. hooks: see Outbox (canSend and
 * send are filled in here).
 */
export function pageOutbox(live, key, hooks) {
  const outbox = new Outbox(key, {
    canSend: () => live.online,
    send: (name, payload) => live.request(name, payload),
    ...hooks,
  }, { storage: storageOrNull() });
  live.onStatus((online) => {
    if (online) outbox.flush();
  });
  window.addEventListener("storage", (event) => {
    if (event.key === key) outbox.reload();
  });
  return outbox;
}

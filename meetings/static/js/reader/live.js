// The live connection: one Socket.IO socket on /live (the session cookie signs it in), joined to the
// meeting, telling the reader every event it may see exactly once and in seq order.
//
// Seq is per meeting and counts every event, including those this user never receives (others'
// private notes), so a missing number is usually nothing. Events are applied in seq order: one that
// arrives past a hole waits a moment for the hole to fill (two server processes may send 6 before 5);
// if it does not, `join` again with since = the last contiguous seq, whose ack brings what we may
// see up to the meeting's latest seq. After every (re)connect the same `join` catches up.
// See docs/live-protocol.md.

import { io } from "/static/vendor/socket.io.esm.min.js";

const NAMESPACE = "/live";
const GAP_GRACE_MS = 400; // a hole older than this is asked for again
const ACK_TIMEOUT_MS = 10000;
const REJOIN_AFTER_FAILURE_MS = 3000;

export class LiveConnection {
  /**
   * meetingId: the meeting to join. Handlers:
   *   onEvent(envelope)       every event of the meeting this user may see, once, in seq order
   *   onStatus(online)        the socket came up (and joined) or went down
   *   onJoined({first, truncated})  a join answered; truncated: state must be fetched again
   */
  constructor(meetingId, { onEvent, onStatus, onJoined } = {}) {
    this.meetingId = meetingId;
    this.handlers = { onEvent, onStatus, onJoined };
    this.contiguous = null; // every event up to this seq is accounted for; null before the first join
    this.waiting = new Map(); // seq -> envelope received past a hole
    this.joining = false;
    this.joined = false;
    this.joinToken = 0;
    this.gapTimer = null;
    this.socket = io(NAMESPACE, {
      withCredentials: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
    });
    this.socket.on("connect", () => this.join());
    this.socket.on("disconnect", () => this.down());
    this.socket.on("connect_error", () => this.down());
    this.socket.on("event", (envelope) => this.receive(envelope));
    // When the device says the network is gone, the socket would only notice after its heartbeat
    // times out (tens of seconds): drop the transport now, so the reader says "offline" at once
    // and Socket.IO starts reconnecting.
    window.addEventListener("offline", () => this.dropTransport());
    // and when it says the network is back, try at once rather than after the back-off
    window.addEventListener("online", () => this.reconnectNow());
  }

  get online() {
    return this.socket.connected && this.joined;
  }

  /** Send a client action; resolves with its ack, rejects on timeout or disconnection. */
  request(name, payload) {
    return this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(name, payload);
  }

  /** Close the transport as a network drop would (Socket.IO then reconnects by itself). */
  dropTransport() {
    const engine = this.socket.io.engine;
    if (engine && this.socket.connected) engine.close();
  }

  reconnectNow() {
    if (this.socket.connected) return;
    this.socket.disconnect();
    this.socket.connect();
  }

  down() {
    this.joined = false;
    this.joining = false;
    this.joinToken++; // a join still on its way belongs to the socket that went down
    clearTimeout(this.gapTimer);
    this.handlers.onStatus?.(false);
  }

  async join() {
    if (this.joining || !this.socket.connected) return;
    this.joining = true;
    const token = ++this.joinToken;
    clearTimeout(this.gapTimer);
    const first = this.contiguous === null;
    let ack;
    try {
      ack = await this.request("join", { meeting: this.meetingId, since: this.contiguous });
    } catch (_) {
      ack = null; // timed out or dropped: the next connect joins again
    }
    if (token !== this.joinToken) return;
    this.joining = false;
    if (!ack || !ack.ok) {
      if (this.socket.connected) setTimeout(() => this.join(), REJOIN_AFTER_FAILURE_MS);
      return;
    }
    let truncated = Boolean(ack.truncated);
    if (this.contiguous !== null && ack.seq < this.contiguous) {
      // the meeting's log is behind what we hold (a database restored from a backup): start over
      this.contiguous = null;
      this.waiting.clear();
      truncated = true;
    }
    for (const envelope of ack.missed || []) this.keep(envelope);
    // the ack accounts for everything up to its seq: what we may see of it is now in hand
    const upTo = ack.seq;
    const ready = [...this.waiting.keys()].filter((seq) => seq <= upTo).sort((a, b) => a - b);
    for (const seq of ready) {
      const envelope = this.waiting.get(seq);
      this.waiting.delete(seq);
      this.apply(envelope);
    }
    this.contiguous = Math.max(this.contiguous ?? 0, upTo);
    const wasJoined = this.joined;
    this.joined = true;
    this.handlers.onJoined?.({ first, truncated });
    if (!wasJoined) this.handlers.onStatus?.(true);
    this.drain();
  }

  receive(envelope) {
    if (!envelope || envelope.meeting !== this.meetingId || !Number.isInteger(envelope.seq)) return;
    this.keep(envelope);
    if (this.contiguous !== null && !this.joining) this.drain();
  }

  keep(envelope) {
    if (this.contiguous !== null && envelope.seq <= this.contiguous) return; // had it already
    this.waiting.set(envelope.seq, envelope);
  }

  /** Apply the events that follow on without a hole; ask again for a hole that stays. */
  drain() {
    while (this.waiting.has(this.contiguous + 1)) {
      const envelope = this.waiting.get(this.contiguous + 1);
      this.waiting.delete(this.contiguous + 1);
      this.contiguous += 1;
      this.apply(envelope);
    }
    for (const seq of this.waiting.keys()) if (seq <= this.contiguous) this.waiting.delete(seq);
    clearTimeout(this.gapTimer);
    if (this.waiting.size) {
      this.gapTimer = setTimeout(() => {
        if (this.waiting.size && this.socket.connected) this.join();
      }, GAP_GRACE_MS);
    }
  }

  apply(envelope) {
    try {
      this.handlers.onEvent?.(envelope);
    } catch (error) {
      console.error("live event failed", envelope.type, error); // one bad event must not stop the rest
    }
  }
}

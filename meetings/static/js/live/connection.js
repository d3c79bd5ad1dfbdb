// The live connection: one Socket.IO socket on /live joined to the meeting, telling the page's
// modules every event they may see exactly once and in seq order, through a bus (by event type).
//
// Seq is per meeting and counts every event, including those this user never receives (others'
// private notes), so a missing number is usually nothing. Events are applied in seq order: one that
// arrives past a hole waits a moment for the hole to fill (two server processes may send 6 before 5);
// if it does not, `join` again with since = the last contiguous seq, whose ack brings what we may
// see up to the meeting's latest seq. After every (re)connect the same `join` catches up.
// Presence events are not stored (seq null): they are told at once, outside the ordering.
// See docs/live-protocol.md, §6.
//
// The socket is passed in (see page.js for the browser's), so the ordering can be tested in node
// with a fake one: it needs on(), emit(name, payload, ack), connected, connect() and disconnect().

import { Bus } from "./bus.js";

const DEFAULTS = {
  gapGraceMs: 400, // a hole older than this is asked for again
  ackTimeoutMs: 10000,
  rejoinAfterFailureMs: 3000,
};

/** The bus types of the connection's own news (event types have dots, never a colon). */
export const STATUS = "live:status";
export const JOINED = "live:joined";

export class LiveConnection {
  /**
   * meetingId: the meeting to join; socket: a connected-or-connecting Socket.IO client socket.
   * Options: bus (shared with the page), timers ({setTimeout, clearTimeout}), and the delays above.
   */
  constructor(meetingId, socket, { bus = new Bus(), timers = globalThis, since = null, ...options } = {}) {
    this.meetingId = meetingId;
    this.socket = socket;
    this.bus = bus;
    this.timers = timers;
    this.options = { ...DEFAULTS, ...options };
    // every event up to this seq is accounted for: the page's own seq when it has one (what it shows
    // is as of then), else null before the first join
    this.contiguous = since;
    this.waiting = new Map(); // seq -> envelope received past a hole
    this.joining = false;
    this.joined = false;
    this.joinToken = 0;
    this.gapTimer = null;
    this.requests = new Set(); // pending acks, failed at once when the socket goes down
    socket.on("connect", () => this.join());
    socket.on("disconnect", () => this.down());
    socket.on("connect_error", () => this.down());
    socket.on("event", (envelope) => this.receive(envelope));
    if (socket.connected) this.join();
  }

  /** True while the socket is up and joined: actions may be sent. */
  get online() {
    return Boolean(this.socket.connected && this.joined);
  }

  /** Subscribe to events of type (an envelope type such as "comment.created", or "*"). */
  on(type, handler) {
    return this.bus.on(type, handler);
  }

  /** Subscribe to the connection going up (joined) or down: handler(online). */
  onStatus(handler) {
    return this.bus.on(STATUS, handler);
  }

  /** Subscribe to each answered join: handler({first, truncated}); truncated: fetch state again. */
  onJoined(handler) {
    return this.bus.on(JOINED, handler);
  }

  /** Send a client action; resolves with its ack, rejects on timeout or when the socket goes down. */
  request(name, payload) {
    return new Promise((resolve, reject) => {
      const pending = { reject, timer: null };
      const finish = () => {
        this.timers.clearTimeout(pending.timer);
        this.requests.delete(pending);
      };
      pending.timer = this.timers.setTimeout(() => {
        finish();
        reject(new Error("timeout"));
      }, this.options.ackTimeoutMs);
      this.requests.add(pending);
      this.socket.emit(name, payload, (ack) => {
        if (!this.requests.has(pending)) return; // too late: the caller already retries
        finish();
        resolve(ack);
      });
    });
  }

  /** Close the transport as a network drop would (Socket.IO then reconnects by itself). */
  dropTransport() {
    const engine = this.socket.io && this.socket.io.engine;
    if (engine && this.socket.connected) engine.close();
  }

  /** Reconnect now rather than after the back-off (the device says the network is back). */
  reconnectNow() {
    if (this.socket.connected) return;
    this.socket.disconnect();
    this.socket.connect();
  }

  down() {
    this.joined = false;
    this.joining = false;
    this.joinToken++; // a join still on its way belongs to the socket that went down
    this.timers.clearTimeout(this.gapTimer);
    // an ack will not come over a socket that went down: say so now, so the outbox waits for the
    // reconnect instead of a timeout (a retry has the same client_id, so at most once)
    for (const pending of [...this.requests]) {
      this.timers.clearTimeout(pending.timer);
      this.requests.delete(pending);
      pending.reject(new Error("disconnected"));
    }
    this.bus.emit(STATUS, false);
  }

  async join() {
    if (this.joining || !this.socket.connected) return;
    this.joining = true;
    const token = ++this.joinToken;
    this.timers.clearTimeout(this.gapTimer);
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
      // not joined is offline for the page (no events come): it says so, and polls if it can
      this.joined = false;
      this.bus.emit(STATUS, false);
      if (this.socket.connected) this.timers.setTimeout(() => this.join(), this.options.rejoinAfterFailureMs);
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
    this.bus.emit(JOINED, { first, truncated });
    if (!wasJoined) this.bus.emit(STATUS, true);
    this.drain();
  }

  receive(envelope) {
    if (!envelope || envelope.meeting !== this.meetingId) return;
    if (envelope.seq === null || envelope.seq === undefined) {
      this.apply(envelope); // not stored (presence): nothing to order it by
      return;
    }
    if (!Number.isInteger(envelope.seq)) return;
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
    this.timers.clearTimeout(this.gapTimer);
    if (this.waiting.size) {
      this.gapTimer = this.timers.setTimeout(() => {
        if (this.waiting.size && this.socket.connected) this.join();
      }, this.options.gapGraceMs);
    }
  }

  apply(envelope) {
    this.bus.emit(envelope.type, envelope); // the bus keeps one failing subscriber from stopping the rest
  }
}

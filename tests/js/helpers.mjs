// Stand-ins for what the browser gives the state modules: a socket, a clock, a storage.

/** Let pending promise callbacks run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A clock the test moves by hand: setTimeout/clearTimeout as the modules call them. */
export class FakeTimers {
  constructor() {
    this.now = 0;
    this.tasks = new Map();
    this.next = 1;
  }

  setTimeout(fn, ms = 0) {
    const id = this.next++;
    this.tasks.set(id, { at: this.now + ms, fn });
    return id;
  }

  clearTimeout(id) {
    this.tasks.delete(id);
  }

  /** Move the clock on by ms, running what falls due, in time order. */
  async advance(ms) {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.tasks.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.tasks.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      await settle();
    }
    this.now = until;
  }
}

/** localStorage's interface over a Map. */
export class MemoryStorage {
  constructor() {
    this.map = new Map();
  }

  getItem(key) {
    return this.map.has(key) ? this.map.get(key) : null;
  }

  setItem(key, value) {
    this.map.set(key, String(value));
  }

  removeItem(key) {
    this.map.delete(key);
  }
}

/** The part of a Socket.IO client socket the live connection uses; the test plays the server. */
export class FakeSocket {
  constructor() {
    this.handlers = new Map();
    this.connected = false;
    this.sent = []; // {name, payload, ack}
    this.io = { engine: { close: () => this.drop() } };
  }

  on(name, fn) {
    if (!this.handlers.has(name)) this.handlers.set(name, []);
    this.handlers.get(name).push(fn);
  }

  fire(name, ...args) {
    for (const fn of this.handlers.get(name) || []) fn(...args);
  }

  emit(name, payload, ack) {
    this.sent.push({ name, payload, ack });
  }

  /** The socket (re)connects. */
  up() {
    this.connected = true;
    this.fire("connect");
  }

  /** The network drops. */
  drop() {
    if (!this.connected) return;
    this.connected = false;
    this.fire("disconnect");
  }

  connect() {
    this.up();
  }

  disconnect() {
    this.drop();
  }

  /** The last emit of that name not yet answered. */
  pending(name) {
    return this.sent.filter((s) => s.name === name && !s.answered).at(-1);
  }

  /** Answer the last unanswered emit of name with ack. */
  answer(name, ack) {
    const request = this.pending(name);
    if (!request) throw new Error(`nothing sent as ${name}`);
    request.answered = true;
    request.ack(ack);
    return request;
  }

  /** The server tells an event. */
  event(envelope) {
    this.fire("event", envelope);
  }
}

/** An event envelope of meeting 1. */
export function envelope(seq, type = "annotation.created", data = {}, meeting = 1) {
  return { seq, type, meeting, at: "2026-11-23T15:20:46+00:00", data };
}

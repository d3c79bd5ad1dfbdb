// The outbox: every annotation action the reader makes, kept (in localStorage, so a reload or a
// closed tab loses nothing) until the server has acknowledged it, and sent one at a time, in order.
//
// Each action carries a client_id made once, when the user acts; a retry (after a timeout, a
// reconnect or a reload) sends the very same payload, so the server applies it at most once and
// answers a repeat with the stored result. An edit or a deletion of an annotation whose creation is
// still queued waits behind it and learns its id from the creation's ack.

const KEEP_IDS = 500; // client_ids of acknowledged creations remembered, for edits queued behind them
const RETRY_MS = [1000, 2000, 5000, 10000];

/** What prepare() answers for an action that cannot be sent yet (it waits) or never (it is dropped). */
export const WAIT = Symbol("wait");
export const DROP = Symbol("drop");

export function newClientId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  // randomUUID needs a secure context (https or localhost); a hall's plain-http address is not one
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export class Outbox {
  /**
   * key: the localStorage key (per user and meeting). Collaborators:
   *   canSend()                 whether the connection is up
   *   send(name, payload)       a promise of the ack; rejects on timeout or disconnection
   *   prepare(entry)            the payload of an edit or deletion (its id and revision), WAIT or DROP
   *   settled(entry, ack)       the server answered (ack.ok true or false), or ack null: dropped
   *   changed()                 the queue changed (to redraw what is pending)
   */
  constructor(key, { canSend, send, prepare, settled, changed }) {
    this.key = key;
    this.hooks = { canSend, send, prepare, settled, changed };
    this.entries = [];
    this.ids = {}; // creation client_id -> annotation id, once acknowledged
    this.sending = false;
    this.retries = 0;
    this.retryTimer = null;
    this.load();
    window.addEventListener("storage", (event) => {
      // another tab of the same meeting queued or settled something: take its view of the queue
      if (event.key === this.key && !this.sending) {
        this.load();
        this.hooks.changed?.();
      }
    });
  }

  load() {
    try {
      const saved = JSON.parse(localStorage.getItem(this.key) || "null");
      if (saved && Array.isArray(saved.entries)) {
        this.entries = saved.entries;
        this.ids = saved.ids || {};
      }
    } catch (_) {
      // no storage (private mode) or a damaged value: start empty; the queue lives in memory
    }
  }

  save() {
    const ids = Object.entries(this.ids);
    if (ids.length > KEEP_IDS) this.ids = Object.fromEntries(ids.slice(-KEEP_IDS));
    try {
      if (this.entries.length || Object.keys(this.ids).length) {
        localStorage.setItem(this.key, JSON.stringify({ entries: this.entries, ids: this.ids }));
      } else {
        localStorage.removeItem(this.key);
      }
    } catch (_) {
      // storage full or refused: the queue still works for as long as the page stays open
    }
  }

  get size() {
    return this.entries.length;
  }

  /** Queue an action: {cid, name, payload} for a creation; {cid, name, ref, changes, base} for an edit
   * or a deletion, where ref is {id} or {cid} (the creation's) and base the revision it was made on. */
  push(entry) {
    this.entries.push({ ...entry, at: Date.now() });
    this.save();
    this.hooks.changed?.();
    this.flush();
  }

  /** Remove the queued entries for which test(entry) is true (never the one on its way). */
  dropWhere(test) {
    const dropped = this.entries.filter((e, i) => !(this.sending && i === 0) && test(e));
    if (!dropped.length) return [];
    this.entries = this.entries.filter((e) => !dropped.includes(e));
    this.save();
    return dropped;
  }

  rememberId(cid, id) {
    if (cid && Number.isInteger(id)) {
      this.ids[cid] = id;
      this.save();
    }
  }

  /** Send what is queued, in order, one at a time, while the connection is up. */
  async flush() {
    if (this.sending) return;
    clearTimeout(this.retryTimer);
    this.sending = true;
    try {
      while (this.entries.length && this.hooks.canSend()) {
        const entry = this.entries[0];
        if (!entry.payload) {
          const prepared = this.hooks.prepare(entry);
          if (prepared === WAIT) break;
          if (prepared === DROP) {
            this.entries.shift();
            this.save();
            this.hooks.settled(entry, null);
            continue;
          }
          entry.payload = prepared; // fixed from now on: a retry must be the same action
          this.save();
        }
        let ack;
        try {
          ack = await this.hooks.send(entry.name, entry.payload);
        } catch (_) {
          ack = undefined; // no answer: keep it and try again (same client_id, so at most once)
        }
        if (ack === undefined || ack === null || typeof ack !== "object") {
          this.scheduleRetry();
          break;
        }
        this.retries = 0;
        if (this.entries[0] === entry) this.entries.shift();
        else this.entries = this.entries.filter((e) => e !== entry);
        if (ack.ok && entry.name === "annotation.create" && ack.annotation) this.ids[entry.cid] = ack.annotation.id;
        this.save();
        this.hooks.settled(entry, ack);
      }
    } finally {
      this.sending = false;
      this.hooks.changed?.();
    }
  }

  scheduleRetry() {
    const delay = RETRY_MS[Math.min(this.retries, RETRY_MS.length - 1)];
    this.retries += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.flush(), delay);
  }
}

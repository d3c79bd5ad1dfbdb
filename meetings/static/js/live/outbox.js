// The outbox: every live action the page makes (annotations, comments, group messages, summaries,
// moderation), kept in storage (localStorage in the browser, so a reload or a closed tab loses
// nothing) until the server has acknowledged it, and sent one at a time, in order.
//
// Each action carries a client_id made once, when the user acts; a retry (after a timeout, a
// reconnect or a reload) sends the very same payload, so the server applies it at most once and
// answers a repeat with the stored result. An action whose payload depends on an earlier one (an
// edit of an annotation whose creation is still queued) is queued without a payload: prepare()
// makes it when its turn comes, and it waits until it can.
//
// The storage is passed in (anything with getItem/setItem/removeItem), so this runs in node too.

const KEEP_IDS = 500; // client_ids of acknowledged creations remembered, for edits queued behind them
const RETRY_MS = [1000, 2000, 5000, 10000];

/** What prepare() answers for an action that cannot be sent yet (it waits) or never (it is dropped). */
export const WAIT = Symbol("wait");
export const DROP = Symbol("drop");

/** The id of what an acknowledged action made (an annotation, a comment, a message), if any. */
export function madeId(ack) {
  const made = ack && ack.ok ? ack.annotation || ack.comment || ack.message || ack.summary : null;
  return made && Number.isInteger(made.id) ? made.id : null;
}

export class Outbox {
  /**
   * key: the storage key (per user and meeting, and per kind of page). Hooks:
   *   canSend()                 whether the connection is up
   *   send(name, payload)       a promise of the ack; rejects on timeout or disconnection
   *   prepare(entry)            the payload of an entry queued without one, WAIT or DROP
   *   settled(entry, ack)       the server answered (ack.ok true or false), or ack null: dropped
   *   changed()                 the queue changed (to redraw what is pending)
   * Options: storage (null: in memory only), timers ({setTimeout, clearTimeout}).
   */
  constructor(key, hooks, { storage = null, timers = globalThis } = {}) {
    this.key = key;
    this.hooks = { prepare: () => DROP, settled: () => {}, changed: () => {}, ...hooks };
    this.storage = storage;
    this.timers = timers;
    this.entries = [];
    this.ids = {}; // creation client_id -> id of what it made, once acknowledged
    this.sending = false;
    this.retries = 0;
    this.retryTimer = null;
    this.load();
  }

  /** Take the queue as storage holds it (at start, and when another tab changed it). */
  load() {
    try {
      const saved = JSON.parse(this.storage?.getItem(this.key) || "null");
      if (saved && Array.isArray(saved.entries)) {
        this.entries = saved.entries;
        this.ids = saved.ids || {};
      }
    } catch (_) {
      // no storage (private mode) or a damaged value: start empty; the queue lives in memory
    }
  }

  /** Another tab wrote the key: take its view of the queue, unless an entry is on its way from here. */
  reload() {
    if (this.sending) return;
    this.load();
    this.hooks.changed();
  }

  /** Write the queue to storage (callers that change entries in place call it too). */
  save() {
    const ids = Object.entries(this.ids);
    if (ids.length > KEEP_IDS) this.ids = Object.fromEntries(ids.slice(-KEEP_IDS));
    try {
      if (this.entries.length || Object.keys(this.ids).length) {
        this.storage?.setItem(this.key, JSON.stringify({ entries: this.entries, ids: this.ids }));
      } else {
        this.storage?.removeItem(this.key);
      }
    } catch (_) {
      // storage full or refused: the queue still works for as long as the page stays open
    }
  }

  /** How many actions wait for their ack. */
  get size() {
    return this.entries.length;
  }

  /** The queued entries for which test(entry) is true. */
  where(test) {
    return this.entries.filter(test);
  }

  /**
   * Queue an action: {cid, name, payload}, the payload with its client_id (cid) already in it;
   * or, when it depends on an earlier action, {cid, name, ...} without payload (see prepare).
   */
  push(entry) {
    this.entries.push({ ...entry, at: Date.now() });
    this.save();
    this.hooks.changed();
    this.flush();
    return entry.cid;
  }

  /** Remove the queued entries for which test(entry) is true (never the one on its way). */
  dropWhere(test) {
    const dropped = this.entries.filter((e, i) => !(this.sending && i === 0) && test(e));
    if (!dropped.length) return [];
    this.entries = this.entries.filter((e) => !dropped.includes(e));
    this.save();
    return dropped;
  }

  /** Note that the creation with client_id cid made id (learnt other than by its ack). */
  rememberId(cid, id) {
    if (cid && Number.isInteger(id) && this.ids[cid] !== id) {
      this.ids[cid] = id;
      this.save();
    }
  }

  /** Send what is queued, in order, one at a time, while the connection is up. */
  async flush() {
    if (this.sending) return;
    this.timers.clearTimeout(this.retryTimer);
    this.sending = true;
    try {
      while (this.entries.length && this.hooks.canSend()) {
        const entry = this.entries[0];
        if (!entry.payload) {
          const prepared = this.hooks.prepare(entry);
          if (prepared === WAIT) break;
          if (prepared === DROP || !prepared) {
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
        const id = madeId(ack);
        if (id !== null && entry.payload.client_id === entry.cid && !entry.payload.id) this.ids[entry.cid] = id;
        this.save();
        this.hooks.settled(entry, ack);
      }
    } finally {
      this.sending = false;
      this.hooks.changed();
    }
  }

  scheduleRetry() {
    const delay = RETRY_MS[Math.min(this.retries, RETRY_MS.length - 1)];
    this.retries += 1;
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = this.timers.setTimeout(() => this.flush(), delay);
  }
}

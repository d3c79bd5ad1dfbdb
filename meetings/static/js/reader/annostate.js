// What the reader knows of a document's annotations: the server's state (from listAnnotations,
// live events and acks), and on top of it the user's own actions still in the outbox.
//
// The server's state keeps, per annotation, the highest revision seen: an old answer arriving late
// (a list fetched before an edit, an event replayed by `missed`) never undoes a newer one. Removed
// annotations leave a tombstone for the same reason: a list that was on its way when the deletion
// came must not bring the annotation back.

export class AnnotationState {
  constructor(me) {
    this.me = me; // the reader's user id
    this.reset(null);
  }

  /** Forget everything: the reader now shows documentId. */
  reset(documentId) {
    this.documentId = documentId;
    this.server = new Map(); // id -> annotation as the server last told
    this.tombs = new Map(); // id -> {revision, deleted}
  }

  /** Take an annotation as the server presents it; true if what is shown changes. */
  upsert(annotation) {
    if (!annotation || !Number.isInteger(annotation.id) || annotation.document !== this.documentId) return false;
    if (annotation.deleted) return this.remove(annotation.id, annotation.revision, true);
    const tomb = this.tombs.get(annotation.id);
    // deleted stays deleted; hidden (its audience changed) comes back only at that revision or later
    if (tomb && (tomb.deleted || annotation.revision < tomb.revision)) return false;
    const known = this.server.get(annotation.id);
    if (known && known.revision > annotation.revision) return false;
    const authorName = annotation.author_name || (known && known.author_name) || "";
    this.server.set(annotation.id, { ...annotation, author_name: authorName });
    if (tomb) this.tombs.delete(annotation.id);
    return true;
  }

  /** The annotation is gone from view (deleted, or no longer shared with this reader). */
  remove(id, revision, deleted) {
    const tomb = this.tombs.get(id);
    if (!tomb || (revision ?? 0) >= tomb.revision || deleted) {
      this.tombs.set(id, { revision: Math.max(revision ?? 0, tomb ? tomb.revision : 0), deleted: deleted || Boolean(tomb && tomb.deleted) });
    }
    const known = this.server.get(id);
    if (!known) return false;
    if (!deleted && known.revision > (revision ?? 0)) return false; // hidden before a later change we hold
    this.server.delete(id);
    return true;
  }

  /** The reader's own stored annotation made with client_id cid, if the server has told of it. */
  byClientId(cid) {
    for (const a of this.server.values()) if (a.client_id === cid && a.author_id === this.me) return a;
    return null;
  }

  /** The key an action's ref ({id} or {cid}) has in view(), or null. ids: cid -> id of acked creations. */
  keyOf(ref, view, ids = {}) {
    if (!ref) return null;
    if (ref.id && view.has(`a${ref.id}`)) return `a${ref.id}`;
    if (ref.cid) {
      const stored = this.byClientId(ref.cid);
      if (stored && view.has(`a${stored.id}`)) return `a${stored.id}`;
      if (view.has(`c${ref.cid}`)) return `c${ref.cid}`;
      if (ids[ref.cid] && view.has(`a${ids[ref.cid]}`)) return `a${ids[ref.cid]}`;
    }
    return null;
  }

  /**
   * What to show: the server's annotations with the outbox's actions applied in order. Every
   * annotation gets a key (a<id>, or c<client_id> while its creation is unacknowledged) and
   * pending: true while an action of the user's on it waits for its ack.
   */
  view(entries, ids = {}) {
    const shown = new Map();
    for (const a of this.server.values()) shown.set(`a${a.id}`, { ...a, key: `a${a.id}`, pending: false });
    for (const entry of entries) {
      if (entry.name === "annotation.create") {
        const p = entry.payload;
        if (!p || p.document !== this.documentId || this.byClientId(entry.cid)) continue;
        if (ids[entry.cid] && shown.has(`a${ids[entry.cid]}`)) continue;
        shown.set(`c${entry.cid}`, {
          ...p, id: null, key: `c${entry.cid}`, client_id: entry.cid, author_id: this.me,
          visibility: p.visibility || "private", group_id: p.group_id ?? null, color: p.color || "#ffd400",
          note: p.note || "", quote: p.quote || null, revision: 0, orphaned: false, deleted: false,
          created_at: new Date(entry.at || Date.now()).toISOString(), pending: true,
        });
        continue;
      }
      const key = this.keyOf(entry.ref, shown, ids);
      if (!key) continue;
      if (entry.name === "annotation.delete") shown.delete(key);
      else shown.set(key, { ...shown.get(key), ...entry.changes, pending: true });
    }
    return [...shown.values()];
  }
}

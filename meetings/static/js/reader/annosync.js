// The reader's annotations as the server holds them, kept current: the list fetched over HTTP, the
// live events of the page's connection, and the user's own actions through the outbox (which
// survives reloads) until each is acknowledged. The annotator asks it for what to show (view()).

import { api } from "../api.js";
import { DROP, WAIT } from "../live/outbox.js";
import { pageOutbox } from "../live/page.js";
import { fill, newClientId } from "../shared.js";
import { AnnotationState } from "./annostate.js";

const REFUSALS = { meeting_closed: "meetingClosed", not_found: "annotationNotFound", internal_error: "serverFailed" };

export class AnnotationSync {
  /** annotator: the hub (reader, strings, me, render, toast); live: the page's live connection. */
  constructor(annotator, live) {
    this.a = annotator;
    this.reader = annotator.reader;
    this.me = annotator.me;
    this.meetingId = annotator.meeting.id;
    this.state = new AnnotationState(this.me);
    this.known = new Map(); // annotation id -> latest revision heard of, on any document
    this.names = new Map([[annotator.viewer.id, annotator.viewer.name]]);
    this.learning = false;
    this.learned = false;
    // the key is the one the reader always used: actions queued before an upgrade still go out
    this.outbox = pageOutbox(live, `paperless.outbox.${this.me}.${this.meetingId}`, {
      prepare: (entry) => this.prepare(entry),
      settled: (entry, ack) => this.settled(entry, ack),
      changed: () => this.a.render(),
    });
    for (const type of ["annotation.created", "annotation.updated", "annotation.deleted", "annotation.hidden", "document.published"]) {
      live.on(type, (envelope) => this.onEvent(envelope));
    }
    live.onStatus((online) => {
      if (online && this.outbox.size && !this.learned) this.learnRevisions();
    });
    live.onJoined(({ first, truncated }) => this.onJoined(first, truncated));
    if (this.outbox.size) this.learnRevisions();
  }

  /** What to show: the server's annotations of the document with the queued actions applied. */
  view() {
    return this.state.view(this.outbox.entries, this.outbox.ids);
  }

  /** The reader opened document id: forget the previous one's, fetch this one's. */
  showDocument(id) {
    this.state.reset(id);
    this.fetchAnnotations();
  }

  async fetchAnnotations() {
    const doc = this.reader.doc;
    if (!doc || !doc.page_count) return;
    const url = `${this.reader.apiRoot}/meetings/${this.meetingId}/annotations?${new URLSearchParams({ document: doc.id })}`;
    let answer;
    try {
      answer = await api("GET", url, undefined, this.reader.apiOptions());
    } catch (_) {
      return; // offline: what the live connection brings (and the outbox) is shown meanwhile
    }
    if (this.reader.doc !== doc) return;
    for (const item of answer.items || []) {
      if (item.author_name) this.names.set(item.author_id, item.author_name);
      this.hear(item);
      this.state.upsert(item);
    }
    this.a.render();
    this.outbox.flush(); // edits waiting for a revision may now have it
  }

  /** Fill in the revisions of annotations that queued edits refer to (after a reload). */
  async learnRevisions() {
    if (this.learning) return;
    this.learning = true;
    try {
      const url = `${this.reader.apiRoot}/meetings/${this.meetingId}/annotations?scope=mine`;
      const answer = await api("GET", url, undefined, this.reader.apiOptions());
      for (const item of answer.items || []) this.hear(item);
      this.learned = true;
      this.outbox.flush();
    } catch (_) {
      // offline: tried again when the connection returns
    } finally {
      this.learning = false;
    }
  }

  hear(annotation) {
    if (!annotation || !Number.isInteger(annotation.id)) return;
    if ((this.known.get(annotation.id) ?? 0) < annotation.revision) this.known.set(annotation.id, annotation.revision);
    if (annotation.client_id && annotation.author_id === this.me) this.outbox.ids[annotation.client_id] ??= annotation.id;
  }

  onJoined(first, truncated) {
    // the first join fixes the point from which events count: what was stored before it is
    // fetched after it, so that nothing falls between the list and the events
    if (first || truncated) {
      if (truncated) this.state.reset(this.reader.doc ? this.reader.doc.id : null);
      this.fetchAnnotations();
    }
  }

  onEvent({ type, data }) {
    if (!data) return;
    if (type === "document.published") {
      this.a.documentPublished(data);
      return;
    }
    let changed = false;
    if (type === "annotation.created" || type === "annotation.updated") {
      this.hear(data);
      changed = this.state.upsert(data);
      // the event names its author: a new author's name needs no second look at the list
      if (data.author_name) this.names.set(data.author_id, data.author_name);
    } else if (Number.isInteger(data.id)) {
      if ((this.known.get(data.id) ?? 0) < data.revision) this.known.set(data.id, data.revision);
      changed = data.document === this.state.documentId && this.state.remove(data.id, data.revision, type === "annotation.deleted");
    }
    if (changed) this.a.render();
  }

  // ---- the user's actions -------------------------------------------------------------------

  /** Queue a creation; payload without client_id: one is made. Returns the client_id. */
  create(payload) {
    const cid = payload.client_id || newClientId();
    this.outbox.push({ cid, name: "annotation.create", payload: { ...payload, client_id: cid } });
    return cid;
  }

  /** Queue an edit of ref ({id} or {cid}) made against revision base (null: learnt later). */
  update(ref, changes, base) {
    this.outbox.push({ cid: newClientId(), name: "annotation.update", ref, changes, base });
  }

  /** Queue the deletion of ref, made against revision base. */
  remove(ref, base) {
    this.outbox.push({ cid: newClientId(), name: "annotation.delete", ref, base });
  }

  /** The payload of a queued edit or deletion, now that what it depends on is known. */
  prepare(entry) {
    const ref = entry.ref || {};
    const id = ref.id || this.outbox.ids[ref.cid] || this.state.byClientId(ref.cid)?.id;
    if (!id) {
      const queued = this.outbox.entries.some((e) => e.name === "annotation.create" && e.cid === ref.cid);
      return queued ? WAIT : DROP; // its creation failed or was never made
    }
    // the revision the user saw when acting: if the annotation changed since (another device),
    // the server refuses the edit as stale rather than silently overwrite that change
    const revision = entry.base ?? this.state.server.get(id)?.revision ?? this.known.get(id);
    if (!revision) {
      if (this.learned) return DROP; // not among the user's annotations any more: nothing to change
      if (!this.learning) this.learnRevisions();
      return WAIT;
    }
    return { id, client_id: entry.cid, revision, ...(entry.changes || {}) };
  }

  /** The server answered a queued action (ack null: it was dropped, its annotation being gone). */
  settled(entry, ack) {
    const ids = this.outbox.ids;
    const targetId = entry.name === "annotation.create" ? ids[entry.cid] : entry.payload && entry.payload.id;
    const queuedOn = (id) => (e) => !e.payload && e.name !== "annotation.create" && e.ref
      && (e.ref.id === id || (e.ref.cid && ids[e.ref.cid] === id));
    if (ack && ack.ok && ack.annotation) {
      this.hear(ack.annotation);
      this.state.upsert(ack.annotation);
      // the user's next actions on it were made on top of this one: they now expect its revision
      const revision = ack.annotation.revision;
      const next = queuedOn(ack.annotation.id);
      for (const e of this.outbox.entries) {
        if (next(e) && (e.base === null || e.base === undefined || e.base === revision - 1)) e.base = revision;
      }
      this.outbox.save();
    } else if (ack && !ack.ok) {
      this.refused(entry, ack.error || {}, targetId, queuedOn);
    }
    this.a.render();
  }

  refused(entry, error, targetId, queuedOn) {
    const strings = this.a.strings;
    if (error.code === "stale_revision" && error.annotation) {
      this.hear(error.annotation);
      this.state.upsert(error.annotation);
      if (targetId) this.outbox.dropWhere(queuedOn(targetId)); // they built on the refused edit
      this.a.toast(strings.annotationStale);
    } else if (error.code === "gone") {
      if (targetId) {
        this.state.remove(targetId, error.current, true);
        this.outbox.dropWhere(queuedOn(targetId));
      }
      this.a.toast(strings.annotationGone);
    } else {
      const known = REFUSALS[error.code];
      this.a.toast(known ? strings[known] : fill(strings.changeRefused, { message: error.message || error.code || "?" }));
    }
    if (entry.name === "annotation.create") {
      // what was queued on an annotation that will never exist goes with it
      this.outbox.dropWhere((e) => e.ref && e.ref.cid === entry.cid);
      this.a.forgetUndo(entry.cid);
    }
  }
}

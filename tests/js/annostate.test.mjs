// What the reader shows of a document's annotations: the server's state, newest revision winning,
// with the user's queued actions laid over it until their acks come.

import assert from "node:assert/strict";
import { test } from "node:test";

import { AnnotationState } from "../../meetings/static/js/reader/annostate.js";

const ME = 4;

function note(id, revision, extra = {}) {
  return { id, document: 1, page: 1, kind: "note", revision, author_id: ME, client_id: `cid-${id}`, note: `r${revision}`,
    geometry: { point: [10, 10] }, visibility: "private", ...extra };
}

function state() {
  const s = new AnnotationState(ME);
  s.reset(1);
  return s;
}

test("a newer revision replaces an older one, never the reverse", () => {
  const s = state();
  assert.equal(s.upsert(note(1, 2)), true);
  assert.equal(s.upsert(note(1, 1)), false, "a late list must not undo an edit");
  assert.equal(s.server.get(1).note, "r2");
  assert.equal(s.upsert(note(1, 3)), true);
});

test("other documents' annotations are not kept", () => {
  assert.equal(state().upsert(note(1, 1, { document: 2 })), false);
});

test("a deleted annotation stays deleted, whatever arrives late", () => {
  const s = state();
  s.upsert(note(1, 1));
  assert.equal(s.remove(1, 2, true), true);
  assert.equal(s.upsert(note(1, 1)), false);
  assert.equal(s.upsert(note(1, 5)), false);
  assert.equal(s.view([]).length, 0);
});

test("a hidden annotation comes back only at a later revision", () => {
  const s = state();
  s.upsert(note(1, 1));
  s.remove(1, 2, false);
  assert.equal(s.upsert(note(1, 1)), false);
  assert.equal(s.upsert(note(1, 2)), true);
});

test("queued actions show at once, pending, and give way to the stored annotation", () => {
  const s = state();
  s.upsert(note(1, 1));
  const entries = [
    { cid: "new-1", name: "annotation.create", payload: { client_id: "new-1", document: 1, page: 1, kind: "note", geometry: { point: [1, 1] } } },
    { cid: "e-1", name: "annotation.update", ref: { id: 1 }, changes: { note: "sửa" } },
  ];
  const shown = s.view(entries);
  assert.deepEqual(shown.map((a) => [a.key, a.pending]), [["a1", true], ["cnew-1", true]]);
  assert.equal(shown[0].note, "sửa");
  // the creation's event (or ack) arrives: one annotation, not two
  s.upsert(note(2, 1, { client_id: "new-1" }));
  assert.deepEqual(s.view(entries).map((a) => a.key), ["a1", "a2"]);
  assert.deepEqual(s.view(entries.slice(1)).map((a) => a.key), ["a1", "a2"]);
});

test("a queued deletion hides the annotation; an edit of a queued creation applies to it", () => {
  const s = state();
  s.upsert(note(1, 1));
  const entries = [
    { cid: "new-1", name: "annotation.create", payload: { client_id: "new-1", document: 1, page: 1, kind: "note" } },
    { cid: "e-1", name: "annotation.update", ref: { cid: "new-1" }, changes: { color: "#e5322d" } },
    { cid: "d-1", name: "annotation.delete", ref: { id: 1 } },
  ];
  const shown = s.view(entries);
  assert.deepEqual(shown.map((a) => a.key), ["cnew-1"]);
  assert.equal(shown[0].color, "#e5322d");
});

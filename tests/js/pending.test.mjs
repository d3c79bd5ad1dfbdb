// The discussion pages' view: comments and messages still in the outbox show once, pending, and
// are replaced by the stored item (matched by client_id) whichever of ack and event comes first.

import assert from "node:assert/strict";
import { test } from "node:test";

import { commentView, messageView } from "../../meetings/static/js/discussion/pending.js";

const me = { id: 4, name: "Bạn" };
const create = (cid, body, extra = {}) => ({ cid, name: "comment.create", at: 0, payload: { client_id: cid, document: 9, body, ...extra } });
const stored = (id, cid, body, extra = {}) => ({ id, client_id: cid, document: 9, parent_id: null, body, revision: 1, replies: [], ...extra });

test("two comments written offline are two pending items, each shown once", () => {
  const entries = [create("c-1", "Đồng ý"), create("c-2", "Đồng ý")];
  const roots = commentView(new Map(), entries, { document: 9, me });
  assert.deepEqual(roots.map((r) => [r.key, r.body, r.pending]), [["cc-1", "Đồng ý", true], ["cc-2", "Đồng ý", true]]);
});

test("once the server holds a comment, its queued creation is not shown beside it", () => {
  const threads = new Map([[31, stored(31, "c-1", "Đồng ý")]]);
  const roots = commentView(threads, [create("c-1", "Đồng ý"), create("c-2", "Đồng ý")], { document: 9, me });
  assert.deepEqual(roots.map((r) => [r.key, r.pending]), [["m31", false], ["cc-2", true]]);
});

test("a queued reply goes under its thread; one of another page's thread is left out", () => {
  const threads = new Map([[31, stored(31, "c-1", "Gốc")]]);
  const entries = [
    { cid: "r-1", name: "comment.create", payload: { client_id: "r-1", parent: 31, body: "Trả lời" } },
    { cid: "r-2", name: "comment.create", payload: { client_id: "r-2", parent: 99, body: "Khác" } },
    create("c-3", "Tài liệu khác", { document: 10 }),
  ];
  const roots = commentView(threads, entries, { document: 9, me });
  assert.equal(roots.length, 1);
  assert.deepEqual(roots[0].replies.map((r) => [r.body, r.pending]), [["Trả lời", true]]);
});

test("a queued edit shows its text, pending", () => {
  const threads = new Map([[31, stored(31, "c-1", "Cũ")]]);
  const entries = [{ cid: "u-1", name: "comment.update", payload: { id: 31, client_id: "u-1", revision: 1, body: "Mới" } }];
  const [root] = commentView(threads, entries, { document: 9, me });
  assert.deepEqual([root.body, root.pending], ["Mới", true]);
});

test("a room shows its messages in order, then its own queued ones, each once", () => {
  const messages = new Map([[5, { id: 5, client_id: "m-1", group_id: 2, body: "một" }], [3, { id: 3, client_id: "x", group_id: 2, body: "trước" }]]);
  const send = (cid, body, group = 2) => ({ cid, name: "group.message", payload: { client_id: cid, discussion: 7, group, body } });
  const entries = [send("m-1", "một"), send("m-2", "hai"), send("m-3", "tổ khác", 3), send("m-4", "ba")];
  const view = messageView(messages, entries, { discussion: 7, group: 2, me });
  assert.deepEqual(view.map((m) => [m.key, m.pending]), [["m3", false], ["m5", false], ["cm-2", true], ["cm-4", true]]);
});

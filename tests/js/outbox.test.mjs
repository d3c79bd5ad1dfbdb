// The outbox: actions kept in storage until acknowledged, sent once the connection is up, one at
// a time and in order, a retry always the same payload (same client_id), so never applied twice.

import assert from "node:assert/strict";
import { test } from "node:test";

import { DROP, Outbox, WAIT } from "../../meetings/static/js/live/outbox.js";
import { FakeTimers, MemoryStorage, settle } from "./helpers.mjs";

const KEY = "paperless.outbox.4.1.comments";

/** An outbox over storage whose server the test plays: answers[] are acks, "silence" or a throw. */
function outbox({ storage = new MemoryStorage(), online = false, answers = [], hooks = {} } = {}) {
  const sent = [];
  const settled = [];
  const link = { online };
  const timers = new FakeTimers();
  const box = new Outbox(KEY, {
    canSend: () => link.online,
    send: async (name, payload) => {
      sent.push({ name, payload: structuredClone(payload) });
      const answer = answers.length ? answers.shift() : { ok: true };
      if (answer === "silence") throw new Error("timeout");
      return answer;
    },
    settled: (entry, ack) => settled.push({ cid: entry.cid, ack }),
    ...hooks,
  }, { storage, timers });
  return { box, sent, settled, link, timers, storage };
}

const comment = (cid, body = "Đồng ý") => ({ cid, name: "comment.create", payload: { client_id: cid, document: 1, body } });

test("offline, each action is kept in storage with its client_id and nothing is sent", async () => {
  const { box, sent, storage } = outbox();
  box.push(comment("aaaaaaaa01"));
  box.push(comment("aaaaaaaa02"));
  await settle();
  assert.equal(sent.length, 0);
  const saved = JSON.parse(storage.getItem(KEY));
  assert.deepEqual(saved.entries.map((e) => e.payload.client_id), ["aaaaaaaa01", "aaaaaaaa02"]);
});

test("back online, each action is sent once, in order, and leaves the storage", async () => {
  const { box, sent, settled, link, storage } = outbox();
  box.push(comment("aaaaaaaa01", "một"));
  box.push(comment("aaaaaaaa02", "hai"));
  link.online = true;
  await Promise.all([box.flush(), box.flush()]); // the reconnect and another tab's nudge at once
  assert.deepEqual(sent.map((s) => s.payload.body), ["một", "hai"]);
  assert.deepEqual(settled.map((s) => s.cid), ["aaaaaaaa01", "aaaaaaaa02"]);
  assert.equal(box.size, 0);
  assert.equal(storage.getItem(KEY), null);
});

test("an action whose ack never came is sent again with the very same client_id", async () => {
  const stored = { ok: true, comment: { id: 7, client_id: "aaaaaaaa01" } };
  const { box, sent, settled, link, timers } = outbox({ answers: ["silence", { ...stored, repeated: true }] });
  link.online = true;
  box.push(comment("aaaaaaaa01"));
  await settle();
  assert.equal(sent.length, 1);
  assert.equal(box.size, 1, "kept until acknowledged");
  await timers.advance(1000);
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[1], sent[0]);
  assert.equal(settled.length, 1);
  assert.equal(settled[0].ack.repeated, true);
  assert.equal(box.ids.aaaaaaaa01, 7, "the creation's id is remembered");
});

test("a reload takes the queue from storage and sends it", async () => {
  const storage = new MemoryStorage();
  outbox({ storage }).box.push(comment("aaaaaaaa01"));
  const after = outbox({ storage, online: true });
  assert.equal(after.box.size, 1);
  await after.box.flush();
  assert.deepEqual(after.sent.map((s) => s.payload.client_id), ["aaaaaaaa01"]);
});

test("a refusal settles the action with the server's answer; it is not retried", async () => {
  const refusal = { ok: false, error: { code: "discussion_closed", message: "closed" } };
  const { box, sent, settled, link, timers } = outbox({ answers: [refusal] });
  link.online = true;
  box.push(comment("aaaaaaaa01"));
  await settle();
  await timers.advance(20000);
  assert.equal(sent.length, 1);
  assert.deepEqual(settled[0].ack, refusal);
  assert.equal(box.size, 0);
});

test("an action that depends on an earlier one waits, then is made once, and kept as made", async () => {
  let ready = false;
  const hooks = {
    prepare: (entry) => (entry.ref.cid === "gone" ? DROP : ready ? { id: 3, client_id: entry.cid, revision: 1 } : WAIT),
  };
  const { box, sent, settled, link } = outbox({ hooks, answers: ["silence"] });
  box.push({ cid: "bbbbbbbb01", name: "annotation.update", ref: { cid: "x" }, changes: { note: "a" } });
  link.online = true;
  await box.flush();
  assert.equal(sent.length, 0, "waits");
  ready = true;
  await box.flush();
  assert.equal(box.entries[0].payload.id, 3, "the payload is fixed for its retries");
  box.push({ cid: "bbbbbbbb02", name: "annotation.delete", ref: { cid: "gone" } });
  await box.flush();
  assert.deepEqual(sent.map((s) => s.payload.client_id), ["bbbbbbbb01", "bbbbbbbb01"]);
  assert.deepEqual(settled.map((s) => [s.cid, s.ack && s.ack.ok]), [["bbbbbbbb01", true], ["bbbbbbbb02", null]]);
});

test("without storage (private mode) the queue lives in memory", async () => {
  const broken = { getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("denied"); }, removeItem() {} };
  const { box, sent, link } = outbox({ storage: broken });
  box.push(comment("aaaaaaaa01"));
  link.online = true;
  await box.flush();
  assert.equal(sent.length, 1);
});

// The live connection's ordering (docs/live-protocol.md §6): events applied once, in seq order,
// holes given a moment to fill and then asked for again, and a re-join after every reconnect.

import assert from "node:assert/strict";
import { test } from "node:test";

import { Bus } from "../../meetings/static/js/live/bus.js";
import { LiveConnection } from "../../meetings/static/js/live/connection.js";
import { envelope, FakeSocket, FakeTimers, settle } from "./helpers.mjs";

function connection() {
  const socket = new FakeSocket();
  const timers = new FakeTimers();
  const live = new LiveConnection(1, socket, { timers });
  const seen = [];
  const status = [];
  const joins = [];
  live.on("*", (e) => seen.push(e.seq));
  live.onStatus((online) => status.push(online));
  live.onJoined((info) => joins.push(info));
  return { socket, timers, live, seen, status, joins };
}

async function joined(socket, seq, missed = [], extra = {}) {
  socket.answer("join", { ok: true, seq, missed, truncated: false, ...extra });
  await settle();
}

test("the first join asks for nothing missed and the connection comes online", async () => {
  const { socket, live, status, joins } = connection();
  socket.up();
  assert.deepEqual(socket.pending("join").payload, { meeting: 1, since: null });
  assert.equal(live.online, false);
  await joined(socket, 10);
  assert.equal(live.online, true);
  assert.deepEqual(status, [true]);
  assert.deepEqual(joins, [{ first: true, truncated: false }]);
});

test("events are applied in seq order, once, whatever order they come in", async () => {
  const { socket, seen } = connection();
  socket.up();
  await joined(socket, 4);
  socket.event(envelope(6));
  assert.deepEqual(seen, [], "6 waits for 5");
  socket.event(envelope(5));
  assert.deepEqual(seen, [5, 6]);
  socket.event(envelope(6));
  socket.event(envelope(3));
  assert.deepEqual(seen, [5, 6], "a seq already held is ignored");
});

test("a hole that stays is asked for again with since = the last contiguous seq", async () => {
  const { socket, timers, seen } = connection();
  socket.up();
  await joined(socket, 4);
  socket.event(envelope(5));
  socket.event(envelope(8));
  assert.deepEqual(seen, [5]);
  await timers.advance(399);
  assert.equal(socket.sent.filter((s) => s.name === "join").length, 1, "a moment's grace first");
  await timers.advance(1);
  assert.deepEqual(socket.pending("join").payload, { meeting: 1, since: 5 });
  // 6 was someone's private note: not ours to see; 7 comes in missed, with 8 again
  await joined(socket, 8, [envelope(7), envelope(8)]);
  assert.deepEqual(seen, [5, 7, 8]);
  socket.event(envelope(9));
  assert.deepEqual(seen, [5, 7, 8, 9]);
});

test("after a reconnect the join catches up from the last contiguous seq, without repeats", async () => {
  const { socket, live, seen, status, joins } = connection();
  socket.up();
  await joined(socket, 2);
  socket.event(envelope(3));
  socket.drop();
  assert.equal(live.online, false);
  socket.up();
  assert.deepEqual(socket.pending("join").payload, { meeting: 1, since: 3 });
  await joined(socket, 5, [envelope(3), envelope(4), envelope(5)]);
  assert.deepEqual(seen, [3, 4, 5]);
  assert.deepEqual(status, [true, false, true]);
  assert.deepEqual(joins.map((j) => j.first), [true, false]);
});

test("an event told while a join is on its way waits for the join's answer", async () => {
  const { socket, seen } = connection();
  socket.up();
  await joined(socket, 2);
  socket.drop();
  socket.up();
  socket.event(envelope(4)); // live, before the ack that brings 3
  assert.deepEqual(seen, []);
  await joined(socket, 4, [envelope(3), envelope(4)]);
  assert.deepEqual(seen, [3, 4]);
});

test("presence (seq null) is told at once; other meetings' events are not", async () => {
  const { socket, live } = connection();
  const presence = [];
  live.on("presence.changed", (e) => presence.push(e.data.count));
  const other = [];
  live.on("annotation.created", (e) => other.push(e.meeting));
  socket.up();
  socket.event(envelope(null, "presence.changed", { count: 3 }));
  await joined(socket, 1);
  socket.event(envelope(2, "annotation.created", {}, 2));
  assert.deepEqual(presence, [3]);
  assert.deepEqual(other, []);
});

test("a truncated or rewound log tells the page to fetch its state again", async () => {
  const { socket, joins } = connection();
  socket.up();
  await joined(socket, 50);
  socket.drop();
  socket.up();
  await joined(socket, 10); // the database came back from a backup
  assert.deepEqual(joins.at(-1), { first: false, truncated: true });
});

test("a refused join says offline and tries again", async () => {
  const { socket, timers, status, live } = connection();
  socket.up();
  socket.answer("join", { ok: false, error: { code: "unauthorized" } });
  await settle();
  assert.deepEqual(status, [false]);
  await timers.advance(3000);
  await joined(socket, 1);
  assert.equal(live.online, true);
});

test("a request resolves with its ack, and fails at once when the socket goes down", async () => {
  const { socket, live } = connection();
  socket.up();
  await joined(socket, 0);
  const first = live.request("comment.create", { client_id: "c1" });
  socket.answer("comment.create", { ok: true });
  assert.deepEqual(await first, { ok: true });
  const second = live.request("comment.create", { client_id: "c2" });
  socket.drop();
  await assert.rejects(second, /disconnected/);
});

test("a request with no answer times out", async () => {
  const { socket, timers, live } = connection();
  socket.up();
  await joined(socket, 0);
  const request = live.request("group.message", { client_id: "m1" });
  const outcome = assert.rejects(request, /timeout/);
  await timers.advance(10000);
  await outcome;
});

test("one failing subscriber does not stop the others", () => {
  const bus = new Bus();
  const heard = [];
  const quiet = console.error;
  console.error = () => {};
  try {
    bus.on("x", () => { throw new Error("boom"); });
    bus.on("x", (payload) => heard.push(payload));
    const off = bus.on("*", (payload, type) => heard.push(type));
    bus.emit("x", 1);
    off();
    bus.emit("x", 2);
  } finally {
    console.error = quiet;
  }
  assert.deepEqual(heard, [1, "x", 2]);
});

test("a page that knows the seq it was built at joins from it and hears what happened since", async () => {
  const socket = new FakeSocket();
  const live = new LiveConnection(1, socket, { timers: new FakeTimers(), since: 7 });
  const seen = [];
  live.on("*", (e) => seen.push(e.seq));
  socket.up();
  assert.deepEqual(socket.pending("join").payload, { meeting: 1, since: 7 });
  // the discussion was closed while the page was loading: the join's answer brings it
  await joined(socket, 8, [envelope(8, "discussion.closed")]);
  assert.deepEqual(seen, [8]);
  socket.emit("event", envelope(8, "discussion.closed")); // told live too: applied once
  assert.deepEqual(seen, [8]);
});

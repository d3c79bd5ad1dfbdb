// The attendance board: a donut of the sitting's attendance with the quorum, a seat per person,
// kept current live over Socket.IO ("attendance.changed"), or by polling getAttendance when the
// live connection is down. Secretaries mark several people at once.

import { api } from "../api.js";
import { pageLive } from "../live/page.js";
import { fill, jsonBlock } from "../shared.js";

const SVG = "http://www.w3.org/2000/svg";
const ORDER = ["present_in_hall", "online", "absent", "excused", "none"];
const POLL_MS = 4000;

const root = document.getElementById("attendance");
const meetingId = Number(root.dataset.meetingId);
const sittingId = Number(root.dataset.sittingId);
const canMark = root.dataset.canMark === "true";
const strings = jsonBlock("attendance-strings");
const url = `/api/v1/meetings/${meetingId}/sittings/${sittingId}/attendance`;
let sheet = jsonBlock("attendance-initial");

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
}

/** The donut: one arc per status over everyone; inside, members present against the quorum line. */
function drawDonut(current) {
  const donut = document.getElementById("donut");
  donut.replaceChildren();
  const total = ORDER.reduce((sum, key) => sum + (current.counts[key] || 0), 0) || 1;
  const r = 15.915; // circumference 100: dash lengths are percentages
  let offset = 25; // start at twelve o'clock
  donut.append(svg("circle", { cx: 21, cy: 21, r, fill: "none", class: "ring-bg", "stroke-width": 6 }));
  for (const key of ORDER) {
    const share = ((current.counts[key] || 0) / total) * 100;
    if (share <= 0) continue;
    donut.append(svg("circle", {
      cx: 21, cy: 21, r, fill: "none", class: `arc st-${key}`, "stroke-width": 6,
      "stroke-dasharray": `${share} ${100 - share}`, "stroke-dashoffset": offset, "data-status": key,
    }));
    offset -= share;
  }
  const q = current.quorum;
  const inner = 10.5;
  const circumference = 2 * Math.PI * inner;
  const present = q.members ? Math.min(q.present / q.members, 1) : 0;
  donut.append(svg("circle", { cx: 21, cy: 21, r: inner, fill: "none", class: "ring-bg", "stroke-width": 2.5 }));
  donut.append(svg("circle", {
    cx: 21, cy: 21, r: inner, fill: "none", class: q.met ? "quorum-bar met" : "quorum-bar", "stroke-width": 2.5,
    "stroke-dasharray": `${present * circumference} ${circumference}`, transform: "rotate(-90 21 21)",
  }));
  if (q.members) {
    const angle = (q.required / q.members) * 2 * Math.PI - Math.PI / 2;
    const [x0, y0] = [21 + 8 * Math.cos(angle), 21 + 8 * Math.sin(angle)];
    const [x1, y1] = [21 + 13 * Math.cos(angle), 21 + 13 * Math.sin(angle)];
    donut.append(svg("line", { x1: x0, y1: y0, x2: x1, y2: y1, class: "quorum-line", "stroke-width": 0.8 }));
  }
  const label = svg("text", { x: 21, y: 23, "text-anchor": "middle", class: "donut-label" });
  label.textContent = `${q.present}/${q.members}`;
  donut.append(label);
}

function render(current) {
  sheet = current;
  drawDonut(current);
  const q = current.quorum;
  const verdict = document.getElementById("quorum-verdict");
  verdict.textContent = q.met ? strings.met : strings.notMet;
  verdict.dataset.met = String(q.met);
  document.getElementById("quorum-text").textContent = fill(strings.quorum, q);
  for (const key of ORDER) {
    const el = document.querySelector(`[data-count="${key}"]`);
    if (el) el.textContent = String(current.counts[key] || 0);
  }
  for (const item of current.items) {
    const seat = document.querySelector(`.seat[data-user-id="${item.user_id}"]`);
    if (!seat) continue; // someone added since the page was made: shown after a reload
    const status = item.status || "none";
    for (const key of ORDER) seat.classList.toggle(`st-${key}`, key === status);
    seat.dataset.status = status;
    seat.querySelector(".seat-status").textContent = strings.labels[status] + (item.reason ? ` (${item.reason})` : "");
  }
}

/** Apply an attendance.changed event's changes, counts and quorum to what is shown. */
function apply(data) {
  const byId = new Map(sheet.items.map((item) => [item.user_id, item]));
  for (const change of data.changes) {
    const item = byId.get(change.user_id);
    if (item) Object.assign(item, { status: change.status, reason: change.reason, marked_at: change.marked_at });
  }
  render({ ...sheet, counts: data.counts, quorum: data.quorum });
}

async function refresh() {
  try {
    render(await api("GET", url));
  } catch (_) {
    // offline for a moment: the next poll or event catches up
  }
}

// -- live, with polling while the connection is down
const state = document.getElementById("live-state");
let pollTimer = null;
function polling(on) {
  state.textContent = on ? strings.polling : strings.live;
  if (on && !pollTimer) pollTimer = setInterval(refresh, POLL_MS);
  if (!on && pollTimer) {
    clearInterval(pollTimer);
    pollTimer = null;
  }
}
const live = pageLive(meetingId);
live.onStatus((online) => {
  if (!online) polling(true);
});
live.onJoined(() => {
  polling(false);
  root.dataset.live = "joined";
  refresh(); // whatever changed while we were away
});
live.on("attendance.changed", (envelope) => {
  if (envelope.data.sitting === sittingId) apply(envelope.data);
});

// -- marking
if (canMark) {
  const form = document.getElementById("mark-form");
  const error = form.querySelector(".form-error");
  const picks = () => [...document.querySelectorAll('input[name="pick"]')];
  document.getElementById("select-unmarked").addEventListener("click", () => {
    for (const box of picks()) box.checked = box.closest(".seat").dataset.status === "none";
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const chosen = picks().filter((box) => box.checked).map((box) => Number(box.value));
    if (!chosen.length) {
      error.textContent = strings.nobody;
      error.hidden = false;
      return;
    }
    const status = form.elements.status.value;
    const reason = form.elements.reason.value.trim();
    const items = chosen.map((user_id) => ({ user_id, status, reason }));
    try {
      render(await api("POST", url, { items }, { networkError: strings.network, fallback: strings.failed }));
      for (const box of picks()) box.checked = false;
      form.elements.reason.value = "";
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
    }
  });
}
for (const el of document.querySelectorAll("[data-needs-script]")) el.disabled = false;
render(sheet);

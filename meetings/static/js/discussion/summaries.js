// The secretary's page: every group's summary of a discussion side by side, arriving live.

import { api } from "../api.js";
import { pageLive } from "../live/page.js";
import { h, jsonBlock, renderText, timeOfDay } from "../shared.js";
import { strings } from "./common.js";

const config = jsonBlock("summaries-config");
const box = document.getElementById("summaries");
const picker = document.getElementById("summary-discussion");

function card(groupId, name, summary) {
  const node = h("article", { class: "card summary", "data-group-id": groupId },
    h("h2", { text: name }));
  if (summary) {
    node.append(h("p", { class: "muted", text: `${summary.author_name} · ${timeOfDay(summary.submitted_at)}` }));
    node.append(renderText(h("p", { class: "summary-body" }), summary.body));
  } else {
    node.append(h("p", { class: "muted", text: strings.notSubmitted }));
  }
  return node;
}

async function load() {
  box.textContent = "";
  if (!picker) return;
  const answer = await api("GET", `/api/v1/discussions/${picker.value}/summaries`);
  for (const item of answer.items) box.append(card(item.group_id, item.group_name, item.summary));
}

const live = pageLive(config.meeting);
live.on("group.summary.submitted", (e) => {
  if (!picker || e.data.discussion !== Number(picker.value) || e.data.body === undefined) return;
  const old = box.querySelector(`[data-group-id="${e.data.group_id}"]`);
  const name = old ? old.querySelector("h2").textContent : "";
  const fresh = card(e.data.group_id, name, e.data);
  if (old) old.replaceWith(fresh);
  else box.append(fresh);
});
live.on("discussion.opened", () => window.location.reload());

if (picker) picker.addEventListener("change", load);
load();

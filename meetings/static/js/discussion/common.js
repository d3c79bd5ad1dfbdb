// What the discussion pages share: the page's strings, the outbox their actions go through, and the
// marks of what waits to be sent. Everything a delegate wrote is inserted as text (renderText in
// shared.js): no HTML of theirs ever reaches the DOM.

import { pageOutbox } from "../live/page.js";
import { h, jsonBlock } from "../shared.js";

export const strings = jsonBlock("discussion-strings") || {};

/**
 * The outbox of this user's discussion actions in the meeting, one per kind of page ("comments",
 * "group"): every page of that kind sends whatever waits in it, whichever document it was made on.
 */
export function discussionOutbox(live, user, kind, hooks) {
  return pageOutbox(live, `paperless.outbox.${user}.${live.meetingId}.${kind}`, hooks);
}

/** The "waiting to be sent" mark of an item still in the outbox. */
export function pendingMark() {
  return h("span", { class: "chip pending-chip", text: strings.pending });
}

/** Put nodes into list in order, moving only those out of place (a live region re-reads less). */
export function placeChildren(list, nodes) {
  nodes.forEach((node, i) => {
    if (list.children[i] !== node) list.insertBefore(node, list.children[i] || null);
  });
  while (list.children.length > nodes.length) list.lastElementChild.remove();
}

/** A status line the page shows while the connection is down (made here: the templates have none). */
export function connectionLine(live, before) {
  const line = h("p", { class: "muted connection-line", role: "status", hidden: true });
  before.before(line);
  live.onStatus((online) => {
    line.textContent = online ? "" : strings.offline;
    line.hidden = online;
  });
  return line;
}

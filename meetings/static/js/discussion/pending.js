// What the discussion pages show: the server's comments and messages, with the user's actions
// still in the outbox laid over them, each marked pending until its ack (or its live event) comes.
//
// A creation is matched to the stored item by its client_id, which the server keeps and sends
// back in the ack and in the event alike: whichever of the two comes first replaces the pending
// item, and the other finds it already there, so nothing is ever shown twice.
// Pure functions of plain data: no DOM, so they are tested in node.

const COMMENT_CHANGES = new Set(["comment.update", "comment.delete", "comment.hide", "comment.lock"]);

function clientIds(items) {
  const ids = new Set();
  for (const item of items) if (item.client_id) ids.add(item.client_id);
  return ids;
}

/**
 * The threads to show: threads is a Map root id -> root comment with its replies; entries the
 * outbox's. Each comment gets key ("m<id>", or "c<client_id>" while unacknowledged) and pending;
 * a queued edit shows its new text at once. document: the page's; me: {id, name}.
 */
export function commentView(threads, entries, { document, me }) {
  const all = [];
  for (const root of threads.values()) all.push(root, ...(root.replies || []));
  const stored = clientIds(all);
  const changes = new Map(); // comment id -> what the queued actions change
  const made = []; // queued creations not yet stored
  for (const entry of entries) {
    const p = entry.payload || {};
    if (entry.name === "comment.create") {
      if (!stored.has(entry.cid) && (p.parent || p.document === document)) made.push(entry);
    } else if (COMMENT_CHANGES.has(entry.name) && Number.isInteger(p.id)) {
      const change = { ...(changes.get(p.id) || {}) };
      if (entry.name === "comment.update") change.body = p.body;
      changes.set(p.id, change);
    }
  }
  const shown = (comment) => {
    const change = changes.get(comment.id);
    const key = `m${comment.id}`;
    return change ? { ...comment, ...change, key, pending: true } : { ...comment, key, pending: false };
  };
  const pendingOf = (entry) => ({
    id: null, key: `c${entry.cid}`, client_id: entry.cid, author_id: me.id, author_name: me.name,
    document: entry.payload.document ?? document, parent_id: entry.payload.parent ?? null,
    body: entry.payload.body, page: entry.payload.page ?? null, visibility: entry.payload.visibility || "meeting",
    anchor: entry.payload.anchor ?? null, revision: 0, edited: false, deleted: false, hidden: false, locked: false,
    history: [], replies: [], created_at: new Date(entry.at || Date.now()).toISOString(), pending: true,
  });
  const roots = [...threads.values()].map((root) => ({ ...shown(root), replies: (root.replies || []).map(shown) }));
  const byId = new Map(roots.map((root) => [root.id, root]));
  for (const entry of made) {
    const parent = entry.payload.parent;
    if (!parent) roots.push(pendingOf(entry));
    else if (byId.has(parent)) byId.get(parent).replies.push(pendingOf(entry));
    // a reply to a thread this page does not show belongs to another document's page
  }
  return roots;
}

/**
 * The messages of one group's room: messages is a Map id -> message (of the open discussion), in
 * the order they came; entries the outbox's. Queued messages of this room come last, pending, and
 * a message whose hiding is queued is marked pending.
 */
export function messageView(messages, entries, { discussion, group, me }) {
  const stored = clientIds(messages.values());
  const hiding = new Set();
  const made = [];
  for (const entry of entries) {
    const p = entry.payload || {};
    if (entry.name === "group.message") {
      if (!stored.has(entry.cid) && p.discussion === discussion && p.group === group) made.push(entry);
    } else if (entry.name === "group.message.hide" && Number.isInteger(p.id)) {
      hiding.add(p.id);
    }
  }
  const view = [...messages.values()]
    .sort((a, b) => a.id - b.id)
    .map((m) => ({ ...m, key: `m${m.id}`, pending: hiding.has(m.id) }));
  for (const entry of made) {
    view.push({
      id: null, key: `c${entry.cid}`, client_id: entry.cid, discussion, group_id: group, author_id: me.id,
      author_name: me.name, body: entry.payload.body, reply_to: entry.payload.reply_to ?? null, link: null,
      hidden: false, created_at: new Date(entry.at || Date.now()).toISOString(), pending: true,
    });
  }
  return view;
}

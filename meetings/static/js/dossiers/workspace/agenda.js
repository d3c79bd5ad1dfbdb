// The workspace's meeting, sittings and agenda: the meeting's own fields, its sittings, and the
// agenda tree (items, sub-items, rename, delete, drag and drop), with the item pickers of the page.

import Sortable from "../../../vendor/sortable.esm.js";
import { h } from "../../shared.js";

const MEETING_FIELDS = ["title", "body", "term", "place", "description"];

/** Wire the meeting's fields, sittings and agenda; adds their renderers and ws.fillItemSelect. */
export function setupAgenda(ws) {
  const { $, T, fmt } = ws;

  // -- the meeting's own fields
  const meetingForm = $("meeting-form");
  let meetingFormDirty = false;
  ws.renderDetails = () => {
    if (meetingFormDirty) return; // never overwrite what the secretary is typing
    for (const name of MEETING_FIELDS) meetingForm.elements[name].value = ws.meeting[name] || "";
  };
  meetingForm.addEventListener("input", () => { meetingFormDirty = true; });
  meetingForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(MEETING_FIELDS.map((name) => [name, meetingForm.elements[name].value.trim()]));
    const result = await ws.submitting(meetingForm, () => ws.call("PATCH", ws.MEETING, data));
    if (result.ok) {
      meetingFormDirty = false;
      ws.show(result.value);
      ws.notify(T.saved);
    }
  });

  // -- sittings
  const sittingForm = $("sitting-form");
  ws.renderSittings = () => {
    $("sitting-list").replaceChildren(...ws.meeting.sittings.map((s) => {
      const times = s.starts_at ? fmt(T.sittingTime, { start: ws.formatTime(s.starts_at), end: ws.formatTime(s.ends_at) || "…" }) : "";
      return h("li", { class: "chip" }, [ws.formatDate(s.date), times, s.room, s.title].filter(Boolean).join(" · "));
    }));
  };
  sittingForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = sittingForm.elements;
    const data = { date: f.date.value };
    for (const name of ["starts_at", "ends_at", "room", "title"]) {
      if (f[name].value.trim()) data[name] = f[name].value.trim();
    }
    const result = await ws.submitting(sittingForm, () => ws.call("POST", `${ws.MEETING}/sittings`, data));
    if (result.ok) {
      sittingForm.reset();
      ws.notify(T.sittingAdded);
      await ws.refresh();
    }
  });

  setupTree(ws);

  /** Fill a <select> of agenda items, keeping its choice when that item still exists. */
  ws.fillItemSelect = (select, { empty, topOnly = false, selected } = {}) => {
    const keep = selected !== undefined ? selected : select.value;
    const options = [h("option", { value: "" }, empty)];
    for (const { item, number, depth } of ws.agendaEntries()) {
      if (topOnly && depth) continue;
      const label = topOnly ? fmt(T.underItem, { title: `${number}. ${item.title}` })
        : `${depth ? "\u00a0\u00a0\u00a0\u00a0" : ""}${number}. ${item.title}`;
      options.push(h("option", { value: String(item.id) }, label));
    }
    select.replaceChildren(...options);
    const wanted = keep === null || keep === undefined ? "" : String(keep);
    select.value = [...select.options].some((o) => o.value === wanted) ? wanted : "";
  };

  ws.renderItemChoices = () => {
    ws.fillItemSelect($("agenda-form").elements.parent_id, { empty: T.topLevel, topOnly: true });
    ws.fillItemSelect($("upload-target"), { empty: T.unfiled });
    ws.fillItemSelect($("link-form").elements.agenda_item_id, { empty: T.unfiled });
  };
}

function setupTree(ws) {
  const { $, T, fmt } = ws;
  const tree = $("agenda-tree");
  const agendaForm = $("agenda-form");
  let sortables = [];
  /** The item being renamed, with what has been typed so far (survives a re-render). */
  let renaming = null;

  ws.renderAgenda = () => {
    // A re-render (after an upload elsewhere, say) must not take the cursor away from a rename under way.
    const typingIn = document.activeElement && document.activeElement.closest(".rename-form")
      ? document.activeElement.name : null;
    sortables.forEach((s) => s.destroy());
    sortables = [];
    tree.replaceChildren(...ws.meeting.agenda.map((item, i) => agendaNode(item, `${i + 1}`, true)));
    $("agenda-empty").hidden = ws.meeting.agenda.length > 0;
    $("unfiled").hidden = ws.meeting.documents.length === 0;
    $("unfiled-docs").replaceChildren(...ws.meeting.documents.map(ws.documentRow));
    if (!ws.isClosed()) {
      makeSortable(tree);
      tree.querySelectorAll(".agenda-children").forEach(makeSortable);
    }
    if (typingIn) {
      const input = tree.querySelector(`.rename-form [name="${typingIn}"]`);
      if (input) input.focus();
    }
  };

  function agendaNode(item, number, top) {
    const isRenaming = renaming && renaming.id === item.id;
    const text = isRenaming
      ? renameForm(item)
      : h("div", { class: "agenda-text" },
        h("span", { class: "agenda-title" }, item.title),
        item.presenter ? h("span", { class: "muted agenda-presenter" }, fmt(T.presentedBy, { name: item.presenter })) : null);
    const node = h("li", { class: top ? "agenda-node" : "agenda-node sub-node", dataset: { id: item.id } },
      h("div", { class: "agenda-row" },
        h("button", {
          type: "button", class: "drag-handle", title: fmt(T.dragHandle, { title: item.title }),
          "aria-label": fmt(T.dragHandle, { title: item.title }),
        }, "⠿"),
        h("span", { class: "agenda-number" }, number),
        text,
        isRenaming ? null : h("div", { class: "row-actions" },
          top ? h("button", { type: "button", class: "small", onclick: () => startSubItem(item) }, T.addSubItem) : null,
          h("button", { type: "button", class: "small", onclick: () => startRename(item) }, T.rename),
          h("button", { type: "button", class: "small danger", onclick: () => deleteItem(item) }, T.delete))),
      item.documents.length ? h("ul", { class: "doc-rows" }, item.documents.map(ws.documentRow)) : null);
    if (top) {
      node.append(h("ol", { class: "agenda-children", dataset: { parentId: item.id } },
        item.children.map((child, j) => agendaNode(child, `${number}.${j + 1}`, false))));
    }
    return node;
  }

  function makeSortable(list) {
    sortables.push(Sortable.create(list, {
      group: "agenda",
      handle: ".drag-handle",
      draggable: ".agenda-node",
      animation: 150,
      // Pointer-driven dragging behaves the same with a finger, a pen and a mouse.
      forceFallback: true,
      fallbackOnBody: true,
      fallbackTolerance: 4,
      swapThreshold: 0.65,
      emptyInsertThreshold: 20,
      scrollSensitivity: 110, // the sticky top bar and section tabs cover the top of the screen
      ghostClass: "drag-ghost",
      chosenClass: "drag-chosen",
      onStart: () => tree.classList.add("dragging"),
      onMove: (event) => {
        // One level of nesting: an item that has sub-items cannot become a sub-item itself.
        const intoSubList = event.to.classList.contains("agenda-children");
        return !(intoSubList && event.dragged.querySelector(".agenda-children > .agenda-node"));
      },
      onEnd: (event) => {
        tree.classList.remove("dragging");
        if (event.from === event.to && event.oldIndex === event.newIndex) return;
        saveOrder();
      },
    }));
  }

  /** Send the whole agenda, in display order, with each item's parent, as drag and drop left it. */
  async function saveOrder() {
    const items = [];
    for (const top of tree.querySelectorAll(":scope > .agenda-node")) {
      items.push({ id: Number(top.dataset.id), parent_id: null });
      for (const child of top.querySelectorAll(":scope > .agenda-children > .agenda-node")) {
        items.push({ id: Number(child.dataset.id), parent_id: Number(top.dataset.id) });
      }
    }
    const result = await ws.attempt(() => ws.call("PUT", `${ws.MEETING}/agenda/order`, { items }));
    if (result.ok) {
      ws.show(result.value);
      ws.notify(T.orderSaved);
    } else {
      await ws.refresh(); // put the tree back as the server holds it
    }
  }

  function renameForm(item) {
    const form = h("form", { class: "rename-form" },
      h("label", {}, T.title,
        h("input", { name: "title", required: true, maxlength: "500", value: renaming.title })),
      h("label", {}, T.presenter,
        h("input", { name: "presenter", maxlength: "200", value: renaming.presenter })),
      h("div", { class: "form-actions" },
        h("button", { type: "submit", class: "primary small" }, T.save),
        h("button", { type: "button", class: "small", onclick: () => { renaming = null; ws.renderAgenda(); } }, T.cancel)),
      h("p", { class: "error form-error", role: "alert", hidden: true }));
    form.addEventListener("input", () => {
      renaming.title = form.elements.title.value;
      renaming.presenter = form.elements.presenter.value;
    });
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        renaming = null;
        ws.renderAgenda();
      }
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = { title: form.elements.title.value.trim(), presenter: form.elements.presenter.value.trim() };
      const result = await ws.submitting(form, () => ws.call("PATCH", `${ws.MEETING}/agenda/${item.id}`, data));
      if (result.ok) {
        renaming = null;
        ws.notify(T.saved);
        await ws.refresh();
      }
    });
    return form;
  }

  function startRename(item) {
    renaming = { id: item.id, title: item.title, presenter: item.presenter || "" };
    ws.renderAgenda();
    const input = tree.querySelector(".rename-form input[name=title]");
    if (input) input.focus();
  }

  function startSubItem(item) {
    agendaForm.elements.parent_id.value = String(item.id);
    agendaForm.scrollIntoView({ behavior: "smooth", block: "center" });
    agendaForm.elements.title.focus({ preventScroll: true });
  }

  async function deleteItem(item) {
    if (!(await ws.confirmAction(fmt(T.deleteItemConfirm, { title: item.title })))) return;
    const result = await ws.attempt(() => ws.call("DELETE", `${ws.MEETING}/agenda/${item.id}`));
    if (result.ok) {
      ws.notify(T.itemDeleted);
      await ws.refresh();
    }
  }

  agendaForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = agendaForm.elements;
    const data = { title: f.title.value.trim() };
    if (f.presenter.value.trim()) data.presenter = f.presenter.value.trim();
    if (f.parent_id.value) data.parent_id = Number(f.parent_id.value);
    const result = await ws.submitting(agendaForm, () => ws.call("POST", `${ws.MEETING}/agenda`, data));
    if (result.ok) {
      f.title.value = "";
      f.presenter.value = "";
      ws.notify(T.itemAdded);
      await ws.refresh();
      f.title.focus();
    }
  });
}

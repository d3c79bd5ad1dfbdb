// The workspace's people: the participants (one by one or from a CSV file, with the initial
// passwords of new accounts shown once, to print), and the groups with their members and rapporteur.

import { h } from "../../shared.js";

/** Wire participants and groups; adds ws.renderParticipants and ws.renderGroups. */
export function setupPeople(ws) {
  const { $, T, fmt } = ws;
  // -- participants ------------------------------------------------------------------------------------
  const participantForm = $("participant-form");
  const csvForm = $("csv-form");

  function renderParticipants() {
    const groupNames = new Map(ws.meeting.groups.map((g) => [g.id, g.name]));
    const rows = ws.meeting.participants.map((p) => h("tr", { dataset: { participantId: p.id, username: p.username } },
      h("td", { dataset: { label: T.columns.name } }, p.full_name),
      h("td", { class: "mono", dataset: { label: T.columns.username } }, p.username),
      h("td", { dataset: { label: T.columns.role } }, T.roles[p.role] || p.role),
      h("td", { dataset: { label: T.columns.groups } }, p.group_ids.map((id) => groupNames.get(id)).filter(Boolean).join(", ")),
      h("td", { class: "actions" },
        h("button", { type: "button", class: "small danger", onclick: () => removeParticipant(p) }, T.remove))));
    if (!rows.length) rows.push(h("tr", {}, h("td", { colspan: "5", class: "muted" }, T.noParticipants)));
    $("participant-rows").replaceChildren(...rows);
    $("participant-count").textContent = fmt(T.participantCount, { n: ws.meeting.participants.length });
    $("group-names").replaceChildren(...ws.meeting.groups.map((g) => h("option", { value: g.name })));
  }

  async function removeParticipant(participant) {
    const question = fmt(T.removeParticipantConfirm, { name: participant.full_name });
    if (!(await ws.confirmAction(question, { ok: T.remove }))) return;
    const result = await ws.attempt(() => ws.call("DELETE", `${ws.MEETING}/participants/${participant.id}`));
    if (result.ok) await ws.refresh();
  }

  /** Show the initial passwords of accounts just created; they are never shown again. */
  function showPasswords(answer) {
    const created = Object.entries(answer.created || {});
    if (!created.length) return;
    const names = new Map(answer.items.map((p) => [p.username, p.full_name]));
    $("password-rows").append(...created.map(([username, password]) => h("tr", {},
      h("td", {}, names.get(username) || ""), h("td", { class: "mono" }, username), h("td", { class: "mono password" }, password))));
    const box = $("passwords");
    box.hidden = false;
    box.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  $("print-passwords").addEventListener("click", () => {
    document.body.classList.add("printing-passwords");
    window.print();
  });
  window.addEventListener("afterprint", () => document.body.classList.remove("printing-passwords"));
  $("hide-passwords").addEventListener("click", () => {
    $("password-rows").replaceChildren();
    $("passwords").hidden = true;
  });

  participantForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = participantForm.elements;
    const entry = { username: f.username.value.trim().toLowerCase(), role: f.role.value };
    if (f.full_name.value.trim()) entry.full_name = f.full_name.value.trim();
    if (f.group.value.trim()) entry.group = f.group.value.trim();
    const result = await ws.submitting(participantForm, () => ws.call("POST", `${ws.MEETING}/participants`, { items: [entry] }));
    if (result.ok) {
      participantForm.reset();
      showPasswords(result.value);
      ws.notify(T.added);
      await ws.refresh();
      f.username.focus();
    }
  });

  csvForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = csvForm.elements.file.files[0];
    if (!file) return;
    const body = new FormData();
    body.append("file", file, file.name);
    const result = await ws.submitting(csvForm, () => ws.call("POST", `${ws.MEETING}/participants/import`, body));
    if (result.ok) {
      csvForm.reset();
      showPasswords(result.value);
      ws.notify(fmt(T.imported, { n: result.value.items.length }));
      await ws.refresh();
    }
  });

  // -- groups ---------------------------------------------------------------------------------------------
  const groupForm = $("group-form");
  const openGroups = new Set();
  /** Group editors with unsaved choices, kept as they are when the dossier re-renders. */
  const editedGroups = new Map();

  function renderGroups() {
    const cards = ws.meeting.groups.map((g) => editedGroups.get(g.id) || groupCard(g));
    $("group-list").replaceChildren(...cards);
    $("groups-empty").hidden = ws.meeting.groups.length > 0;
  }

  function groupCard(group) {
    const people = new Map(ws.meeting.participants.map((p) => [p.user_id, p]));
    const rapporteur = people.get(group.rapporteur_id);
    const summary = h("summary", {},
      h("strong", { class: "group-name" }, group.name),
      h("span", { class: "muted" }, [fmt(T.memberCount, { n: group.member_ids.length }),
        rapporteur ? fmt(T.rapporteurOf, { name: rapporteur.full_name }) : null].filter(Boolean).join(" · ")));
    const checks = ws.meeting.participants.map((p) => h("label", { class: "check" },
      h("input", { type: "checkbox", name: "member", value: String(p.user_id), checked: group.member_ids.includes(p.user_id) }),
      " ", p.full_name));
    const rapporteurSelect = h("select", { name: "rapporteur_id" });
    const form = h("form", { class: "stacked group-form" },
      h("label", {}, T.groupName, h("input", { name: "name", required: true, maxlength: "200", value: group.name })),
      h("fieldset", {}, h("legend", {}, T.members),
        checks.length ? h("div", { class: "check-grid" }, checks) : h("p", { class: "muted" }, T.noMembersToPick)),
      h("label", {}, T.rapporteur, rapporteurSelect),
      h("p", { class: "error form-error", role: "alert", hidden: true }),
      h("div", { class: "form-actions" }, h("button", { type: "submit", class: "primary" }, T.saveGroup)));
    const chosen = () => [...form.querySelectorAll("input[name=member]:checked")].map((i) => Number(i.value));
    const fillRapporteurs = (selected) => {
      const members = chosen();
      rapporteurSelect.replaceChildren(h("option", { value: "" }, T.noRapporteur),
        ...members.map((uid) => h("option", { value: String(uid) }, people.get(uid) ? people.get(uid).full_name : `#${uid}`)));
      rapporteurSelect.value = members.includes(selected) ? String(selected) : "";
    };
    fillRapporteurs(group.rapporteur_id);
    const card = h("details", { class: "group-card", dataset: { groupId: group.id }, open: openGroups.has(group.id) },
      summary, form);
    card.addEventListener("toggle", () => (card.open ? openGroups.add(group.id) : openGroups.delete(group.id)));
    form.addEventListener("change", (event) => {
      editedGroups.set(group.id, card);
      if (event.target.name === "member") fillRapporteurs(Number(rapporteurSelect.value) || null);
    });
    form.addEventListener("input", () => editedGroups.set(group.id, card));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = {
        name: form.elements.name.value.trim(),
        member_ids: chosen(),
        rapporteur_id: rapporteurSelect.value ? Number(rapporteurSelect.value) : null,
      };
      const result = await ws.submitting(form, () => ws.call("PUT", `${ws.MEETING}/groups/${group.id}`, data));
      if (result.ok) {
        editedGroups.delete(group.id);
        ws.notify(T.saved);
        await ws.refresh();
      }
    });
    return card;
  }

  groupForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = groupForm.elements.name.value.trim();
    const result = await ws.submitting(groupForm, () => ws.call("POST", `${ws.MEETING}/groups`, { name }));
    if (result.ok) {
      groupForm.reset();
      openGroups.add(result.value.id);
      ws.notify(T.groupCreated);
      await ws.refresh();
    }
  });

  ws.renderParticipants = renderParticipants;
  ws.renderGroups = renderGroups;
}

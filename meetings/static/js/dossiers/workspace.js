// The secretary's workspace: build a meeting's dossier through the JSON API. The parts are in
// workspace/: the shared state and feedback (core), the heading and publishing, the meeting's
// fields, sittings and agenda, the document rows, new uploads and links, participants and groups.

import { setupAgenda } from "./workspace/agenda.js";
import { applyClosed, createWorkspace } from "./workspace/core.js";
import { setupDocuments } from "./workspace/documents.js";
import { setupPeople } from "./workspace/people.js";
import { setupPublishing } from "./workspace/publishing.js";
import { setupUploads } from "./workspace/uploads.js";

const ws = createWorkspace();
setupPublishing(ws);
setupDocuments(ws);
setupAgenda(ws);
setupUploads(ws);
setupPeople(ws);
ws.renderers.push(ws.renderHead, ws.renderDetails, ws.renderSittings, ws.renderAgenda, ws.renderItemChoices,
  ws.renderParticipants, ws.renderGroups, () => applyClosed(ws));

// Controls wait, disabled, for this script: a tap before it would submit a form the browser's way.
document.querySelectorAll("[data-needs-script]").forEach((el) => { el.disabled = false; });
ws.render();
ws.followRendering();

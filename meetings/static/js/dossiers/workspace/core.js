// What every part of the secretary's workspace shares: the dossier as the API last answered it,
// calling the API, the formats, feedback (toast, form errors, confirmations), and re-rendering.
// Every change goes to the API; the page then re-renders from the dossier the API answers
// (getMeeting), so what the secretary sees is what the server holds.

import { api, ApiFailure } from "../../api.js";
import { fill, jsonBlock } from "../../shared.js";

const $ = (id) => document.getElementById(id);

/** The workspace's shared state and services; the parts add their render functions to it. */
export function createWorkspace() {
  const root = $("workspace");
  const T = jsonBlock("workspace-strings");
  const ws = {
    root,
    T,
    meeting: jsonBlock("meeting-data"),
    API: root.dataset.apiRoot,
    LOCALE: root.dataset.locale || document.documentElement.lang || "vi",
    renderers: [], // in the order they draw
    $,
    fmt: fill,
  };
  ws.MEETING = `${ws.API}/meetings/${ws.meeting.id}`;
  ws.CALL_OPTIONS = { networkError: T.networkError, fallback: T.failed };
  ws.call = (method, url, body) => api(method, url, body, ws.CALL_OPTIONS);
  ws.isClosed = () => ws.meeting.status === "closed";
  addFormats(ws);
  addFeedback(ws);
  addRefresh(ws);
  return ws;
}

function addFormats(ws) {
  const dateFormat = new Intl.DateTimeFormat(ws.LOCALE, { weekday: "long", day: "numeric", month: "numeric", year: "numeric" });
  const plural = new Intl.PluralRules(ws.LOCALE);
  ws.dateTimeFormat = new Intl.DateTimeFormat(ws.LOCALE, { dateStyle: "medium", timeStyle: "short" });
  ws.sizeFormat = (bytes) => {
    const [unit, value] = bytes >= 1 << 20 ? ["megabyte", bytes / (1 << 20)] : ["kilobyte", Math.max(1, bytes / 1024)];
    return new Intl.NumberFormat(ws.LOCALE, { style: "unit", unit, maximumFractionDigits: 1 }).format(value);
  };
  ws.formatDate = (iso) => (iso ? dateFormat.format(new Date(`${iso}T00:00:00`)) : "");
  ws.formatTime = (iso) => (iso ? iso.slice(0, 5) : "");
  ws.pages = (n) => fill(plural.select(n) === "one" ? ws.T.pageOne : ws.T.pageOther, { n });
}

function addFeedback(ws) {
  const toast = $("toast");
  let toastTimer = 0;

  /** Show a short message at the bottom of the screen; errors stay longer and are announced at once. */
  ws.notify = (message, kind = "ok") => {
    toast.textContent = message;
    toast.className = `toast toast-${kind}`;
    toast.setAttribute("role", kind === "error" ? "alert" : "status");
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { toast.hidden = true; }, kind === "error" ? 10000 : 3500);
  };
  toast.addEventListener("click", () => { toast.hidden = true; });

  ws.formError = (form, message) => {
    const el = form.querySelector(".form-error");
    if (!el) {
      if (message) ws.notify(message, "error");
      return;
    }
    el.textContent = message || "";
    el.hidden = !message;
  };

  /** Run an API call for a form: its submit buttons wait, and a refusal shows in the form. */
  ws.submitting = async (form, work) => {
    const buttons = [...form.querySelectorAll("button[type=submit]")];
    ws.formError(form, "");
    buttons.forEach((b) => { b.disabled = true; });
    try {
      return { ok: true, value: await work() };
    } catch (failure) {
      if (!(failure instanceof ApiFailure)) throw failure;
      ws.formError(form, failure.message);
      return { ok: false };
    } finally {
      buttons.forEach((b) => { b.disabled = ws.isClosed(); });
    }
  };

  /** Run an API call outside a form: a refusal shows as an alert. */
  ws.attempt = async (work) => {
    try {
      return { ok: true, value: await work() };
    } catch (failure) {
      if (!(failure instanceof ApiFailure)) throw failure;
      ws.notify(failure.message, "error");
      return { ok: false };
    }
  };

  const confirmDialog = $("confirm-dialog");
  const confirmOk = $("confirm-ok");

  /** Ask before something that cannot be undone; resolves true when confirmed. */
  ws.confirmAction = (message, { ok = ws.T.delete, danger = true } = {}) => {
    if (confirmDialog.open) return Promise.resolve(false);
    return new Promise((resolve) => {
      $("confirm-message").textContent = message;
      confirmOk.textContent = ok;
      confirmOk.className = danger ? "danger" : "primary";
      confirmDialog.returnValue = "";
      confirmDialog.addEventListener("close", () => resolve(confirmDialog.returnValue === "ok"), { once: true });
      confirmDialog.showModal();
    });
  };
}

function addRefresh(ws) {
  let refreshing = null;
  let refreshAgain = false;

  ws.render = () => {
    for (const draw of ws.renderers) draw();
  };

  /** Fetch the whole dossier and re-render; calls made meanwhile coalesce into one more fetch. */
  ws.refresh = () => {
    if (refreshing) {
      refreshAgain = true;
      return refreshing;
    }
    refreshing = (async () => {
      try {
        do {
          refreshAgain = false;
          ws.meeting = await ws.call("GET", ws.MEETING);
          ws.render();
        } while (refreshAgain);
      } catch (failure) {
        if (!(failure instanceof ApiFailure)) throw failure;
        ws.notify(failure.message, "error");
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  };

  /** Show the dossier an API call answered. */
  ws.show = (detail) => {
    ws.meeting = detail;
    ws.render();
  };

  /** Agenda items in display order, with their numbers ("2", "2.1") and depth. */
  ws.agendaEntries = () => {
    const entries = [];
    ws.meeting.agenda.forEach((item, i) => {
      entries.push({ item, number: `${i + 1}`, depth: 0 });
      item.children.forEach((child, j) => entries.push({ item: child, number: `${i + 1}.${j + 1}`, depth: 1 }));
    });
    return entries;
  };
}

/** A closed meeting is read-only: every control but the passwords' is disabled. */
export function applyClosed(ws) {
  const closed = ws.isClosed();
  ws.root.classList.toggle("is-closed", closed);
  if (!closed) return;
  ws.root.querySelectorAll("input, select, textarea, button").forEach((el) => {
    if (!el.closest("#passwords")) el.disabled = true;
  });
}

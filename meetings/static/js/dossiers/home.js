// The list of meetings: a secretary creates a meeting and goes straight to its workspace.
import { api } from "../api.js";

const form = document.getElementById("new-meeting");
if (form) {
  const error = form.querySelector(".form-error");
  // The button waits, disabled, for this script: a tap before it would submit the form the browser's way.
  form.querySelectorAll("[data-needs-script]").forEach((el) => { el.disabled = false; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const title = form.elements.title.value.trim();
    if (!title) return;
    button.disabled = true;
    if (error) error.hidden = true;
    try {
      const meeting = await api("POST", form.dataset.api, { title }, {
        networkError: form.dataset.networkError, fallback: form.dataset.failed,
      });
      window.location.assign(form.dataset.workspace.replace("{id}", String(meeting.id)));
    } catch (failure) {
      button.disabled = false;
      if (error) {
        error.textContent = failure.message;
        error.hidden = false;
      }
    }
  });
}

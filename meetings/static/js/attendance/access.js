// The secretary's access page: issuing or replacing one person's card opens its PDF to print.

import { csrfToken, failureFrom } from "../api.js";
import { jsonBlock } from "../shared.js";

const root = document.getElementById("access");
const meetingId = Number(root.dataset.meetingId);
const strings = jsonBlock("access-strings");
const error = document.querySelector("#cards-heading ~ .form-error");

for (const button of document.querySelectorAll("button.reissue")) {
  button.addEventListener("click", async () => {
    error.hidden = true;
    button.disabled = true;
    try {
      const response = await fetch(`/api/v1/meetings/${meetingId}/cards/${button.dataset.userId}/revoke`, {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(), Accept: "application/pdf" },
      });
      if (!response.ok) throw failureFrom(response.status, await response.text(), strings.failed);
      const blob = await response.blob();
      window.open(URL.createObjectURL(blob), "_blank");
    } catch (failure) {
      error.textContent = failure.message || strings.network;
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
}
for (const el of document.querySelectorAll("[data-needs-script]")) el.disabled = false;

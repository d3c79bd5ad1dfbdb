// Talking to the JSON API under /api/v1 with the session cookie. (Building DOM, JSON blocks and
// the other small helpers are in shared.js.)

/** The CSRF token the page was rendered with (sent as X-CSRFToken on every unsafe call). */
export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

/** An error answer of the API: status, machine code, and the human message to show. */
export class ApiFailure extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Turn an XHR/fetch answer's status and body text into an ApiFailure with the server's message. */
export function failureFrom(status, text, fallback) {
  try {
    const body = JSON.parse(text);
    if (body && body.error && body.error.message) {
      const details = fieldProblems(body.error.fields);
      const message = details.length ? `${body.error.message} (${details.join("; ")})` : body.error.message;
      return new ApiFailure(status, body.error.code || "error", message);
    }
  } catch (_) {
    // not JSON (a proxy's page, say): fall back to the generic message
  }
  return new ApiFailure(status, "http_" + status, `${fallback} (HTTP ${status})`);
}

/** Flatten a validation error's per-field messages ({"items": {"0": {"username": [...]}}}) into lines. */
function fieldProblems(fields, path = []) {
  if (!fields || typeof fields !== "object") return [];
  if (Array.isArray(fields)) {
    const texts = fields.filter((m) => typeof m === "string");
    return texts.length ? [`${path.join(".")}: ${texts.join(" ")}`] : [];
  }
  return Object.entries(fields).flatMap(([key, value]) => fieldProblems(value, [...path, key]));
}

/**
 * Call the API: method, url, and a JSON body (or FormData). Resolves with the parsed answer
 * (null for 204), rejects with an ApiFailure carrying the server's message.
 */
export async function api(method, url, body, { networkError = "Network error", fallback = "Error" } = {}) {
  const headers = { Accept: "application/json" };
  if (!["GET", "HEAD"].includes(method)) headers["X-CSRFToken"] = csrfToken();
  let payload;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload, credentials: "same-origin" });
  } catch (_) {
    throw new ApiFailure(0, "network", networkError);
  }
  const text = await response.text();
  if (!response.ok) throw failureFrom(response.status, text, fallback);
  return text ? JSON.parse(text) : null;
}

/**
 * Upload a FormData with XMLHttpRequest so that the upload's progress can be shown.
 * onProgress receives a fraction from 0 to 1. Resolves with the parsed answer, rejects with ApiFailure.
 */
export function upload(url, formData, onProgress, { networkError = "Network error", fallback = "Error" } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        if (onProgress) onProgress(1);
        try {
          resolve(xhr.responseText ? JSON.parse(xhr.responseText) : null);
        } catch (_) {
          reject(new ApiFailure(xhr.status, "bad_answer", fallback));
        }
      } else {
        reject(failureFrom(xhr.status, xhr.responseText, fallback));
      }
    };
    xhr.onerror = () => reject(new ApiFailure(0, "network", networkError));
    xhr.send(formData);
  });
}

// The small helpers every page uses: building DOM without innerHTML, the page's JSON blocks,
// client ids, filling translated strings, plain text with safe links, remembered choices.
// Nothing here touches the DOM until called, so state modules that import it load in node too.

/**
 * Build an element: h("li", {class: "x", dataset: {id: 3}, onclick: fn, text: "…"}, "text", child, ...).
 * Strings become text nodes, so text from the server is never parsed as HTML.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = String(value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Read a JSON block the template rendered (<script type="application/json" id=...>), or null. */
export function jsonBlock(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}

/** A fresh client_id for one action (32 hex digits or a UUID: the server takes 8 to 64 characters). */
export function newClientId() {
  const crypto = globalThis.crypto;
  if (crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID needs a secure context (https or localhost); a hall's plain-http address is not one
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Fill the {placeholders} of a translated string; an unknown one is left as it is. */
export function fill(template, values = {}) {
  return String(template ?? "").replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;

/** Put text into node as text; http(s) addresses become links that open apart (rel=noopener). */
export function renderText(node, text) {
  node.textContent = "";
  let last = 0;
  for (const match of String(text ?? "").matchAll(URL_PATTERN)) {
    const href = match[0].replace(/[.,;:!?)\]]+$/, "");
    let url;
    try {
      url = new URL(href);
    } catch (_) {
      continue;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") continue;
    node.append(document.createTextNode(text.slice(last, match.index)));
    node.append(h("a", { href: url.href, rel: "noopener noreferrer nofollow", target: "_blank", text: href }));
    last = match.index + href.length;
  }
  node.append(document.createTextNode(String(text ?? "").slice(last)));
  return node;
}

/** The hour and minute of an ISO time, in the browser's locale ("" for none). */
export function timeOfDay(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "";
}

/** The local storage, or null where the browser refuses it (private mode) or there is none (node). */
export function storageOrNull() {
  try {
    return globalThis.localStorage ?? null;
  } catch (_) {
    return null;
  }
}

/** A choice remembered on this device (null when none, or when storage is refused). */
export function remembered(key) {
  try {
    return storageOrNull()?.getItem(key) ?? null;
  } catch (_) {
    return null;
  }
}

/** Remember a choice on this device; without storage it lasts as long as the page. */
export function remember(key, value) {
  try {
    storageOrNull()?.setItem(key, value);
  } catch (_) {
    // storage full or refused
  }
}

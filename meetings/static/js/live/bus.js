// A small event bus: the page's modules subscribe to the types they care about, and the live
// connection publishes each event once. A failing subscriber is logged and never stops the others,
// so one bad handler cannot leave the rest of the page behind.

export class Bus {
  constructor() {
    // type -> Set of handlers; "*" hears every event type, but not the news of the connection
    // itself ("live:status", "live:joined"), whose payloads are not envelopes
    this.handlers = new Map();
  }

  /** Call handler(payload, type) for every emit of type ("*": every event); returns a function that unsubscribes. */
  on(type, handler) {
    if (!this.handlers.has(type)) this.handlers.set(type, new Set());
    this.handlers.get(type).add(handler);
    return () => this.handlers.get(type)?.delete(handler);
  }

  /** Tell the subscribers of type (then those of "*") about payload. */
  emit(type, payload) {
    const wildcard = type === "*" || type.includes(":") ? [] : this.handlers.get("*") || [];
    const targets = [...(this.handlers.get(type) || []), ...wildcard];
    for (const handler of targets) {
      try {
        handler(payload, type);
      } catch (error) {
        console.error("live subscriber failed", type, error);
      }
    }
  }
}

// The strip of page thumbnails: small images (the 200 px bucket) loaded only as they scroll into view.

import { h } from "../shared.js";

export class ThumbnailStrip {
  /**
   * list: the <ol> to fill; scroller: the element that scrolls it; onPick(page) when one is chosen;
   * label(page) the accessible name of a thumbnail.
   */
  constructor(list, scroller, { onPick, label }) {
    this.list = list;
    this.scroller = scroller;
    this.onPick = onPick;
    this.label = label;
    this.observer = "IntersectionObserver" in window
      ? new IntersectionObserver((entries) => this.reveal(entries), { root: scroller, rootMargin: "0px 300px" })
      : null;
  }

  /** Show count pages of a document; urlFor(page) is a thumbnail's image address; ratios[i] = h / w. */
  show(count, urlFor, ratios) {
    if (this.observer) this.observer.disconnect();
    const items = [];
    for (let page = 1; page <= count; page++) {
      const img = h("img", { alt: "", draggable: "false", decoding: "async" });
      img.dataset.src = urlFor(page);
      const frame = h("span", { class: "thumb-frame" }, img);
      frame.style.aspectRatio = `1 / ${ratios[page - 1] || 1.414}`;
      const button = h("button", {
        type: "button", class: "thumb", "aria-label": this.label(page), dataset: { page },
        onclick: () => this.onPick(page),
      }, frame, h("span", { class: "thumb-number", "aria-hidden": "true" }, String(page)));
      items.push(h("li", {}, button));
      if (this.observer) this.observer.observe(img);
      else img.src = img.dataset.src;
    }
    this.list.replaceChildren(...items);
  }

  reveal(entries) {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const img = entry.target;
      this.observer.unobserve(img);
      img.addEventListener("load", () => img.classList.add("loaded"), { once: true });
      img.addEventListener("error", () => img.closest(".thumb-frame")?.classList.add("failed"), { once: true });
      img.src = img.dataset.src;
    }
  }

  /** Mark page as the one shown, and bring it into view in the strip. */
  select(page, { scroll = true } = {}) {
    let chosen = null;
    for (const button of this.list.querySelectorAll(".thumb")) {
      const current = Number(button.dataset.page) === page;
      if (current) {
        button.setAttribute("aria-current", "page");
        chosen = button;
      } else {
        button.removeAttribute("aria-current");
      }
    }
    if (chosen && scroll && this.scroller.offsetParent !== null) {
      const box = chosen.getBoundingClientRect();
      const view = this.scroller.getBoundingClientRect();
      if (box.left < view.left || box.right > view.right) {
        this.scroller.scrollTo({
          left: this.scroller.scrollLeft + box.left - view.left - (view.width - box.width) / 2,
          behavior: "smooth",
        });
      }
    }
  }
}

// Finger gestures on the page view, from pointer events: swipe to turn, pinch and double-tap to zoom.
//
// The stage scrolls natively (touch-action: pan-y, or pan-x pan-y when zoomed in), so a vertical drag
// is the browser's and it tells us with pointercancel; what reaches us is a horizontal drag (a swipe),
// a second finger (a pinch: touch-action leaves pinch-zoom to us) and taps.

const TAP_SLOP = 10; // px a finger may wander and still tap
const DOUBLE_TAP_MS = 320;
const DOUBLE_TAP_SLOP = 30;
const SWIPE_LOCK = 12; // px before a drag is decided to be horizontal or not

/**
 * Recognise gestures on el and call the handlers:
 *   canSwipe() -> bool            whether a horizontal drag may turn the page now
 *   swipeMove(dx)                 the finger moved dx px since the swipe began
 *   swipeEnd(direction | null)    "next", "prev", or null when the swipe did not go far enough
 *   pinchStart(center)            two fingers down; center {x, y} in client coordinates
 *   pinchMove(scale, center)      scale relative to when the pinch began
 *   pinchEnd(scale, center)       fingers lifted (scale 1 and null center when cancelled)
 *   doubleTap(point)              two quick taps at one place, {x, y} in client coordinates
 * Returns a function that detaches everything.
 */
export function attachGestures(el, handlers) {
  const pointers = new Map();
  let swipe = null; // {id, startX, startY, startT, lastX, lastT, horizontal: bool|null}
  let pinch = null; // {startDistance, scale, center}
  let lastTap = null; // {t, x, y}
  const call = (name, ...args) => handlers[name] && handlers[name](...args);

  const distance = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);
  const middle = (a, b) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  const twoFingers = () => [...pointers.values()].slice(0, 2);

  function endSwipe(direction) {
    if (swipe && swipe.horizontal) call("swipeEnd", direction);
    swipe = null;
  }

  function onDown(event) {
    if (event.pointerType === "mouse") return; // mice select text and use the buttons and keys
    pointers.set(event.pointerId, {
      x: event.clientX, y: event.clientY, startX: event.clientX, startY: event.clientY, t: event.timeStamp,
    });
    if (pointers.size === 2) {
      endSwipe(null);
      const [a, b] = twoFingers();
      pinch = { startDistance: Math.max(1, distance(a, b)), scale: 1, center: middle(a, b) };
      lastTap = null;
      call("pinchStart", pinch.center);
    } else if (pointers.size === 1) {
      swipe = {
        id: event.pointerId, startX: event.clientX, startY: event.clientY, startT: event.timeStamp,
        lastX: event.clientX, lastT: event.timeStamp, horizontal: null,
      };
    }
  }

  function onMove(event) {
    const p = pointers.get(event.pointerId);
    if (!p) return;
    p.x = event.clientX;
    p.y = event.clientY;
    if (pinch && pointers.size >= 2) {
      const [a, b] = twoFingers();
      pinch.scale = distance(a, b) / pinch.startDistance;
      pinch.center = middle(a, b);
      call("pinchMove", pinch.scale, pinch.center);
      event.preventDefault();
      return;
    }
    if (!swipe || swipe.id !== event.pointerId) return;
    const dx = event.clientX - swipe.startX;
    const dy = event.clientY - swipe.startY;
    if (swipe.horizontal === null && Math.max(Math.abs(dx), Math.abs(dy)) >= SWIPE_LOCK) {
      swipe.horizontal = Math.abs(dx) > Math.abs(dy) * 1.2 && call("canSwipe") !== false;
      if (swipe.horizontal) {
        try {
          el.setPointerCapture(event.pointerId);
        } catch (_) {
          // the pointer may already be gone; the swipe still ends on pointerup or cancel
        }
      }
    }
    if (swipe.horizontal) {
      swipe.velocity = (event.clientX - swipe.lastX) / Math.max(1, event.timeStamp - swipe.lastT);
      swipe.lastX = event.clientX;
      swipe.lastT = event.timeStamp;
      call("swipeMove", dx);
    }
  }

  function onUp(event) {
    const p = pointers.get(event.pointerId);
    if (!p) return;
    pointers.delete(event.pointerId);
    if (pinch) {
      if (pointers.size < 2) {
        const { scale, center } = pinch;
        pinch = null;
        swipe = null; // the finger still down after a pinch does not start a swipe
        call("pinchEnd", scale, center);
      }
      return;
    }
    if (swipe && swipe.id === event.pointerId) {
      const dx = event.clientX - swipe.startX;
      if (swipe.horizontal) {
        const width = el.clientWidth || 1;
        const fast = Math.abs(swipe.velocity || 0) > 0.45 && Math.abs(dx) > 30;
        const far = Math.abs(dx) > Math.max(50, width * 0.18);
        endSwipe(fast || far ? (dx < 0 ? "next" : "prev") : null);
        return;
      }
      const moved = Math.hypot(dx, event.clientY - swipe.startY);
      const quick = event.timeStamp - swipe.startT < 300;
      swipe = null;
      if (moved <= TAP_SLOP && quick) tapped(event);
    }
  }

  function tapped(event) {
    const tap = { t: event.timeStamp, x: event.clientX, y: event.clientY };
    if (lastTap && tap.t - lastTap.t < DOUBLE_TAP_MS && Math.hypot(tap.x - lastTap.x, tap.y - lastTap.y) < DOUBLE_TAP_SLOP) {
      lastTap = null;
      call("doubleTap", { x: tap.x, y: tap.y });
    } else {
      lastTap = tap;
    }
  }

  function onCancel(event) {
    pointers.delete(event.pointerId);
    if (pinch && pointers.size < 2) {
      pinch = null;
      call("pinchEnd", 1, null);
    }
    if (swipe && swipe.id === event.pointerId) endSwipe(null);
  }

  // A swipe or a pinch is ours alone: without this, a browser may take a horizontal swipe at the
  // edge of the page for "go back in history", or scroll while the fingers pinch.
  function onTouchMove(event) {
    if (event.cancelable && (pinch || (swipe && swipe.horizontal))) event.preventDefault();
  }

  el.addEventListener("pointerdown", onDown);
  el.addEventListener("pointermove", onMove);
  el.addEventListener("pointerup", onUp);
  el.addEventListener("pointercancel", onCancel);
  el.addEventListener("touchmove", onTouchMove, { passive: false });
  return () => {
    el.removeEventListener("pointerdown", onDown);
    el.removeEventListener("pointermove", onMove);
    el.removeEventListener("pointerup", onUp);
    el.removeEventListener("pointercancel", onCancel);
    el.removeEventListener("touchmove", onTouchMove);
  };
}

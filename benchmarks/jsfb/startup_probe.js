// Installed in every startup visit before the page's own scripts (Playwright init script), after
// a line that sets globalThis.__startupExpect__ to the todos seeded in localStorage (or null for
// a page with no UI condition). It notes, on performance.now()'s clock (0 = navigation start):
// - uiSeenAt: the first animation frame callback that finds the TO-DO app's real UI there:
//   `.new-todo` rendered, not hidden, not covered (a hit test at its centre finds it), and the
//   list showing exactly the seeded todos, in order, with their completed state. The time is
//   taken in that callback, just before the frame's style, layout and paint, which show it
//   (uiFrameAt is the frame's own timestamp, which can be earlier than the content when the
//   frame began while the main thread was busy). Checked in every frame from the very first.
// - uiLostFrames: frames after that, until ready, in which the UI was no longer there (a
//   restored or prerendered view replaced by something else while Python started).
// - readyAt: when <html data-ready="1"> appears.
// - checkMs: main-thread time the checks took, all frames together (what the probe costs).
(() => {
  const expected = globalThis.__startupExpect__ ?? null;
  const probe = {};
  globalThis.__startup__ = probe;

  new MutationObserver(() => {
    if (probe.readyAt === undefined && document.documentElement?.dataset.ready === "1") {
      probe.readyAt = performance.now();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });

  const inputShown = () => {
    const input = document.querySelector(".new-todo");
    if (!input?.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const box = input.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && (hit === input || input.contains(hit));
  };

  const todosShown = () => {
    const rows = document.querySelectorAll("ul.todo-list > li");
    if (rows.length !== expected.length) return false;
    for (let i = 0; i < rows.length; i++) {
      const label = rows[i].querySelector("label");
      if (label?.textContent.trim() !== expected[i].title) return false;
      if (rows[i].classList.contains("completed") !== expected[i].completed) return false;
    }
    return rows.length === 0 || rows[0].checkVisibility({ opacityProperty: true });
  };

  let framesAfterReady = 0;
  const frame = (time) => {
    const started = performance.now();
    const shown = inputShown() && todosShown();
    probe.checkMs = (probe.checkMs ?? 0) + (performance.now() - started);
    if (probe.uiSeenAt === undefined) {
      if (shown) {
        probe.uiSeenAt = performance.now();
        probe.uiFrameAt = time;
        probe.uiLostFrames = 0;
      }
    } else if (!shown) {
      probe.uiLostFrames += 1;
    }
    // Two frames past ready: what ready's render flushed is on screen by then.
    if (probe.readyAt !== undefined && probe.uiSeenAt !== undefined && ++framesAfterReady > 2) {
      probe.done = true;
      return;
    }
    requestAnimationFrame(frame);
  };
  if (expected !== null) requestAnimationFrame(frame);
})();

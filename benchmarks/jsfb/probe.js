// Installed in every benchmark page before its own scripts (Playwright init script). It times a
// click to the next paint inside the page: the click's timestamp, then the first animation frame
// after the handlers ran (marked for the trace), then a task queued from that frame, which runs
// once the frame's style, layout and paint are done. It also notes when the page became ready.
(() => {
  const probe = { duration: null };
  globalThis.__bench__ = probe;
  addEventListener("click", (event) => {
    const start = event.timeStamp;
    probe.duration = null;
    requestAnimationFrame(() => {
      performance.mark("bench-frame");
      setTimeout(() => { probe.duration = performance.now() - start; }, 0);
    });
  }, true);
  // Startup: when <html data-ready="1"> appears (the document element may not exist yet).
  new MutationObserver(() => {
    if (probe.readyAt === undefined && document.documentElement?.dataset.ready === "1") {
      probe.readyAt = performance.now();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
})();

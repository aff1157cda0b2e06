// Installed in every benchmark page before its own scripts (Playwright init script). It times a
// click to the next paint inside the page: the click's timestamp, then the first animation frame
// after the handlers ran (marked for the trace), then a task queued from that frame, which runs
// once the frame's style, layout and paint are done. (Startup has its own: startup_probe.js.)
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
})();

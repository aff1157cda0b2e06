// The build's service worker, seen from the page (docs/offline.md). A page whose plan names a
// worker (`framework build` with `[framework] offline = true`) registers it with Workbox's window
// module and reports a new version waiting to take over; every other page (`framework serve`, a
// build with `offline = false`) removes any worker a build left on this origin, so that
// development always sees fresh files.
//
// Versions never mix: a new build's worker installs beside the running one and waits (sw.js never
// skips waiting on its own). `__framework_updates__.apply()` (Python: framework.apply_update())
// tells it to take over; when it does (`controllerchange`, in this tab or because another tab
// accepted) the page reloads, entirely on the new files.
const plan = JSON.parse(document.getElementById("framework-plan")?.textContent || "{}");
// sw.js sits at the build's root, one level above this file: its folder is the worker's scope,
// whatever path the build is served under and whatever route URL the page was opened at.
const WORKER_URL = new URL("../sw.js", import.meta.url).href;

const listeners = new Set();
let waiting = false;
let workbox = null;

function found() {
  if (waiting) return;
  waiting = true;
  for (const listener of listeners) listener();
  dispatchEvent(new CustomEvent("framework:update"));
}

globalThis.__framework_updates__ = {
  get waiting() {
    return waiting;
  },
  // The listener runs now if a version waits already (found before Python started).
  subscribe(listener) {
    listeners.add(listener);
    if (waiting) listener();
  },
  apply() {
    if (workbox === null || !waiting) return false;
    workbox.messageSkipWaiting();
    return true;
  },
  // Ask the server for a new sw.js now (the browser asks on each navigation, and this page
  // asks whenever it becomes visible again).
  check() {
    return workbox === null ? Promise.resolve() : workbox.update();
  },
};

async function register(offline) {
  const { Workbox } = await import(new URL(offline.window, import.meta.url).href);
  workbox = new Workbox(WORKER_URL);
  workbox.addEventListener("waiting", found);
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only a waiting version takes over a page that has a worker (sw.js claims no page when
    // first installed): this page's files are the old version's, so it reloads at once.
    if (reloading) return;
    reloading = true;
    location.reload();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") workbox.update().catch(() => {});
  });
  await workbox.register(); // after the page's load event: the boot's downloads come first
}

async function unregisterAll() {
  const registrations = await navigator.serviceWorker.getRegistrations();
  await Promise.all(registrations.map((registration) => registration.unregister()));
}

if ("serviceWorker" in navigator) {
  const done = plan.offline ? register(plan.offline) : unregisterAll();
  done.catch((error) => console.warn("framework: service worker:", error));
}

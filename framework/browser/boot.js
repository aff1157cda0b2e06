// Page-side helpers for the Python boot: loading stages, the error overlay, the ready signal and
// live reload. Python calls these through globalThis.__framework__; no app logic lives here.
const root = document.documentElement;
const plan = JSON.parse(document.getElementById("framework-plan")?.textContent || "{}");

function loader() {
  return document.getElementById("framework-loading");
}

function stage(name) {
  root.dataset.stage = name;
  const box = loader();
  if (!box) return;
  let reached = false;
  for (const item of box.querySelectorAll("[data-stage]")) {
    const current = item.dataset.stage === name;
    item.classList.toggle("done", !reached && !current);
    item.classList.toggle("current", current);
    reached ||= current;
  }
}

// The prerendered or restored UI (data-framework-view, issue 18) looks like the app while Python
// starts, so boot.css hides the loader; assistive technology is told it is not live yet.
// Hydration takes the mark off, before ready: the views are kept here, and <html data-view-shown>
// keeps the loader hidden until then.
const views = Array.from(document.querySelectorAll("[data-framework-view]"));
for (const view of views) view.setAttribute("aria-busy", "true");
if (views.length) root.dataset.viewShown = "";

// PyScript (core.js, the next module after this one and applier.js) watches the whole document
// for <script type="py"> elements and py-* attributes added later, and runs an XPath query over
// every inserted element: about 16 ms for 1,000 table rows, half the Python cost of creating
// them. Templates and sanitised HTML refuse both (docs/security.md), so once the app runs that
// watch finds nothing: its observer is the first one to observe the document this way after
// this point, and it is stopped at ready. Shadow roots attached later are still watched.
const watchedByPyscript = [];
const nativeObserve = MutationObserver.prototype.observe;
MutationObserver.prototype.observe = function (target, options) {
  if (target === document && options?.subtree && options.childList && options.attributes) {
    MutationObserver.prototype.observe = nativeObserve;
    watchedByPyscript.push(this);
  }
  return nativeObserve.call(this, target, options);
};

function stopPyscriptWatch() {
  MutationObserver.prototype.observe = nativeObserve;
  for (const observer of watchedByPyscript.splice(0)) observer.disconnect();
}

function settled() {
  loader()?.remove();
  document.getElementById("framework-starting")?.remove();
  for (const view of views) view.removeAttribute("aria-busy");
}

// The first render has adopted the page's nodes: what the user did meanwhile (replay.js) goes to
// the app before data-ready, in this same task, so no new input can come between, and whoever
// waits for data-ready sees the app with it applied.
function ready() {
  try {
    globalThis.__framework_replay__?.replay();
  } catch (error) {
    console.warn("framework: input before ready was not replayed:", error);
  }
  settled();
  stopPyscriptWatch();
  root.dataset.ready = "1";
  dispatchEvent(new CustomEvent("framework:ready"));
}

// dev (`framework serve`): errors in the overlay. A build (plan.dev false): in the console, with
// <html data-error> set, once the app is running (a page that never starts still shows why).
const dev = plan.dev !== false;

function error(text) {
  settled();
  root.dataset.error = "1";
  console.error(text);
  if (!dev && root.dataset.ready === "1") return;
  let overlay = document.getElementById("framework-error");
  if (!overlay) {
    overlay = panel("framework-error", "alert", "Python error");
    document.body.append(overlay);
  }
  const block = document.createElement("pre");
  block.textContent = text; // a traceback is text, never markup
  overlay.append(block);
}

// A warning (a Store that fell back to memory, a blocked URL): the console, and in dev a small
// panel at the bottom that does not cover the app. Never PyScript's banner, which looks like a crash.
function warn(text) {
  console.warn(text);
  if (!dev) return;
  let box = document.getElementById("framework-warnings");
  if (!box) {
    box = panel("framework-warnings", "status", "Warnings");
    document.body.append(box);
  }
  const block = document.createElement("pre");
  block.textContent = text;
  box.append(block);
}

function panel(id, role, heading) {
  const box = document.createElement("div");
  box.id = id;
  box.setAttribute("role", role);
  const title = document.createElement("header");
  title.textContent = heading;
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "×";
  close.title = "Dismiss";
  close.addEventListener("click", () => box.remove());
  title.append(close);
  box.append(title);
  return box;
}

// Known mistakes, recognised by what the runtime says, and what to do about them.
const HINTS = [
  [
    /borrowed proxy was automatically destroyed/,
    "A Python function was handed to a browser API (addEventListener, a promise's then, ...) " +
      "as a temporary proxy, which Pyodide destroys as soon as that call returns, so the browser " +
      "could not call it later. Bind events in the template (onclick={handler}), use aio.event() " +
      "or browser.timer (framework.aio), which keep the function alive; or keep it yourself with " +
      "pyodide.ffi.create_proxy(fn) and call .destroy() on it when done.",
  ],
];

function withHint(text) {
  const found = HINTS.find(([pattern]) => pattern.test(text));
  return found ? `${text}\n\nHint: ${found[1]}` : text;
}

// The text of anything thrown: a Python traceback as Python printed it, else the JS stack.
function describe(thrown, fallback) {
  if (thrown?.constructor?.name === "PythonError" || thrown?.type) return String(thrown.message);
  return String(thrown?.stack || thrown?.message || thrown || fallback);
}

// Every error nothing caught reaches the overlay (or the console), once: handled here, it is
// stopped before PyScript's own listener, which would add its red banner for the same error.
addEventListener("error", (event) => {
  event.stopImmediatePropagation();
  event.preventDefault();
  error(withHint(describe(event.error, event.message)));
});
addEventListener("unhandledrejection", (event) => {
  event.stopImmediatePropagation();
  event.preventDefault();
  error(withHint(describe(event.reason, "a promise was rejected without a reason")));
});

// `js.setTimeout(lambda: ..., 100)`: Pyodide hands the timer a borrowed proxy that is destroyed
// when setTimeout returns, so the callback would fail when it fires. The timer functions are
// wrapped to keep a copy of a Python callback until it has run or the timer is cleared.
function keepPythonCallbacks(PyProxy) {
  const kept = new Map(); // timer id -> the copy it keeps alive
  const isPython = (value) => value instanceof PyProxy;
  function release(id) {
    kept.get(id)?.destroy();
    kept.delete(id);
  }
  function once(setter, clearer) {
    const original = globalThis[setter];
    globalThis[setter] = function (callback, ...rest) {
      if (!isPython(callback)) return original.call(this, callback, ...rest);
      const copy = callback.copy();
      const run = (...args) => {
        try {
          return copy(...args);
        } finally {
          release(id);
        }
      };
      const id = original.call(this, run, ...rest);
      kept.set(id, copy);
      return id;
    };
    const clear = globalThis[clearer];
    globalThis[clearer] = function (id) {
      release(id);
      return clear.call(this, id);
    };
  }
  once("setTimeout", "clearTimeout");
  once("requestAnimationFrame", "cancelAnimationFrame");
  const setInterval = globalThis.setInterval;
  globalThis.setInterval = function (callback, ...rest) {
    if (!isPython(callback)) return setInterval.call(this, callback, ...rest);
    const copy = callback.copy();
    const id = setInterval.call(this, (...args) => copy(...args), ...rest);
    kept.set(id, copy);
    return id;
  };
  const clearInterval = globalThis.clearInterval;
  globalThis.clearInterval = function (id) {
    release(id);
    return clearInterval.call(this, id);
  };
}

// What the server reports, in the error overlay, one block per kind, replaced when the text
// changes and removed when it is fixed (``): `framework check`'s problems (file:line:col
// lines), a server.py that failed to load (the old API still serves), an edit hot reload could
// not apply (the old code still runs). The page is not marked failed (no data-error): the app
// may still run.
const reported = {};
function report(kind, heading, text) {
  if (reported[kind]?.text === text) return;
  reported[kind]?.block.remove();
  delete reported[kind];
  const overlay = document.getElementById("framework-error");
  if (!text) {
    if (overlay && !overlay.querySelector("pre")) overlay.remove();
    return;
  }
  const box = overlay || panel("framework-error", "alert", "Python error");
  const block = document.createElement("pre");
  block.textContent = `${heading}:\n${text}`;
  box.append(block);
  document.body.append(box);
  reported[kind] = { text, block };
}

// A change live reload cannot apply while the page runs: the console says why, here and again
// once the page has loaded (a console is usually cleared by the navigation).
const RELOAD_REASON = "framework:reload-reason";
function fullReload(reason) {
  console.info(`framework: reloading the page: ${reason}`);
  try {
    sessionStorage.setItem(RELOAD_REASON, reason);
  } catch {} // storage off: the console line above is all there is
  location.reload();
}
try {
  const reason = sessionStorage.getItem(RELOAD_REASON);
  if (reason) console.info(`framework: the page was reloaded: ${reason}`);
  sessionStorage.removeItem(RELOAD_REASON);
} catch {}

globalThis.__framework__ = {
  ...{ stage, ready, error, warn, keepPythonCallbacks, dev },
  ...{ report, fullReload }, // live reload (below) and hot reload (hot_reload.py)
};
stage("runtime");

if (plan.events) {
  const source = new EventSource(plan.events);
  source.addEventListener("reload", (event) =>
    fullReload(event.data === "reload" ? "the app changed" : JSON.parse(event.data)),
  );
  // Hot reload: the edited modules' new code, swapped in by Python while the app keeps its
  // state (framework/browser/hot_reload.py), once the app runs; before that, a plain reload.
  source.addEventListener("hot", (event) => {
    const apply = globalThis.__framework__.applyHot;
    if (!apply || root.dataset.ready !== "1") {
      fullReload("a module changed before the app was running");
      return;
    }
    try {
      apply(event.data);
    } catch (thrown) {
      fullReload(`hot reload failed: ${describe(thrown, "unknown error")}`);
    }
  });
  for (const [kind, heading] of [
    ["check", "framework check found problems"],
    ["api", "server.py could not be loaded"],
  ]) {
    source.addEventListener(kind, (event) => report(kind, heading, JSON.parse(event.data)));
  }
  // The wheels the server is compiling for a new import: the loader says what it waits for.
  source.addEventListener("prepare", (event) => {
    const item = loader()?.querySelector('[data-stage="packages"]');
    if (!item) return;
    item.dataset.label ??= item.textContent;
    const names = JSON.parse(event.data);
    item.textContent = names ? `${item.dataset.label}: compiling ${names} (once)` : item.dataset.label;
  });
}

// view.js: the user's own last view, at once (issue 18). Inlined into the page right after the
// plan (page.py), so it runs while the HTML is parsed, before anything is downloaded.
//
// Restore: the HTML of each mounted container, saved by the framework after it last rendered, is
// put back before Python starts, so a returning user sees their own data (a TO-DO list held in
// localStorage) in the first frame; the first render then adopts these nodes (applier.js,
// hydration). It is used only when every check holds: the page's build wrote it (plan.build),
// its checksum matches, and it is inert markup such as the framework itself renders (nothing
// that runs script, nothing PyScript would execute). Otherwise it is not used and is removed:
// silently when an older build wrote it, with one console warning when it is damaged.
//
// Save: applier.js calls changed() after each flush; the views are written in idle time, at
// most every SAVE_DELAY_MS, and when the page is hidden. A view too big for its place is not
// kept: localStorage is shared with the app's own stores and must leave them their room.
(() => {
  "use strict";
  const KEY_PREFIX = "framework-view:";
  const ATTRIBUTE = "data-framework-view";
  const MAX_CHARS = 200_000; // all containers together; localStorage holds about 5 M characters
  const MAX_ELEMENTS = 5_000; // counted before serialising: a big table is not worth the time
  const SAVE_DELAY_MS = 500;
  const POLICY = "framework-view"; // csp.TRUSTED_TYPES_POLICIES
  // What the framework never renders and a browser or PyScript would run or load.
  const BLOCKED_ELEMENTS = new Set([
    "script", "iframe", "frame", "frameset", "object", "embed", "base", "meta", "link",
    "template", "animate", "animatecolor", "animatemotion", "animatetransform", "set",
    "discard", "noscript",
  ]);
  const PYTHON_PREFIXES = ["py-", "mpy-", "pyodide-", "micropython-"];
  const BLOCKED_SCHEME = /^(?:javascript|vbscript|data):/i;
  const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|avif|bmp|x-icon);base64,/i;
  const IGNORED_IN_URL = /[\u0000-\u0020\u007f]+/g;

  const plan = readPlan();
  const build = typeof plan.build === "string" ? plan.build : null;
  const key = KEY_PREFIX + location.pathname;
  // A hash router's route: "", "#" and "#/" are the same first page.
  const route = () => location.hash.replace(/^#\/?/, "");
  const stats = { restored: false, saves: 0, saveMs: 0, chars: 0, skipped: null };
  let mounts = null; // applier.js's Map: selector -> container
  let timer = 0;

  function readPlan() {
    try {
      return JSON.parse(document.getElementById("framework-plan")?.textContent || "{}");
    } catch {
      return {};
    }
  }

  // FNV-1a in two 32-bit lanes: catches a damaged or truncated entry (not an attacker, who could
  // write a matching sum: that is what the inertness check is for).
  function checksum(text) {
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ text.length;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      a = Math.imul(a ^ code, 0x01000193);
      b = Math.imul(b ^ code, 0x5bd1e995);
    }
    return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
  }

  function sealed(shown, views) {
    return checksum(`${build}\u0000${shown}\u0000${JSON.stringify(views)}`);
  }

  // Why `root`'s content is not something the framework renders, or null when it is inert.
  function unsafeIn(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let el = walker.nextNode(); el; el = walker.nextNode()) {
      const name = el.localName.toLowerCase();
      if (BLOCKED_ELEMENTS.has(name) || name.endsWith("-script")) return `<${name}>`;
      if (PYTHON_PREFIXES.some((prefix) => name.startsWith(prefix))) return `<${name}>`;
      for (const attribute of el.attributes) {
        const attr = attribute.name.toLowerCase();
        if (attr.startsWith("on") || attr === "srcdoc" || attr === "is") return `${attr}=`;
        if (PYTHON_PREFIXES.some((prefix) => attr.startsWith(prefix))) return `${attr}=`;
        const value = attribute.value.replace(IGNORED_IN_URL, "");
        if (BLOCKED_SCHEME.test(value) && !SAFE_DATA_IMAGE.test(value)) return `${attr}="${value.slice(0, 16)}"`;
      }
    }
    return null;
  }

  function forget() {
    try {
      localStorage.removeItem(key);
    } catch {
      // no storage (a sandboxed or private page): nothing was kept either
    }
  }

  function reject(reason) {
    forget(); // so it is reported once, not on every visit
    console.warn(`framework: the saved view of ${location.pathname} was not used (${reason}); it is removed.`);
  }

  function createPolicy() {
    if (typeof trustedTypes === "undefined") return null;
    try {
      // Only restore() holds it, and only markup that then passes unsafeIn() reaches the page.
      return trustedTypes.createPolicy(POLICY, { createHTML: (markup) => markup });
    } catch {
      return undefined; // the page's CSP leaves this policy out: no restoring under it
    }
  }

  function restore() {
    let raw = null;
    try {
      raw = localStorage.getItem(key);
    } catch {
      return;
    }
    if (raw === null || build === null) return;
    let saved;
    try {
      saved = JSON.parse(raw);
    } catch {
      return reject("not JSON");
    }
    if (!saved || typeof saved !== "object") return reject("not a saved view");
    if (saved.build !== build) return forget(); // an older build's: expected after an update
    const views = saved.views;
    if (!Array.isArray(views) || saved.check !== sealed(saved.route, views)) return reject("its checksum does not match");
    if (saved.route !== route()) return; // another route's view: this one is rendered afresh
    const policy = createPolicy();
    if (policy === undefined) return;
    const parsed = [];
    for (const view of views) {
      if (!Array.isArray(view) || typeof view[0] !== "string" || typeof view[1] !== "string") {
        return reject("not a saved view");
      }
      const container = document.querySelector(view[0]);
      if (!container) return; // the page's markup changed: render afresh
      const template = document.createElement("template"); // inert: nothing runs or loads
      template.innerHTML = policy ? policy.createHTML(view[1]) : view[1];
      const unsafe = unsafeIn(template.content);
      if (unsafe) return reject(`it holds ${unsafe}, which the framework does not render`);
      parsed.push([container, template.content]);
    }
    for (const [container, content] of parsed) {
      container.replaceChildren(content);
      container.setAttribute(ATTRIBUTE, "restored");
    }
    stats.restored = parsed.length > 0;
  }

  function save() {
    timer = 0;
    if (!mounts || build === null || document.documentElement.dataset.error) return;
    const start = performance.now();
    const views = [];
    let chars = 0;
    for (const [selector, container] of mounts) {
      if (!container.isConnected) continue;
      let reason = null;
      if (container.getElementsByTagName("*").length > MAX_ELEMENTS) reason = "too many elements";
      else if ((reason = unsafeIn(container))) reason = `holds ${reason}`;
      const html = reason ? "" : container.innerHTML;
      chars += html.length;
      if (!reason && chars > MAX_CHARS) reason = "too big";
      if (reason) {
        stats.skipped = reason;
        forget(); // an outdated view is worse than none
        return;
      }
      views.push([selector, html]);
    }
    const shown = route();
    const record = JSON.stringify({ build, route: shown, views, check: sealed(shown, views) });
    try {
      localStorage.setItem(key, record);
    } catch {
      forget(); // full: the app's stores need the room more than a faster start does
    }
    stats.skipped = null;
    stats.saves += 1;
    stats.chars = chars;
    stats.saveMs = performance.now() - start;
  }

  function changed(mounted) {
    mounts = mounted;
    if (timer || build === null) return;
    timer = setTimeout(() => {
      if (typeof requestIdleCallback === "function") requestIdleCallback(save, { timeout: 2_000 });
      else save();
    }, SAVE_DELAY_MS);
  }

  // Leaving before the idle save: save now, so the next visit starts from this view.
  addEventListener("pagehide", () => {
    if (timer) {
      clearTimeout(timer);
      save();
    }
  });

  globalThis.__framework_view__ = {
    changed,
    stats: () => ({ ...stats }),
  };

  try {
    restore();
  } catch (error) {
    // A surprise here must not cost the page: the app renders as if nothing was saved.
    reject(String(error));
  }
})();

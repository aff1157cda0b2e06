// The dangerous_html() test harness (tests/e2e/raw_html_vectors.py): evaluated once in the page.
// It defines the detectors (window.__hit__ for script, Python's `pwn.hit_<n>` for polyscript
// attributes), inserts vectors raw (the control) or finds them rendered by the app, triggers
// whatever could run, and reports what did.
(() => {
  // Read once: the clobbering tests make document.x an element for a while.
  const createElement = Document.prototype.createElement.bind(document);
  const appForm = () => Document.prototype.getElementById.call(document, "app-form");
  const queryAll = (selector) => [...Document.prototype.querySelectorAll.call(document, selector)];
  const hits = new Set();
  const violations = [];
  const sanitizeErrors = [];
  let unexpectedNavigations = 0;
  Object.defineProperty(window, "__hit__", { value: (index) => { hits.add(Number(index)); } });
  document.addEventListener("securitypolicyviolation", (event) => {
    const source = (event.sourceFile || "").split("/").pop();
    violations.push(`${event.violatedDirective} ${source}: ${event.sample || event.blockedURI}`);
  });
  window.addEventListener("framework:sanitize-error", (event) => {
    sanitizeErrors.push(event.detail.error);
  });

  // A link or submit button's destination: what a click would navigate to, or null.
  function destination(start) {
    for (let el = start; el && el.nodeType === 1; el = el.parentNode) {
      const tag = el.localName;
      if (tag === "a" || tag === "area") {
        if (el instanceof SVGElement) return el.href ? el.href.animVal : null; // SMIL animates it
        return el.hasAttribute("href") ? el.href : null;
      }
      if ((tag === "button" || tag === "input") && el.form && /^(submit|image)$/.test(el.type)) {
        return el.hasAttribute("formaction") ? el.formAction : el.form.action;
      }
    }
    return null;
  }

  // Clicks go through when they would run script (javascript:), so the detectors see it; any
  // other navigation would leave the page, so it is stopped (and counted).
  window.addEventListener("click", (event) => {
    const url = destination(event.composedPath()[0]); // the target inside a shadow root too
    if (url === null) return;
    if (/^javascript:/i.test(url.replace(/[\u0000-\u0020]/g, ""))) return;
    event.preventDefault();
    unexpectedNavigations++;
  }, true);

  const scratch = createElement("div");
  scratch.id = "raw-scratch";
  document.body.append(scratch);

  function shadowRootIn(parent) {
    const host = createElement("div");
    parent.append(host);
    return host.attachShadow({ mode: "open" });
  }

  function box(parent, index) {
    const div = createElement("div");
    div.dataset.index = index;
    parent.append(div);
    return div;
  }

  // Template content is inert until someone clones it: clone it, to find live payloads in it.
  function instantiateTemplates(root, into) {
    let templates = [...root.querySelectorAll("template")];
    for (let depth = 0; depth < 3 && templates.length; depth++) {
      const found = [];
      for (const template of templates) {
        const copy = box(into, "template");
        copy.append(template.content.cloneNode(true));
        found.push(...copy.querySelectorAll("template"));
      }
      templates = found;
    }
  }

  // Each handler-like attribute gets its event: on<type>, and polyscript's <prefix>-<type>.
  function fireHandlers(root) {
    for (const el of [root, ...root.querySelectorAll("*")]) {
      for (const { name } of [...el.attributes]) {
        const lower = name.toLowerCase();
        const type = lower.startsWith("on") ? lower.slice(2)
          : lower.includes("-") ? lower.slice(lower.lastIndexOf("-") + 1) : null;
        if (type && type !== "env") el.dispatchEvent(new Event(type, { cancelable: true }));
      }
    }
  }

  function clickEverything(root) {
    for (const el of root.querySelectorAll("a, area, button, input")) {
      el.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, composed: true, view: window }));
    }
  }

  // A serialise-and-parse round trip, where mutation XSS shows; impossible (and skipped) when
  // Trusted Types guard innerHTML.
  function reparse(root, into) {
    try {
      box(into, "reparsed").innerHTML = root.innerHTML;
      return true;
    } catch (error) {
      if (error instanceof TypeError) return false;
      throw error;
    }
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  function leftovers(root) {
    const found = [];
    for (const el of root.querySelectorAll("*")) {
      const tag = el.localName.toLowerCase();
      if (/^(script|base|meta|link|style|iframe|frame|object|embed|animate|animatemotion|animatetransform|set|discard)$/.test(tag)
          || tag.endsWith("-script") || tag.endsWith("-config")) found.push(`<${tag}>`);
      for (const { name, value } of [...el.attributes]) {
        const lower = name.toLowerCase();
        if (/^on|^(py|mpy|pyodide|micropython|py-game|xsstest)-|^srcdoc$/.test(lower)) found.push(`${tag} ${lower}`);
        if (/^\s*(javascript|vbscript|data):/i.test(value.replace(/[\u0000-\u0020]/g, "")) && lower !== "title") {
          found.push(`${tag} ${lower}=${value.slice(0, 40)}`);
        }
      }
    }
    return found;
  }

  // What changes the whole page: its base URL, and a stylesheet's custom property.
  function pageState() {
    return {
      baseURI: document.baseURI,
      pwned: getComputedStyle(document.documentElement).getPropertyValue("--pwned").trim(),
    };
  }

  async function trigger(containers, waitMs) {
    const extra = box(scratch, "extra");
    let reparsed = true;
    for (const container of containers) reparsed = reparse(container, extra) && reparsed;
    // A template's copies stay in its shadow root (PyScript watches it), else go to `extra`.
    for (const root of [...containers, extra]) {
      instantiateTemplates(root, root.getRootNode() instanceof ShadowRoot ? root : extra);
    }
    await sleep(100); // SVG animations start, images fail
    for (const root of [...containers, extra]) {
      fireHandlers(root);
      clickEverything(root);
    }
    await sleep(waitMs);
    return reparsed;
  }

  // Resolves with the interpreter (and so the page's Python) ready for the detectors.
  async function preparePython(runtimeType) {
    const polyscript = globalThis[Symbol.for("polyscript")];
    const python = await polyscript.env["py-script"];
    python.runPython([
      "import js",
      "class _Detector:",
      "    def __getattr__(self, name):",
      "        index = int(name.removeprefix('hit_'))",
      "        return lambda event=None: js.__hit__(index)",
      "pwn = _Detector()",
    ].join("\n"));
    try {
      polyscript.define(runtimeType, { interpreter: "pyodide", env: "py-script" });
    } catch (error) {
      if (!/already registered/.test(error.message)) throw error;
    }
  }

  async function waitForHits(expected, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !expected.every((index) => hits.has(index))) await sleep(50);
  }

  let remembered = [];

  // T26: `document.x`, `window.x`, `form.x` (the first form in `root`), `app.x` (#app-form).
  function read(path, root) {
    const [owner, name] = path.split(".");
    const target = { document, window, form: root.querySelector("form"),
      app: appForm() }[owner];
    return target ? target[name] : undefined;
  }

  function isNamedElement(value) {
    return value instanceof Element || value instanceof HTMLCollection || value instanceof RadioNodeList;
  }

  // Which of `paths` an element now answers for (each read before and after the insertion).
  function clobbered(paths, root, before) {
    return paths.filter((path, i) => isNamedElement(read(path, root)) && !isNamedElement(before[i]));
  }

  window.__rawtest__ = {
    preparePython,
    pageState,
    hits: () => [...hits].sort((a, b) => a - b),
    violations: () => [...violations],
    sanitizeErrors: () => [...sanitizeErrors],
    navigations: () => unexpectedNavigations,
    reset() {
      hits.clear();
      violations.length = 0;
      sanitizeErrors.length = 0;
      unexpectedNavigations = 0;
      scratch.replaceChildren();
    },
    // The control: each [index, markup] through plain innerHTML, in a container of its own
    // (inside the app's form for `form`), then waits up to 20 s for the `expected` hits. The
    // indices in `shadowed` go into a shadow root instead: once the app is ready the framework
    // stops PyScript's watch of the document, but PyScript still watches every shadow root.
    async raw(entries, waitMs, expected = [], parent = scratch, shadowed = []) {
      const containers = entries.map(([index, markup]) => {
        const into = shadowed.includes(index) ? shadowRootIn(parent) : parent;
        const container = box(into, index);
        container.innerHTML = markup;
        return container;
      });
      const reparsed = await trigger(containers, waitMs);
      await waitForHits(expected, 20_000);
      const state = pageState(); // before the markup goes: a <base> counts only while present
      for (const container of containers) (container.getRootNode().host ?? container).remove();
      scratch.replaceChildren();
      return { hits: [...hits].sort((a, b) => a - b), reparsed, state };
    },
    // The control for clobbering: markup through innerHTML (into #app-form for `app.` paths).
    clobberRaw(markup, paths) {
      const inApp = paths.some((path) => path.startsWith("app."));
      const parent = inApp ? appForm() : scratch;
      const before = paths.map((path) => read(path, createElement("div")));
      const container = box(parent, "clobber");
      container.innerHTML = markup;
      const result = clobbered(paths, container, before);
      container.remove();
      return result;
    },
    // The same check on a slot the app renders: remember() before, clobberedSince() after.
    remember(paths) {
      remembered = paths.map((path) => read(path, createElement("div")));
    },
    clobberedSince(selector, paths) {
      return clobbered(paths, queryAll(selector)[0], remembered);
    },
    // The rendered slots (`selector` each holds one vector, data-index = its index).
    async rendered(selector, waitMs) {
      const containers = queryAll(selector);
      const found = {};
      for (const container of containers) {
        const left = leftovers(container);
        if (left.length) found[container.dataset.index] = left;
      }
      const reparsed = await trigger(containers, waitMs);
      return { hits: [...hits].sort((a, b) => a - b), leftovers: found, state: pageState(), reparsed };
    },
  };
})();

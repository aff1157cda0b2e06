// dangerous_html(): trusted markup minus everything that runs code. DOMPurify (pinned, served with
// the runtime, loaded by the page before this module) does the sanitising; this module configures
// it for a page where PyScript runs Python found in inserted markup, and makes sure that a failure
// costs one slot, never the app.
//
// sanitizeHTML(markup) returns the nodes to insert: the very tree DOMPurify checked (no serialise
// and parse again, where a mutation could hide). It never throws: if sanitising fails, the markup
// comes back as one text node and the error is reported (console, and a `framework:sanitize-error`
// event on window). What it calls is taken when this module loads, before any app markup exists,
// and PyScript's registry sits under a symbol (no element name is a symbol): nothing inserted
// can stand in for either.

const POLYSCRIPT = Symbol.for("polyscript"); // where polyscript keeps its shared exports
const POLICY = "framework"; // the Trusted Types policy of this path: see framework/cli/csp.py
const FAILURE_EVENT = "framework:sanitize-error";

// Removed besides what DOMPurify's allowlist already leaves out:
// - script in any namespace (DOMPurify compares lower-cased names, so <svg><script> is caught);
// - elements that change the whole page rather than the slot: <base> re-points every relative URL
//   (the runtime's too), <meta http-equiv> refreshes or adds policy, <link> loads stylesheets and
//   preloads, <style> restyles the whole page;
// - every SVG/SMIL animation element, not only those naming href: an animation rewrites attributes
//   after sanitising, and its own href can target an element anywhere in the document, outside
//   this slot. Static SVG stays; CSS animations still work.
const FORBID_TAGS = [
  "script", "base", "meta", "link", "style",
  "animate", "animatecolor", "animatemotion", "animatetransform", "set", "discard",
];
const CONFIG = {
  RETURN_DOM_FRAGMENT: true, // the checked nodes themselves, not a string to parse again
  FORCE_BODY: true, // parsed as the content of an element: a leading <template> is not <head>'s
  SANITIZE_DOM: true, // drop id/name values that shadow a property of document or of a form
  // ... and prefix every other id/name with `user-content-`: an inserted element can then never
  // become window.x, form.x or document.x for any x the page, PyScript or the framework reads.
  SANITIZE_NAMED_PROPS: true,
  FORBID_TAGS,
};

const { apply } = Reflect;
const removeElement = Element.prototype.remove;
const createTextNode = Document.prototype.createTextNode;
const pageDocument = document;
const knownTypes = new Set(); // types seen registered: they stay so (a stale one only removes more)
const purifier = attempt(createPurifier); // { value } or { error }: loading never throws

function attempt(make) {
  try {
    return { value: make() };
  } catch (error) {
    return { error };
  }
}

function createPurifier() {
  const purify = globalThis.DOMPurify;
  delete globalThis.DOMPurify; // ours alone: an app calling it would get neither policy nor hooks
  if (typeof purify !== "function" || !purify.isSupported) throw new Error("DOMPurify did not load");
  const instance = purify(globalThis); // our own instance: hooks added to the global one never apply
  instance.addHook("uponSanitizeElement", removePythonElement);
  instance.addHook("uponSanitizeAttribute", dropPythonAttribute);
  // null tells DOMPurify to use no policy at all (it would otherwise create one of its own).
  instance.setConfig({ ...CONFIG, TRUSTED_TYPES_POLICY: createPolicy() });
  return instance;
}

function createPolicy() {
  // DOMPurify parses the markup in an inert document; under `require-trusted-types-for 'script'`
  // that parse is a sink, which this policy, private to this module, opens for DOMPurify alone.
  // It blesses no script URL: the configuration keeps no element that takes one.
  if (typeof trustedTypes === "undefined") return null; // a browser without Trusted Types
  return trustedTypes.createPolicy(POLICY, {
    createHTML: (markup) => markup,
    createScriptURL: () => { throw new TypeError("dangerous_html() keeps no script URL"); },
  });
}

// -- what PyScript would run --------------------------------------------------------------------

// polyscript runs <script type="T">, <T-script> and an attribute `T-<event>` (or `T-env`) for every
// interpreter type T registered at that moment: pyodide, micropython, py, mpy, py-game ... and any
// type an app defines at run time. It does not list them, but its define() refuses a known type
// ("already registered") before doing anything else, so asking it about a name changes nothing.
function isInterpreterType(name, polyscript) {
  if (knownTypes.has(name)) return true;
  try {
    polyscript.define(name, undefined);
  } catch (error) {
    if (!/already registered/.test(String(error && error.message))) return false;
    knownTypes.add(name);
    return true;
  }
  return true; // define() accepted a type without an interpreter: not the polyscript we know
}

// "a-b-c" is `<type>-<rest>` for type "a" or "a-b"; a name without a dash is neither.
function hasInterpreterPrefix(name) {
  const first = name.indexOf("-");
  if (first < 1) return false;
  const polyscript = globalThis[POLYSCRIPT];
  if (!polyscript || typeof polyscript.define !== "function") {
    throw new Error("PyScript's registry of interpreter types is missing");
  }
  for (let dash = first; dash > 0; dash = name.indexOf("-", dash + 1)) {
    if (isInterpreterType(name.slice(0, dash), polyscript)) return true;
  }
  return false;
}

function removePythonElement(node, data) {
  const tag = data.tagName;
  if (tag === "script" || tag.endsWith("-script") || hasInterpreterPrefix(tag)) {
    apply(removeElement, node, []); // with its content: Python source is not text to show
  }
}

function dropPythonAttribute(node, data) {
  if (hasInterpreterPrefix(data.attrName)) data.keepAttr = false;
}

// -- the one entry point --------------------------------------------------------------------------

function checkedNodes(markup) {
  if (purifier.error) throw purifier.error;
  const fragment = purifier.value.sanitize(String(markup));
  // null: the markup parsed into no body at all (a <frameset> replaces it), so nothing is left.
  return fragment === null ? [] : Array.from(fragment.childNodes);
}

function report(error) {
  try {
    console.error("dangerous_html(): sanitising failed, so the markup is shown as text:", error);
    dispatchEvent(new CustomEvent(FAILURE_EVENT, { detail: { error: String(error) } }));
  } catch {
    // reporting must not be the thing that stops the app
  }
}

export function sanitizeHTML(markup) {
  try {
    return checkedNodes(markup);
  } catch (error) {
    report(error);
    return [apply(createTextNode, pageDocument, [String(markup)])];
  }
}

// Python code that sets raw HTML outside a template (Brython's `node.html = ...`) comes through
// here too; the property can be neither replaced nor clobbered.
Object.defineProperty(globalThis, "__framework_sanitize__", { value: sanitizeHTML });

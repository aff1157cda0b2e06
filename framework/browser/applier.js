// The DOM applier: one call per flush applies the renderer's operations, and one listener per
// event type, on the document, routes events to Python handlers by id.
//
// Every fact of the protocol it uses (op codes and their arguments, the template markers, which
// events do not bubble) comes from framework/dom/protocol.json, which framework/browser/dom.py
// hands to configure() before the first flush: this file holds no copy of them, so it cannot
// drift from the Python side (the memory backend reads the same file). Raw HTML is sanitize.js's.
import { sanitizeHTML } from "./sanitize.js"; // dangerous_html(): DOMPurify, configured there
import { templateHTML } from "./trusted_types.js"; // the Trusted Types policy of templates

const nodes = new Map();
const templates = new Map();
const listening = new Set();
let dispatcher = null;

let OP = null; // op name -> code
let ARITY = null; // code -> how many arguments follow it
let ELEMENT_MARKER, CHILD_MARKER;
let NON_BUBBLING; // caught in the capture phase and given to their target only
let KEPT; // protocol.json's select_value: the element and the property whose value it keeps

function configure(json) {
  const protocol = JSON.parse(json);
  OP = Object.fromEntries(protocol.ops.map((op, code) => [op.name, code]));
  ARITY = protocol.ops.map((op) => op.args.length);
  ({ element: ELEMENT_MARKER, child: CHILD_MARKER } = protocol.markers);
  NON_BUBBLING = new Set(protocol.non_bubbling_events);
  KEPT = protocol.select_value;
}

function prepare(html) {
  const template = document.createElement("template");
  template.innerHTML = templateHTML(html);
  const paths = [];
  const walker = document.createTreeWalker(template.content, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_COMMENT);
  const swaps = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === 1 && node.hasAttribute(ELEMENT_MARKER)) {
      node.removeAttribute(ELEMENT_MARKER);
      paths.push(pathOf(node, template.content));
    } else if (node.nodeType === 8 && node.data === CHILD_MARKER) {
      paths.push(pathOf(node, template.content));
      swaps.push(node);
    }
  }
  for (const marker of swaps) marker.replaceWith(document.createTextNode(""));
  return { content: template.content, paths };
}

function pathOf(node, root) {
  const path = [];
  while (node !== root) {
    let index = 0;
    for (let sibling = node.previousSibling; sibling; sibling = sibling.previousSibling) index++;
    path.push(index);
    node = node.parentNode;
  }
  return path.reverse();
}

function resolve(root, path) {
  let node = root;
  for (let i = 0; i < path.length; i++) node = node.childNodes[path[i]];
  return node;
}

function first(id) {
  const value = nodes.get(id);
  return Array.isArray(value) ? value[0] : value;
}

// A select shows the value it was given whatever renders its options (protocol.json's
// select_value): the DOM would select the first option when options arrive after the value.
const keptValues = new WeakMap(); // select -> the value a PROP gave it
const keptChanged = new Set(); // kept selects whose options changed in the batch being applied
let keeping = false; // some select keeps a value: only then are changes looked at

function setProperty(el, name, value) {
  if (name === KEPT.property && el.localName === KEPT.element) {
    keeping = true;
    keptValues.set(el, value);
    showValue(el, value);
  } else el[name] = value;
}

function showValue(select, value) {
  if (Array.isArray(value)) {
    const wanted = new Set(value.map(String));
    for (const option of select.options) option.selected = wanted.has(option.value);
  } else select.value = value ?? "";
}

// Something changed in `node`: an option's text or children, an optgroup's or a select's
// children, so a select holding it (or holding it in an optgroup) shows its value again.
function changedIn(node) {
  for (let depth = 0; node && depth < 3; depth++, node = node.parentNode) {
    if (keptValues.has(node)) {
      keptChanged.add(node);
      return;
    }
  }
}

function showKeptValues() {
  for (const select of keptChanged) showValue(select, keptValues.get(select));
  keptChanged.clear();
}

function insert(id, refId) {
  const ref = first(refId);
  const parent = ref.parentNode;
  if (keeping) changedIn(parent);
  const value = nodes.get(id);
  if (Array.isArray(value)) for (const node of value) parent.insertBefore(node, ref);
  else parent.insertBefore(value, ref);
}

function remove(id) {
  const value = nodes.get(id);
  if (keeping) for (const node of Array.isArray(value) ? value : [value]) changedIn(node.parentNode);
  if (Array.isArray(value)) for (const node of value) node.remove();
  else value.remove();
}

function onEvent(event) {
  const type = event.type;
  if (NON_BUBBLING.has(type)) {
    const target = event.target;
    const handler = target && target.__fw && target.__fw[type];
    if (handler) dispatcher(handler, event, target);
    return;
  }
  for (let node = event.target; node && node !== document; node = node.parentNode) {
    const handler = node.__fw && node.__fw[type];
    if (handler) {
      dispatcher(handler, event, node);
      if (event.cancelBubble) break;
    }
  }
}

function listen(el, type, handler) {
  (el.__fw ||= {})[type] = handler;
  if (!listening.has(type)) {
    listening.add(type);
    document.addEventListener(type, onEvent, { capture: NON_BUBBLING.has(type) });
  }
}

// A component's scoped styles: a constructed stylesheet adopted by the document, once per key.
// Constructed sheets need no <style> element, so a CSP's style-src and Trusted Types let them be.
const stylesheets = new Map();

function adoptStylesheet(key, css) {
  if (stylesheets.has(key)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  stylesheets.set(key, sheet);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

function apply(json) {
  const ops = JSON.parse(json);
  const n = ops.length;
  let i = 0;
  while (i < n) {
    const code = ops[i];
    const a = i + 1; // the op's first argument; protocol.json names them, ARITY counts them
    switch (code) {
      case OP.DEFINE: templates.set(ops[a], prepare(ops[a + 1])); break;
      case OP.CLONE: {
        const t = templates.get(ops[a]);
        const base = ops[a + 1];
        const fragment = t.content.cloneNode(true);
        const paths = t.paths;
        for (let p = 0; p < paths.length; p++) nodes.set(base + 1 + p, resolve(fragment, paths[p]));
        nodes.set(base, Array.from(fragment.childNodes));
        break;
      }
      case OP.TEXT: {
        const node = nodes.get(ops[a]);
        node.data = ops[a + 1];
        if (keeping) changedIn(node.parentNode);
        break;
      }
      case OP.ATTR: {
        const el = nodes.get(ops[a]);
        el.setAttribute(ops[a + 1], ops[a + 2]);
        if (keeping) changedIn(el.parentNode);
        break;
      }
      case OP.UNATTR: {
        const el = nodes.get(ops[a]);
        el.removeAttribute(ops[a + 1]);
        if (keeping) changedIn(el.parentNode);
        break;
      }
      case OP.PROP: {
        const el = nodes.get(ops[a]);
        setProperty(el, ops[a + 1], ops[a + 2]);
        if (keeping) changedIn(el.parentNode);
        break;
      }
      case OP.STYLE: {
        const style = nodes.get(ops[a]).style;
        if (ops[a + 2] === null) style.removeProperty(ops[a + 1]); else style.setProperty(ops[a + 1], ops[a + 2]);
        break;
      }
      case OP.INSERT: insert(ops[a], ops[a + 1]); break;
      case OP.REMOVE: remove(ops[a]); break;
      case OP.DROP: { const end = ops[a] + ops[a + 1]; for (let id = ops[a]; id < end; id++) nodes.delete(id); break; }
      case OP.LISTEN: listen(nodes.get(ops[a]), ops[a + 1], ops[a + 2]); break;
      case OP.UNLISTEN: { const el = nodes.get(ops[a]); if (el && el.__fw) delete el.__fw[ops[a + 1]]; break; }
      case OP.CREATE_TEXT: {
        // In a fragment, so content can be inserted before it before it is placed.
        const text = document.createTextNode(ops[a + 1]);
        document.createDocumentFragment().append(text);
        nodes.set(ops[a], text);
        break;
      }
      case OP.MOUNT: {
        const container = document.querySelector(ops[a + 2]);
        if (!container) throw new Error(`mount(): no element matches ${ops[a + 2]}`);
        const anchor = document.createTextNode("");
        container.append(anchor);
        nodes.set(ops[a], container);
        nodes.set(ops[a + 1], anchor);
        break;
      }
      case OP.RAW_HTML: nodes.set(ops[a], sanitizeHTML(ops[a + 1])); break;
      case OP.REMOVE_RANGE: {
        const start = first(ops[a]);
        const end = first(ops[a + 1]);
        const parent = end.parentNode;
        if (keeping) changedIn(parent);
        if (parent && parent.firstChild === start && parent.lastChild === end) {
          parent.textContent = "";  // the whole list is the parent's content: the fast way
          parent.append(end);
        } else {
          const range = document.createRange();
          range.setStartBefore(start);
          range.setEndBefore(end);
          range.deleteContents();
        }
        break;
      }
      case OP.UNMOUNT: { const anchor = nodes.get(ops[a + 1]); if (anchor) anchor.remove(); nodes.delete(ops[a]); nodes.delete(ops[a + 1]); break; }
      case OP.STYLESHEET: adoptStylesheet(ops[a], ops[a + 1]); break;
      default: throw new Error(`unknown DOM op ${code} at ${i}`);
    }
    i = a + ARITY[code];
  }
  if (keptChanged.size) showKeptValues();
}

globalThis.__framework_dom__ = {
  configure,
  apply,
  node: (id) => first(id) ?? null,
  setDispatcher(fn) { dispatcher = fn; },
  stats: () => ({ nodes: nodes.size, templates: templates.size, eventTypes: listening.size }),
};

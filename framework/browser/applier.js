// The DOM applier: one call per flush applies the renderer's operations (see framework/dom/ops.py),
// and one listener per event type, on the document, routes events to Python handlers by id.
const nodes = new Map();
const templates = new Map();
const listening = new Set();
// Events that do not bubble: caught in the capture phase and given to their target only.
const NON_BUBBLING = new Set(["focus", "blur", "mouseenter", "mouseleave", "load", "error", "scroll",
  "pointerenter", "pointerleave", "toggle"]);
const SCRIPT_TAGS = new Set(["SCRIPT", "PY-SCRIPT", "MPY-SCRIPT", "PY-CONFIG", "MPY-CONFIG"]);
const URL_ATTRS = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster"]);
let dispatcher = null;

function prepare(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const paths = [];
  const walker = document.createTreeWalker(template.content, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_COMMENT);
  const swaps = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === 1 && node.hasAttribute("f-$")) {
      node.removeAttribute("f-$");
      paths.push(pathOf(node, template.content));
    } else if (node.nodeType === 8 && node.data === "$") {
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

function insert(id, refId) {
  const ref = first(refId);
  const parent = ref.parentNode;
  const value = nodes.get(id);
  if (Array.isArray(value)) for (const node of value) parent.insertBefore(node, ref);
  else parent.insertBefore(value, ref);
}

function remove(id) {
  const value = nodes.get(id);
  if (Array.isArray(value)) for (const node of value) node.remove();
  else value.remove();
}

function sanitize(fragment) {
  // dangerous_html(): PyScript runs Python found in injected HTML, so remove every way in
  // (srcdoc too: it is a whole same-origin document whose scripts run).
  const walker = document.createTreeWalker(fragment, NodeFilter.SHOW_ELEMENT);
  const doomed = [];
  for (let el = walker.nextNode(); el; el = walker.nextNode()) {
    if (SCRIPT_TAGS.has(el.tagName) || el.tagName.endsWith("-SCRIPT")) { doomed.push(el); continue; }
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || name.startsWith("py-") || name.startsWith("mpy-") || name === "srcdoc") el.removeAttribute(attr.name);
      else if (URL_ATTRS.has(name) && /^(?:javascript|vbscript|data):/i.test(attr.value.replace(/[\u0000-\u0020\u007f]+/g, "")) &&
               !(name === "src" && /^data:image\/(?:png|gif|jpe?g|webp|avif);/i.test(attr.value))) {
        el.setAttribute(attr.name, "unsafe:" + attr.value);
      }
    }
    if (el.tagName === "TEMPLATE") sanitize(el.content);
  }
  for (const el of doomed) el.remove();
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

function apply(json) {
  const ops = JSON.parse(json);
  const n = ops.length;
  let i = 0;
  while (i < n) {
    switch (ops[i]) {
      case 0: templates.set(ops[i + 1], prepare(ops[i + 2])); i += 3; break;
      case 1: {
        const t = templates.get(ops[i + 1]);
        const base = ops[i + 2];
        const fragment = t.content.cloneNode(true);
        const paths = t.paths;
        for (let p = 0; p < paths.length; p++) nodes.set(base + 1 + p, resolve(fragment, paths[p]));
        nodes.set(base, Array.from(fragment.childNodes));
        i += 3; break;
      }
      case 2: nodes.get(ops[i + 1]).data = ops[i + 2]; i += 3; break;
      case 3: nodes.get(ops[i + 1]).setAttribute(ops[i + 2], ops[i + 3]); i += 4; break;
      case 4: nodes.get(ops[i + 1]).removeAttribute(ops[i + 2]); i += 3; break;
      case 5: nodes.get(ops[i + 1])[ops[i + 2]] = ops[i + 3]; i += 4; break;
      case 6: {
        const style = nodes.get(ops[i + 1]).style;
        if (ops[i + 3] === null) style.removeProperty(ops[i + 2]); else style.setProperty(ops[i + 2], ops[i + 3]);
        i += 4; break;
      }
      case 7: insert(ops[i + 1], ops[i + 2]); i += 3; break;
      case 8: remove(ops[i + 1]); i += 2; break;
      case 9: { const end = ops[i + 1] + ops[i + 2]; for (let id = ops[i + 1]; id < end; id++) nodes.delete(id); i += 3; break; }
      case 10: listen(nodes.get(ops[i + 1]), ops[i + 2], ops[i + 3]); i += 4; break;
      case 11: { const el = nodes.get(ops[i + 1]); if (el && el.__fw) delete el.__fw[ops[i + 2]]; i += 3; break; }
      case 12: {
        // In a fragment, so content can be inserted before it before it is placed.
        const text = document.createTextNode(ops[i + 2]);
        document.createDocumentFragment().append(text);
        nodes.set(ops[i + 1], text);
        i += 3; break;
      }
      case 13: {
        const container = document.querySelector(ops[i + 3]);
        if (!container) throw new Error(`mount(): no element matches ${ops[i + 3]}`);
        const anchor = document.createTextNode("");
        container.append(anchor);
        nodes.set(ops[i + 1], container);
        nodes.set(ops[i + 2], anchor);
        i += 4; break;
      }
      case 14: {
        const template = document.createElement("template");
        template.innerHTML = ops[i + 2];
        sanitize(template.content);
        nodes.set(ops[i + 1], Array.from(template.content.childNodes));
        i += 3; break;
      }
      case 15: {
        const start = first(ops[i + 1]);
        const end = first(ops[i + 2]);
        const parent = end.parentNode;
        if (parent && parent.firstChild === start && parent.lastChild === end) {
          parent.textContent = "";  // the whole list is the parent's content: the fast way
          parent.append(end);
        } else {
          const range = document.createRange();
          range.setStartBefore(start);
          range.setEndBefore(end);
          range.deleteContents();
        }
        i += 3; break;
      }
      case 16: { const anchor = nodes.get(ops[i + 2]); if (anchor) anchor.remove(); nodes.delete(ops[i + 1]); nodes.delete(ops[i + 2]); i += 3; break; }
      default: throw new Error(`unknown DOM op ${ops[i]} at ${i}`);
    }
  }
}

globalThis.__framework_dom__ = {
  apply,
  node: (id) => first(id) ?? null,
  setDispatcher(fn) { dispatcher = fn; },
  stats: () => ({ nodes: nodes.size, templates: templates.size, eventTypes: listening.size }),
};

// The DOM applier: one call per flush applies the renderer's operations, and one listener per
// event type, on the document, routes events to Python handlers by id.
//
// Every fact of the protocol it uses (op codes and their arguments, the template markers, which
// events do not bubble) comes from framework/dom/protocol.json, which framework/browser/dom.py
// hands to configure() before the first flush: this file holds no copy of them, so it cannot
// drift from the Python side (the memory backend reads the same file). Raw HTML is sanitize.js's.
//
// Hydration: a container the page already filled (data-framework-view: "prerendered" by the
// build, "restored" by view.js from the user's last visit) keeps its nodes. Its first render
// goes into a detached stand-in, and at the end of that apply() each fresh node hands its id,
// listeners and properties to the existing node it matches (see hydrate()).
import { sanitizeHTML } from "./sanitize.js"; // dangerous_html(): DOMPurify, configured there
import { templateHTML } from "./trusted_types.js"; // the Trusted Types policy of templates
import { releaseFocus, settleFocus, trapFocus } from "./focus.js"; // dialogs (TRAP_FOCUS ...)

// Node id -> node (or the nodes of a multi-root instance). A row's parts are not kept here: only
// its root, which carries its template and id (__fwT, __fwBase), and `lookup` finds a part from
// it when an op names one. Keeping a wrapper of every text and link of 10,000 rows alive until
// they are dropped cost a create of 10,000 rows a sixth of the applier's time (issue 19).
const nodes = new Map();
let maxParts = 0; // the most parts of any template: how far below an id its root can be
const templates = new Map();
const listening = new Set();
let dispatcher = null;
const mounts = new Map(); // selector -> container: the views view.js saves after flushes
const mountedAt = new Map(); // container id -> selector
let view = null; // view.js's globalThis.__framework_view__, when the page has it

let OP = null; // op name -> code
let ARITY = null; // code -> how many arguments follow it
let ELEMENT_MARKER, CHILD_MARKER;
let NON_BUBBLING; // caught in the capture phase and given to their target only
let KEPT; // protocol.json's select_value: the element and the property whose value it keeps
let TRANSITIONS; // protocol.json's transitions: the stages' class suffixes, end events, media query

function configure(json) {
  const protocol = JSON.parse(json);
  OP = Object.fromEntries(protocol.ops.map((op, code) => [op.name, code]));
  ARITY = protocol.ops.map((op) => op.args.length);
  ({ element: ELEMENT_MARKER, child: CHILD_MARKER } = protocol.markers);
  NON_BUBBLING = new Set(protocol.non_bubbling_events);
  KEPT = protocol.select_value;
  TRANSITIONS = protocol.transitions;
  view = globalThis.__framework_view__ ?? null;
}

// A template: its content, the path to each part, and what a CLONE does with its values
// (fills: [part, attribute], "" for the part's text) and which events its parts route.
function prepare(html, fills, listens) {
  for (const [, type] of listens) listenTo(type);
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
  const content = template.content;
  // A template of one element (a row) is cloned from a copy already in this document: no
  // fragment and no adoption per clone.
  const top = content.firstChild;
  const isSingle = content.childNodes.length === 1 && top.nodeType === 1;
  const steps = paths.map((path) => (isSingle ? stableSteps(content, path) : null));
  for (const marker of swaps) marker.replaceWith(document.createTextNode(""));
  const single = isSingle ? document.importNode(top, true) : null;
  maxParts = Math.max(maxParts, paths.length);
  const filled = new Uint8Array(paths.length);
  for (const [part] of fills) filled[part] = 1;
  const routes = routesOf(listens);
  return { content, single, paths, fills, filled, steps, routes, fromRoot: routesFromRoot(routes, steps) };
}

// How to find a part from its row's root however much content its child slots hold by now:
// per level, the k-th child from the start (k) while no slot anchor precedes it or is it (content
// goes in before an anchor), else the k-th from the end (-k - 1) while no anchor follows it.
// null: anchors on both sides; such a part is kept in `nodes` from the clone on, as before.
function stableSteps(content, path) {
  const steps = [];
  let parent = content.firstChild;
  for (let level = 1; level < path.length; level++) {
    const children = Array.from(parent.childNodes);
    const k = path[level];
    const anchors = children.flatMap((node, i) => (node.nodeType === 8 && node.data === CHILD_MARKER ? [i] : []));
    if (anchors.every((a) => a > k)) steps.push(k);
    else if (anchors.every((a) => a <= k)) steps.push(-(children.length - k));
    else return null;
    parent = children[k];
  }
  return steps;
}

// The node `steps` lead to from root: per level, the k-th child from the start (k >= 0) or from
// the end (-k - 1), by firstChild/nextSibling steps (faster than indexing a fresh clone's
// childNodes lists). `from`: the first step to take; a template's path starts at its content,
// so for a row cloned from its one element (root) the path's first step is skipped (1).
function follow(root, steps, from = 0) {
  let node = root;
  for (let i = from; i < steps.length; i++) {
    const k = steps[i];
    if (k >= 0) {
      node = node.firstChild;
      for (let j = k; j > 0; j--) node = node.nextSibling;
    } else {
      node = node.lastChild;
      for (let j = -k - 1; j > 0; j--) node = node.previousSibling;
    }
  }
  return node;
}

// Per event type, the routing parts found from the root ([part, steps]); the others carry
// their route themselves (__fw, __fwId).
function routesFromRoot(routes, steps) {
  const byType = Object.create(null);
  for (const [part, types] of routes) {
    if (steps[part] === null) continue;
    for (const type in types) (byType[type] ??= []).push([part, steps[part]]);
  }
  return byType;
}

// The event types each routing part listens to, one shared object per part ({click: true}):
// a clone gives the element that object and its node id, and allocates nothing.
function routesOf(listens) {
  const byPart = new Map();
  for (const [part, type] of listens) {
    if (!byPart.has(part)) byPart.set(part, Object.create(null));
    byPart.get(part)[type] = true;
  }
  return Array.from(byPart);
}

// Rows cloned one after another before the same node are gathered in one detached fragment
// and inserted together (insertGathered), as a hand-written page builds a table: the document
// changes once, not once per row. Any other op inserts the gathered rows first.
let gathered = null;
let gatheredRef = null;

function insertGathered() {
  const ref = gatheredRef;
  const fragment = gathered;
  gathered = gatheredRef = null;
  if (keeping) changedIn(ref.parentNode);
  ref.parentNode.insertBefore(fragment, ref);
}

// One row: the clone (imported straight into this document, so inserting it adopts nothing),
// its parts named, its first texts and attributes written, its events routed (under the part's
// node id), and its place: before the node ref names (0: it stays in its own fragment).
function clone(t, base, values, refId) {
  const single = t.single;
  const root = single !== null ? single.cloneNode(true) : document.importNode(t.content, true);
  const skip = single !== null ? 1 : 0; // paths start at the template's content
  const paths = t.paths;
  // Hydration swaps fresh nodes for the page's in `nodes`: while it runs, every part is kept.
  const steps = single !== null && !hydrating ? t.steps : null;
  const filled = t.filled;
  const parts = new Array(paths.length);
  for (let p = 0; p < paths.length; p++) {
    const kept = steps === null || steps[p] === null;
    if (!kept && filled[p] === 0) continue; // found from the root when an op names it
    const node = follow(root, paths[p], skip);
    parts[p] = node;
    if (kept) nodes.set(base + 1 + p, node);
  }
  const fills = t.fills;
  for (let f = 0; f < fills.length; f++) {
    const value = values[f];
    if (value === null) continue;
    const fill = fills[f];
    if (fill[1] === "") parts[fill[0]].data = value;
    else parts[fill[0]].setAttribute(fill[1], value);
  }
  const routes = t.routes;
  for (let r = 0; r < routes.length; r++) {
    const part = routes[r][0];
    if (steps !== null && steps[part] !== null) continue; // routed from the root (onEvent)
    const element = parts[part];
    element.__fw = routes[r][1];
    element.__fwId = base + 1 + part;
  }
  if (single === null) {
    nodes.set(base, root.childNodes.length === 1 ? root.firstChild : Array.from(root.childNodes));
  } else {
    nodes.set(base, root);
    if (steps !== null) {
      root.__fwT = t;
      root.__fwBase = base;
    }
  }
  if (refId === 0) return;
  const ref = first(refId);
  if (gathered !== null && ref !== gatheredRef) insertGathered();
  if (gathered === null) {
    gathered = document.createDocumentFragment();
    gatheredRef = ref;
  }
  gathered.appendChild(root);
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

// The node (or nodes) of an id: kept in `nodes`, or a part of a row found from its root, the
// nearest id below it that is kept (its parts' ids follow its own).
function lookup(id) {
  const value = nodes.get(id);
  if (value !== undefined) return value;
  for (let base = id - 1, lowest = id - 1 - maxParts; base >= lowest; base--) {
    const root = nodes.get(base);
    if (root === undefined) continue;
    const t = root.__fwT;
    if (t === undefined) continue; // a part kept in `nodes`, of this row or of no row
    const steps = t.steps[id - base - 1];
    return steps === undefined || steps === null ? undefined : follow(root, steps);
  }
  return undefined;
}

function first(id) {
  const value = lookup(id);
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
  const value = lookup(id);
  if (Array.isArray(value)) for (const node of value) parent.insertBefore(node, ref);
  else parent.insertBefore(value, ref);
}

function remove(id) {
  const value = lookup(id);
  if (keeping) for (const node of Array.isArray(value) ? value : [value]) changedIn(node.parentNode);
  if (leaving.size) {
    for (const node of Array.isArray(value) ? value : [value]) if (!leaving.has(node)) node.remove();
  } else if (Array.isArray(value)) for (const node of value) node.remove();
  else value.remove();
}

// An element routes an event type under its node id: its row's root knows the parts that do
// (t.fromRoot), and a part that cannot be found from there carries its own route (el.__fw, the
// types; el.__fwId). Python finds the handler the element's template instance holds now.
function onEvent(event) {
  const type = event.type;
  const target = event.target;
  if (NON_BUBBLING.has(type)) {
    if (!target) return;
    if (target.__fw) {
      if (target.__fw[type]) dispatch(target.__fwId, type, event, target);
      return;
    }
    const id = routeFromRoot(target, type);
    if (id !== 0) dispatch(id, type, event, target);
    return;
  }
  // A portal's frame (__fwPlace, set by PORTAL) bubbles on where the portal stands.
  const chain = [];
  for (let node = target; node && node !== document; node = (node.__fwPlace ?? node).parentNode) chain.push(node);
  const routed = routedFromRoots(chain, type);
  for (const node of chain) {
    const id = node.__fw ? (node.__fw[type] ? node.__fwId : 0) : (routed?.get(node) ?? 0);
    if (id === 0) continue;
    dispatch(id, type, event, node);
    if (event.cancelBubble) break;
  }
}

// The event and the element whose handler runs, for each dispatch under way (outermost first;
// a handler may cause another, element.click()): Python asks for them (currentEvent,
// currentElement, by depth) only when a handler reads the event, so a click whose handler takes
// no event passes two numbers and a string across, not two objects to wrap. Python returns the
// operations that finish the event, applied here: no second call back into JS.
const dispatching = [];

function dispatch(id, type, event, element) {
  dispatching.push(event, element);
  let ops;
  try {
    ops = dispatcher(id, type);
  } finally {
    dispatching.length -= 2;
  }
  if (ops !== undefined) api.apply(ops); // through the export, which a profiler may wrap
}

// The parts routing `type` of the rows whose roots are in `chain`: part node -> its id; null
// when there are none.
function routedFromRoots(chain, type) {
  let routed = null;
  for (const node of chain) {
    const routes = node.__fwT?.fromRoot[type];
    if (routes === undefined) continue;
    for (const [part, steps] of routes) (routed ??= new Map()).set(follow(node, steps), node.__fwBase + 1 + part);
  }
  return routed;
}

// The id `target` routes `type` under, found from its row's root (the nearest one above it); 0.
function routeFromRoot(target, type) {
  let root = target;
  while (root && root.__fwT === undefined) root = root.parentNode;
  return (root && routedFromRoots([root], type)?.get(target)) ?? 0;
}

function listenTo(type) {
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

// Hydration: the first render of a container the page already filled adopts its nodes.
//
// MOUNT gives the renderer a detached stand-in instead of the container, so the first render is
// built as always (the hot path does not change); hydrate(), at the end of that apply(), walks
// the stand-in against the container. Each fresh node whose counterpart is found hands over its
// place in `nodes`, its listeners and the properties PROP gave it; what differs is patched in
// place, what is missing is inserted (the fresh node itself), what is left over is removed.
// HTML loses two things, which are put back: empty text nodes (slot anchors) and the boundaries
// between adjacent text nodes (one parsed text node is split where the render had several).
const VIEW_ATTRIBUTE = "data-framework-view";
const ROWS = new Set(["LI", "TR"]); // rows even when alone in their list
const MAX_REPORTED = 5;
const hydration = { adopted: 0, patched: 0, inserted: 0, removed: 0, ms: 0 }; // element counts
const pending = []; // the containers mounted in the apply() being run: { container, stand, selector, kind }
let hydrating = false;
let freshProperties = new Map(); // fresh element -> [name, value, name, value, ...] set by PROP
let adoptedBy = new Map(); // fresh node -> the existing node that takes its place
const repurposed = new WeakSet(); // rows now showing other content than the user saw in them

function standIn(container, selector) {
  const stand = container.cloneNode(false); // detached: nothing of it reaches the page
  pending.push({ container, stand, selector, kind: container.getAttribute(VIEW_ATTRIBUTE) });
  hydrating = true;
  return stand;
}

function recordProperty(el, name, value) {
  const list = freshProperties.get(el);
  if (list) list.push(name, value);
  else freshProperties.set(el, [name, value]);
}

function hydrate() {
  const start = performance.now();
  for (const { container, stand, selector, kind } of pending) {
    const found = [];
    adoptChildren(stand, container, false, found);
    adoptedBy.set(stand, container);
    container.removeAttribute(VIEW_ATTRIBUTE);
    if (found.length) reportMismatches(selector, kind, found);
  }
  for (const [id, value] of nodes) {
    if (Array.isArray(value)) {
      for (let k = 0; k < value.length; k++) value[k] = adoptedBy.get(value[k]) ?? value[k];
    } else {
      const existing = adoptedBy.get(value);
      if (existing !== undefined) nodes.set(id, existing);
    }
  }
  pending.length = 0;
  adoptedBy = new Map();
  freshProperties = new Map();
  hydrating = false;
  hydration.ms += performance.now() - start;
}

// A parent's children as parsed HTML gives them back: adjacent text nodes are one item.
function itemsOf(parent) {
  const items = [];
  let run = null;
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === Node.TEXT_NODE) {
      if (run === null) items.push((run = { nodes: [node], text: node.data, tag: node.nodeName }));
      else {
        run.nodes.push(node);
        run.text += node.data;
      }
    } else {
      run = null;
      items.push({ nodes: [node], text: null, tag: node.nodeName });
    }
  }
  return items;
}

function keyOf(item) {
  if (item.text !== null) return "t" + item.text;
  const node = item.nodes[0];
  return node.nodeType === Node.ELEMENT_NODE ? "e" + node.outerHTML : "n" + node.nodeName + node.data;
}

// `equal`: the two parents serialise alike (so their items pair up in order, empty texts aside).
function adoptChildren(fresh, existing, equal, found) {
  const freshItems = itemsOf(fresh);
  const oldItems = itemsOf(existing);
  const partner = (equal && alignEqual(freshItems, oldItems)) || matchItems(freshItems, oldItems);
  const same = partner.same;
  const result = [];
  const kept = new Uint8Array(oldItems.length);
  let counts = null; // tag -> how many siblings have it, for rows: computed when needed
  for (let i = 0; i < freshItems.length; i++) {
    const item = freshItems[i];
    const j = partner[i];
    if (j < 0) {
      for (const node of item.nodes) {
        result.push(node); // the fresh node itself joins the page
        if (node.nodeType === Node.ELEMENT_NODE) {
          hydration.inserted++;
          note(found, existing, `<${node.localName}> was missing`);
        }
      }
      continue;
    }
    kept[j] = 1;
    const old = oldItems[j];
    if (item.text !== null) {
      adoptText(item.nodes, old.nodes, same[i], result, found);
      continue;
    }
    const node = old.nodes[0];
    if (!same[i] && node.nodeType === Node.ELEMENT_NODE) {
      counts ??= tagCounts(freshItems, oldItems);
      if (ROWS.has(item.tag) || counts.get(item.tag) > 1) repurposed.add(node);
    }
    adoptNode(item.nodes[0], node, same[i], found);
    result.push(node);
  }
  for (let j = 0; j < oldItems.length; j++) {
    if (kept[j]) continue;
    for (const node of oldItems[j].nodes) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        hydration.removed++;
        note(found, existing, `<${node.localName}> was not rendered`);
      }
      node.remove();
    }
  }
  let cursor = existing.firstChild; // the kept nodes are in order: only the new ones move
  for (const node of result) {
    if (node === cursor) cursor = cursor.nextSibling;
    else existing.insertBefore(node, cursor);
  }
}

function tagCounts(...lists) {
  const counts = new Map();
  for (const items of lists) {
    const seen = new Map();
    for (const item of items) seen.set(item.tag, (seen.get(item.tag) ?? 0) + 1);
    for (const [tag, count] of seen) counts.set(tag, Math.max(count, counts.get(tag) ?? 0));
  }
  return counts;
}

// Serialised alike: item i pairs with the next non-empty item, or the trees are not alike after
// all (markup the parser rearranges) and matchItems() decides.
function alignEqual(freshItems, oldItems) {
  const partner = new Array(freshItems.length).fill(-1);
  partner.same = new Array(freshItems.length).fill(true);
  let j = 0;
  for (let i = 0; i < freshItems.length; i++) {
    const item = freshItems[i];
    if (item.text === "") continue; // only empty text nodes: nothing of them was serialised
    const old = oldItems[j];
    if (!old || old.tag !== item.tag || old.text !== item.text) return null;
    partner[i] = j++;
  }
  return j === oldItems.length ? partner : null;
}

// Rows and other siblings: those that serialise alike pair first (the longest run in order, so
// a row added, removed or moved does not disturb the others), then the rest pair by tag within
// the gaps left, in order, to be patched.
function matchItems(freshItems, oldItems) {
  const n = freshItems.length;
  const partner = new Array(n).fill(-1);
  partner.same = new Array(n).fill(false);
  const positions = new Map(); // key -> the old items with it, in order
  for (let j = 0; j < oldItems.length; j++) {
    const key = keyOf(oldItems[j]);
    const list = positions.get(key);
    if (list) list.push(j);
    else positions.set(key, [j]);
  }
  const candidate = new Array(n).fill(-1); // k-th fresh item with a key -> k-th old one
  for (let i = 0; i < n; i++) {
    if (freshItems[i].text === "") continue;
    const list = positions.get(keyOf(freshItems[i]));
    if (list && (list.taken ??= 0) < list.length) candidate[i] = list[list.taken++];
  }
  for (const i of increasingRun(candidate)) {
    partner[i] = candidate[i];
    partner.same[i] = true;
  }
  const used = new Uint8Array(oldItems.length);
  for (let i = 0; i < n; i++) if (partner[i] >= 0) used[partner[i]] = 1;
  let limit = oldItems.length;
  const limits = new Array(n); // the old position of the next pair after i: a gap's end
  for (let i = n - 1; i >= 0; i--) {
    limits[i] = limit;
    if (partner[i] >= 0) limit = partner[i];
  }
  let from = 0;
  for (let i = 0; i < n; i++) {
    if (partner[i] >= 0) {
      from = partner[i] + 1;
      continue;
    }
    const item = freshItems[i];
    if (item.text === "") continue;
    for (let j = from; j < limits[i]; j++) {
      if (!used[j] && oldItems[j].tag === item.tag) {
        partner[i] = j;
        used[j] = 1;
        from = j + 1;
        break;
      }
    }
  }
  return partner;
}

// The indexes i of the longest strictly increasing run of values[i] >= 0 (patience sorting).
function increasingRun(values) {
  const tails = []; // tails[k]: index ending the best run of length k + 1
  const previous = new Array(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value < 0) continue;
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (values[tails[middle]] < value) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[i] = tails[low - 1];
    tails[low] = i;
  }
  const run = [];
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = previous[i]) run.push(i);
  return run.reverse();
}

function adoptNode(fresh, old, same, found) {
  adoptedBy.set(fresh, old);
  if (fresh.nodeType !== Node.ELEMENT_NODE) {
    if (!same) {
      old.data = fresh.data; // a comment
      hydration.patched++;
    }
    return;
  }
  const properties = freshProperties.get(fresh);
  const userChanged = properties !== undefined && changedByUser(old); // before its attributes change
  if (!same) patchAttributes(fresh, old, found);
  adoptChildren(fresh, old, same, found);
  hydration.adopted++;
  if (fresh.__fw) {
    old.__fw = fresh.__fw;
    old.__fwId = fresh.__fwId;
  }
  if (fresh.__fwT) {
    old.__fwT = fresh.__fwT;
    old.__fwBase = fresh.__fwBase;
  }
  if (properties === undefined) return;
  for (let k = 0; k < properties.length; k += 2) {
    if (userChanged && isUserState(old, properties[k])) continue; // typed text stays
    setProperty(old, properties[k], properties[k + 1]);
  }
}

// A form control the user has changed since the page appeared: it no longer shows what its
// markup says. (Nothing else changes a control before the app runs.)
function changedByUser(el) {
  if (el instanceof HTMLInputElement) {
    // A checkbox's or radio's value is "on" without a value attribute (defaultValue ""): only
    // its checked state is the user's.
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    return el.value !== el.defaultValue;
  }
  if (el instanceof HTMLTextAreaElement) return el.value !== el.defaultValue;
  if (!(el instanceof HTMLSelectElement)) return false;
  const options = Array.from(el.options);
  if (el.multiple) return options.some((option) => option.selected !== option.defaultSelected);
  let shown = el.length > 0 && el.size <= 1 ? 0 : -1; // the markup's choice: the last marked option
  options.forEach((option, index) => { if (option.defaultSelected) shown = index; });
  return el.selectedIndex !== shown;
}

// What the user sets on a form control: a property with a default of the same name, as
// value/defaultValue and checked/defaultChecked.
function isUserState(el, name) {
  return `default${name.charAt(0).toUpperCase()}${name.slice(1)}` in el;
}

function patchAttributes(fresh, old, found) {
  const changed = [];
  for (const attribute of Array.from(old.attributes)) {
    if (!fresh.hasAttributeNS(attribute.namespaceURI, attribute.localName)) {
      old.removeAttributeNode(attribute);
      changed.push(attribute.name);
    }
  }
  for (const attribute of fresh.attributes) {
    if (old.getAttributeNS(attribute.namespaceURI, attribute.localName) !== attribute.value) {
      old.setAttributeNS(attribute.namespaceURI, attribute.name, attribute.value);
      changed.push(attribute.name);
    }
  }
  if (changed.length) {
    hydration.patched++;
    note(found, old, `attribute ${changed.join(", ")} differed`);
  }
}

// A run of fresh text nodes takes over a run of parsed ones (normally one node holding them all).
function adoptText(freshNodes, oldNodes, same, result, found) {
  let old = oldNodes[0];
  for (let k = 1; k < oldNodes.length; k++) {
    old.appendData(oldNodes[k].data);
    oldNodes[k].remove();
  }
  if (!same) {
    hydration.patched++;
    const text = freshNodes.map((node) => node.data).join("");
    note(found, old.parentNode, `text ${JSON.stringify(clip(old.data))} is ${JSON.stringify(clip(text))}`);
  }
  for (const text of freshNodes) {
    if (old === null || text.data === "") {
      result.push(text); // an empty anchor, or a piece the parsed text has no room for
      continue;
    }
    if (!same) old.data = text.data;
    else if (old.data.length > text.data.length) old.splitText(text.data.length);
    adoptedBy.set(text, old);
    result.push(old);
    old = same ? old.nextSibling : null;
  }
}

function clip(text) {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function note(found, where, what) {
  if (found.length < MAX_REPORTED) found.push(`${describePath(where)}: ${what}`);
  else found.more = (found.more ?? 0) + 1;
}

function describePath(el) {
  const steps = [];
  for (; el && el.nodeType === Node.ELEMENT_NODE && !el.hasAttribute(VIEW_ATTRIBUTE); el = el.parentNode) {
    let step = el.localName;
    if (el.classList.length) step += `.${Array.from(el.classList).join(".")}`;
    const parent = el.parentNode;
    if (parent && parent.children.length > 1) step += `:nth-child(${Array.prototype.indexOf.call(parent.children, el) + 1})`;
    steps.push(step);
  }
  return steps.reverse().join(" > ") || "(top)";
}

// In dev, on the console: a mismatch is expected whenever the page shows other data than the
// app's first render (a prerendered view holds the stores' defaults, a restored one may predate
// another tab's edits), so it is not put in the warnings panel, where it would show after every
// edit of such an app; it says where, for the rare one that is a bug (a render that differs by
// itself: the time, a random number).
function reportMismatches(selector, kind, found) {
  if (!globalThis.__framework__?.dev) return;
  const more = found.more ? `\n  ... and ${found.more} more` : "";
  console.warn(
    `framework: hydration patched the ${kind} view of ${selector} where it differed from the ` +
      `app's first render:\n  ${found.join("\n  ")}${more}`,
  );
}

// For replay.js: an element the user acted on before hydration that is gone, or that lies in a
// row now showing other content (a click on it must be dropped, not given to another row).
function isStale(el) {
  if (!el || !el.isConnected) return true;
  for (let node = el; node; node = node.parentNode) if (repurposed.has(node)) return true;
  return false;
}

// Transitions (protocol.json's `transitions`, Vue's model). ENTER and LEAVE play a stage's
// classes on the elements of a node or group: [from, active] now, `to` instead of `from` from the
// next frame on, all gone at the end; LEAVE removes the element then, and until then a REMOVE
// passes it by (the renderer has forgotten it already). FLIP notes where rows are before the
// batch moves them and, once it is applied, slides each moved one from there (First, Last,
// Invert with a transform, Play with the move class).
const leaving = new Map(); // element -> finish() of its leave
const leavingFrom = new Map(); // slot or list anchor -> the elements leaving it
const playing = new WeakMap(); // element -> finish() of its enter
const moving = new WeakMap(); // element -> finish() of its slide
const afterBatch = []; // FLIP's second halves, run once the batch is applied
let reducedMotion = null;

function reduced() {
  reducedMotion ??= matchMedia(TRANSITIONS.reduced_motion);
  return reducedMotion.matches;
}

function elementsOf(id) {
  const value = lookup(id);
  return (Array.isArray(value) ? value : [value]).filter((node) => node && node.nodeType === 1);
}

function enter(id, name, duration) {
  if (reduced() || hydrating) return; // a prerendered view is already on screen: it stays still
  for (const el of elementsOf(id)) {
    playing.get(el)?.();
    playing.set(el, play(el, name, TRANSITIONS.enter, duration, () => playing.delete(el)));
  }
}

function leave(id, anchorId, name, duration) {
  if (reduced()) return; // the REMOVE that follows takes the elements at once
  const anchor = lookup(anchorId);
  let from = leavingFrom.get(anchor);
  if (!from) leavingFrom.set(anchor, (from = new Set()));
  for (const el of elementsOf(id)) {
    playing.get(el)?.(); // an enter or slide in flight ends where it is
    moving.get(el)?.();
    const gone = () => {
      leaving.delete(el);
      from.delete(el);
      if (!from.size && leavingFrom.get(anchor) === from) leavingFrom.delete(anchor);
      el.remove();
    };
    leaving.set(el, play(el, name, TRANSITIONS.leave, duration, gone));
    from.add(el);
  }
}

function endLeaves(anchorId) {
  const from = leavingFrom.get(lookup(anchorId));
  if (from) for (const el of Array.from(from)) leaving.get(el)();
}

// One stage on one element; returns finish(), which ends it at once (and calls done).
function play(el, name, suffixes, duration, done) {
  const [from, active, to] = suffixes.map((suffix) => `${name}-${suffix}`);
  el.classList.add(from, active);
  let finished = false;
  let stop = null;
  const finish = () => {
    if (finished) return;
    finished = true;
    stop?.();
    el.classList.remove(from, active, to);
    done();
  };
  requestAnimationFrame(() => requestAnimationFrame(() => {
    if (finished) return; // the from-state was painted: now the transition runs to `to`
    el.classList.remove(from);
    el.classList.add(to);
    stop = whenEnded(el, duration, null, finish);
  }));
  return finish;
}

// Calls finish when el's transition or animation ends: after `duration` ms when given, else after
// as many end events (of `property` only, when given) as the longer of them has properties, or
// its time, whichever comes first; at once when it has no time. Returns what cancels the wait.
function whenEnded(el, duration, property, finish) {
  if (duration !== null) {
    const timer = setTimeout(finish, duration);
    return () => clearTimeout(timer);
  }
  const style = getComputedStyle(el);
  const transitions = longest(style.transitionDelay, style.transitionDuration);
  const animations = longest(style.animationDelay, style.animationDuration);
  const { ms, count } = transitions.ms >= animations.ms ? transitions : animations;
  if (ms === 0) {
    finish();
    return null;
  }
  let ended = 0;
  const onEnd = (event) => {
    if (event.target !== el || (property !== null && event.propertyName !== property)) return;
    if (++ended >= (property !== null ? 1 : count)) finish();
  };
  for (const type of TRANSITIONS.end_events) el.addEventListener(type, onEnd);
  const timer = setTimeout(finish, ms + 1);
  return () => {
    clearTimeout(timer);
    for (const type of TRANSITIONS.end_events) el.removeEventListener(type, onEnd);
  };
}

// The longest delay + duration of a computed style's lists (seconds, as computed styles give
// them), in ms, and how many of its entries take time.
function longest(delays, durations) {
  const delay = delays.split(",");
  const time = durations.split(",");
  let ms = 0;
  let count = 0;
  for (let i = 0; i < time.length; i++) {
    const total = (parseFloat(delay[i % delay.length]) + parseFloat(time[i])) * 1000 || 0;
    if (total > 0) count++;
    ms = Math.max(ms, total);
  }
  return { ms, count };
}

function notePositions(firstId, endId, name) {
  if (reduced()) return;
  const end = first(endId);
  const before = new Map();
  for (let node = first(firstId); node && node !== end; node = node.nextSibling) {
    if (node.nodeType === 1 && !leaving.has(node)) before.set(node, node.getBoundingClientRect());
  }
  afterBatch.push([before, name]);
}

function slideMoved() {
  const moved = [];
  for (const [before, name] of afterBatch.splice(0)) {
    for (const el of before.keys()) moving.get(el)?.(); // a slide in flight ends: measure the layout
    for (const [el, was] of before) {
      if (!el.isConnected || leaving.has(el)) continue;
      const now = el.getBoundingClientRect();
      const dx = was.left - now.left;
      const dy = was.top - now.top;
      if (!dx && !dy) continue;
      el.style.transitionDuration = "0s";
      el.style.transform = `translate(${dx}px, ${dy}px)`; // Invert: shown where it was
      moved.push([el, name]);
    }
  }
  if (!moved.length) return;
  void document.body.offsetHeight; // one layout with every row inverted, then all play
  for (const [el, name] of moved) {
    const moveClass = `${name}-${TRANSITIONS.move}`;
    el.classList.add(moveClass);
    el.style.transitionDuration = "";
    el.style.transform = "";
    let stop = null;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      stop?.();
      el.classList.remove(moveClass);
      moving.delete(el);
    };
    moving.set(el, finish);
    stop = whenEnded(el, null, "transform", finish);
  }
}

// PORTAL: a frame goes into its target; with no such element into the body (nothing is
// lost), and the batch ends with an error naming the target.
const missingTargets = [];

function portal(frame, place, target) {
  const container = target === "body" ? document.body : document.querySelector(target);
  if (!container) missingTargets.push(target);
  (container ?? document.body).append(frame);
  frame.__fwPlace = place;
}

function portalErrors() {
  const target = missingTargets.splice(0)[0];
  throw new Error(
    `portal(): no element matches ${JSON.stringify(target)}, the target it was given (its ` +
      "content went into the body instead); add that element to the page, or give " +
      "portal()/dialog() another `to`",
  );
}

function apply(json) {
  const ops = JSON.parse(json);
  try {
    run(ops);
  } finally {
    if (gathered !== null) insertGathered(); // the rows cloned last, even if an op failed
    if (afterBatch.length) slideMoved();
  }
  if (hydrating) hydrate();
  if (keptChanged.size) showKeptValues();
  settleFocus(); // a dialog's focus moves, now that its elements are in the document
  if (view !== null && mounts.size) view.changed(mounts); // saved later, in idle time
  if (missingTargets.length) portalErrors();
}

function run(ops) {
  const n = ops.length;
  let i = 0;
  while (i < n) {
    const code = ops[i];
    const a = i + 1; // the op's first argument; protocol.json names them, ARITY counts them
    if (gathered !== null && code !== OP.CLONE) insertGathered();
    switch (code) {
      case OP.DEFINE: templates.set(ops[a], prepare(ops[a + 1], ops[a + 2], ops[a + 3])); break;
      case OP.CLONE: clone(templates.get(ops[a]), ops[a + 1], ops[a + 2], ops[a + 3]); break;
      case OP.TEXT: {
        const node = lookup(ops[a]);
        node.data = ops[a + 1];
        if (keeping) changedIn(node.parentNode);
        break;
      }
      case OP.ATTR: {
        const el = lookup(ops[a]);
        el.setAttribute(ops[a + 1], ops[a + 2]);
        if (keeping) changedIn(el.parentNode);
        break;
      }
      case OP.UNATTR: {
        const el = lookup(ops[a]);
        el.removeAttribute(ops[a + 1]);
        if (keeping) changedIn(el.parentNode);
        break;
      }
      case OP.PROP: {
        const el = lookup(ops[a]);
        setProperty(el, ops[a + 1], ops[a + 2]);
        if (hydrating) recordProperty(el, ops[a + 1], ops[a + 2]);
        if (keeping) changedIn(el.parentNode);
        break;
      }
      case OP.STYLE: {
        const style = lookup(ops[a]).style;
        if (ops[a + 2] === null) style.removeProperty(ops[a + 1]); else style.setProperty(ops[a + 1], ops[a + 2]);
        break;
      }
      case OP.INSERT: insert(ops[a], ops[a + 1]); break;
      case OP.REMOVE: remove(ops[a]); break;
      case OP.DROP: { const end = ops[a] + ops[a + 1]; for (let id = ops[a]; id < end; id++) nodes.delete(id); break; }
      case OP.CREATE_TEXT: {
        // In a fragment, so content can be inserted before it before it is placed.
        const text = document.createTextNode(ops[a + 1]);
        document.createDocumentFragment().append(text);
        nodes.set(ops[a], text);
        break;
      }
      case OP.MOUNT: {
        const selector = ops[a + 2];
        const container = document.querySelector(selector);
        if (!container) throw new Error(`mount(): no element matches ${selector}`);
        const anchor = document.createTextNode("");
        const target = container.hasAttribute(VIEW_ATTRIBUTE) ? standIn(container, selector) : container;
        target.append(anchor);
        nodes.set(ops[a], target);
        nodes.set(ops[a + 1], anchor);
        mounts.set(selector, container);
        mountedAt.set(ops[a], selector);
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
      case OP.UNMOUNT: {
        const anchor = nodes.get(ops[a + 1]);
        if (anchor) anchor.remove();
        nodes.delete(ops[a]);
        nodes.delete(ops[a + 1]);
        mounts.delete(mountedAt.get(ops[a]));
        mountedAt.delete(ops[a]);
        break;
      }
      case OP.STYLESHEET: adoptStylesheet(ops[a], ops[a + 1]); break;
      case OP.PORTAL: portal(first(ops[a]), lookup(ops[a + 1]), ops[a + 2]); break;
      case OP.TRAP_FOCUS: trapFocus(first(ops[a])); break;
      case OP.RELEASE_FOCUS: releaseFocus(first(ops[a])); break;
      case OP.ENTER: enter(ops[a], ops[a + 1], ops[a + 2]); break;
      case OP.LEAVE: leave(ops[a], ops[a + 1], ops[a + 2], ops[a + 3]); break;
      case OP.END_LEAVES: endLeaves(ops[a]); break;
      case OP.FLIP: notePositions(ops[a], ops[a + 1], ops[a + 2]); break;
      default: throw new Error(`unknown DOM op ${code} at ${i}`);
    }
    i = a + ARITY[code];
  }
}

const api = {
  configure,
  apply,
  node: (id) => first(id) ?? null,
  // A task after the frame is painted: the next animation frame comes just before its paint.
  // A hidden page paints no frames: a task then.
  afterPaint(callback) {
    if (document.hidden) setTimeout(callback, 0);
    else requestAnimationFrame(() => setTimeout(callback, 0));
  },
  setDispatcher(fn) { dispatcher = fn; },
  currentEvent: (depth) => dispatching[2 * depth] ?? null,
  currentElement: (depth) => dispatching[2 * depth + 1] ?? null,
  isStale,
  stats: () => ({
    nodes: nodes.size,
    templates: templates.size,
    eventTypes: listening.size,
    hydration: { ...hydration },
  }),
};
globalThis.__framework_dom__ = api;

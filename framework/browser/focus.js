// Dialogs' keyboard focus (protocol.json's TRAP_FOCUS and RELEASE_FOCUS; the core decides when,
// framework/component/portal.py). While a dialog is open it holds the focus: on open the focus
// moves in, Tab and Shift+Tab cycle through its tabbable elements, a focus that lands outside
// (a click on the page behind) is brought back, and on close the focus returns to the element
// that had it before. The memory backend models the same (framework/dom/focus.py).
//
// The applier calls trapFocus/releaseFocus while it applies a batch, and settleFocus() once the
// batch is in the document: the element to focus may arrive later in the same batch.

const open = []; // { dialog, previous }, the innermost last
const pending = []; // the focus moves of the batch being applied, in order
let listening = false;

// What Tab visits: focusable by the keyboard, enabled, rendered, not inert.
const CANDIDATES =
  'a[href], area[href], button, input, select, textarea, iframe, summary, audio[controls], ' +
  'video[controls], [contenteditable]:not([contenteditable="false"]), [tabindex]';

function tabbable(root) {
  return Array.from(root.querySelectorAll(CANDIDATES)).filter(
    (el) =>
      el.tabIndex >= 0 &&
      !el.disabled &&
      !(el.localName === "input" && el.type === "hidden") &&
      !el.closest("[inert]") &&
      el.getClientRects().length > 0,
  );
}

function focusInto(dialog) {
  if (!dialog.isConnected || dialog.contains(document.activeElement)) return;
  const chosen = dialog.querySelector("[autofocus]") ?? tabbable(dialog)[0] ?? dialog;
  chosen.focus();
}

function restore(previous) {
  if (previous && previous.isConnected && previous !== document.body) previous.focus();
}

// Capture phase on the document: before any handler, so no handler's stopPropagation lets the
// focus escape. Handlers still see the keydown (with defaultPrevented set).
function onKeydown(event) {
  const top = open[open.length - 1];
  if (!top || event.key !== "Tab" || event.defaultPrevented) return;
  event.preventDefault();
  const elements = tabbable(top.dialog);
  if (!elements.length) {
    top.dialog.focus();
    return;
  }
  let index = elements.indexOf(document.activeElement);
  if (event.shiftKey) index = index <= 0 ? elements.length - 1 : index - 1;
  else index = index < 0 || index === elements.length - 1 ? 0 : index + 1;
  elements[index].focus();
}

function onFocusin(event) {
  const top = open[open.length - 1];
  if (top && !top.dialog.contains(event.target)) focusInto(top.dialog);
}

function listen() {
  if (listening) return;
  listening = true;
  document.addEventListener("keydown", onKeydown, { capture: true });
  document.addEventListener("focusin", onFocusin, { capture: true });
}

export function trapFocus(dialog) {
  listen();
  open.push({ dialog, previous: document.activeElement });
  pending.push(() => focusInto(dialog));
}

export function releaseFocus(dialog) {
  const index = open.findIndex((entry) => entry.dialog === dialog);
  if (index < 0) return;
  const [entry] = open.splice(index, 1);
  if (index === open.length) pending.push(() => restore(entry.previous)); // it was the innermost
}

export function settleFocus() {
  while (pending.length) pending.shift()();
}

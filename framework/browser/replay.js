// replay.js, inlined first in <head>: until Python is ready, what the user does on the prerendered
// or restored UI ([data-framework-view]) is recorded and held back from the page's listeners, and
// boot.js's ready() replays it through the framework's delegated listeners, in order, once
// (docs/instant-start.md). Any error switches it off: the page then behaves as without it.
(() => {
  "use strict";
  const VIEW = "[data-framework-view]";
  const TYPES = ["pointerdown", "mousedown", "pointerup", "mouseup", "click", "auxclick", "dblclick",
    "contextmenu", "keydown", "keyup", "beforeinput", "input", "change", "submit", "focus", "blur",
    "focusin", "focusout"];
  const UNSURE = "unsure"; // a radio first seen checked by its click: unchecked before, if it changed
  const queue = []; // {event, target, and what replaying it needs}, in the order they came
  const initial = new Map(); // control -> its value or checked state before its first recorded event
  const seen = new Map(); // text field -> {value, range} at its latest recorded event
  let recording = true;
  let focused = null; // the element focus was in, by the recorded focusin/focusout
  let waiting = 0; // the timer of the "Starting…" note

  // Hydration takes the mark off a container: one seen marked stays a view until the replay.
  const views = new Set();
  function inView(target) {
    const view = target.closest(VIEW);
    if (view) views.add(view);
    for (const known of views) if (known.contains(target)) return true;
    return false;
  }

  const NOT_TEXT = /^(checkbox|radio|submit|button|reset|file|image|range|color|hidden)$/;
  const isText = (el) => el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && !NOT_TEXT.test(el.type));
  const isCheck = (el) => el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio");

  function range(el) {
    try { return [el.selectionStart, el.selectionEnd, el.selectionDirection]; } catch { return null; }
  }
  function setRange(el, value) {
    try { if (value && value[0] !== null) el.setSelectionRange(...value); } catch { /* no caret here */ }
  }

  function record(event) {
    try {
      const target = event.target;
      if (!recording || !(target instanceof Element) || !inView(target)) return;
      event.stopImmediatePropagation(); // nothing may see it before the queue is replayed
      const type = event.type;
      const entry = { event, target };
      if (type === "submit") {
        event.preventDefault();
        const last = queue[queue.length - 1];
        // A click on a submit button submits again when it is replayed: one submit, not two.
        if (last?.event.type === "click" && event.submitter?.contains(last.target)) return;
      } else if (type === "click" && target instanceof HTMLLabelElement && target.control) {
        return; // the label sends its control a click of its own, recorded as such
      }
      if (isText(target)) {
        const before = seen.get(target)?.value ?? (type === "input" ? target.defaultValue : target.value);
        if (!initial.has(target)) initial.set(target, before);
        if (type === "input") Object.assign(entry, { before, after: target.value, range: range(target) });
        seen.set(target, { value: target.value, range: range(target) });
      } else if (isCheck(target)) {
        // A click checks it before anyone sees the click; input and change follow from the click,
        // which replays them itself.
        if (type === "change" && initial.get(target) === UNSURE) initial.set(target, false);
        if (!initial.has(target)) {
          initial.set(target, type !== "click" ? target.checked : target.type === "checkbox" ? !target.checked : UNSURE);
        }
        if (type === "input" || type === "change") return;
      } else if (target instanceof HTMLSelectElement && (type === "input" || type === "change")) {
        entry.options = Array.from(target.options, (option) => option.selected);
      }
      if (type === "focusin") focused = target;
      if (type === "focusout" && focused === target) focused = null;
      queue.push(entry);
      if (!waiting && acts(event, target)) waiting = setTimeout(starting, 1000);
    } catch (error) {
      off(error);
    }
  }

  // What the user expects the app to answer (not typing, which the field shows by itself).
  function acts(event, target) {
    const type = event.type;
    if (type === "click") return !isText(target);
    if (type === "keydown") return event.key === "Enter" && !(target instanceof HTMLTextAreaElement);
    return type === "dblclick" || type === "submit" || (type === "change" && target instanceof HTMLSelectElement);
  }

  // Said only to a user who has waited on a control for about a second (boot.js removes it).
  function starting() {
    const note = document.getElementById("framework-starting");
    if (!recording || !note) return;
    note.textContent = "Starting…";
    note.hidden = false;
  }

  function stop() {
    recording = false;
    clearTimeout(waiting);
    for (const type of TYPES) removeEventListener(type, record, true);
  }

  function off(error) {
    stop();
    queue.length = 0;
    initial.clear();
    console.warn("framework: input before ready is not kept (replay.js is off):", error);
  }

  // A typed edit, applied to the value the field has now: the app may have changed it since
  // (cleared after Enter), and the user's next keys then go where they would have gone live.
  function edit(field, before, after, caret) {
    const now = field.value;
    if (now === before) {
      field.value = after;
      setRange(field, caret);
      return;
    }
    let head = 0;
    while (head < before.length && head < after.length && before[head] === after[head]) head++;
    let tail = 0;
    const room = Math.min(before.length, after.length) - head;
    while (tail < room && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
    const removed = before.slice(head, before.length - tail);
    const added = after.slice(head, after.length - tail);
    let at = now.length;
    let cut = 0;
    if (now.startsWith(before.slice(0, head))) {
      at = head;
      cut = now.startsWith(removed, at) ? removed.length : 0;
    } else if (now.endsWith(before.slice(before.length - tail))) {
      at = now.length - tail;
      if (removed && now.slice(0, at).endsWith(removed)) [at, cut] = [at - removed.length, removed.length];
    }
    field.value = now.slice(0, at) + added + now.slice(at + cut);
    setRange(field, [at + added.length, at + added.length, "none"]);
  }

  function replay() {
    if (!recording) return;
    stop();
    try {
      const dom = globalThis.__framework_dom__;
      const stale = (el) => (typeof dom?.isStale === "function" ? dom.isStale(el) : !el.isConnected);
      for (const [control, value] of initial) {
        if (stale(control)) continue;
        if (isText(control)) control.value = value;
        else control.checked = value === UNSURE ? true : value;
      }
      for (const entry of queue) {
        const { event, target } = entry;
        if (stale(target)) continue; // its row is gone: never applied to another one
        if ("after" in entry) edit(target, entry.before, entry.after, entry.range);
        if (entry.options) entry.options.forEach((on, i) => { if (target.options[i]) target.options[i].selected = on; });
        if (event.type === "submit") {
          const by = event.submitter;
          target.requestSubmit(by && !stale(by) && by.form === target ? by : undefined);
        } else {
          target.dispatchEvent(new event.constructor(event.type, event));
        }
      }
      refocus(stale);
    } catch (error) {
      console.warn("framework: replaying input before ready stopped:", error);
    } finally {
      queue.length = 0;
      initial.clear();
    }
  }

  // Hydration or the replay may have lost the focus or moved the caret the user last saw.
  function refocus(stale) {
    const field = focused;
    if (!field || stale(field)) return;
    const active = document.activeElement;
    if (!active || active === document.body) field.focus({ preventScroll: true });
    const last = seen.get(field);
    if (last && document.activeElement === field && field.value === last.value) setRange(field, last.range);
  }

  try {
    for (const type of TYPES) addEventListener(type, record, true);
    document.addEventListener("DOMContentLoaded", () => {
      try {
        for (const view of document.querySelectorAll(VIEW)) views.add(view);
      } catch (error) {
        off(error);
      }
    });
    globalThis.__framework_replay__ = { replay };
  } catch (error) {
    off(error);
  }
})();

// The floor: the jsfb contract in plain DOM code, written for this repository. Rows are cloned
// from one prepared <tr>, events are delegated to the table body, and each operation touches
// only the nodes it must. No library, no virtual DOM.
"use strict";

const ADJECTIVES = ["pretty", "large", "big", "small", "tall", "short", "long", "handsome", "plain",
  "quaint", "clean", "elegant", "easy", "angry", "crazy", "helpful", "mushy", "odd", "unsightly",
  "adorable", "important", "inexpensive", "cheap", "expensive", "fancy"];
const COLOURS = ["red", "yellow", "blue", "green", "pink", "brown", "purple", "brown", "white",
  "black", "orange"];
const NOUNS = ["table", "chair", "house", "bbq", "desk", "car", "pony", "cookie", "sandwich",
  "burger", "pizza", "mouse", "keyboard"];

const pick = (words) => words[Math.round(Math.random() * 1000) % words.length];

let nextId = 1; // never reset (the contract)
let rows = []; // { id, label, tr, labelText }
let selectedTr = null;

const tbody = document.getElementById("tbody");
const table = tbody.parentNode;
const rowTemplate = (() => {
  const tr = document.createElement("tr");
  tr.innerHTML = '<td class="col-md-1"> </td><td class="col-md-4"><a> </a></td>' +
    '<td class="col-md-1"><a><span class="glyphicon glyphicon-remove" aria-hidden="true"></span></a></td>' +
    '<td class="col-md-6"></td>';
  return tr;
})();

function makeRow(id, label) {
  const tr = rowTemplate.cloneNode(true);
  const idCell = tr.firstChild;
  const labelText = idCell.nextSibling.firstChild.firstChild;
  idCell.firstChild.nodeValue = String(id);
  labelText.nodeValue = label;
  tr.rowId = id;
  return { id, label, tr, labelText };
}

function build(count) {
  const made = new Array(count);
  for (let i = 0; i < count; i++) {
    made[i] = makeRow(nextId++, `${pick(ADJECTIVES)} ${pick(COLOURS)} ${pick(NOUNS)}`);
  }
  return made;
}

function appendRows(made) {
  const fragment = document.createDocumentFragment();
  for (const row of made) fragment.appendChild(row.tr);
  tbody.appendChild(fragment);
}

function clearRows() {
  // Detaching the body while emptying it avoids per-row layout bookkeeping.
  table.removeChild(tbody);
  tbody.textContent = "";
  table.appendChild(tbody);
  rows = [];
  selectedTr = null;
}

function replaceWith(count) {
  if (rows.length) clearRows();
  rows = build(count);
  appendRows(rows);
}

function select(tr) {
  if (selectedTr) selectedTr.className = "";
  tr.className = "danger";
  selectedTr = tr;
}

function remove(tr) {
  const index = rows.findIndex((row) => row.tr === tr);
  if (index < 0) return;
  if (selectedTr === tr) selectedTr = null;
  rows.splice(index, 1);
  tr.remove();
}

const actions = {
  run: () => replaceWith(1000),
  runlots: () => replaceWith(10000),
  add: () => { const made = build(1000); rows = rows.concat(made); appendRows(made); },
  update: () => {
    for (let i = 0; i < rows.length; i += 10) {
      const row = rows[i];
      row.label += " !!!";
      row.labelText.nodeValue = row.label;
    }
  },
  clear: clearRows,
  swaprows: () => {
    if (rows.length <= 998) return;
    const a = rows[1], b = rows[998];
    const afterB = b.tr.nextSibling;
    tbody.insertBefore(b.tr, a.tr);
    tbody.insertBefore(a.tr, afterB);
    rows[1] = b;
    rows[998] = a;
  },
};

document.getElementById("main").addEventListener("click", (event) => {
  const target = event.target;
  if (target.tagName === "BUTTON" && actions[target.id]) {
    event.preventDefault();
    actions[target.id]();
    return;
  }
  const link = target.closest("a");
  if (!link || !tbody.contains(link)) return;
  event.preventDefault();
  const tr = link.closest("tr");
  if (link.parentNode.className === "col-md-4") select(tr);
  else remove(tr);
});

// The floor: the jsfb contract in plain DOM code, written for this repository, held to the
// fastest technique known for each operation (those of jsfb's own `vanillajs-keyed`, checked
// with `python -m benchmarks.jsfb --floor-check`). A row is a deep clone of one prepared <tr>
// whose two text nodes are filled through `nodeValue`; rows are appended one by one straight
// into the table body, which is taken out of the document while an empty body is filled; clear
// is one `textContent = ""`; a label changes through its existing text node, found from its row
// when it changes (keeping 10,000 text nodes' wrappers alive would cost every create); the
// selected row is kept in a variable; swap and remove move or drop the row's own node. Button
// clicks are delegated to #main and row clicks to the table body. No library, no virtual DOM.
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
// Parallel arrays, index = position on screen: the row's <tr> and its label.
let trs = [];
let labels = [];
let selectedTr = null;

const tbody = document.getElementById("tbody");
const table = tbody.parentNode;
// Each cell that shows text holds a one-space text node, so a clone only has its value set.
const rowTemplate = document.createElement("tr");
rowTemplate.innerHTML = '<td class="col-md-1"> </td><td class="col-md-4"><a> </a></td>' +
  '<td class="col-md-1"><a><span class="glyphicon glyphicon-remove" aria-hidden="true"></span></a></td>' +
  '<td class="col-md-6"></td>';

function appendRows(count) {
  // Filling a body that is out of the document spares the browser per-row bookkeeping; a body
  // that already shows rows stays put (taking it out would repaint what is already there).
  const detach = tbody.firstChild === null;
  if (detach) tbody.remove();
  for (let i = 0; i < count; i++) {
    const label = pick(ADJECTIVES) + " " + pick(COLOURS) + " " + pick(NOUNS);
    const tr = rowTemplate.cloneNode(true);
    const idCell = tr.firstChild;
    idCell.firstChild.nodeValue = nextId++;
    labelText(tr).nodeValue = label;
    trs.push(tr);
    labels.push(label);
    tbody.appendChild(tr);
  }
  if (detach) table.appendChild(tbody);
}

function clearRows() {
  tbody.textContent = "";
  trs = [];
  labels = [];
  selectedTr = null;
}

function replaceRows(count) {
  clearRows();
  appendRows(count);
}

// The text node of a row's label: <tr> > second <td> > <a> > text.
function labelText(tr) {
  return tr.firstChild.nextSibling.firstChild.firstChild;
}

function updateEveryTenth() {
  for (let i = 0; i < labels.length; i += 10) {
    labels[i] += " !!!";
    labelText(trs[i]).nodeValue = labels[i];
  }
}

function swapRows() {
  if (trs.length <= 998) return;
  const a = trs[1], b = trs[998];
  const afterB = b.nextSibling;
  tbody.insertBefore(b, a.nextSibling);
  tbody.insertBefore(a, afterB);
  trs[1] = b; trs[998] = a;
  const label = labels[1]; labels[1] = labels[998]; labels[998] = label;
}

function select(tr) {
  if (selectedTr !== null) selectedTr.className = "";
  tr.className = "danger";
  selectedTr = tr;
}

function remove(tr) {
  const index = trs.indexOf(tr);
  if (index < 0) return;
  if (selectedTr === tr) selectedTr = null;
  trs.splice(index, 1);
  labels.splice(index, 1);
  tr.remove();
}

const actions = {
  run: () => replaceRows(1000),
  runlots: () => replaceRows(10000),
  add: () => appendRows(1000),
  update: updateEveryTenth,
  clear: clearRows,
  swaprows: swapRows,
};

document.getElementById("main").addEventListener("click", (event) => {
  const action = event.target.tagName === "BUTTON" && actions[event.target.id];
  if (action) action();
});

tbody.addEventListener("click", (event) => {
  event.stopPropagation(); // a row click is not a button click
  const cell = event.target.closest("td");
  if (cell === null) return;
  const tr = cell.parentNode;
  if (cell === tr.childNodes[1]) select(tr);
  else if (cell === tr.childNodes[2]) remove(tr);
});

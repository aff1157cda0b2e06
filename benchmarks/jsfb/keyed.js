// jsfb's keyed classification, written here: a MutationObserver on table.table records which
// <tr> nodes an operation adds and removes. Returns a function that runs `click` and resolves
// with what changed once the page has painted.
(selector) => new Promise((resolve) => {
  const table = document.querySelector("table.table");
  const before = new Set(table.querySelectorAll("tbody>tr"));
  const added = [], removed = [];
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node.nodeName === "TR") added.push(node);
      for (const node of record.removedNodes) if (node.nodeName === "TR") removed.push(node);
    }
  });
  observer.observe(table, { childList: true, subtree: true });
  const watched = globalThis.__keyed_watch__ ? document.querySelector(globalThis.__keyed_watch__) : null;
  document.querySelector(selector).click();
  requestAnimationFrame(() => setTimeout(() => {
    for (const record of observer.takeRecords()) {
      for (const node of record.addedNodes) if (node.nodeName === "TR") added.push(node);
      for (const node of record.removedNodes) if (node.nodeName === "TR") removed.push(node);
    }
    observer.disconnect();
    const after = new Set(table.querySelectorAll("tbody>tr"));
    const moved = new Set(added.filter((node) => before.has(node) && after.has(node)));
    resolve({
      rowsBefore: before.size,
      rowsAfter: after.size,
      addedNew: added.filter((node) => !before.has(node)).length,
      removedGone: removed.filter((node) => !after.has(node)).length,
      moved: moved.size,
      watchedRemoved: watched !== null && removed.includes(watched) && !after.has(watched),
    });
  }, 0));
})

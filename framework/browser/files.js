// Persistent folders (docs/files.md): Emscripten's IndexedDB file system (IDBFS) under each folder
// the app's pyscript.toml names (`[framework] persist`), loaded before the app's entry module
// runs and saved when Python asks (framework/browser/files.py) and when the page is hidden.
//
// IDBFS as Pyodide ships it, driven through its public object (FS.filesystems.IDBFS), with two
// changes:
// - Its database is named after the mount point ("/data"): two apps of one origin would share
//   it. Here each app's folder has a database of its own, named after the app's address.
// - A save first reads what the database holds (the keys and times of the saved files), an
//   IndexedDB round trip, before it creates its write transaction: a reload right after a click
//   could end the page in between, and the click's data would be lost. What the database holds
//   is what the last load or save here left in it, so it is known: the save's one readwrite
//   transaction, with every changed file in it, is created in the task that asks for the save.
//   An interrupted transaction is rolled back whole, so each folder is either as the last
//   complete save left it or as the new one has it, never a mix.
const plan = JSON.parse(document.getElementById("framework-plan")?.textContent || "{}");
const APP_ARCHIVE = "_framework/app.zip";

const databases = new Map(); // mount point -> the IndexedDB database that holds the folder
const stored = new Map(); // mount point -> {path: {timestamp}}: what that database holds
const mounts = new Map(); // mount point -> Emscripten's mount object
const channels = new Map(); // mount point -> the BroadcastChannel its saves are announced on
let IDBFS = null;
let FS = null;
// Python's rule for another tab's save (framework.files.plan_reload, set by files.py): JSON in,
// JSON out, called synchronously so nothing runs between the decision and the reload.
let planReload = null;
// Python's news of the paths that rule reloaded or removed (framework.files.record_reload):
// the app's readers of files.reloaded run again. JSON in.
let reportReload = null;

// The app's address (its folder on the server, the same for every route of the app) tells
// two apps of one origin apart; the folder tells one app's folders apart.
function databaseName(folder) {
  const page = new URL(plan.app || `./${APP_ARCHIVE}`, location.href).pathname;
  const app = page.endsWith(APP_ARCHIVE) ? page.slice(0, -APP_ARCHIVE.length) : page;
  return `framework-files:${app}:${folder}`;
}

function install(fileSystem) {
  if (IDBFS) return;
  FS = fileSystem;
  IDBFS = FS.filesystems.IDBFS;
  const openDatabase = IDBFS.getDB;
  IDBFS.getDB = (mountpoint, callback) =>
    openDatabase(databases.get(mountpoint) ?? mountpoint, (error, db) =>
      callback(error, db && recordingWrites(db)),
    );
  const readStored = IDBFS.getRemoteSet;
  IDBFS.getRemoteSet = (mount, callback) => {
    const entries = stored.get(mount.mountpoint);
    if (!entries) return readStored(mount, callback);
    IDBFS.getDB(mount.mountpoint, (error, db) =>
      error ? callback(error) : callback(null, { type: "remote", db, entries }),
    );
  };
}

// The readwrite transaction a save has just created, to commit it at once (below).
let lastWrite = null;

function recordingWrites(db) {
  if (db.frameworkRecordsWrites) return db;
  const transaction = db.transaction.bind(db);
  db.transaction = (stores, mode, ...rest) => {
    const created = transaction(stores, mode, ...rest);
    if (mode === "readwrite") lastWrite = created;
    return created;
  };
  db.frameworkRecordsWrites = true;
  return db;
}

// Left to itself, a transaction commits once the page has seen every put succeed, one round
// trip to the browser's storage later; commit() asks for it with the puts, so a tab closed
// right after the click more often keeps it (docs/files.md has the measurements).
function commitNow() {
  try {
    lastWrite?.commit?.();
  } catch {
    // not active any more (already committing): nothing to hurry
  }
  lastWrite = null;
}

function localEntries(mount) {
  let entries = null;
  IDBFS.getLocalSet(mount, (error, set) => {
    if (error) throw error;
    entries = set.entries;
  });
  return entries;
}

function syncFolder(mount, populate) {
  return new Promise((resolve, reject) =>
    IDBFS.syncfs(mount, populate, (error) => (error ? reject(asError(error)) : resolve())),
  );
}

function asError(error) {
  if (error instanceof Error || error instanceof DOMException) {
    return new Error(error.message ? `${error.name}: ${error.message}` : error.name);
  }
  return new Error(String(error?.message ?? error)); // Emscripten's ErrnoError, a string
}

// Mount `folder` and fill it with what was saved there; resolves when the files are in place.
async function mount(fileSystem, folder) {
  const started = performance.now();
  install(fileSystem);
  databases.set(folder, databaseName(folder));
  FS.mkdirTree(folder);
  const { mount: mounted } = FS.mount(IDBFS, {}, folder);
  mounts.set(folder, mounted);
  await syncFolder(mounted, true);
  stored.set(folder, localEntries(mounted)); // the files now are the database's
  // What loading the folder cost the boot, for benchmarks/files_bench.py (and DevTools).
  performance.measure(`framework-files:mount ${folder}`, { start: started });
  // Named like the database: the tabs of this app that have this folder, and no one else.
  const channel = new BroadcastChannel(databaseName(folder));
  channel.onmessage = (event) =>
    reloadChanged(folder, event.data?.paths ?? []).catch((error) =>
      console.warn(`framework: another tab's save of ${folder} was not loaded:`, error),
    );
  channels.set(folder, channel);
}

// IDBFS finds changed files by their modification time, in milliseconds: a file written again
// in the millisecond this save copied it would keep its time and not be saved next time. Such a
// file is recorded with no time (NaN equals nothing), so the next save writes it again.
function settled(entries, copiedAt) {
  const recorded = {};
  for (const [path, entry] of Object.entries(entries)) {
    recorded[path] = entry.timestamp.getTime() >= copiedAt ? { timestamp: new Date(Number.NaN) } : entry;
  }
  return recorded;
}

// The paths whose entries differ between what the database held and what is saved now
// (written, or deleted); a NaN time differs from everything, as in IDBFS's own comparison.
function changedPaths(before, now) {
  const changed = Object.keys(now).filter(
    (path) => before[path]?.timestamp.getTime() !== now[path].timestamp.getTime(),
  );
  return changed.concat(Object.keys(before).filter((path) => !(path in now)));
}

// Only the paths this save wrote change in what the database is known to hold: another tab's
// save loaded meanwhile (reloadChanged) stays known.
function recordSaved(folder, paths, entries) {
  const known = stored.get(folder);
  if (!known) return void stored.set(folder, entries); // the load failed: now it is known
  for (const path of paths) {
    if (path in entries) known[path] = entries[path];
    else delete known[path];
  }
}

// Save every mounted folder: the files as they are now, one readwrite transaction per folder,
// created before this returns. Resolves when all are committed; rejects with the first error.
// The other tabs are then told which paths changed. No Web Lock: its callback runs in a later
// task, which loses clicks when the tab closes at once; IndexedDB itself runs readwrite
// transactions on one store one after the other, across tabs (docs/files.md, "Two tabs").
function save() {
  const saves = [];
  for (const [folder, mounted] of mounts) {
    saves.push(saveFolder(folder, mounted));
  }
  return Promise.all(saves).then(() => undefined);
}

function saveFolder(folder, mounted) {
  try {
    const local = localEntries(mounted);
    const paths = changedPaths(stored.get(folder) ?? {}, local);
    const entries = settled(local, Date.now());
    lastWrite = null;
    const saved = syncFolder(mounted, false).then(() => {
      recordSaved(folder, paths, entries);
      if (paths.length) channels.get(folder)?.postMessage({ paths });
    });
    commitNow();
    return saved;
  } catch (error) {
    return Promise.reject(asError(error));
  }
}

// What the database holds now under `paths` (absent: deleted), in one read-only transaction.
function readSaved(folder, paths) {
  return new Promise((resolve, reject) =>
    IDBFS.getDB(folder, (error, db) => {
      if (error) return reject(asError(error));
      const transaction = db.transaction([IDBFS.DB_STORE_NAME], "readonly");
      const store = transaction.objectStore(IDBFS.DB_STORE_NAME);
      const found = {};
      for (const path of paths) {
        store.get(path).onsuccess = (event) => {
          if (event.target.result) found[path] = event.target.result;
        };
      }
      transaction.oncomplete = () => resolve(found);
      transaction.onerror = () => reject(asError(transaction.error));
    }),
  );
}

function timeOf(entry) {
  const time = entry?.timestamp?.getTime?.();
  return Number.isNaN(time) ? -1 : time; // NaN: "write again", which JSON cannot carry
}

function isLocalDir(path) {
  return localTime(path) !== undefined && FS.isDir(FS.lstat(path).mode);
}

function localTime(path) {
  try {
    return FS.lstat(path).mtime.getTime();
  } catch {
    return undefined; // not here
  }
}

// Another tab saved `paths` of `folder`: load the ones this tab has not changed since its last
// save (Python's rule decides and warns about the others), and know what the database holds.
async function reloadChanged(folder, paths) {
  if (!paths.length || !planReload || !stored.has(folder)) return;
  const database = await readSaved(folder, paths);
  // From here to the end, synchronous: no handler writes between the decision and the reload.
  const known = stored.get(folder);
  const facts = { paths, database: {}, saved: {}, local: {}, directories: [] };
  for (const path of paths) {
    if (path in database) facts.database[path] = timeOf(database[path]);
    if (path in known) facts.saved[path] = timeOf(known[path]);
    const time = localTime(path);
    if (time !== undefined) facts.local[path] = time;
    if (FS.isDir(database[path]?.mode ?? 0) || isLocalDir(path)) facts.directories.push(path);
  }
  const plan = JSON.parse(planReload(JSON.stringify(facts)));
  const changed = [];
  for (const path of plan.reload.sort()) {
    if (storeLocal(path, database[path])) changed.push(path); // folders first
  }
  for (const path of plan.remove.sort().reverse()) {
    if (removeLocal(path)) changed.push(path); // files first
  }
  for (const path of paths) {
    if (path in database) known[path] = { timestamp: database[path].timestamp };
    else delete known[path];
  }
  if (changed.length) reportReload?.(JSON.stringify(changed)); // last: the files are in place
}

// A file is rewritten in place (the same node: a connection open on it reads the new bytes);
// a symbolic link on either side is replaced, as writing through it would follow it.
// True once the entry is in place (IDBFS calls back before it returns).
function storeLocal(path, entry) {
  const here = localTime(path) === undefined ? null : FS.lstat(path).mode;
  if (here !== null && (FS.isLink(here) || FS.isLink(entry.mode))) FS.unlink(path);
  let stored = false;
  IDBFS.storeLocalEntry(path, entry, (error) => {
    if (error) console.warn(`framework: ${path} from another tab's save not loaded:`, error);
    stored = !error;
  });
  return stored;
}

// True if the path was here and is gone (a folder with files this tab added stays).
function removeLocal(path) {
  if (localTime(path) === undefined) return false;
  let removed = false;
  IDBFS.removeLocalEntry(path, (error) => {
    removed = !error;
  });
  return removed;
}

function setPlanner(planner, reported) {
  planReload = planner;
  reportReload = reported;
}

// The page is going away, or may be killed while hidden (a phone's background tab): save what
// was written since the last save. Nothing written: no transaction at all.
function saveBeforeLeaving() {
  if (!mounts.size) return;
  save().catch((error) => console.warn("framework: persistent folders not saved:", error));
}
addEventListener("pagehide", saveBeforeLeaving);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") saveBeforeLeaving();
});

globalThis.__framework_files__ = { mount, save, databaseName, setPlanner };

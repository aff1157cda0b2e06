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
let IDBFS = null;

// The app's address (its folder on the server, the same for every route of the app) tells
// two apps of one origin apart; the folder tells one app's folders apart.
function databaseName(folder) {
  const page = new URL(plan.app || `./${APP_ARCHIVE}`, location.href).pathname;
  const app = page.endsWith(APP_ARCHIVE) ? page.slice(0, -APP_ARCHIVE.length) : page;
  return `framework-files:${app}:${folder}`;
}

function install(FS) {
  if (IDBFS) return;
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
    return new Error(`${error.name}: ${error.message}`);
  }
  return new Error(String(error?.message ?? error)); // Emscripten's ErrnoError, a string
}

// Mount `folder` and fill it with what was saved there; resolves when the files are in place.
async function mount(FS, folder) {
  install(FS);
  databases.set(folder, databaseName(folder));
  FS.mkdirTree(folder);
  const { mount: mounted } = FS.mount(IDBFS, {}, folder);
  mounts.set(folder, mounted);
  await syncFolder(mounted, true);
  stored.set(folder, localEntries(mounted)); // the files now are the database's
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

// Save every mounted folder: the files as they are now, one readwrite transaction per folder,
// created before this returns. Resolves when all are committed; rejects with the first error.
function save() {
  const saves = [];
  for (const [folder, mounted] of mounts) {
    try {
      const entries = settled(localEntries(mounted), Date.now());
      lastWrite = null;
      saves.push(syncFolder(mounted, false).then(() => stored.set(folder, entries)));
      commitNow();
    } catch (error) {
      saves.push(Promise.reject(asError(error)));
    }
  }
  return Promise.all(saves).then(() => undefined);
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

globalThis.__framework_files__ = { mount, save, databaseName };

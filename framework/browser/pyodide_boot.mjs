// The interpreter module PyScript loads (its config's `interpreter` URL names this file): Pyodide,
// started from the memory snapshot the build made when there is a usable one, else as usual.
//
// PyScript 0.7.31 imports the module its `interpreter` URL names and calls its loadPyodide with
// its own options; it has no option for a snapshot. A snapshot holds a Python that has started
// and imported the standard modules and the framework's pure-Python modules: restoring it skips
// compiling them from source, which is most of a start. The page's plan (framework-plan) says
// where Pyodide and the snapshot are. A snapshot that is missing, made by another Pyodide, or not
// the size the plan says is never used: Python starts the usual way, with one console note.
const plan = JSON.parse(document.getElementById("framework-plan")?.textContent || "{}");
const runtime = plan.runtime || {};
const pyodideURL = new URL(runtime.pyodide, document.baseURI);
const pyodide = await import(pyodideURL.href);

export const version = pyodide.version;

// Started at once (the page preloads it: this fetch reuses that download), awaited by Python.
const snapshot = usableSnapshot(runtime.snapshot);

async function usableSnapshot(wanted) {
  if (!wanted) return null;
  if (wanted.pyodide !== version) {
    return note(`made by Pyodide ${wanted.pyodide}, this page runs ${version}`);
  }
  try {
    const response = await fetch(new URL(wanted.url, document.baseURI));
    if (!response.ok) return note(`${wanted.url} answered HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length !== wanted.bytes) {
      return note(`${wanted.url} has ${bytes.length} bytes, not ${wanted.bytes}`);
    }
    return bytes;
  } catch (error) {
    return note(`${wanted.url} could not be fetched (${error})`);
  }
}

function note(why) {
  document.documentElement.dataset.snapshot = "unused";
  console.info(`framework: starting Python without its snapshot: ${why}.`);
  return null;
}

export async function loadPyodide(options) {
  // Pyodide's own files are beside pyodide.mjs, not beside this module.
  const settings = { ...options, indexURL: new URL(".", pyodideURL).href };
  const bytes = await snapshot;
  if (bytes) {
    try {
      const py = await pyodide.loadPyodide({ ...settings, _loadSnapshot: bytes });
      // The snapshot froze random's state: every visit would draw the same numbers.
      py.runPython("import random; random.seed()");
      document.documentElement.dataset.snapshot = "restored";
      return py;
    } catch (error) {
      note(`it did not restore (${error?.message ?? error})`);
    }
  }
  return pyodide.loadPyodide(settings);
}

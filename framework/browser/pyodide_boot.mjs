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

// How this page's Python started, for diagnostics and tests: from the snapshot or not, and
// whether its calls of C functions (every builtin) take the wasm trampoline or the slow JS one.
export const started = { snapshot: null, calls: null };

export async function loadPyodide(options) {
  // Pyodide's own files are beside pyodide.mjs, not beside this module.
  const settings = { ...options, indexURL: new URL(".", pyodideURL).href };
  const bytes = await snapshot;
  if (bytes) {
    const trampoline = watchForTrampoline();
    try {
      const py = await pyodide.loadPyodide({ ...settings, _loadSnapshot: bytes });
      started.calls = putBackTrampoline(py, trampoline.seen());
      // The snapshot froze random's state: every visit would draw the same numbers.
      py.runPython("import random; random.seed()");
      document.documentElement.dataset.snapshot = started.snapshot = "restored";
      return py;
    } catch (error) {
      note(`it did not restore (${error?.message ?? error})`);
    } finally {
      trampoline.stop();
    }
  }
  started.snapshot = "unused";
  const py = await pyodide.loadPyodide(settings);
  started.calls = callPath(py);
  return py;
}

// CPython under Emscripten calls a C function whose signature it cannot know statically (every
// builtin function and method) through a trampoline. Where the browser has wasm GC, Pyodide
// makes a fast one in wasm as the module starts and stores its table index in the interpreter's
// runtime state; 0 there means the fallback, a call out to JS and back for every such call.
// Restoring a snapshot overwrites that state with the snapshot's, and the build makes the
// snapshot under Node, which has no wasm GC: a restored Python would take the JS path for good
// (the wasm one takes 9-23% off creating rows: benchmarks/RESULTS.md, 2026-12-07 19:19).
// Pyodide makes the trampoline with `new WebAssembly.Instance`, so it is seen there while
// Pyodide loads, and its index is put back once the snapshot is in.
function watchForTrampoline() {
  const Instance = WebAssembly.Instance;
  let seen = null;
  function Watched(module, imports) {
    const instance = new Instance(module, imports);
    const exported = instance.exports.trampoline_call;
    if (typeof exported === "function") seen = exported;
    return instance;
  }
  Watched.prototype = Instance.prototype;
  WebAssembly.Instance = Watched;
  return {
    seen: () => seen,
    stop: () => {
      if (WebAssembly.Instance === Watched) WebAssembly.Instance = Instance;
    },
  };
}

// Where the interpreter keeps the trampoline's table index (an index into HEAP32), or null
// when this Pyodide does not say.
function trampolineSlot(module) {
  const offsetAt = module.__PyEM_EMSCRIPTEN_TRAMPOLINE_OFFSET;
  if (typeof offsetAt !== "number" || typeof module.__PyRuntime !== "number") return null;
  return (module.__PyRuntime + module.HEAP32[offsetAt / 4]) / 4;
}

// "wasm" or "js": the trampoline Python's calls take from now on ("unknown": not found).
function callPath(py) {
  const slot = trampolineSlot(py._module);
  if (slot === null) return "unknown";
  return py._module.HEAP32[slot] === 0 ? "js" : "wasm";
}

function putBackTrampoline(py, trampoline) {
  const slot = trampolineSlot(py._module);
  // Whatever the snapshot holds is not an index into this page's table: the trampoline seen
  // while this page loaded is the one to call.
  if (slot !== null && trampoline) py._module.HEAP32[slot] = py._module.addFunction(trampoline);
  return callPath(py);
}

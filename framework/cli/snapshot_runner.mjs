// Makes the memory snapshot a page's Python starts from (framework/cli/snapshot.py).
//
//   node snapshot_runner.mjs '<config JSON>'
//
// config: {pyodide: absolute path of pyodide.mjs, wheels: [every wheel the page loads],
//          pure: [the wheels that may be in the snapshot: pure Python], modules: [modules to
//          try to import into it], extra: [standard modules to import whatever happens],
//          output: where to write the snapshot}
//
// Two interpreters. The first, started the usual way with every wheel loaded, imports the
// modules and notes which standard-library modules that pulls in: those, compiled from source
// on every visit otherwise, are most of what a snapshot saves. The second (`_makeSnapshot`)
// gets only the pure wheels, unpacked into site-packages as plain files (no package-loader state
// on the JavaScript side, which a snapshot cannot hold), imports the standard modules, then
// each module that imports without a binary extension (pydantic-core cannot be in a snapshot:
// pyodide issues 4720, 6418), and saves its memory. stdout: one JSON line saying what is in it.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

function toStderr(buffer) {
  fs.writeSync(2, buffer);
  return buffer.length;
}

const QUIET = { stdout: (line) => toStderr(line + "\n"), stderr: (line) => toStderr(line + "\n") };

// Which standard-library modules importing `modules` brings in (no site-packages, no .so file).
const FIND_STDLIB = `
import importlib, json, sys
before = set(sys.modules)
for name in json.loads(MODULES):
    try:
        importlib.import_module(name)
    except Exception:
        pass
stdlib = sys.prefix + "/lib/"
def standard(module):
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) or ""
    if origin in ("built-in", "frozen"):
        return True
    return origin.startswith(stdlib) and "site-packages" not in origin and not origin.endswith(".so")
json.dumps(sorted(n for n, m in list(sys.modules.items()) if n not in before and standard(m)))
`;

// In the snapshot's interpreter: refuse binary extensions outside the standard library, so a
// module needing one fails to import (and stays out) instead of breaking the snapshot.
const IMPORT_INTO_SNAPSHOT = `
import importlib, importlib.machinery, json, sys

class NoBinaryExtensions:
    def find_spec(self, name, path=None, target=None):
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is None:
                continue
            if isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
                raise ImportError(f"{name} is a binary extension: not in a snapshot", name=name)
            return None
        return None

blocker = NoBinaryExtensions()
sys.meta_path.insert(0, blocker)
imported, skipped = [], {}
for name in json.loads(STDLIB) + json.loads(MODULES):
    try:
        importlib.import_module(name)
        imported.append(name)
    except BaseException as error:
        skipped[name] = f"{type(error).__name__}: {error}"
sys.meta_path.remove(blocker)
importlib.invalidate_caches()
json.dumps({"imported": imported, "skipped": skipped})
`;

async function stdlibNeeded(loadPyodide, config) {
  const py = await loadPyodide(QUIET);
  await py.loadPackage(config.wheels, { messageCallback: () => {} });
  py.globals.set("MODULES", JSON.stringify(config.modules));
  return JSON.parse(py.runPython(FIND_STDLIB));
}

async function makeSnapshot(loadPyodide, config, stdlib) {
  const py = await loadPyodide({ ...QUIET, _makeSnapshot: true });
  // Where loadPackage puts them in the page: the modules' file names are the page's.
  const extractDir = py.runPython("import site; site.getsitepackages()[0]");
  for (const wheel of config.pure) {
    py.unpackArchive(new Uint8Array(fs.readFileSync(wheel)), "wheel", { extractDir });
  }
  const names = [...new Set([...config.extra, ...stdlib])];
  py.globals.set("STDLIB", JSON.stringify(names));
  py.globals.set("MODULES", JSON.stringify(config.modules));
  const report = JSON.parse(py.runPython(IMPORT_INTO_SNAPSHOT));
  py.runPython("del STDLIB, MODULES"); // no reference to a JavaScript string kept
  const partial = `${config.output}.${process.pid}.part`; // concurrent builds: last rename wins
  fs.mkdirSync(path.dirname(config.output), { recursive: true });
  const snapshot = py.makeMemorySnapshot();
  fs.writeFileSync(partial, snapshot);
  fs.renameSync(partial, config.output);
  return { ...report, bytes: snapshot.length };
}

async function main() {
  const config = JSON.parse(process.argv[2]);
  const { loadPyodide } = await import(pathToFileURL(config.pyodide).href);
  const stdlib = await stdlibNeeded(loadPyodide, config);
  const report = await makeSnapshot(loadPyodide, config, stdlib);
  fs.writeSync(1, JSON.stringify(report) + "\n");
}

main().then(
  () => process.exit(0),
  (error) => {
    fs.writeSync(2, `snapshot_runner: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);

// Runs pytest inside Pyodide (Python 3.14, the production interpreter build) under Node.
//
//   node pyodide_runner.mjs '<config JSON>'
//
// config: {pyodide: absolute path of pyodide.mjs, wheels: [absolute .whl paths],
//          mounts: [host folders, mounted at the same path so file names and nodeids match],
//          cwd, sysPath: [folders put first on sys.path], worker: path of pyodide_worker.py,
//          args: [pytest arguments], snapshot: {path, imports} or absent}
//
// Starting Python is most of a short run's time (about 1.7 s of 3.5 here). So the first run
// saves a memory snapshot of a started interpreter that has imported the standard modules pytest
// needs (`snapshot.imports`), and the next runs restore it (about 0.3 s). Only the standard
// library goes in it: packages loaded before a snapshot break it (their JavaScript references;
// binary extensions such as pydantic-core). A snapshot that fails to restore is deleted and
// Python starts the usual way.
//
// stdout carries only the worker's protocol lines (see pyodide_worker.py); everything Python
// prints goes to stderr, which the host keeps for crash reports. Offline: wheels are loaded from
// local files, never through micropip or a CDN.
import fs from "node:fs";
import path from "node:path";

import { pathToFileURL } from "node:url";

const WORKER_DIR = "/framework-worker";
const WORKER_MODULE = "_framework_pyodide_worker";

// Synchronous on purpose: Python blocks on it while the host picks the tests to run.
let pending = Buffer.alloc(0);
function readLine() {
  const chunk = Buffer.alloc(1 << 16);
  for (;;) {
    const end = pending.indexOf(0x0a);
    if (end >= 0) {
      const line = pending.subarray(0, end).toString("utf8");
      pending = pending.subarray(end + 1);
      return line;
    }
    let count;
    try {
      count = fs.readSync(0, chunk, 0, chunk.length, null);
    } catch (error) {
      if (error.code === "EAGAIN") continue;
      throw error;
    }
    if (count === 0) throw new Error("the host closed stdin before choosing the tests to run");
    pending = Buffer.concat([pending, chunk.subarray(0, count)]);
  }
}

function send(line) {
  fs.writeSync(1, line + "\n");
}

function toStderr(buffer) {
  fs.writeSync(2, buffer);
  return buffer.length;
}

async function restore(loadPyodide, snapshot, options) {
  if (!snapshot || !fs.existsSync(snapshot.path)) return null;
  try {
    const py = await loadPyodide({ ...options, _loadSnapshot: fs.readFileSync(snapshot.path) });
    // The snapshot froze random's state: every run would draw the same numbers.
    py.runPython("import random; random.seed()");
    return py;
  } catch (error) {
    fs.writeSync(2, `pyodide_runner: snapshot not usable, starting without it: ${error}\n`);
    fs.rmSync(snapshot.path, { force: true });
    return null;
  }
}

async function startAndSave(loadPyodide, snapshot, options) {
  if (!snapshot) return loadPyodide(options);
  const py = await loadPyodide({ ...options, _makeSnapshot: true });
  py.runPython(`import ${snapshot.imports.join(", ")}`);
  const partial = `${snapshot.path}.${process.pid}.part`; // concurrent runs: last rename wins
  fs.mkdirSync(path.dirname(snapshot.path), { recursive: true });
  fs.writeFileSync(partial, py.makeMemorySnapshot());
  fs.renameSync(partial, snapshot.path);
  return py;
}

// Everything Python prints goes to stderr: stdout carries the protocol lines only.
async function start(config) {
  const { loadPyodide } = await import(pathToFileURL(config.pyodide).href);
  const options = { stdout: (line) => toStderr(line + "\n") };
  const py =
    (await restore(loadPyodide, config.snapshot, options)) ??
    (await startAndSave(loadPyodide, config.snapshot, options));
  py.setStdout({ write: toStderr });
  py.setStderr({ write: toStderr });
  return py;
}

async function main() {
  const config = JSON.parse(process.argv[2]);
  const py = await start(config);
  await py.loadPackage(config.wheels, { messageCallback: () => {} });
  for (const folder of config.mounts) py.mountNodeFS(folder, folder);
  py.FS.mkdirTree(WORKER_DIR);
  py.FS.writeFile(
    path.posix.join(WORKER_DIR, `${WORKER_MODULE}.py`),
    fs.readFileSync(config.worker, "utf8"),
  );
  const sys = py.pyimport("sys");
  for (const folder of [...config.sysPath, WORKER_DIR].reverse()) sys.path.insert(0, folder);
  py.pyimport("os").chdir(config.cwd);
  const worker = py.pyimport(WORKER_MODULE);
  return worker.main(JSON.stringify(config.args), send, readLine);
}

main().then(
  () => process.exit(0),
  (error) => {
    fs.writeSync(2, `pyodide_runner: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);

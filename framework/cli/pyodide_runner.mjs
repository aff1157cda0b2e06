// Runs pytest inside Pyodide (Python 3.14, the production interpreter build) under Node.
//
//   node pyodide_runner.mjs '<config JSON>'
//
// config: {pyodide: absolute path of pyodide.mjs, wheels: [absolute .whl paths],
//          mounts: [host folders, mounted at the same path so file names and nodeids match],
//          cwd, sysPath: [folders put first on sys.path], worker: path of pyodide_worker.py,
//          args: [pytest arguments]}
//
// stdout carries only the worker's protocol lines (see pyodide_worker.py); everything Python
// prints goes to stderr, which the host keeps for crash reports. Offline: wheels are loaded from
// local files, never through micropip or a CDN.
import fs from "node:fs";
import path from "node:path";

import { startPyodide } from "./pyodide_node.mjs";

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

async function main() {
  const config = JSON.parse(process.argv[2]);
  const py = await startPyodide(config.pyodide);
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

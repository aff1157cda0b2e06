// Compiles the modules of zip archives to bytecode with Pyodide's own Python, under Node.
//
//   node pyodide_compile.mjs '<config JSON>'
//
// config: {pyodide: absolute path of pyodide.mjs, folder: a host folder holding every source
//          and target (mounted at the same path), worker: path of bytecode_worker.py,
//          jobs: [{source, target}]}
//
// It writes each target; what Python prints goes to stderr, which the host shows on failure.
import fs from "node:fs";

import { startPyodide } from "./pyodide_node.mjs";

const WORKER_DIR = "/framework-compile";

async function main() {
  const config = JSON.parse(process.argv[2]);
  const py = await startPyodide(config.pyodide);
  py.mountNodeFS(config.folder, config.folder);
  py.FS.mkdirTree(WORKER_DIR);
  py.FS.writeFile(`${WORKER_DIR}/_framework_bytecode_worker.py`, fs.readFileSync(config.worker, "utf8"));
  py.pyimport("sys").path.insert(0, WORKER_DIR);
  const worker = py.pyimport("_framework_bytecode_worker");
  worker.main(JSON.stringify({ jobs: config.jobs }));
}

main().then(
  () => process.exit(0),
  (error) => {
    fs.writeSync(2, `pyodide_compile: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);

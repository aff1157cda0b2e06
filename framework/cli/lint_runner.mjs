// Checks an app's modules with Pyodide's own Python, under Node: one start for the whole app.
//
//   node lint_runner.mjs '<config JSON>'
//
// config: {pyodide: absolute path of pyodide.mjs, framework: the framework package's folder,
//          worker: path of lint_worker.py, mounts: [host folders, mounted at the same path],
//          files: [module paths], events: [known DOM events] | null}
//
// Prints the worker's JSON list of problems on stdout; what Python prints goes to stderr.
import fs from "node:fs";

import { startPyodide } from "./pyodide_node.mjs";

const WORKER_DIR = "/framework-lint";

async function main() {
  const config = JSON.parse(process.argv[2]);
  const py = await startPyodide(config.pyodide);
  for (const folder of config.mounts) py.mountNodeFS(folder, folder);
  // The framework package alone, never its parent (a virtualenv's site-packages, say).
  py.mountNodeFS(`${WORKER_DIR}/framework`, config.framework);
  py.FS.writeFile(`${WORKER_DIR}/_framework_lint_worker.py`, fs.readFileSync(config.worker, "utf8"));
  py.pyimport("sys").path.insert(0, WORKER_DIR);
  const worker = py.pyimport("_framework_lint_worker");
  const found = worker.main(JSON.stringify({ files: config.files, events: config.events }));
  fs.writeSync(1, found + "\n");
}

main().then(
  () => process.exit(0),
  (error) => {
    fs.writeSync(2, `lint_runner: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);

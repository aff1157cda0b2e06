// Renders an app's first view ahead of time, with Pyodide's own Python, under Node.
//
//   node prerender_runner.mjs '<config JSON>'
//
// config: {pyodide: absolute path of pyodide.mjs, wheels: [absolute .whl paths the app loads],
//          framework: the framework package's folder, worker: path of prerender_worker.py,
//          root: the app's folder (mounted at the same path, so tracebacks name its files),
//          entry: the entry's absolute path, body: the page body's HTML,
//          persist: the persistent folders, made empty as on a first visit}
//
// Prints the worker's JSON answer on stdout; what Python prints goes to stderr.
import fs from "node:fs";

import { startPyodide } from "./pyodide_node.mjs";

const WORKER_DIR = "/framework-prerender";

async function main() {
  const config = JSON.parse(process.argv[2]);
  const py = await startPyodide(config.pyodide);
  if (config.wheels.length) await py.loadPackage(config.wheels, { messageCallback: () => {} });
  py.mountNodeFS(config.root, config.root);
  // The framework package alone, never its parent (a virtualenv's site-packages, say).
  py.mountNodeFS(`${WORKER_DIR}/framework`, config.framework);
  py.FS.writeFile(`${WORKER_DIR}/_framework_prerender_worker.py`, fs.readFileSync(config.worker, "utf8"));
  py.pyimport("sys").path.insert(0, WORKER_DIR);
  const worker = py.pyimport("_framework_prerender_worker");
  const { root, entry, body, persist } = config;
  const answer = worker.main(JSON.stringify({ root, entry, body, persist }));
  fs.writeSync(1, answer + "\n");
}

main().then(
  () => process.exit(0),
  (error) => {
    fs.writeSync(2, `prerender_runner: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);

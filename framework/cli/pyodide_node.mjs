// What the Node scripts that run Pyodide share: starting it with everything Python prints on
// stderr, so that stdout stays free for the script's own protocol lines.
import fs from "node:fs";
import { pathToFileURL } from "node:url";

function toStderr(buffer) {
  fs.writeSync(2, buffer);
  return buffer.length;
}

export async function startPyodide(pyodidePath) {
  const { loadPyodide } = await import(pathToFileURL(pyodidePath).href);
  const py = await loadPyodide({ stdout: (line) => toStderr(line + "\n") });
  py.setStdout({ write: toStderr });
  py.setStderr({ write: toStderr });
  return py;
}

// Page-side helpers for the Python boot: loading stages, the error overlay, the ready signal and
// live reload. Python calls these through globalThis.__framework__; no app logic lives here.
const root = document.documentElement;
const plan = JSON.parse(document.getElementById("framework-plan")?.textContent || "{}");

function loader() {
  return document.getElementById("framework-loading");
}

function stage(name) {
  root.dataset.stage = name;
  const box = loader();
  if (!box) return;
  let reached = false;
  for (const item of box.querySelectorAll("[data-stage]")) {
    const current = item.dataset.stage === name;
    item.classList.toggle("done", !reached && !current);
    item.classList.toggle("current", current);
    reached ||= current;
  }
}

function ready() {
  loader()?.remove();
  root.dataset.ready = "1";
  dispatchEvent(new CustomEvent("framework:ready"));
}

function error(text) {
  loader()?.remove();
  root.dataset.error = "1";
  console.error(text);
  let overlay = document.getElementById("framework-error");
  if (!overlay) {
    overlay = document.createElement("div");
    overlay.id = "framework-error";
    overlay.setAttribute("role", "alert");
    const title = document.createElement("header");
    title.textContent = "Python error";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.title = "Dismiss";
    close.addEventListener("click", () => overlay.remove());
    title.append(close);
    overlay.append(title);
    document.body.append(overlay);
  }
  const block = document.createElement("pre");
  block.textContent = text; // a traceback is text, never markup
  overlay.append(block);
}

globalThis.__framework__ = { stage, ready, error };
stage("runtime");

// A runtime that fails to load never reaches Python: report that here.
addEventListener("error", (event) => {
  if (root.dataset.ready !== "1") error(String(event.error?.stack || event.message));
});
addEventListener("unhandledrejection", (event) => {
  if (root.dataset.ready !== "1") error(String(event.reason?.stack || event.reason));
});

if (plan.events) {
  const source = new EventSource(plan.events);
  source.addEventListener("reload", () => location.reload());
}

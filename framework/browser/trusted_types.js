// The page's Trusted Types policies besides the sanitiser's own ("framework", sanitize.js). Under
// `require-trusted-types-for 'script'` (the dev server's CSP, framework/cli/csp.py) every HTML,
// script and script-URL sink refuses a plain string unless a policy vouches for it; these are the
// only other ways in, and each is for one caller:
//
// "default": PyScript 0.7 builds its worker hooks with Function("return(w,x)=>(...)") at start-up,
//   and Trusted Types asks the default policy about every such string. That shape passes, nothing
//   else does; its createScriptURL lets exactly the build's service worker URL through. With no
//   createHTML here, every other sink (innerHTML, eval, PyScript's display(), any other worker
//   URL; ours or an app's) is blocked by the browser.
// "framework-template": the applier's template markup, which the template parser builds from the
//   static strings of a t-string; values never reach it (they go to slots).
//
// Creating a policy can fail only under a CSP whose `trusted-types` list leaves its name out; then
// the sink it serves stays closed, which is the page's choice.

const PYSCRIPT_HOOKS = "(function anonymous(\n) {\nreturn(w,x)=>(";

function createPolicy(name, rules) {
  if (typeof trustedTypes === "undefined") return null; // a browser without Trusted Types
  try {
    return trustedTypes.createPolicy(name, rules);
  } catch (error) {
    console.warn(`Trusted Types policy "${name}" not created:`, error);
    return null;
  }
}

// The build's service worker (offline.js registers it by URL, a script-URL sink): that one URL,
// sw.js at the build's root, one level above this file.
const SERVICE_WORKER = new URL("../sw.js", import.meta.url).href;

createPolicy("default", {
  createScript: (source) => (source.startsWith(PYSCRIPT_HOOKS) ? source : null),
  createScriptURL: (url) => (url === SERVICE_WORKER ? url : null),
});

const templates = createPolicy("framework-template", { createHTML: (markup) => markup });

export function templateHTML(markup) {
  return templates === null ? markup : templates.createHTML(markup);
}

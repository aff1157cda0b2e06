"""The build's service worker, `sw.js` at its root: the app opens offline after one visit, and a
new deploy takes over only when the user accepts (docs/offline.md).

It is Workbox (the pinned npm modules the build serves under `_framework/runtime/`, loaded with
importScripts: no CDN, no bundler) with a precache list written here. Each file a visit needs is
listed with a revision, the sha256 of its content, so a returning visit downloads only the files
whose revision changed, and only when a new sw.js (byte-different because a revision changed)
is installed. The runtime's files are listed without one: their URL holds their npm version,
whose files runtime.lock.json pins; so is the snapshot, whose name is the digest of what goes
into it. The worker's install asks the HTTP cache first, which the page has just filled, so a
first visit does not download the build twice: a file without a revision is taken from it as it
is, one with a revision only if its content has that revision (else it is fetched again past
the cache, as Workbox itself would: a stale copy never enters the precache).

What the worker answers:
- a precached file: from the precache (the page at `./` is `index.html`);
- a page load of any other URL in its scope (a history-mode route, framework/cli/history.py):
  the precached fallback page `404.html`, except under `_framework/` and `api/`;
- another runtime file (PyScript's chunks that only an editor, a terminal or a TOML config
  loads: `RUNTIME_CACHED`): from a cache filled on first use, since its URL never changes
  content;
- everything else, the app's `/api/` first: not answered, the browser goes to the network.

It never skips waiting on its own and never claims pages: a new version waits until the page
asks (`{type: "SKIP_WAITING"}`, framework.apply_update()), so a page runs on one version's
files. Caches of older versions are deleted when a new one activates.

A build made with `offline = false`, and `framework serve` at `/sw.js`, give instead a worker
that removes itself (`removal_script`): a browser that installed an earlier build's worker
fetches sw.js again on its next page load, and this one unregisters, deletes the caches and
reloads the pages, which then come from the network.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from framework.cli import assets, snapshot
from framework.cli.app import BUILD_MARK, App
from framework.cli.errors import CliError

WORKER = "sw.js"
RUNTIME_DIR = f"{BUILD_MARK}/runtime/"
# Files whose URL names what they are made of: a runtime package's pinned version, a snapshot's
# digest of its inputs (snapshot.py). Precached without a revision: see the module's docstring.
VERSIONED_DIRS = (RUNTIME_DIR, f"{snapshot.URL_DIR}/")
REVISION_BYTES = 8  # of the sha256: sw.js checks a copy from the HTTP cache against it too
CACHE_PREFIX = "framework"  # every cache the worker makes starts with "framework-"
# Workbox's browser modules, in the order they need each other (each extends self.workbox).
WORKBOX_MODULES = ("workbox-core", "workbox-routing", "workbox-strategies", "workbox-precaching")
# The page's registration helper (framework/browser/offline.js imports it).
WORKBOX_WINDOW = ("workbox-window", "build/workbox-window.prod.mjs")
# PyScript's chunks a page never loads: cached if ever used, not precached.
RUNTIME_CACHED = assets.PYSCRIPT_UNUSED_CHUNKS
# Files of a build no visit fetches: host configs, and the worker itself (the browser checks it).
NOT_VISITED = ("_redirects", "_headers", f"{BUILD_MARK}/hosting/", WORKER)
FALLBACK_PAGE = "404.html"
NEVER_PAGES = (BUILD_MARK, "api")  # history.RESERVED: no route's URL starts with these


@dataclass(frozen=True)
class Precached:
    url: str  # relative to the build's root
    revision: str | None  # None: the URL itself changes when the content does

    def entry(self) -> dict[str, str | None]:
        return {"url": self.url, "revision": self.revision}


def check_app_files(app: App, written: tuple[str, ...]) -> None:
    """Refuse an app with a file at its root where the build writes its own (sw.js, the
    manifest): the app's would be lost, or served instead of the framework's."""
    taken = sorted(set(written) & {path.as_posix() for path in app.modules()})
    if taken:
        raise CliError(
            f"{app.root / taken[0]}: the build writes its own {taken[0]} (docs/offline.md), "
            "which would replace this file; rename it (and what refers to it).",
            2,
        )


def runtime_url(package: str, path: str) -> str:
    return f"{RUNTIME_DIR}{package}@{assets.npm_versions()[package]}/{path}"


def window_module() -> str:
    """workbox-window's URL, relative to `_framework/` (where offline.js is)."""
    return runtime_url(*WORKBOX_WINDOW).removeprefix(f"{BUILD_MARK}/")


def is_precached(relative: str) -> bool:
    """Whether a file of the build is one a visit may fetch: not a host config, not the worker,
    not a compressed copy (the server picks those), not a chunk only editors load."""
    name = relative.rsplit("/", 1)[-1]
    if relative.endswith((".br", ".gz")) or name.startswith(RUNTIME_CACHED):
        return False
    return not any(
        relative == skipped or (skipped.endswith("/") and relative.startswith(skipped))
        for skipped in NOT_VISITED
    )


def revision(relative: str, data: bytes) -> str | None:
    if relative.startswith(VERSIONED_DIRS):
        return None  # the URL changes with what makes the content: the URL is the revision
    return hashlib.sha256(data).hexdigest()[: REVISION_BYTES * 2]


def precache_list(files: Mapping[str, bytes]) -> list[Precached]:
    """The files to precache, sorted (the same build gives the same sw.js, which the browser
    then leaves alone)."""
    return [
        Precached(relative, revision(relative, data))
        for relative, data in sorted(files.items())
        if is_precached(relative)
    ]


def read_build(output: Path) -> dict[str, bytes]:
    """Every file of a build folder by its path in it."""
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def worker_script(entries: list[Precached]) -> str:
    """sw.js for a build with offline on."""
    imports = ",\n".join(
        f"  {json.dumps('./' + runtime_url(name, f'build/{name}.prod.js'))}"
        for name in WORKBOX_MODULES
    )
    precache = ",\n".join(f"  {json.dumps(entry.entry())}" for entry in entries)
    lazy_cache = f"{CACHE_PREFIX}-lazy-{_runtime_digest()}"
    reserved = "|".join(NEVER_PAGES)
    return f"""\
// This app's service worker, written by `framework build` (docs/offline.md). Workbox serves the
// files of this build from its precache; a new build waits until the page applies it.
const WORKBOX = [
{imports}
];
// A host may send the page's Content-Security-Policy with this file too: its Trusted Types then
// let importScripts load only URLs a policy vouches for. This one vouches for Workbox's, no more.
let scriptURLs = null;
try {{
  scriptURLs = self.trustedTypes?.createPolicy("default", {{
    createScriptURL: (url) => (WORKBOX.includes(url) ? url : null),
  }});
}} catch (error) {{
  console.warn("framework: no Trusted Types policy for the service worker:", error);
}}
importScripts(...WORKBOX.map((url) => (scriptURLs ? scriptURLs.createScriptURL(url) : url)));

workbox.core.setCacheNameDetails({{ prefix: {json.dumps(CACHE_PREFIX)} }});

// Every file a visit needs, with the sha256 of its content (none: the URL holds a version).
const PRECACHE = [
{precache}
];

// Workbox fetches a file with a revision past the HTTP cache, so a first visit would download
// each one twice (the page just did). Here the HTTP cache is asked first, and its copy kept only
// if its content has the revision; a stale one is fetched again past the cache, and if that is
// not this version's either (a deploy under way), the install fails: the browser tries again on
// a later page load, and meanwhile the version in use goes on alone.
const REVISIONS = new Map(
  PRECACHE.filter((file) => file.revision)
    .map((file) => [new URL(file.url, location.href).href, file.revision]),
);
async function revisionOf(response) {{
  const body = await response.clone().arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  const hex = (byte) => byte.toString(16).padStart(2, "0");
  return Array.from(digest.slice(0, {REVISION_BYTES}), hex).join("");
}}
workbox.precaching.addPlugins([
  {{
    requestWillFetch: async ({{ request }}) =>
      REVISIONS.has(request.url) && request.mode !== "navigate"
        ? new Request(request, {{ cache: "default" }})
        : request,
    fetchDidSucceed: async ({{ request, response }}) => {{
      const expected = REVISIONS.get(request.url);
      if (!expected || !response.ok || (await revisionOf(response)) === expected) return response;
      const fresh = await fetch(request.url, {{ cache: "reload", credentials: "same-origin" }});
      if (fresh.ok && (await revisionOf(fresh)) !== expected) {{
        throw new Error(`${{request.url}} is not the one this version lists: not installed`);
      }}
      return fresh;
    }},
  }},
]);
workbox.precaching.precacheAndRoute(PRECACHE);
workbox.precaching.cleanupOutdatedCaches();

// A page load of a route's URL (history mode) gets the fallback page, as the host would answer.
const scope = new URL(self.registration.scope).pathname;
const escaped = scope.replace(/[.*+?^${{}}()|[\\]\\\\]/g, "\\\\$&");
workbox.routing.registerRoute(
  new workbox.routing.NavigationRoute(
    workbox.precaching.createHandlerBoundToURL({json.dumps(FALLBACK_PAGE)}),
    {{ denylist: [new RegExp("^" + escaped + "(?:{reserved})(?:/|$)")] }},
  ),
);

// The runtime's chunks only editors and terminals load: kept once fetched (versioned URLs).
const LAZY_CACHE = {json.dumps(lazy_cache)};
const LAZY_PREFIX = {json.dumps(CACHE_PREFIX + "-lazy-")};
workbox.routing.registerRoute(
  ({{ url }}) => url.pathname.startsWith(scope + {json.dumps(RUNTIME_DIR)}),
  new workbox.strategies.CacheFirst({{ cacheName: LAZY_CACHE }}),
);
self.addEventListener("activate", (event) => {{
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(
        names
          .filter((name) => name.startsWith(LAZY_PREFIX) && name !== LAZY_CACHE)
          .map((name) => caches.delete(name)),
      ),
    ),
  );
}});

// A new version waits (no skipWaiting on install) until the page applies it.
self.addEventListener("message", (event) => {{
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
}});
"""


def removal_script() -> str:
    """A worker that removes itself: for `framework serve` and builds with offline off."""
    return f"""\
// No service worker here (`framework serve`, or a build made with `offline = false`): this one
// replaces a build's worker left on this origin, deletes its caches, unregisters and reloads
// the pages it took over, which then come from the network (docs/offline.md).
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {{
  event.waitUntil(
    (async () => {{
      const names = await caches.keys();
      const ours = names.filter((name) => name.startsWith({json.dumps(CACHE_PREFIX + "-")}));
      await Promise.all(ours.map((name) => caches.delete(name)));
      await self.registration.unregister();
      const pages = await self.clients.matchAll({{ type: "window" }});
      for (const page of pages) page.navigate(page.url);
    }})(),
  );
}});
"""


def _runtime_digest() -> str:
    versions = json.dumps(sorted(assets.npm_versions().items()))
    return hashlib.sha256(versions.encode()).hexdigest()[:12]

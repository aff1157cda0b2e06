"""A strict Content-Security-Policy for the pages the dev server sends.

Scripts run only with the response's fresh nonce (and what those scripts load: 'strict-dynamic');
WebAssembly compiles without allowing eval ('wasm-unsafe-eval'); no plugins; no <base> rewrites.
So HTML injected into the page cannot run script (inline `<script>` or `on*=` handlers),
whatever slips through.

Trusted Types are enforced (`require-trusted-types-for 'script'`): every HTML sink (innerHTML,
insertAdjacentHTML, DOMParser ...), every string turned into code and every script URL needs a
policy's blessing, and only four policies may exist (framework/browser/trusted_types.js,
sanitize.js and view.js): "framework", DOMPurify's parse inside dangerous_html();
"framework-template", the template markup the applier builds from the static strings of
t-strings; "framework-view", the user's last view parsed inertly by view.js, which uses it only
when the markup holds nothing that runs (no script, no on* handler, no javascript: URL, nothing
PyScript executes) and the build that saved it is the page's; "default", which lets
exactly one shape of string through Function(): the worker hooks PyScript 0.7 composes at start-up
(it does not boot without them), and one script URL: a build's service worker (docs/offline.md).
Any other sink, the framework's, PyScript's (`display()`,
`pyscript.web`'s innerHTML, workers) or an app's, is blocked by the browser.

'unsafe-eval' stays: Trusted Types decide which strings may become code, CSP whether any may;
PyScript's Function(...) needs both.
"""

from __future__ import annotations

import secrets

TRUSTED_TYPES_POLICIES = ("framework", "framework-template", "framework-view", "default")


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


# Every directive but script-src: the same for the dev server and a build's host (headers.py).
RESTRICTIONS = (
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
    "require-trusted-types-for 'script'",
    f"trusted-types {' '.join(TRUSTED_TYPES_POLICIES)}",
)


def policy(nonce: str) -> str:
    script_src = f"script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval' 'unsafe-eval'"
    return "; ".join([script_src, *RESTRICTIONS])

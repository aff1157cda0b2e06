"""A strict Content-Security-Policy for the pages the dev server sends.

Scripts run only with the response's fresh nonce (and what those scripts load: 'strict-dynamic');
WebAssembly compiles without allowing eval ('wasm-unsafe-eval'); no plugins; no <base> rewrites.
So HTML injected into the page cannot run script (inline `<script>` or `on*=` handlers),
whatever slips through.

'unsafe-eval' is the one concession: PyScript 0.7's core composes its plugin hooks with
`Function(...)` at start-up and does not boot without it. It lets the page's own scripts turn
strings into code; it does not let injected markup run. For the same reason Trusted Types
(`require-trusted-types-for 'script'`) is not enforced: that `Function(...)` call is one of its
sinks.
"""

from __future__ import annotations

import secrets


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def policy(nonce: str) -> str:
    return "; ".join(
        [
            f"script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval' 'unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'self'",
        ]
    )

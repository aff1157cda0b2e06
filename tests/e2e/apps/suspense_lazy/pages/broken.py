"""A lazy route's module that fails when imported: the route shows the error boundary."""

raise RuntimeError("pages.broken fails on purpose")

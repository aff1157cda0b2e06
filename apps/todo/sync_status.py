"""SyncStatusLine: a discreet line saying where the list stands with the server, if it syncs."""

from string.templatelib import Template

from model import Todos

from framework import Component, Store


class SyncStatusLine(Component):
    """`Sync: synced`, `Sync: pending 2`, `Sync: offline`, `Sync: error: ...`; nothing when the
    list does not sync (opened without `?sync`, see main.py)."""

    # Only the page knows whether it syncs: the prerendered first view leaves the line out,
    # and hydration puts it in without reporting a mismatch.
    client_only = True

    store: Store[Todos]

    def render(self) -> Template:
        status = self.store.status
        if status is None:
            return t""
        return t"""<p class="sync-status" data-state={status.state}>Sync: {str(status)}</p>"""

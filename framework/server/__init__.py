"""Host-side server code for an app's `server.py`: never shipped to the browser (the framework
wheel leaves this package out, like framework/cli).

`SyncServer` serves synced stores (docs/sync.md, "The server"): the stores' copies, a WebSocket
endpoint at /api/sync, identity and authorisation hooks, limits, and a SQLite file.
"""

from __future__ import annotations

from framework.server.sync import (
    SYNC_PATH,
    StoreCopy,
    SyncedStore,
    SyncLimits,
    SyncServer,
    default_database,
)

__all__ = ["SYNC_PATH", "StoreCopy", "SyncLimits", "SyncServer", "SyncedStore", "default_database"]

"""The TO-DO app's server: the todo list synced between the devices of one browser identity.

`framework serve` runs this file on the host and mounts `api` under /api, so the list is served
at ws(s)://<host>/api/sync; a page opened with `?sync` syncs with it (main.py). The schema is
the page's own `Todo` (model.py), so both sides validate a change alike. Never shipped to the
browser. The database is $FRAMEWORK_SYNC_DATABASE, else a file in the user's data folder
(docs/sync.md, "Storage").
"""

from model import SYNCED_STORE, Todo

from framework.server import SyncServer

sync = SyncServer()
todos = sync.store(SYNCED_STORE, list[Todo])  # one copy per identity: a browser's own list
api = sync.api()

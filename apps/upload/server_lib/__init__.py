"""Host-side helpers of the upload app's `server.py` (CPython; never shipped to the browser).

One concept per module: `settings` (configuration from the environment), `names` (display names
a client cannot abuse), `kinds` (allowed file types and their signatures), `errors` (JSON errors
a person can act on), `guard` (writes from our own pages only), `form` (a streaming,
size-counting multipart/urlencoded reader), `storage` (generated names, atomic commit, listing),
`routes` (the Starlette app).
"""

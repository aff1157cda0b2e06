"""Examples from Brython's documentation (aio, ajax, local/session storage), verbatim."""

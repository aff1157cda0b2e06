"""The two browser chores of export and import: save text as a download, read a picked file.

The app (not the framework core) may use the browser directly; these are the only two places.
The browser modules are imported when used, so the rest of the app runs in tests without one.
"""

from typing import Any


def download(text: str, filename: str) -> None:
    """Offer text as a file download, as if the user clicked a link to it."""
    from pyodide.ffi import to_js
    from pyscript import document, window

    options = to_js({"type": "application/json"}, dict_converter=window.Object.fromEntries)
    blob = window.Blob.new(to_js([text]), options)
    url = window.URL.createObjectURL(blob)
    link = document.createElement("a")
    link.href, link.download = url, filename
    link.click()
    window.URL.revokeObjectURL(url)


async def read_picked_file(event: Any) -> tuple[str, str] | None:
    """(name, text) of the file chosen in an `<input type="file">`, or None when cancelled."""
    picker = event.currentTarget
    files = picker.files
    if not files or files.length == 0:
        return None
    chosen = files.item(0)
    text = await chosen.text()
    picker.value = ""  # picking the same file again is a new change
    return str(chosen.name), str(text)

"""The persistent folders of `[framework] persist`, in IndexedDB (framework/browser/files.js).

`mount_persistent_folders` runs before the app's entry module: each folder is mounted and filled
with what was saved there, so the entry's first line can read it. Then the core's save
scheduling (framework.files) is pointed at the browser: a save is one JavaScript call that
creates the IndexedDB transaction at once, and its promise's failure becomes an OSError.
When another tab of the app saves, files.js asks the core's rule (`plan_reload`) which of the
changed files to load into this tab, and once they are in place says which ones changed
(`record_reload`: the app's `files.reloaded` readers run again).

A folder whose saved files cannot be read (IndexedDB blocked or broken) is still mounted, empty,
and the page says so in a warning: the app runs, and `files.save()` raises the reason.

`BrowserQuota` reports the origin's storage use and asks for persistent storage.
`BrowserTransfers` moves bytes to and from the user for export and import: a download made from
a Blob, and the bytes of the file picked in an `<input type="file">`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Sequence
from typing import Any

import js
import pyodide_js
from pyodide.ffi import JsException, create_proxy, to_js

from framework.files import plan_reload, record_reload, save_error, set_folder_saver

__all__ = ["BrowserFolders", "BrowserQuota", "BrowserTransfers", "mount_persistent_folders"]


class BrowserFolders:
    """The mounted folders, saved through files.js (a `framework.files.FolderSaver`)."""

    def __init__(self, folders: Sequence[str]) -> None:
        self._folders = tuple(folders)

    def folders(self) -> tuple[str, ...]:
        return self._folders

    def start_save(self) -> Awaitable[None]:
        # Called now, so the transaction is created in the caller's task; awaited later.
        return _as_os_error(js.__framework_files__.save())


async def _as_os_error(promise: Any) -> None:
    try:
        await promise
    except JsException as error:
        raise save_error(f"the persistent folders could not be saved: {error}") from None


async def mount_persistent_folders(plan: dict[str, Any]) -> None:
    """Mount and load the folders the plan names (none: nothing to do, no save scheduling)."""
    folders = [str(folder) for folder in plan.get("persist") or []]
    if not folders:
        return
    # Before the first mount: another tab's save may be announced as soon as one is loaded.
    # Both kept for the page's life: files.js holds them.
    planner, reported = create_proxy(_plan_reload_json), create_proxy(_reloaded_json)
    js.__framework_files__.setPlanner(planner, reported)
    for folder in folders:
        try:
            await js.__framework_files__.mount(pyodide_js.FS, folder)
        except JsException as error:
            js.__framework__.warn(
                f"The persistent folder {folder} could not be loaded ({error}): it starts "
                "empty, and what the app writes there will not survive a reload."
            )
    set_folder_saver(BrowserFolders(folders))


def _plan_reload_json(facts_json: str) -> str:
    """files.js's question after another tab's save, answered by the core's rule."""
    facts = json.loads(facts_json)
    plan = plan_reload(
        facts["paths"], facts["database"], facts["saved"], facts["local"], facts["directories"]
    )
    return json.dumps({"reload": plan.reload, "remove": plan.remove, "kept": plan.kept})


def _reloaded_json(paths_json: str) -> None:
    """files.js's report that the paths are reloaded or removed here: the app is told."""
    record_reload(json.loads(paths_json))


class BrowserTransfers:
    """Downloads and picked files (a `framework.files.FileTransfers`)."""

    def download(self, name: str, data: bytes, media_type: str) -> None:
        options = to_js({"type": media_type}, dict_converter=js.Object.fromEntries)
        blob = js.Blob.new(to_js([to_js(data)]), options)
        url = js.URL.createObjectURL(blob)
        link = js.document.createElement("a")
        link.href = url
        link.download = name
        link.click()
        # The download has taken the Blob's bytes when the click returns (Chromium, Firefox);
        # a moment later is safe everywhere and frees them soon.
        js.setTimeout(js.URL.revokeObjectURL.bind(js.URL, url), 1000)

    async def read_picked(self, event: Any) -> tuple[str, bytes] | None:
        picker = event.currentTarget
        picked = picker.files
        if not picked or picked.length == 0:
            return None
        chosen = picked.item(0)
        buffer = await chosen.arrayBuffer()  # a JsBuffer: copied out in one call
        picker.value = ""  # picking the same file again is a new change
        return str(chosen.name), buffer.to_bytes()


class BrowserQuota:
    """The origin's storage, from `navigator.storage` (a `framework.files.StorageQuota`)."""

    async def estimate(self) -> tuple[int, int]:
        found = await js.navigator.storage.estimate()
        return int(found.usage or 0), int(found.quota or 0)

    async def persist(self) -> bool:
        return bool(await js.navigator.storage.persist())

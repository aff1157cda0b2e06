"""The upload page: pick or drop files, check and preview them, upload with progress, cancel,
retry; below, the files stored on the server.

State: the picked files (`entries`, each with its own signals, see entry.py), the limits the
server announced, and the server's list. Each row re-renders alone when its file progresses.
"""

import asyncio
from string.templatelib import Template
from typing import Any

import files_api
from entry import ACTIVE, CANCELLED, DONE, FAILED, READY, RETRYABLE, UPLOADING, WAITING, Entry
from preview import read_preview
from row import UploadRow
from rules import Limits, human_size, problem_with
from stored import StoredList

from framework import Component, Signal, aio

PARALLEL_UPLOADS = 3


class UploadApp(Component):
    def setup(self) -> None:
        self.entries: Signal[list[Entry]] = Signal([])
        self.limits = Signal(Limits())
        self.stored: Signal[list[files_api.StoredFile]] = Signal([])
        self.loading = Signal(True)
        self.notice = Signal("")  # a failed list, delete or limits request
        self.skip_checks = Signal(False)
        self.dragging = Signal(False)
        self.slots = asyncio.Semaphore(PARALLEL_UPLOADS)

    def mounted(self) -> None:
        aio.run(self.start())

    async def start(self) -> None:
        try:
            self.limits.value = await files_api.load_limits()
        except OSError as error:
            self.notice.value = f"The server's limits could not be read ({error}); using defaults."
        await self.refresh()

    async def refresh(self) -> None:
        try:
            self.stored.value = await files_api.list_stored()
        except (OSError, files_api.ApiError) as error:
            self.notice.value = f"The list of stored files could not be loaded: {error}"
        finally:
            self.loading.value = False

    # -- adding files --------------------------------------------------------------------------

    def picked(self, event: Any) -> None:
        picker = event.currentTarget
        self.add_files(picker.files)
        picker.value = ""  # picking the same file again is a new change

    def drag_over(self) -> None:
        self.dragging.value = True

    def drag_leave(self) -> None:
        self.dragging.value = False

    def dropped(self, event: Any) -> None:
        self.dragging.value = False
        self.add_files(event.dataTransfer.files)

    def add_files(self, files: Any) -> None:
        limits = self.limits.value
        added: list[Entry] = []
        for index in range(files.length):
            file = files.item(index)
            problem = problem_with(str(file.name), int(file.size), limits)
            entry = Entry(file, None if self.skip_checks.value else problem)
            if problem and self.skip_checks.value:
                entry.message.value = f"Sent unchecked (the server decides): {problem}"
            added.append(entry)
            aio.run(self.load_preview(entry))
        self.entries.value = [*self.entries.value, *added]

    async def load_preview(self, entry: Entry) -> None:
        entry.preview.value = await read_preview(entry.file)

    # -- uploading -----------------------------------------------------------------------------

    def upload_all(self) -> None:
        for entry in self.entries.value:
            if entry.status.value == READY:
                self.start_upload(entry)

    def start_upload(self, entry: Entry) -> None:
        entry.status.value, entry.message.value = WAITING, ""
        entry.loaded.value = 0
        entry.task = aio.run(self.upload(entry))

    async def upload(self, entry: Entry) -> None:
        try:
            async with self.slots:
                entry.status.value = UPLOADING
                request = await files_api.send_file(entry.file, entry.report)
        except asyncio.CancelledError:
            entry.finish(CANCELLED, "Cancelled: nothing of it was kept on the server.")
            raise
        except OSError as error:  # NetworkError, RequestTimeout
            entry.finish(FAILED, f"{error}. Check the connection and retry.")
            return
        if request.status == 201:
            stored = request.data["files"][0]
            entry.finish(DONE, f"Stored as “{stored['name']}” ({human_size(stored['size'])}).")
            await self.refresh()
        else:
            entry.finish(FAILED, files_api.error_message(request))

    def find(self, key: int) -> Entry | None:
        return next((entry for entry in self.entries.value if entry.key == key), None)

    def cancel(self, key: int) -> None:
        entry = self.find(key)
        if entry is not None and entry.task is not None:
            entry.task.cancel()

    def cancel_all(self) -> None:
        for entry in self.entries.value:
            if entry.task is not None:
                entry.task.cancel()

    def retry(self, key: int) -> None:
        entry = self.find(key)
        if entry is not None and entry.status.value in RETRYABLE:
            self.start_upload(entry)

    def remove(self, key: int) -> None:
        self.cancel(key)
        self.entries.value = [entry for entry in self.entries.value if entry.key != key]

    def clear_finished(self) -> None:
        self.entries.value = [e for e in self.entries.value if e.status.value != DONE]

    # -- stored files --------------------------------------------------------------------------

    def delete(self, file_id: str) -> None:
        aio.run(self.delete_stored(file_id))  # emit() calls handlers synchronously

    async def delete_stored(self, file_id: str) -> None:
        try:
            await files_api.delete_stored(file_id)
        except (OSError, files_api.ApiError) as error:
            self.notice.value = f"The file could not be deleted: {error}"
        await self.refresh()

    # -- the page ------------------------------------------------------------------------------

    def overall(self) -> tuple[int, int, int]:
        """(percent, files done, files in this round) over files being or already uploaded."""
        round_ = [e for e in self.entries.value if e.status.value in (*ACTIVE, DONE)]
        loaded = sum(e.fraction * e.size for e in round_)
        total = sum(e.size for e in round_)
        done = sum(1 for e in round_ if e.status.value == DONE)
        return (round(100 * loaded / total) if total else 0), done, len(round_)

    def render(self) -> Template:
        entries = self.entries.value
        limits = self.limits.value
        percent, done, count = self.overall()
        ready = any(e.status.value == READY for e in entries)
        active = any(e.status.value in ACTIVE for e in entries)
        rows = [
            UploadRow(entry=e, key=e.key, on_cancel=self.cancel, on_retry=self.retry,
                      on_remove=self.remove)
            for e in entries
        ]  # fmt: skip
        return t"""<main class="upload-app">
  <h1>Upload files</h1>
  <p class="notice" role="alert" ?hidden={not self.notice.value}>{self.notice.value}</p>
  <section class={["dropzone", "dragging" if self.dragging.value else ""]}
           ondragover.prevent={self.drag_over} ondragleave={self.drag_leave}
           ondrop.prevent={self.dropped}>
    <p>Drop files here, or</p>
    <label class="pick">Choose files
      <input id="picker" type="file" multiple accept={limits.accept} onchange={self.picked}>
    </label>
    <p class="limits">{limits.describe()}</p>
    <label class="skip"><input id="skip-checks" type="checkbox" bind:checked={self.skip_checks}>
      Skip the checks in the browser (to see the server refuse)</label>
  </section>
  <section class="queue" ?hidden={not entries}>
    <div class="queue-actions">
      <button id="upload-all" ?disabled={not ready} onclick={self.upload_all}>Upload</button>
      <button id="cancel-all" ?disabled={not active} onclick={self.cancel_all}>Cancel all</button>
      <button id="clear-done" ?disabled={not done} onclick={self.clear_finished}>
        Clear uploaded</button>
    </div>
    <div class="overall" ?hidden={not count}>
      <progress id="overall-progress" max="100" value={percent}></progress>
      <span id="overall-text">{done} of {count} uploaded ({percent}%)</span>
    </div>
    <ul class="uploads">{rows}</ul>
  </section>
  <section class="server">
    <h2>On the server</h2>
    {StoredList(files=self.stored.value, loading=self.loading.value, on_delete=self.delete)}
  </section>
</main>"""

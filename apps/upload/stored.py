"""The files stored on the server: name, size, time, a download link and a delete button."""

from datetime import UTC, datetime
from string.templatelib import Template

from files_api import StoredFile, download_url
from rules import human_size

from framework import Component, keyed


def stored_time(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class StoredList(Component):
    """Emits `delete(id)`."""

    files: list[StoredFile]
    loading: bool = False

    def render(self) -> Template:
        if not self.files:
            empty = "Loading the list…" if self.loading else "No files on the server yet."
            return t'<p class="stored-empty">{empty}</p>'
        rows = [keyed(item["id"], self.row(item)) for item in self.files]
        return t"""<table class="stored">
  <thead><tr><th>Name</th><th>Size</th><th>Uploaded</th><th></th></tr></thead>
  <tbody>{rows}</tbody>
</table>"""

    def row(self, item: StoredFile) -> Template:
        file_id = item["id"]
        return t"""<tr data-id={file_id}>
  <td class="name">{item["name"]}</td>
  <td class="size">{human_size(item["size"])}</td>
  <td class="time">{stored_time(item["created"])}</td>
  <td class="actions">
    <a class="download" href={download_url(file_id)} download={item["name"]}>Download</a>
    <button class="delete" onclick={(lambda: self.emit("delete", file_id))}>Delete</button>
  </td>
</tr>"""

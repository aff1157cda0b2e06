"""One picked file: name, size, state, its progress bar, its preview, and what can be done next."""

from string.templatelib import Template

from entry import ACTIVE, CANCELLED, DONE, FAILED, INVALID, READY, RETRYABLE, UPLOADING, Entry
from rules import human_size

from framework import Component

LABELS = {
    INVALID: "Not sent",
    READY: "Ready",
    "waiting": "Waiting",
    UPLOADING: "Uploading",
    DONE: "Uploaded",
    FAILED: "Failed",
    CANCELLED: "Cancelled",
}


class UploadRow(Component):
    """Emits `cancel(key)`, `retry(key)` and `remove(key)`."""

    entry: Entry

    def render(self) -> Template:
        entry = self.entry
        status = entry.status.value
        percent = round(100 * entry.fraction)
        shows_progress = status in (UPLOADING, DONE) or (status in RETRYABLE and percent > 0)
        alert = "alert" if status in (INVALID, FAILED) else None
        return t"""<li class={["upload", status]} data-key={entry.key}>
  <div class="upload-head">
    <span class="name">{entry.name}</span>
    <span class="size">{human_size(entry.size)}</span>
    <span class="status">{LABELS[status]}{f" {percent}%" if status == UPLOADING else ""}</span>
  </div>
  <progress class="file-progress" max="100" value={percent} ?hidden={not shows_progress}></progress>
  <p class="message" role={alert} ?hidden={not entry.message.value}>{entry.message.value}</p>
  {self.preview()}
  <div class="actions">{self.actions(status)}</div>
</li>"""

    def preview(self) -> Template | None:
        shown = self.entry.preview.value
        if shown is None:
            return None
        if shown.kind == "image":
            alt = f"Preview of {self.entry.name}"
            return t'<img class="preview" alt={alt} src={shown.content}>'
        if shown.kind == "text":
            return t'<pre class="preview">{shown.content}</pre>'
        return t'<p class="preview none">{shown.content}</p>'

    def actions(self, status: str) -> Template:
        if status in ACTIVE:
            return t'<button class="cancel" onclick={self.cancel}>Cancel</button>'
        if status in RETRYABLE:
            return t"""<button class="retry" onclick={self.retry}>Retry</button>
<button class="remove" onclick={self.remove}>Remove</button>"""
        return t'<button class="remove" onclick={self.remove}>Remove</button>'

    def cancel(self) -> None:
        self.emit("cancel", self.entry.key)

    def retry(self) -> None:
        self.emit("retry", self.entry.key)

    def remove(self) -> None:
        self.emit("remove", self.entry.key)

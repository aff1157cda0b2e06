"""StorageLine: how much of the browser's storage this site uses, and asking to keep it."""

from string.templatelib import Template

from framework import Component, Signal, files, resource

UNITS = ("bytes", "KB", "MB", "GB", "TB")


def human_size(size: float) -> str:
    """`512 bytes`, `1.5 MB`: powers of 1,000, as browsers and disks count."""
    unit = 0
    while size >= 1000 and unit < len(UNITS) - 1:
        size /= 1000
        unit += 1
    return f"{size:.0f} {UNITS[unit]}" if unit == 0 else f"{size:.1f} {UNITS[unit]}"


async def measure(changes: int) -> tuple[int, int]:
    """(used, quota) after the writes so far are saved, so they are counted."""
    await files.save()
    return await files.usage()


class StorageLine(Component):
    """Needs the browser (the storage estimate is the browser's): not prerendered."""

    client_only = True
    changes: int = 0

    def setup(self) -> None:
        self.usage = resource(measure, source=lambda: self.changes)
        self.kept = Signal[bool | None](None)

    async def keep(self) -> None:
        self.kept.value = await files.persist()

    def render(self) -> Template:
        if self.usage.error is not None:
            line: object = f"Storage: {self.usage.error}"
        elif self.usage.value is None:
            line = "Storage: measuring…"
        else:
            used, quota = self.usage.value
            line = f"Storage: {human_size(used)} used of {human_size(quota)} for this site."
        kept = {
            None: None,
            True: " The browser will keep these notes when the disk runs short.",
            False: " The browser did not promise to keep them: export them now and then.",
        }[self.kept.value]
        return t"""<p class="storage">{line}{kept}
  <button class="keep" onclick={self.keep} ?hidden={self.kept.value is not None}
          >Ask the browser to keep these notes</button></p>"""

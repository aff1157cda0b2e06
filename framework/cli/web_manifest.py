"""The web app manifest of a build: what makes the app installable (docs/offline.md).

Written as `manifest.webmanifest` at the build's root from the `[framework]` keys: `title` (the
name), `short_name`, `theme_color` and `icons`, the app's own PNG or SVG files. Without icons a
default one is drawn (icons.py) at 192 and 512 px under `_framework/icons/`. Every URL in it is
relative to the manifest, so the build works under any path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from framework.cli import icons
from framework.cli.app import BUILD_MARK, App
from framework.cli.config import key_error

MANIFEST = "manifest.webmanifest"
ICON_DIR = f"{BUILD_MARK}/icons"
# Chromium offers to install an app only with an icon at least this large (or an SVG).
MIN_INSTALL_ICON = 144
BACKGROUND = "#ffffff"


@dataclass(frozen=True)
class Icon:
    src: str  # relative to the build's root (and so to the manifest)
    sizes: str  # "192x192", or "any" for an SVG
    type: str
    data: bytes | None = None  # the bytes to write, for a generated icon; None: an app file

    def entry(self) -> dict[str, str]:
        return {"src": self.src, "sizes": self.sizes, "type": self.type, "purpose": "any"}


def app_icons(app: App) -> list[Icon]:
    """The app's own icons, checked: each a file of the app, a PNG (its size read from it) or
    an SVG, and one large enough for Chromium to offer installing the app."""
    shipped = {path.as_posix() for path in app.modules()}
    found: list[Icon] = []
    for name in app.config.framework.icons:
        relative = PurePosixPath(name.removeprefix("./")).as_posix()
        if relative not in shipped:
            raise key_error(
                app.config_path,
                "framework.icons",
                f"{name!r} is not a file of the app ({app.root}): give a path inside the app "
                'folder, as in icons = ["icon-512.png"]',
            )
        found.append(_icon_of(app, relative))
    if found and not any(_installable(icon) for icon in found):
        raise key_error(
            app.config_path,
            "framework.icons",
            f"no icon is at least {MIN_INSTALL_ICON}x{MIN_INSTALL_ICON} px, so browsers would not "
            "offer to install the app: add a 512x512 PNG (or an SVG), or leave `icons` out for "
            "the default icon",
        )
    return found


def _icon_of(app: App, relative: str) -> Icon:
    if relative.lower().endswith(".svg"):
        return Icon(relative, "any", "image/svg+xml")
    size = icons.png_size((app.root / relative).read_bytes())
    if size is None:
        raise key_error(
            app.config_path,
            "framework.icons",
            f"{relative!r} is not a PNG image (its first bytes are not a PNG header): "
            "export it as PNG, or give an SVG",
        )
    return Icon(relative, f"{size[0]}x{size[1]}", "image/png")


def _installable(icon: Icon) -> bool:
    if icon.sizes == "any":
        return True
    width, height = (int(side) for side in icon.sizes.split("x"))
    return width == height and width >= MIN_INSTALL_ICON


def default_icons(app: App) -> list[Icon]:
    color = app.config.framework.theme_color
    return [
        Icon(
            f"{ICON_DIR}/icon-{size}.png",
            f"{size}x{size}",
            "image/png",
            icons.default_icon(size, color),
        )
        for size in icons.DEFAULT_SIZES
    ]


def build_icons(app: App) -> list[Icon]:
    """The icons the manifest lists: the app's own, else the generated default ones."""
    return app_icons(app) or default_icons(app)


def manifest(app: App, listed: list[Icon]) -> dict[str, Any]:
    """The manifest's fields: opened at the build's root, standalone, in the app's colours."""
    framework = app.config.framework
    data: dict[str, Any] = {
        "name": app.title,
        "short_name": framework.short_name or app.title,
        "id": "./",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": BACKGROUND,
        "icons": [icon.entry() for icon in listed],
    }
    if framework.theme_color:
        data["theme_color"] = framework.theme_color
    return data


def manifest_text(app: App, listed: list[Icon]) -> str:
    return json.dumps(manifest(app, listed), indent=1, ensure_ascii=False) + "\n"


def written_icons(listed: list[Icon]) -> dict[str, bytes]:
    """The generated icons' files, by their path in the build."""
    return {icon.src: icon.data for icon in listed if icon.data is not None}

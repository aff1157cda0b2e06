"""The web app manifest a build writes (framework/cli/web_manifest.py) from `[framework]` keys,
and the errors those keys give, each naming the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.cli import icons, page, web_manifest
from framework.cli.app import find_app
from framework.cli.config import ConfigError


def make_app(folder: Path, framework_keys: str, files: dict[str, bytes] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.py").write_text("print('hi')\n")
    (folder / "pyscript.toml").write_text(f'name = "notes"\n\n[framework]\n{framework_keys}')
    for name, data in (files or {}).items():
        (folder / name).write_bytes(data)
    return folder


def manifest_of(folder: Path) -> dict[str, object]:
    app = find_app(str(folder))
    return web_manifest.manifest(app, web_manifest.build_icons(app))


def test_the_manifest_makes_the_app_installable_from_the_build_root(tmp_path: Path) -> None:
    folder = make_app(
        tmp_path / "notes", 'title = "My notes"\nshort_name = "Notes"\ntheme_color = "#b83f45"\n'
    )
    data = manifest_of(folder)
    assert {key: data[key] for key in ("name", "short_name", "start_url", "scope", "display")} == {
        "name": "My notes",
        "short_name": "Notes",
        "start_url": "./",  # relative: the build works under any path
        "scope": "./",
        "display": "standalone",
    }
    assert data["theme_color"] == "#b83f45"
    assert data["icons"] == [
        {"src": f"_framework/icons/icon-{size}.png", "sizes": f"{size}x{size}",
         "type": "image/png", "purpose": "any"}
        for size in (192, 512)
    ]  # fmt: skip


def test_without_a_short_name_or_colour_the_title_and_the_browsers_default_serve(
    tmp_path: Path,
) -> None:
    data = manifest_of(make_app(tmp_path / "notes", 'title = "My notes"\n'))
    assert data["short_name"] == "My notes"
    assert "theme_color" not in data


def test_the_apps_own_icons_are_listed_with_the_size_read_from_them(tmp_path: Path) -> None:
    files = {"big.png": icons.default_icon(256), "logo.svg": b"<svg/>"}
    folder = make_app(tmp_path / "notes", 'icons = ["big.png", "./logo.svg"]\n', files)
    assert manifest_of(folder)["icons"] == [
        {"src": "big.png", "sizes": "256x256", "type": "image/png", "purpose": "any"},
        {"src": "logo.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
    ]


def test_a_build_page_links_the_manifest_and_the_theme_colour(tmp_path: Path) -> None:
    app = find_app(str(make_app(tmp_path / "notes", 'theme_color = "#123"\n')))
    tags = page.head_tags(app, dev=False)
    assert '<link rel="manifest" href="./manifest.webmanifest">' in tags
    assert '<meta name="theme-color" content="#123">' in tags
    assert "manifest" not in page.head_tags(app)  # `serve` has none to link


@pytest.mark.parametrize(
    ("keys", "files", "line", "message"),
    [
        ('theme_color = "red"\n', {}, 4, "'red' is not a colour the manifest can hold"),
        ('theme_color = "#12345"\n', {}, 4, 'write it as "#rrggbb"'),
        ('short_name = "  "\n', {}, 4, "an empty name"),
        ('icons = ["logo.gif"]\n', {}, 4, "'logo.gif' is not a PNG or SVG file"),
        ('offline = "sometimes"\n', {}, 4, "valid boolean"),
        ('\nicons = ["missing.png"]\n', {}, 5, "'missing.png' is not a file of the app"),
        ('icons = ["fake.png"]\n', {"fake.png": b"GIF89a"}, 4, "'fake.png' is not a PNG image"),
        (
            'icons = ["small.png"]\n',
            {"small.png": icons.default_icon(64)},
            4,
            "no icon is at least 144x144 px",
        ),
    ],
)
def test_a_key_the_manifest_cannot_use_is_an_error_at_its_line(
    tmp_path: Path, keys: str, files: dict[str, bytes], line: int, message: str
) -> None:
    folder = make_app(tmp_path / "notes", keys, files)
    with pytest.raises(ConfigError) as raised:
        manifest_of(folder)
    text = str(raised.value)
    assert text.startswith(f"{folder / 'pyscript.toml'}:{line}: key 'framework."), text
    assert message in text

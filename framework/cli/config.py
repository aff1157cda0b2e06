"""`pyscript.toml`, validated with pydantic; errors name the file, the line and the key.

The keys are PyScript's own (passed through to PyScript) plus a `[framework]` table of ours, which
is stripped before PyScript sees the config.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from framework.cli.errors import CliError

CONFIG_NAME = "pyscript.toml"


class ConfigError(CliError):
    """pyscript.toml is malformed or holds a key or value we cannot use."""


class FrameworkSection(BaseModel):
    """Our own `[framework]` table."""

    model_config = ConfigDict(extra="forbid")

    app: str | None = Field(
        default=None, description="The app folder, relative to this file (default: its folder)."
    )
    entry: str = Field(default="main.py", description="The module that starts the app.")
    title: str | None = Field(default=None, description="The page title of a generated page.")
    stylesheets: list[str] = Field(
        default_factory=list,
        description="CSS files for the page: the app's own (`style.css`) or a runtime package's "
        "(`todomvc-app-css/index.css`), in order.",
    )
    prerender: bool = Field(
        default=True,
        description="Render the app's first view ahead of time and put it in the page, so it "
        "shows before Python starts (docs/instant-start.md).",
    )
    save_view: bool = Field(
        default=True,
        description="Keep each user's last view in their browser's localStorage and show it on "
        "their next visit before Python starts (docs/instant-start.md). Turn it off for a page "
        "whose content must not stay on a shared computer.",
    )
    persist: list[str] = Field(
        default_factory=list,
        description="Folders of the browser's file system whose files survive a reload "
        '(`["/data"]`): loaded before the entry module runs, saved after each event handler '
        "(docs/files.md).",
    )
    offline: bool = Field(
        default=True,
        description="`framework build` writes a service worker that keeps every file of the "
        "build, so the app opens offline after one visit and updates only when the user accepts "
        "(docs/offline.md). `framework serve` never uses one.",
    )
    short_name: str | None = Field(
        default=None,
        description="The app's name under its icon once installed (default: the title).",
    )
    theme_color: str | None = Field(
        default=None,
        description="The colour of the browser's toolbar and of the installed app's window, "
        'as "#rrggbb".',
    )
    icons: list[str] = Field(
        default_factory=list,
        description="The app's own icons (PNG or SVG files of the app) for the web app manifest; "
        "without any, a default icon is generated (docs/offline.md).",
    )

    @field_validator("short_name")
    @classmethod
    def _short_name_is_not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError('an empty name: give a few letters, as in short_name = "Todos"')
        return value

    @field_validator("theme_color")
    @classmethod
    def _theme_color_is_hex(cls, value: str | None) -> str | None:
        if value is not None and not HEX_COLOR.fullmatch(value):
            raise ValueError(
                f'{value!r} is not a colour the manifest can hold: write it as "#rrggbb" or '
                f'"#rgb", as in {THEME_COLOR_EXAMPLE}'
            )
        return value

    @field_validator("icons")
    @classmethod
    def _icons_are_images(cls, icons: list[str]) -> list[str]:
        for icon in icons:
            if PurePosixPath(icon).suffix.lower() not in ICON_SUFFIXES:
                raise ValueError(
                    f"{icon!r} is not a PNG or SVG file: icons are the app's own .png or .svg "
                    'files, as in icons = ["icon-192.png", "icon-512.png"]'
                )
        return icons

    @field_validator("persist", mode="before")
    @classmethod
    def _persist_is_a_list_of_strings(cls, value: object) -> object:
        if not isinstance(value, list):
            raise ValueError(f"expected a list of folders, as in {PERSIST_EXAMPLE} (got {value!r})")
        for item in value:
            if not isinstance(item, str):
                raise ValueError(f"each folder is a string, as in {PERSIST_EXAMPLE} (got {item!r})")
        return value

    @field_validator("persist")
    @classmethod
    def _persist_folders_are_safe(cls, folders: list[str]) -> list[str]:
        for folder in folders:
            problem = persist_folder_problem(folder)
            if problem:
                raise ValueError(problem)
        folders = [str(PurePosixPath(folder)) for folder in folders]  # "/data/" is "/data"
        for folder in folders:
            for other in folders:
                if folder != other and _inside(PurePosixPath(other), PurePosixPath(folder)):
                    raise ValueError(
                        f"{other!r} is inside {folder!r}, which persists already: list {folder!r} "
                        "alone"
                    )
        if len(set(folders)) != len(folders):
            raise ValueError("a folder is listed twice: list each once")
        return folders


HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
THEME_COLOR_EXAMPLE = 'theme_color = "#b83f45"'
ICON_SUFFIXES = (".png", ".svg")

# What Pyodide and the framework own in the browser's file system: a persistent folder there
# (or above it) would hide the runtime's files or the app's own. The app's files are unpacked
# into Python's working folder, /home/pyodide (framework/browser/bootstrap.py).
RESERVED_FOLDERS = (
    "/bin", "/dev", "/etc", "/home/pyodide", "/home/web_user", "/lib", "/proc", "/tmp", "/usr",  # noqa: S108
)  # fmt: skip
PERSIST_EXAMPLE = 'persist = ["/data"]'


def _inside(path: PurePosixPath, folder: PurePosixPath) -> bool:
    return path == folder or folder in path.parents


def persist_folder_problem(folder: str) -> str | None:
    """Why `folder` cannot be a persistent folder, with what to write instead; None if it can."""
    path = PurePosixPath(folder)
    if not path.is_absolute():
        return (
            f"{folder!r} is not an absolute path: write it from the root, as in {PERSIST_EXAMPLE}"
        )
    if ".." in path.parts or "." in folder.split("/") or folder.startswith("//"):
        return (
            f"{folder!r} has '.', '..' or '//' in it: write the folder it means, "
            f"as in {PERSIST_EXAMPLE}"
        )
    if path == PurePosixPath("/"):
        return f"'/' is the whole file system: name a folder of its own, as in {PERSIST_EXAMPLE}"
    for reserved in map(PurePosixPath, RESERVED_FOLDERS):
        if _inside(path, reserved) or _inside(reserved, path):
            return (
                f"{folder!r} overlaps {reserved}, which the runtime or the app's own files use "
                f"({', '.join(RESERVED_FOLDERS)} are taken): use a new top-level folder, as in "
                f"{PERSIST_EXAMPLE}"
            )
    return None


class PyScriptConfig(BaseModel):
    """The PyScript keys an app may set. Unknown keys are refused, so typos surface early."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    description: str | None = None
    version: str | None = None
    packages: list[str] = Field(default_factory=list)
    files: dict[str, str] = Field(default_factory=dict)
    fetch: list[dict[str, Any]] = Field(default_factory=list)
    js_modules: dict[str, dict[str, str]] = Field(default_factory=dict)
    debug: bool = False
    experimental_create_proxy: str | None = None
    framework: FrameworkSection = Field(default_factory=FrameworkSection)

    def for_pyscript(self) -> dict[str, Any]:
        """The config handed to PyScript: our table and the packages (we load those) left out."""
        data = self.model_dump(exclude={"framework", "packages"}, exclude_defaults=True)
        return data


def load_config(path: Path) -> PyScriptConfig:
    """Read and validate a pyscript.toml; a missing file means all defaults."""
    if not path.is_file():
        return PyScriptConfig()
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_syntax_message(path, text, exc)) from exc
    try:
        return PyScriptConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_validation_message(path, text, exc)) from exc


def key_error(path: Path, key: str, detail: str) -> ConfigError:
    """An error about a key's value found after loading (a file it names is missing, ...),
    naming the file and the line that sets it, like the loader's own errors."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return ConfigError(f"{path}:{_line_of(text, key.split('.'))}: key '{key}': {detail}")


def _syntax_message(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> str:
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    line_no = int(match.group(1)) if match else 0
    reason = re.sub(r"\s*\(at line.*\)$", "", str(exc))
    line = text.splitlines()[line_no - 1] if 0 < line_no <= len(text.splitlines()) else ""
    key = line.split("=", 1)[0].strip() or "?"
    return (
        f"{path}:{line_no}: key '{key}': not valid TOML: {reason}.\n"
        f"    {line.strip()}\n"
        "Fix the line: values need quotes, lists use [ ... ], tables use [name]."
    )


def _validation_message(path: Path, text: str, exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        # A list item's position is not a key: `framework.persist[1]` is on persist's line.
        location = [str(part) for part in error["loc"] if not isinstance(part, int)]
        key = ".".join(location) + "".join(f"[{p}]" for p in error["loc"] if isinstance(p, int))
        line_no = _line_of(text, location)
        if error["type"] == "extra_forbidden":
            known = ", ".join(_known_keys(location[:-1]))
            detail = f"unknown key. Known keys here: {known}"
        elif error["type"] == "value_error":  # our own validators say what to write instead
            detail = str(error["msg"]).removeprefix("Value error, ")
        else:
            detail = f"{error['msg']} (got {error.get('input')!r})"
        lines.append(f"{path}:{line_no}: key '{key}': {detail}")
    return "\n".join(lines)


def _known_keys(parent: list[str]) -> list[str]:
    model: type[BaseModel] = PyScriptConfig
    if parent == ["framework"]:
        model = FrameworkSection
    return sorted(model.model_fields)


def _line_of(text: str, location: list[str]) -> int:
    """The line that sets the key at `location` (best effort: tables and dotted keys)."""
    table: str = ""
    wanted_table = ".".join(location[:-1])
    leaf = location[-1] if location else ""
    first_top = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[+\s*([^\]]+?)\s*\]+", line)
        if header:
            table = header.group(1)
            continue
        key = line.split("=", 1)[0].strip().strip('"')
        if not key or line.startswith("#") or "=" not in line:
            continue
        if table == wanted_table and key == leaf:
            return number
        if table == "" and key in (location[0], ".".join(location)) and not first_top:
            first_top = number
    return first_top or 1

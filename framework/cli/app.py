"""An app: a folder with `main.py`, an optional `pyscript.toml` and an optional `index.html`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath

from framework.cli import assets, wheels
from framework.cli.config import CONFIG_NAME, ConfigError, PyScriptConfig, load_config
from framework.cli.errors import CliError

# Files of an app folder that never reach the browser (server_lib/: host helpers of server.py).
PRIVATE_NAMES = frozenset(
    {"server.py", "server_lib", "__pycache__", "tests", ".git", "node_modules"}
)
BUILD_MARK = "_framework"  # every built folder has it (page.PREFIX; page imports this module)


@dataclass(frozen=True)
class App:
    root: Path
    config_path: Path
    config: PyScriptConfig

    @property
    def entry(self) -> Path:
        return self.root / self.config.framework.entry

    @property
    def index_html(self) -> Path | None:
        page = self.root / "index.html"
        return page if page.is_file() else None

    @property
    def title(self) -> str:
        return self.config.framework.title or self.config.name or self.root.name

    def modules(self) -> list[Path]:
        """Every file shipped to the browser, relative to the root, in a stable order.

        A symlink that leads out of the root is left out: it would ship files from elsewhere.
        So is the output of `framework build` kept inside the app (`-o dist` is the default).
        """
        inside = self.root.resolve()
        return sorted(
            path.relative_to(self.root)
            for path in self.root.rglob("*")
            if path.is_file()
            and not _is_private(path.relative_to(self.root))
            and not _in_build_output(self.root, path.relative_to(self.root))
            and path.resolve().is_relative_to(inside)
        )

    def browser_wheels(self) -> list[assets.Wheel]:
        """Wheels to load: those named in `packages`, those the app's modules import, and
        those the framework modules it uses import (Store needs pydantic)."""
        wanted = wheels.wheel_names(self.root, self.modules(), self.config.packages)
        return [w for w in assets.wheels("browser") if w.name in wanted]

    def missing_packages(self) -> list[wheels.MissingPackage]:
        """Imports of the app that no wheel, stdlib or runtime module provides."""
        return wheels.missing_packages(self.root, self.modules())


def _is_private(relative: Path) -> bool:
    parts = relative.parts
    return (
        any(part in PRIVATE_NAMES or part.startswith(".") for part in parts)
        or relative.name in (CONFIG_NAME, "index.html")
        or relative.suffix in (".pyc", ".pyo")
    )


def _in_build_output(root: Path, relative: Path) -> bool:
    """True inside a folder that `framework build` wrote: it holds _framework/ (page.PREFIX)."""
    folders = relative.parents[:-1]  # dist/_framework/x.js -> dist/_framework, dist
    return any((root / folder / BUILD_MARK).is_dir() for folder in folders)


def find_app(target: str | None, cwd: Path | None = None) -> App:
    """Resolve the APP argument: a folder, or (none given) the current folder's pyscript.toml."""
    base = (cwd or Path.cwd()).resolve()
    folder = (base / target).resolve() if target else base
    if not folder.is_dir():
        raise CliError(
            f"app folder '{target}' does not exist (looked for {folder}). "
            "Give a folder that holds main.py, e.g. `framework serve apps/todo`.",
            exit_code=2,
        )
    config_path = folder / CONFIG_NAME
    config = load_config(config_path)
    root = folder
    if config.framework.app:
        root = (folder / config.framework.app).resolve()
        if not root.is_dir():
            raise ConfigError(
                f"{config_path}: key 'framework.app': "
                f"folder '{config.framework.app}' does not exist."
            )
        config_path, config = _follow_pointer(config_path, config, root)
    app = App(root=root, config_path=config_path, config=config)
    if not app.entry.is_file():
        raise CliError(
            f"'{folder}' is not an app: it has no {config.framework.entry}. "
            "An app is a folder with main.py; create one with `framework new NAME`.",
            exit_code=2,
        )
    return app


def _follow_pointer(
    pointer_path: Path, pointer: PyScriptConfig, root: Path
) -> tuple[Path, PyScriptConfig]:
    """A pyscript.toml whose `framework.app` names a folder with its own pyscript.toml is only a
    pointer: the app's own file is its config, so `serve` and `serve FOLDER` run the same app."""
    own_path = root / CONFIG_NAME
    if not own_path.is_file():
        return pointer_path, pointer
    extra = pointer.model_dump(exclude_defaults=True)
    extra["framework"] = {k: v for k, v in extra.get("framework", {}).items() if k != "app"}
    keys = sorted(k for k, v in extra.items() if v)
    if keys:
        raise ConfigError(
            f"{pointer_path}: key '{keys[0]}': this file points at {root} (framework.app), "
            f"which has its own {CONFIG_NAME}; move the setting there."
        )
    return own_path, load_config(own_path)


def module_name(relative: PurePath | str) -> str:
    """The module an app file is imported as: `pages/settings.py` -> `pages.settings`; a
    package's `__init__.py` is the package."""
    parts = list(PurePosixPath(relative).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)

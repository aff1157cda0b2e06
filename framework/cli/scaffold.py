"""`framework new NAME`: a working app with one component and one test."""

from __future__ import annotations

import re
from pathlib import Path

from framework.cli.errors import CliError

TEMPLATE_DIR = Path(__file__).parent / "scaffold"


def new_app(name: str, parent: Path) -> Path:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", name):
        raise CliError(
            f"'{name}' is not a usable app name: use letters, digits, '-' and '_', "
            "starting with a letter.",
            exit_code=2,
        )
    target = parent / name
    if target.exists():
        raise CliError(f"{target} already exists; choose another name.", exit_code=2)
    for source in sorted(TEMPLATE_DIR.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        relative = source.relative_to(TEMPLATE_DIR)
        destination = target / str(relative).removesuffix(".tmpl")
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(source.read_text(encoding="utf-8").replace("{{name}}", name))
    return target

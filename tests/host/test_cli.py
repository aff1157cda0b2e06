"""The `framework` command line: check, new, build and the errors a user sees."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from framework.cli import page
from framework.cli.app import find_app
from framework.cli.main import main


def framework(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m framework ARGS` as a user would."""
    command = [sys.executable, "-m", "framework", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def make_app(folder: Path, config: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.py").write_text("from pyscript import document\n")
    if config is not None:
        (folder / "pyscript.toml").write_text(config)
    return folder


def test_help_lists_the_commands() -> None:
    done = framework("--help")
    assert done.returncode == 0
    for command in ("serve", "build", "check", "new", "setup"):
        assert command in done.stdout


@pytest.mark.parametrize("command", ["serve", "build", "check"])
def test_unknown_app_folder_is_a_clear_error_with_exit_code_2(tmp_path: Path, command: str) -> None:
    done = framework(command, "no_such_app", cwd=tmp_path)
    assert done.returncode == 2
    assert "app folder 'no_such_app' does not exist" in done.stderr
    assert "Traceback" not in done.stderr


def test_folder_without_main_py_is_not_an_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["check", str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err
    assert "has no main.py" in err
    assert "framework new" in err


def test_good_app_passes_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = make_app(tmp_path / "good", 'name = "good"\npackages = ["pydantic"]\n')
    assert main(["check", str(app)]) == 0
    assert f"{app / 'pyscript.toml'}: ok" in capsys.readouterr().out


def test_app_without_config_passes_check(tmp_path: Path) -> None:
    assert main(["check", str(make_app(tmp_path / "bare"))]) == 0


@pytest.mark.parametrize(
    ("config", "where", "explanation"),
    [
        pytest.param('name = "demo"\ndescription = "oops\n', ":2: key 'description'",
                     "not valid TOML", id="syntax-error"),
        pytest.param('name = "demo"\n\npackages = "pydantic"\n', ":3: key 'packages'",
                     "valid list", id="string-for-list"),
        pytest.param('name = "demo"\npakages = ["pydantic"]\n', ":2: key 'pakages'",
                     "unknown key", id="unknown-key"),
        pytest.param('name = "demo"\n[framework]\ntitle = "x"\nentry = 3\n',
                     ":4: key 'framework.entry'", "valid string", id="nested-wrong-type"),
        pytest.param('[framework]\nentyr = "app.py"\n', ":2: key 'framework.entyr'",
                     "unknown key", id="nested-unknown-key"),
        *(
            pytest.param(f'name = "demo"\n[framework]\ntitle = "x"\npersist = {value}\n',
                         ":4: key 'framework.persist'", explanation, id=f"persist-{name}")
            for name, value, explanation in [
                ("not-a-list", '"/data"', 'expected a list of folders, as in persist = ["/data"]'),
                ("not-a-string", "[3]", 'each folder is a string, as in persist = ["/data"]'),
                ("relative", '["data"]', "not an absolute path: write it from the root"),
                ("root", '["/"]', "'/' is the whole file system: name a folder of its own"),
                ("dot-dot", '["/data/../lib"]', "'..' or '//' in it: write the folder it means"),
                ("double-slash", '["//data"]', "'..' or '//' in it: write the folder it means"),
                ("runtime-lib", '["/lib/data"]', "overlaps /lib, which the runtime"),
                ("tmp", '["/tmp"]', "overlaps /tmp, which the runtime"),
                ("dev", '["/dev/shm"]', "overlaps /dev, which the runtime"),
                ("proc", '["/proc"]', "overlaps /proc, which the runtime"),
                ("usr", '["/usr/share"]', "overlaps /usr, which the runtime"),
                ("app-files", '["/home/pyodide/data"]', "overlaps /home/pyodide"),
                ("above-app-files", '["/home"]', "overlaps /home/pyodide"),
                ("nested", '["/data", "/data/db"]',
                 "'/data/db' is inside '/data', which persists already: list '/data' alone"),
                ("twice", '["/data", "/data/"]', "listed twice"),
            ]
        ),
    ],
)  # fmt: skip
def test_bad_config_names_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, where: str, explanation: str
) -> None:
    app = make_app(tmp_path / "bad", config)
    assert main(["check", str(app)]) == 1
    err = capsys.readouterr().err
    assert f"{app / 'pyscript.toml'}{where}" in err
    assert explanation in err


@pytest.mark.parametrize(
    ("value", "folders"),
    [("[]", []), ('["/data"]', ["/data"]), ('["/data/", "/notes/db"]', ["/data", "/notes/db"]),
     ('["/home/me"]', ["/home/me"])],
)  # fmt: skip
def test_persistent_folders_reach_the_page(tmp_path: Path, value: str, folders: list[str]) -> None:
    app = find_app(str(make_app(tmp_path / "ok", f"[framework]\npersist = {value}\n")))
    assert main(["check", str(app.root)]) == 0
    assert app.config.framework.persist == folders
    assert page.boot_plan(app, live_reload=False)["persist"] == folders
    assert ("_framework/files.js" in page.head_tags(app)) == bool(folders)


def test_unknown_key_lists_the_known_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(tmp_path / "typo", "pakages = []\n")
    assert main(["check", str(app)]) == 1
    assert re.search(r"Known keys here: .*packages", capsys.readouterr().err)


def test_bad_config_is_exit_code_1_from_the_command(tmp_path: Path) -> None:
    make_app(tmp_path / "bad", 'packages = "pydantic"\n')
    done = framework("check", "bad", cwd=tmp_path)
    assert done.returncode == 1
    assert "pyscript.toml:1: key 'packages'" in done.stderr
    assert "Traceback" not in done.stderr


def test_new_creates_an_app_that_passes_check(tmp_path: Path) -> None:
    done = framework("new", "hello_app", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "framework serve hello_app" in done.stdout
    app = tmp_path / "hello_app"
    assert (app / "main.py").is_file()
    assert (app / "pyscript.toml").is_file()
    assert (app / "tests" / "test_app.py").is_file()
    assert not list(app.rglob("*.tmpl"))
    assert "{{name}}" not in "".join(p.read_text() for p in app.rglob("*") if p.is_file())
    assert 'name = "hello_app"' in (app / "pyscript.toml").read_text()
    assert framework("check", "hello_app", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("name", ["1app", "my app", "../escape", ""])
def test_new_refuses_a_bad_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", name]) == 2
    assert list(tmp_path.iterdir()) == []


def test_new_does_not_overwrite_an_existing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make_app(tmp_path / "taken")
    assert main(["new", "taken"]) == 2
    assert (tmp_path / "taken" / "main.py").read_text() == "from pyscript import document\n"


def test_build_writes_a_self_contained_folder(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app", 'name = "built"\n')
    (app / "main.py").write_text("import pydantic\n")
    (app / "logo.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("TOP-SECRET")
    (app / "leak.txt").symlink_to(tmp_path / "secret.txt")
    out = tmp_path / "dist"

    done = framework("build", "app", "-o", "dist", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert re.search(r"a first visit downloads \d+\.\d MB", done.stdout)
    html = (out / "index.html").read_text()
    assert "http://" not in html
    assert "https://" not in html
    for url in re.findall(r'(?:src|href)="\./([^"]+)"', html):
        assert (out / url).is_file(), url
    assert (out / page.APP_ZIP).is_file()
    assert (out / "logo.svg").is_file()
    assert list(out.glob(f"{page.WHEELS}/pydantic_core-*.whl"))
    assert not (out / "leak.txt").exists()
    assert not (out / "pyscript.toml").exists()


def test_a_build_inside_the_app_folder_is_not_shipped_with_the_app(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app")
    for _ in range(2):  # the second build sees the first one in the app folder
        done = framework("build", cwd=app)  # default: -o dist, inside the app
        assert done.returncode == 0, done.stderr
        with zipfile.ZipFile(app / "dist" / page.APP_ZIP) as archive:
            sources = [name for name in archive.namelist() if "__pycache__/" not in name]
            assert sources == ["main.py"]  # beside its bytecode
    assert find_app(None, cwd=app).modules() == [Path("main.py")]  # what serve ships


@pytest.mark.parametrize("output", ["precious", "app", "."])
def test_build_never_wipes_a_folder_that_is_not_a_build(tmp_path: Path, output: str) -> None:
    app = make_app(tmp_path / "app")
    (app / "index.html").write_text("<html><body>my page</body></html>")
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "notes.txt").write_text("keep me")

    done = framework("build", "app", "-o", output, cwd=tmp_path)

    assert done.returncode == 2
    assert "choose" in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "precious" / "notes.txt").read_text() == "keep me"
    assert (app / "index.html").read_text() == "<html><body>my page</body></html>"
    assert (app / "main.py").is_file()


def test_build_replaces_a_previous_build(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app")
    assert framework("build", "app", "-o", "dist", cwd=tmp_path).returncode == 0
    (app / "extra.css").write_text("p {}")
    (tmp_path / "dist" / "stale.txt").write_text("old")

    assert framework("build", "app", "-o", "dist", cwd=tmp_path).returncode == 0

    assert (tmp_path / "dist" / "extra.css").is_file()
    assert not (tmp_path / "dist" / "stale.txt").exists()

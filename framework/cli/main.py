"""The `framework` command: serve, build, preview, check, test, new, setup."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from framework.cli.errors import CliError

DEFAULT_HOST = "127.0.0.1"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="framework", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve an app with live reload")
    serve.add_argument("app", nargs="?", help="app folder (default: this folder's pyscript.toml)")
    serve.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-reload", action="store_true", help="no live reload")

    build = commands.add_parser("build", help="write a static folder that runs without us")
    build.add_argument("app", nargs="?")
    build.add_argument("-o", "--output", default="dist", help="output folder (default dist)")
    build.add_argument(
        "--base",
        default="/",
        help="the URL path the site is served under (default /; e.g. /apps/todo/)",
    )

    preview = commands.add_parser(
        "preview", help="serve a build folder locally with the headers a production host sends"
    )
    preview.add_argument("folder", nargs="?", default="dist", help="the build (default dist)")
    preview.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default 127.0.0.1)")
    preview.add_argument("--port", type=int, default=8080)

    check = commands.add_parser(
        "check", help="validate pyscript.toml, compile every module, lint the templates"
    )
    check.add_argument("app", nargs="?")
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one `file:line:col: message` line per problem; json: a list, for editors",
    )

    test = commands.add_parser("test", help="run the app's tests/ inside Pyodide (no browser)")
    test.add_argument("app", nargs="?")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed on to pytest")

    new = commands.add_parser("new", help="create an app with one component and one test")
    new.add_argument("name")

    setup = commands.add_parser("setup", help="fetch the runtime and wheels now (offline later)")
    setup.add_argument("--force", action="store_true", help="fetch everything again")
    setup.add_argument("--tests", action="store_true", help="also the wheels for Pyodide tests")
    return parser


def _serve(args: argparse.Namespace) -> int:
    from framework.cli.server import serve

    if args.host in ("0.0.0.0", "::"):  # noqa: S104 - detecting it, to warn
        print(
            f"framework: warning: binding {args.host} exposes the dev server to your network.",
            file=sys.stderr,
        )
    serve(args.app, args.host, args.port, live_reload=not args.no_reload)
    return 0


def _build(args: argparse.Namespace) -> int:
    from framework.cli import headers, nginx_config
    from framework.cli.api import API_PREFIX, SERVER_MODULE
    from framework.cli.app import find_app
    from framework.cli.build import build

    app = find_app(args.app)
    report = build(app, Path(args.output).resolve(), base=args.base)
    print(
        f"framework: built {report.files} files into {report.output}\n"
        f"framework: a first visit downloads {report.first_visit_bytes / 1e6:.1f} MB "
        f"(uncompressed; {report.total_bytes / 1e6:.1f} MB in the folder), "
        f"{report.first_visit_compressed_bytes / 1e6:.1f} MB compressed (brotli); after a change "
        f"to the app a returning visit downloads {report.returning_visit_bytes / 1e3:.0f} kB"
    )
    print(
        f"framework: the headers to send: {report.output / headers.HEADERS_FILE} and "
        f"{report.output / nginx_config.SNIPPET} (docs/deploy.md); "
        f"`framework preview {args.output}` serves the build with them"
    )
    if (app.root / SERVER_MODULE).is_file():
        print(
            f"framework: note: {SERVER_MODULE} (the app's {API_PREFIX}) is host code and is not "
            "part of a static build; `framework serve` runs it."
        )
    return 0


def _preview(args: argparse.Namespace) -> int:
    from framework.cli.preview import preview

    preview(Path(args.folder).resolve(), args.host, args.port)
    return 0


def _check(args: argparse.Namespace) -> int:
    from framework.cli import assets, lint, page
    from framework.cli.api import load_api
    from framework.cli.app import find_app

    app = find_app(args.app)
    page.head_tags(app)  # unknown stylesheets fail here
    assets.ensure("browser")  # the Pyodide that compiles the browser's modules
    problems = lint.check_code(app)
    if args.format == "json":
        print(lint.format_json(problems))
    elif problems:
        print(lint.format_text(problems, Path.cwd()))
        count = len(problems)
        print(f"framework: {count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
    if problems:
        return 1
    load_api(app.root)  # a broken server.py fails here, not at the first request
    if args.format == "text":
        print(f"framework: {app.config_path if app.config_path.exists() else app.root}: ok")
    return 0


def _test(args: argparse.Namespace) -> int:
    from framework.cli.app import find_app
    from framework.cli.app_tests import run_app_tests

    return run_app_tests(find_app(args.app), args.pytest_args, sys.stdout)


def _new(args: argparse.Namespace) -> int:
    from framework.cli.scaffold import new_app

    target = new_app(args.name, Path.cwd())
    print(f"framework: created {target}. Run `framework serve {args.name}`.")
    return 0


def _setup(args: argparse.Namespace) -> int:
    from framework.cli import assets

    assets.ensure(None if args.tests else "browser", force=args.force)
    assets.verify(None if args.tests else "browser")
    print(f"framework: runtime assets ready in {assets.cache_dir()}")
    return 0


COMMANDS = {
    "serve": _serve,
    "build": _build,
    "preview": _preview,
    "check": _check,
    "test": _test,
    "new": _new,
    "setup": _setup,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except CliError as error:
        print(f"framework: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

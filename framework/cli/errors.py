"""The one error type the CLI turns into a clean message and an exit code."""

from __future__ import annotations


class CliError(Exception):
    """A problem the user can fix; printed without a traceback.

    exit_code follows argparse: 2 for a wrong command line (bad app path), 1 for everything else.
    """

    exit_code: int = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

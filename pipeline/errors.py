"""The one error type users see."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


class PipelineError(Exception):
    """A failure the user can act on: names the file, the line or page, what is wrong.

    ``exit_code`` follows the CLI convention: 2 for bad input or usage, 1 for data that
    failed validation.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        page: int | None = None,
        hint: str | None = None,
        exit_code: int = 2,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.page = page
        self.hint = hint
        self.exit_code = exit_code
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where += f":{self.line}"
        if self.page is not None:
            where += f" (page {self.page})"
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"\n  → {self.hint}"
        return text


@contextlib.contextmanager
def about_file(path: object) -> Iterator[None]:
    """Errors raised inside name ``path`` when they name no file themselves: every error
    names the file first, whichever step of whichever source raised it.

    >>> try:
    ...     with about_file("raw/x.txt"):
    ...         raise PipelineError("no rows", line=3)
    ... except PipelineError as error:
    ...     print(error)
    raw/x.txt:3: no rows
    """
    try:
        yield
    except PipelineError as error:
        if not error.path:
            error.path = str(path)
        raise

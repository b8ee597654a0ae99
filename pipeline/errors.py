"""The one error type users see."""

from __future__ import annotations


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

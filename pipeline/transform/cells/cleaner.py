"""Cleaning one published cell with its audit trail.

Every text cell goes through :func:`pipeline.transform.cells.text.clean_text`; each edit is
logged to ``corrections`` under the cell's dataset, row key and column, and every word
left that no lexicon knows is listed in ``quality_issues`` — none is left silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.transform.cells.audit import AuditLog, Edit, Provenance
from pipeline.transform.cells.lexicon import Lexicon
from pipeline.transform.cells.spelling import unknown_words
from pipeline.transform.cells.text import clean_text


@dataclass
class CellCleaner:
    audit: AuditLog
    lexicon: Lexicon
    # The same cell text recurs (``See above.`` rows repeat their neighbours' cells), so
    # each distinct text is cleaned, and each clean text checked, once.
    _cleaned: dict[str, tuple[str, list[Edit]]] = field(default_factory=dict, repr=False)
    _unknown: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __call__(
        self, text: str, dataset: str, row_key: str, column: str, where: Provenance,
        extra_edits: list[Edit] | None = None, *, check_words: bool = True,
    ) -> str:
        """The cleaned cell; ``check_words=False`` defers the unknown-word report to a
        later :meth:`check_words` call (for a cell that is repaired further)."""
        if text not in self._cleaned:
            edits: list[Edit] = []
            self._cleaned[text] = (clean_text(text, edits, self.lexicon), edits)
        cleaned, edits = self._cleaned[text]
        self.audit.correct(dataset, row_key, column, [*(extra_edits or []), *edits], where)
        if check_words:
            self.check_words(cleaned, dataset, row_key, column, where)
        return cleaned

    def check_words(self, text: str, dataset: str, row_key: str, column: str,
                    where: Provenance) -> None:
        if text not in self._unknown:
            self._unknown[text] = unknown_words(text, self.lexicon)
        for word in self._unknown[text]:
            self.audit.issue(
                "unknown_word", dataset, row_key,
                f"{column}: {word!r} is in no lexicon; add it to pipeline/data/domain_words.txt "
                f"if it is right or to pipeline/data/typos.csv if it is a typo",
                where,
            )

    def log(self, dataset: str, row_key: str, column: str, edits: list[Edit],
            where: Provenance) -> None:
        self.audit.correct(dataset, row_key, column, edits, where)

"""Generic cell repairs: small ``str -> str`` functions that undo what a PDF layout does
to text, whatever the source, and the audit trail every repair writes to.

- :mod:`~pipeline.transform.cells.text` — :func:`clean_text`, the whole repair order in
  one tuple (``STEPS``);
- the repairs: :mod:`~pipeline.transform.cells.tidy` (whitespace, quotes, ligatures,
  dashes), :mod:`~pipeline.transform.cells.spacing` (spaces the layout swallowed),
  :mod:`~pipeline.transform.cells.wraps` (line-wrap hyphens, ``/`` wraps),
  :mod:`~pipeline.transform.cells.word_joins` (split, glued and lost-hyphen words),
  :mod:`~pipeline.transform.cells.scanner` (a scanner's letter confusions),
  :mod:`~pipeline.transform.cells.spelling` (the typo list and the automatic fix),
  :mod:`~pipeline.transform.cells.layout_debris` (text of a neighbouring cell),
  :mod:`~pipeline.transform.cells.vocabulary` (marks and Endorsement domains);
- :mod:`~pipeline.transform.cells.lexicon` — what counts as a word, from wordfreq's
  frequencies (:mod:`~pipeline.transform.cells.word_frequencies`);
- the edit log: :mod:`~pipeline.transform.cells.edits` (how a repair records an
  :class:`~pipeline.transform.cells.audit.Edit`), :mod:`~pipeline.transform.cells.audit`
  (corrections and quality issues), :mod:`~pipeline.transform.cells.cleaner` (one cell
  cleaned and logged), :mod:`~pipeline.transform.cells.spot_fixes` (manual fixes kept as
  data).
"""

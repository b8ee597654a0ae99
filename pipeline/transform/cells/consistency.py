"""Real-word slips the document itself corrects: a short word that reads differently
where the same sentence is printed elsewhere.

The Endorsement texts are printed once per mapping row, and the guidelines of other
sources quote the same sentences, so a slip that no lexicon can catch (``cultures no
being served``: every word is a word) is visible as a disagreement with the other
printings (``cultures not being served`` in four other rows). :func:`propose_readings`
finds such disagreements over a collection of cell texts plus the texts of other sources
(the *evidence*) and proposes the majority reading; :func:`apply_proposals` rewrites a
cell with the proposals that are strong enough.

The rule (what a *slip* is, and when the evidence is enough):

- **Substitution only.** The two readings are words of 2 to 4 letters that are one
  keystroke apart — a letter dropped, added or changed (``no``/``not``, ``an``/``and``).
  A word dropped or added (``or being underserved`` / ``or underserved``) is how the
  document's own printings of one sentence legitimately vary between levels and
  editions, not a typing slip, so it is left alone. Single letters are left out: they
  are as often enumerators (``c)``/``d)``) as words.
- **Context.** A *witness* is another distinct cell text in which the same slot has the
  same words around it: at least :data:`MIN_SIDE` words on each side and
  :data:`MIN_CONTEXT` in all (case and punctuation are ignored). Identical texts count once — a cell copied
  by ``See above.`` or repeated for each mapping row is one printing, not several.
- **Strong** (applied): one competing reading only, printed in at least two other texts
  or in another source, and the cell's reading printed in no other text.
- **Weak** (a quality issue, no change): a single witness in the same source (one
  printing against one), a tie (as many printings each way, the cell included), several
  competing readings, or a majority against a reading that is printed elsewhere too.
- Nothing when the other printings read as the cell does at least as often as the
  rival way: the cell is with the majority (or the tie is reported on the other side).

Short words are indexed by their context, so the cost grows with the number of words,
not with the square of the number of cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from pipeline.runtime.collector import collector_paused

#: The length of a word a slip can hit: short function words (``no``, ``an``, ``of``).
MIN_SLIP_LENGTH, MAX_SLIP_LENGTH = 2, 4
#: Words of agreeing context a witness needs on each side, and in all.
MIN_SIDE, MIN_CONTEXT = 2, 6

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

OWN = ""  # the origin of the cells under repair (the evidence names other sources)


@dataclass(frozen=True)
class Proposal:
    """The majority ``proposed`` reading for the word at ``start:end`` of ``text``."""

    text: str
    start: int
    end: int
    reading: str
    proposed: str
    #: distinct other texts that print the proposed / the current reading in that context
    support: int
    against: int
    #: the other sources among the proposed reading's witnesses
    sources: tuple[str, ...]
    #: empty when strong enough to apply, else why not
    weakness: str = ""

    @property
    def strong(self) -> bool:
        return not self.weakness

    @property
    def replacement(self) -> str:
        """The proposed word, in the case of the current one."""
        return _match_case(self.proposed, self.text[self.start:self.end])

    @property
    def before(self) -> str:
        """The word with one neighbouring word on each side, as the log shows it."""
        start, end = _widen(self.text, self.start, self.end)
        return self.text[start:end]

    @property
    def after(self) -> str:
        start, end = _widen(self.text, self.start, self.end)
        return self.text[start:self.start] + self.replacement + self.text[self.end:end]


def propose_readings(
    texts: Iterable[str],
    evidence: Mapping[str, Iterable[str]] | None = None,
    is_word: Callable[[str], bool] = lambda word: True,
) -> list[Proposal]:
    """Proposals for the ``texts`` (the cells under repair), witnessed by each other and by
    ``evidence`` (other sources' texts, by source id), strong and weak, in text order.

    Two real cells of the crosswalk against two other printings of the same Endorsement
    text, and the CT-AIMH guidelines:

    >>> slip = ("Partnering on projects; and d) Identifying and reaching out to families of "
    ...         "cultures no being served or understood")
    >>> rows = [slip,
    ...         "b) Sharing information, and c) Identifying and reaching out to families of "
    ...         "cultures not being served or being underserved",
    ...         "c) Partnering on projects, and d) Identifying and reaching out to families of "
    ...         "cultures not being served or underserved",
    ...         "Helps parents identify goals an activities that encourage interaction and can "
    ...         "be woven into the daily routines"]
    >>> ct_aimh = {"ct-aimh": ["Helps parents identify goals and activities that encourage "
    ...                        "interaction and that can be woven into the infant's day"]}
    >>> for p in propose_readings(rows, ct_aimh):
    ...     print(repr(p.before), "->", repr(p.after), p.support, p.against, p.sources, p.strong)
    'cultures no being' -> 'cultures not being' 2 0 () True
    'goals an activities' -> 'goals and activities' 1 0 ('ct-aimh',) True

    One printing against one in the same source is not enough, nor a tie: both sides are
    reported, as weak proposals.

    >>> [(p.reading, p.proposed, p.weakness) for p in propose_readings(rows[:2])]
    [('no', 'not', 'a single witness in the same source'), ('not', 'no', 'a single witness in the same source')]
    >>> left, right = "reaching out to families of cultures", "being served or understood"
    >>> tie = [f"{left} no {right}", f"{left} not {right}", f"to {left} no {right}",
    ...        f"to {left} not {right}"]
    >>> [(p.reading, p.weakness) for p in propose_readings(tie)]  # doctest: +NORMALIZE_WHITESPACE
    [('no', 'a tie: 2 printings read each way, this one included'),
     ('not', 'a tie: 2 printings read each way, this one included'),
     ('no', 'a tie: 2 printings read each way, this one included'),
     ('not', 'a tie: 2 printings read each way, this one included')]
    """
    corpus = _Corpus()
    with collector_paused():  # the index holds no cycle: see pipeline.runtime.collector
        targets = [corpus.add(OWN, text) for text in dict.fromkeys(texts)]
        for origin, others in (evidence or {}).items():
            for text in dict.fromkeys(others):
                corpus.add(origin, text)
    proposals = []
    for text_id in targets:
        for position in corpus.slot_keys[text_id]:  # in text order
            proposal = corpus.propose(text_id, position, is_word)
            if proposal is not None:
                proposals.append(proposal)
    return proposals


def apply_proposals(text: str, proposals: Iterable[Proposal]) -> str:
    """``text`` with the strong proposals made for it.

    >>> rows = ["families of cultures no being served or understood",
    ...         "to families of cultures not being served or being underserved",
    ...         "to families of cultures not being served or underserved"]
    >>> apply_proposals(rows[0], propose_readings(rows))
    'families of cultures not being served or understood'
    """
    for proposal in sorted((p for p in proposals if p.strong and p.text == text),
                           key=lambda p: p.start, reverse=True):
        text = text[:proposal.start] + proposal.replacement + text[proposal.end:]
    return text


def one_keystroke_apart(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one letter dropped, added or changed.

    >>> [one_keystroke_apart(*pair) for pair in (("no", "not"), ("and", "an"),
    ...                                          ("of", "or"), ("the", "and"), ("no", "no"))]
    [True, True, True, False, False]
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


class _Corpus:
    """Every distinct text as lower-case words, and an index of the slots that hold a
    short word, by their context: for each split of :data:`MIN_CONTEXT` words into a
    left and a right part of at least :data:`MIN_SIDE` words, (the split, its words) →
    the word in the slot → the texts printing it.

    Two slots share enough context exactly when they share one of these keys, so a
    witness is found by a look-up, and a sentence printed in thousands of cells costs
    one set union, not a comparison per pair of cells.
    """

    def __init__(self) -> None:
        self.words: list[list[str]] = []
        self.spans: list[list[tuple[int, int]]] = []
        self.texts: list[str] = []
        self.origins: list[str] = []
        self.index: dict[tuple, dict[str, set[int]]] = {}
        #: each text's slots of a short word → their contexts (:func:`_keys`), worked
        #: out once when the text is indexed and read again when it is proposed for
        self.slot_keys: list[dict[int, tuple[tuple, ...]]] = []
        self._ids: dict[tuple[str, str], int] = {}
        self._witnesses: dict[tuple, dict[str, set[int]]] = {}

    def add(self, origin: str, text: str) -> int:
        if (origin, text) in self._ids:
            return self._ids[(origin, text)]
        text_id = self._ids[(origin, text)] = len(self.texts)
        matches = list(_WORD.finditer(text))
        words = [m.group().lower() for m in matches]
        self.words.append(words)
        self.spans.append([m.span() for m in matches])
        self.texts.append(text)
        self.origins.append(origin)
        slot_keys: dict[int, tuple[tuple, ...]] = {}
        index = self.index
        for position in range(MIN_SIDE, len(words) - MIN_SIDE):
            word = words[position]
            if _short(word):
                keys = slot_keys[position] = _keys(words, position)
                for key in keys:
                    readings = index.get(key)
                    if readings is None:
                        readings = index[key] = {}
                    texts = readings.get(word)
                    if texts is None:
                        readings[word] = {text_id}
                    else:
                        texts.add(text_id)
        self.slot_keys.append(slot_keys)
        return text_id

    def witnesses(self, keys: tuple) -> dict[str, set[int]]:
        """Each word printed in a slot with one of these contexts, and its texts."""
        if keys not in self._witnesses:
            found: dict[str, set[int]] = {}
            for key in keys:
                for word, ids in self.index.get(key, {}).items():
                    found.setdefault(word, set()).update(ids)
            self._witnesses[keys] = found
        return self._witnesses[keys]

    def propose(self, text_id: int, position: int,
                is_word: Callable[[str], bool]) -> Proposal | None:
        keys = self.slot_keys[text_id].get(position)
        if keys is None:
            return None  # not a short word's slot
        reading = self.words[text_id][position]
        printed = self.witnesses(keys)
        rival_words = [word for word in printed if word != reading
                       and one_keystroke_apart(word, reading) and is_word(word)]
        if not rival_words or not is_word(reading):
            return None  # the common case: nothing else is printed in this context
        # Distinct texts (by origin) printing each reading, the cell itself left out.
        rivals = {word: printed[word] for word in rival_words}
        proposed, ids = max(rivals.items(), key=lambda item: (len(item[1]), item[0]))
        own = printed.get(reading, set())
        support, against = len(ids), len(own) - (text_id in own)
        if len(rivals) == 1 and support <= against:
            return None  # the others mostly read as this cell does: they are the slips
        sources = tuple(sorted({self.origins[i] for i in ids} - {OWN}))
        start, end = self.spans[text_id][position]
        return Proposal(self.texts[text_id], start, end, self.texts[text_id][start:end],
                        proposed, support, against, sources,
                        _weakness(support, against, sources, rivals))


def _keys(words: list[str], position: int) -> tuple[tuple, ...]:
    """The contexts of the slot at ``position``: MIN_CONTEXT words around it, split
    every way that leaves MIN_SIDE words or more on each side."""
    keys = []
    for left in range(MIN_SIDE, MIN_CONTEXT - MIN_SIDE + 1):
        right = MIN_CONTEXT - left
        if position >= left and position + right < len(words):
            keys.append((left, *words[position - left:position],
                         *words[position + 1:position + 1 + right]))
    return tuple(keys)


def _weakness(support: int, against: int, sources: tuple[str, ...],
              rivals: dict[str, set[int]]) -> str:
    """Why a proposal is too weak to apply, or "" (see the module docstring)."""
    if len(rivals) > 1:
        return f"{len(rivals)} readings compete: {', '.join(sorted(rivals))}"
    if support == 1 and not against:
        return "" if sources else "a single witness in the same source"
    if support == against + 1:
        return f"a tie: {support} printings read each way, this one included"
    if against:
        return f"the current reading is printed in {against} other text(s) too"
    return ""


def _short(word: str) -> bool:
    return MIN_SLIP_LENGTH <= len(word) <= MAX_SLIP_LENGTH and word.isalpha()


def _match_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` widened to one whole neighbouring word on each side."""
    before = list(_WORD.finditer(text, 0, start))
    after = _WORD.search(text, end)
    return (before[-1].start() if before else start), (after.end() if after else end)

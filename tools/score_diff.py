"""Score a ``crosswalk diff`` JSON report against the truth of a revised edition.

The truth (``truth.json`` of ``tools/make_revised_edition.py``) says, per dataset, which
rows were renumbered (old key → new key), added, removed and changed. The report is the
diff's JSON (``crosswalk diff OLD NEW --format json``). Each says the same things as
*claims*: ``("renumbered", old key, new key)``, ``("added", key)``, ``("removed", key)``,
``("changed", key)``. This prints precision, recall and F1 per claim kind and dataset,
per dataset, and overall (micro-averaged over all claims of the datasets the truth
covers); other datasets of the report are not scored.

A report of format_version 1 (before renumbering was reported) has no ``renumbered``
list: it scores as claiming none, its shifted rows counted where it put them (changed,
added, removed). That is the baseline.

    .venv/bin/python tools/score_diff.py REPORT.json TRUTH.json
    .venv/bin/python tools/score_diff.py REPORT.json TRUTH.json --details   # what differs
    .venv/bin/python tools/score_diff.py REPORT.json TRUTH.json --json
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

KINDS = ("renumbered", "added", "removed", "changed")

#: A claim: its kind and the key(s) it names, each key a tuple of (column, value) pairs.
Claim = tuple[Hashable, ...]


def _key(key: Mapping) -> tuple:
    return tuple(sorted(key.items()))


def label(claim: Claim) -> str:
    """``renumbered 3B.2 → 3B.3``, ``added 2E.2/2``."""
    keys = ["/".join(str(v) for _, v in key) for key in claim[1:]]
    return f"{claim[0]} {' → '.join(keys)}"


def report_claims(report: dict, datasets: Sequence[str]) -> dict[str, dict[str, set[Claim]]]:
    """The claims of a diff report, per dataset and kind (format_version 1 or 2)."""
    if report.get("format") != "crosswalk-diff":
        raise ValueError("not a crosswalk-diff report (its 'format' is "
                         f"{report.get('format')!r})")
    by_name = {d["name"]: d for d in report.get("datasets", [])}
    claims = {}
    for name in datasets:
        entry = by_name.get(name, {})
        claims[name] = {
            "renumbered": {("renumbered", _key(r["old_key"]), _key(r["new_key"]))
                           for r in entry.get("renumbered", [])},  # absent in version 1
            **{kind: {(kind, _key(item["key"])) for item in entry.get(kind, [])}
               for kind in ("added", "removed", "changed")},
        }
    return claims


def truth_claims(truth: dict) -> dict[str, dict[str, set[Claim]]]:
    """The claims of a truth file, per dataset and kind."""
    return {
        name: {
            "renumbered": {("renumbered", _key(old), _key(new))
                           for old, new in kinds.get("renumbered", [])},
            **{kind: {(kind, _key(key)) for key in kinds.get(kind, [])}
               for kind in ("added", "removed", "changed")},
        }
        for name, kinds in truth.items()
    }


@dataclass
class Score:
    truth: int
    claimed: int
    correct: int

    @property
    def precision(self) -> float:
        """Of the claims made, the share that are true (1 when none is made)."""
        return self.correct / self.claimed if self.claimed else 1.0

    @property
    def recall(self) -> float:
        """Of the true claims, the share made (1 when there is none to make)."""
        return self.correct / self.truth if self.truth else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.truth + other.truth, self.claimed + other.claimed,
                     self.correct + other.correct)

    def as_dict(self) -> dict:
        return {**asdict(self), "precision": self.precision, "recall": self.recall,
                "f1": self.f1}


def score(claimed: dict[str, dict[str, set[Claim]]],
          truth: dict[str, dict[str, set[Claim]]]) -> dict[str, dict[str, Score]]:
    """``{dataset: {kind: Score, "all": Score}, "overall": {kind: Score, "all": Score}}``;
    "overall" sums the datasets (micro-average)."""
    result: dict[str, dict[str, Score]] = {}
    overall = {kind: Score(0, 0, 0) for kind in (*KINDS, "all")}
    for name, kinds in truth.items():
        result[name] = {}
        for kind in KINDS:
            made, true = claimed.get(name, {}).get(kind, set()), kinds[kind]
            result[name][kind] = Score(len(true), len(made), len(made & true))
            overall[kind] = overall[kind] + result[name][kind]
        result[name]["all"] = sum((result[name][k] for k in KINDS), Score(0, 0, 0))
    overall["all"] = sum((overall[k] for k in KINDS), Score(0, 0, 0))
    result["overall"] = overall
    return result


def differences(claimed: dict[str, dict[str, set[Claim]]],
                truth: dict[str, dict[str, set[Claim]]]) -> dict[str, dict[str, dict]]:
    """Per dataset and kind, the true claims the report misses and the claims it makes
    that are not true (labels, sorted); only where there is a difference."""
    found: dict[str, dict[str, dict]] = {}
    for name, kinds in truth.items():
        for kind in KINDS:
            made, true = claimed.get(name, {}).get(kind, set()), kinds[kind]
            if made != true:
                found.setdefault(name, {})[kind] = {
                    "missing": sorted(label(c) for c in true - made),
                    "extra": sorted(label(c) for c in made - true)}
    return found


def format_differences(found: dict[str, dict[str, dict]]) -> str:
    """The differences as text, one claim a line."""
    lines = []
    for name, kinds in found.items():
        for kind, sides in kinds.items():
            lines.append(f"{name} {kind}:")
            lines += [f"  missing (in the truth, not in the report): {c}" for c in sides["missing"]]
            lines += [f"  extra (in the report, not in the truth):   {c}" for c in sides["extra"]]
    return "\n".join(lines)


def format_scores(scores: dict[str, dict[str, Score]]) -> str:
    """A table: dataset, kind, counts, precision, recall, F1."""
    head = (f"{'dataset':<17} {'claim':<11} {'truth':>5} {'claimed':>7} {'correct':>7} "
            f"{'precision':>9} {'recall':>6} {'F1':>6}")
    lines = [head, "-" * len(head)]
    for name, kinds in scores.items():
        for kind, s in kinds.items():
            lines.append(f"{name:<17} {kind:<11} {s.truth:>5} {s.claimed:>7} {s.correct:>7} "
                         f"{s.precision:>9.3f} {s.recall:>6.3f} {s.f1:>6.3f}")
    return "\n".join(lines)


def score_files(report: Path, truth: Path) -> tuple[dict, dict, dict]:
    """(scores, report claims, truth claims) of two JSON files."""
    true = truth_claims(json.loads(truth.read_text(encoding="utf-8")))
    made = report_claims(json.loads(report.read_text(encoding="utf-8")), list(true))
    return score(made, true), made, true


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", type=Path, help="the diff report (crosswalk diff --format json)")
    parser.add_argument("truth", type=Path, help="truth.json of make_revised_edition.py")
    parser.add_argument("--details", action="store_true",
                        help="also list the claims missed and the claims made wrongly")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    try:
        scores, made, true = score_files(args.report, args.truth)
    except (ValueError, KeyError, json.JSONDecodeError) as error:
        parser.exit(1, f"error: {error}\n")
    if args.json:
        print(json.dumps({name: {kind: s.as_dict() for kind, s in kinds.items()}
                          for name, kinds in scores.items()}, indent=2))
    else:
        print(format_scores(scores))
    if args.details:
        print()
        print(format_differences(differences(made, true)) or "no differences")


if __name__ == "__main__":
    main()

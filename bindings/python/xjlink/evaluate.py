"""How good a run was, against labelled rows: precision, recall and the
confusion table.

    truth = df["true_id"].where(df["true_id"].notna(), None).tolist()
    ev = xjlink.evaluate(index.match_many(rows), truth)
    print(ev.precision, ev.recall)
    print(ev.table())

``truth[i]`` is the registry id of the record row i really is, or None when
the child is not in the registry (a new pupil).
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from . import core
from ._errors import raise_error

__all__ = ["Evaluation", "evaluate"]

#: The outcomes of a row, in the order of the table.
OUTCOMES = ("matched right", "matched wrong", "pending, right offered", "pending, right not offered",
            "not found", "error")


@dataclass(frozen=True)
class Evaluation:
    """The outcome of each row against its truth, counted.

    ``table`` counts (truth, outcome) pairs, truth being "registered" or
    "new"; the figures are read off it:

    - ``precision``: automatic matches that are right, over automatic matches
      (1.0 when there is none);
    - ``recall``: registered rows whose record was matched or offered for
      review, over registered rows;
    - ``automation``: registered rows matched right automatically, over
      registered rows;
    - ``false_alarms``: new pupils offered a candidate or matched, over new
      pupils.
    """

    counts: Dict[Tuple[str, str], int] = field(default_factory=dict)

    def _n(self, truth=None, outcome=None):
        return sum(v for (t, o), v in self.counts.items()
                   if (truth is None or t == truth) and (outcome is None or o == outcome))

    @property
    def rows(self) -> int:
        return self._n()

    @property
    def precision(self) -> float:
        auto = self._n(outcome="matched right") + self._n(outcome="matched wrong")
        return self._n(outcome="matched right") / auto if auto else 1.0

    @property
    def recall(self) -> float:
        reg = self._n("registered")
        found = self._n("registered", "matched right") + self._n("registered",
                                                                 "pending, right offered")
        return found / reg if reg else 1.0

    @property
    def automation(self) -> float:
        reg = self._n("registered")
        return self._n("registered", "matched right") / reg if reg else 1.0

    @property
    def false_alarms(self) -> float:
        new = self._n("new")
        alarms = new - self._n("new", "not found") - self._n("new", "error")
        return alarms / new if new else 0.0

    def table(self) -> str:
        """The confusion table as text: a row per outcome, a column per truth."""
        width = max(len(o) for o in OUTCOMES)
        lines = [f"{'':{width}}  {'registered':>10}  {'new':>6}"]
        for o in OUTCOMES:
            lines.append(f"{o:{width}}  {self._n('registered', o):>10}  {self._n('new', o):>6}")
        lines.append(f"precision {self.precision:.4f}  recall {self.recall:.4f}  "
                     f"automation {self.automation:.4f}  false alarms {self.false_alarms:.4f}")
        return "\n".join(lines)

    def __str__(self):
        return self.table()


def _rows(results) -> List[Tuple[str, Optional[str], List[str]]]:
    """(status, match_id, candidate ids) of each result: Results, a list of
    Result, a DataFrame from match_dataframe, or dicts as Result.to_dict()."""
    if hasattr(results, "columns") and hasattr(results, "to_dict"):  # a DataFrame
        results = results.to_dict("records")
    out = []
    for r in results:
        if isinstance(r, dict):
            cands = r.get("candidates") or []
            if isinstance(cands, str):
                cands = [c for c in cands.split(";") if c]
            out.append((r["status"], r.get("match_id") or None, list(cands)))
        else:
            out.append((r.status, r.match_id, [c.id for c in r.candidates]))
    return out


def evaluate(results: Iterable[Any], truth: Sequence[Optional[str]]) -> Evaluation:
    """Scores results against the truth, row by row (same order, same length).

    ``results``: what ``Index.match_many`` or ``match_dataframe`` returned (or
    a list of :class:`Result` or of their ``to_dict()``); ``truth``: the true
    registry id of each row, None (or NaN, "") for a child not registered.
    Raises InvalidError when the lengths differ or a status is unknown."""
    rows = _rows(results)
    truth = list(truth)
    if len(rows) != len(truth):
        raise_error(core.XJL_EINVAL, f"{len(rows)} results but {len(truth)} truth labels")
    counts: Counter = Counter()
    for i, ((status, match_id, cands), t) in enumerate(zip(rows, truth)):
        if t is not None and not isinstance(t, str):
            t = None if t != t else str(t)  # NaN from pandas
        t = t or None
        kind = "registered" if t is not None else "new"
        if status == "matched":
            outcome = "matched right" if t is not None and match_id == t else "matched wrong"
        elif status == "pending":
            outcome = ("pending, right offered" if t is not None and t in cands
                       else "pending, right not offered")
        elif status in ("not_found", "error"):
            outcome = "not found" if status == "not_found" else "error"
        else:
            raise_error(core.XJL_EINVAL, f"row {i}: unknown status {status!r}")
        counts[(kind, outcome)] += 1
    return Evaluation(dict(counts))

"""A run as one HTML page, the page of ``xjlink match --report``.

    results = index.match_many(rows)
    xjlink.report(results, "run.html", index, records=rows)

The page is one self-contained file (no script, opens offline): rows per
status, the distribution of the best candidate's score with the review
threshold, each key field's agreement levels, the data-quality findings, and
each pending row beside its candidates with every field's part of the score.
At most ``max_rows`` pending rows are shown (the page says how many more
there are), so a run of millions of rows still makes a page a browser opens.
"""

import os
from typing import Any, Iterable, Optional, Sequence

from . import core
from ._errors import raise_error
from .matching import Index, RowError, record_tuple

__all__ = ["report"]


def report(results: Iterable[Any], path, index: Optional[Index] = None, *,
           records: Optional[Sequence[Any]] = None, lang: str = "en",
           max_rows: int = core.XJL_REPORT_ROWS_DEFAULT, title: Optional[str] = None) -> None:
    """Writes the page of a match run to ``path``.

    ``results``: what :meth:`Index.match_many` (or :meth:`Index.match`, one by
    one) returned.  ``index``: the index they were matched against; with it
    the page marks the review threshold and shows each candidate's values.
    ``records``: the rows as given (dicts or 5-sequences, in the order of the
    results), shown beside their candidates; without them the values as the
    library read them are shown.  ``lang``: "en" or "zh".  ``title``: a line
    of the page's heading (what was matched).  Raises :class:`xjlink.Error`
    when the page cannot be written (the file is then left as it was).
    """
    if lang not in ("en", "zh"):
        raise ValueError(f"report: lang is 'en' or 'zh', not {lang!r}")
    rep = core.xjl_report_new(core.XJL_REPORT_MATCH, 1 if lang == "zh" else 0)
    core.xjl_report_set_max_rows(rep, max_rows)
    if title is not None:
        core.xjl_report_add_input(rep, "名单" if lang == "zh" else "run", str(title))
    if index is not None:
        _ix, m = index._matcher()
        core.xjl_report_set_matcher(rep, m)
    if records is not None:
        records = list(records)
    for i, r in enumerate(results):
        # the page's "line" of a row is its position, from 1
        if records is not None and i >= len(records):
            raise ValueError(f"report: {len(records)} records for more results")
        if isinstance(r, RowError):
            core.xjl_report_add_unreadable(rep, i + 1, r.reasons)
            continue
        given = record_tuple(records[i]) if records is not None else None
        if r._r is None:
            raise_error(core.XJL_EINVAL, f"report: result {i} holds no result")
        core.xjl_report_add_result(rep, i + 1, given, r._r)
    core.xjl_report_write(rep, os.fsencode(path), None, 0)

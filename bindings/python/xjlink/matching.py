"""The registry index and matching: Index, Result, Results, Candidate.

Ownership, in one place:
  * an Index holds the C index and its matcher; close() (or leaving a
    ``with`` block) drops them, and the C memory goes as soon as nothing else
    holds it;
  * a Result holds the C result and the C index it refers to (its record ids
    live there), so a result stays valid after its Index is closed or gone;
  * Results (a batch) holds the C batch and the C index; each Result taken
    from it holds the Results.
Nothing here frees C memory by hand: dropping the last Python reference does,
through the SWIG proxies, so no order of collection can free twice or use
freed memory.
"""

import gc
import os
import threading
from collections import Counter, namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from typing import (Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence as Seq,
                    Tuple, Union)

from . import core
from ._convert import (find_columns, mapping_text, record_id, record_tuple, refuse_float_ids,
                       text)
from ._errors import BY_CODE, Error, InvalidError, StateError, raise_error
from ._files import is_path, readable_path, stream_name
from ._progress import Progress, progress_function
from ._types import Path, PathOrFile, Record
from .fields import FIELDS, ParsedRecord, _names_of, parse_record

__all__ = ["PARAMS", "PARAM_INFO", "ParamInfo", "Candidate", "Diagnostic", "Index", "Result",
           "Results", "RowError"]

_STATUS = tuple(core.xjl_status_name(s) for s in range(4))
_STATUS_ZH = tuple(core.xjl_status_label_zh(s) for s in range(4))
_KEY_FIELDS = tuple(range(5))
_match = core.xjl_matcher_match

#: Matcher parameters by name: "review_threshold" -> XJL_PARAM_REVIEW_THRESHOLD.
#: Read from the wrapper, so a parameter added to the header appears here.
PARAMS = {
    k[len("XJL_PARAM_"):].lower(): getattr(core, k)
    for k in dir(core)
    if k.startswith("XJL_PARAM_") and k != "XJL_PARAM_COUNT"
}

#: What each parameter means and its default, from the library:
#: ``{"review_threshold": ParamInfo(default=6.0, description="lowest score ..."), ...}``.
ParamInfo = namedtuple("ParamInfo", "default description")
PARAM_INFO = {name: ParamInfo(core.xjl_param_default(p), core.xjl_param_description(p))
              for name, p in PARAMS.items()}

#: A row of a registry file that could not be read (it is reported, not loaded).
Diagnostic = namedtuple("Diagnostic", "file line column value message")


@dataclass(frozen=True)
class Candidate:
    """One registry record offered for a query, with how each field agreed."""

    id: str
    score: float
    reasons: str  # "id=exact name=pinyin dob=swap gender=exact type=exact"
    levels: Dict[str, str]  # field -> agreement level ("exact", "pinyin", "typo", ...)
    position: int  # position in the index (Index.record(position))
    #: field -> its part of the score (the parts sum to it; id_type's is 0)
    weights: Dict[str, float]
    #: chance that this record is the query's child, from the score and the
    #: prior (param "match_prior"; by default one record of the registry)
    probability: float

    def explain(self) -> str:
        """"name=pinyin(+6.0) birth_date=exact(+10.0) ...": each field's level and part."""
        return " ".join(f"{f}={self.levels[f]}({'0' if abs(w) < 0.05 else f'{w:+.1f}'})"
                        for f, w in self.weights.items())


class Result:
    """The outcome of matching one record.

    ``status`` is "matched", "pending", "not_found" or "error"; ``status_zh``
    the processing status a school sees (已匹配学前学籍, 待确认学前学籍,
    未查到学前学籍, 错误).
    """

    __slots__ = ("_r", "_owner", "_candidates")

    def __init__(self, r: Any, owner: Any) -> None:
        self._r = r  # the C result (a SWIG proxy)
        self._owner = owner  # what keeps it and its index alive
        self._candidates: Optional[List[Candidate]] = None

    @property
    def status(self) -> str:
        return _STATUS[core.xjl_result_status(self._r)]

    @property
    def status_zh(self) -> str:
        return _STATUS_ZH[core.xjl_result_status(self._r)]

    @property
    def match_id(self) -> Optional[str]:
        """The registry id of the matched record (status "matched" only), else None."""
        return core.xjl_result_match_id(self._r)

    @property
    def score(self) -> float:
        """Score of the best candidate (log2 likelihood ratio), 0 without candidates."""
        return core.xjl_result_score(self._r)

    @property
    def reasons(self) -> str:
        """Why: the best candidate's field agreements, or the query's errors."""
        return core.xjl_result_reasons(self._r)

    @property
    def candidates(self) -> List[Candidate]:
        """Ranked candidates, best first."""
        if self._candidates is None:
            r = self._r
            out = []
            for i in range(core.xjl_result_candidate_count(r)):
                out.append(Candidate(
                    id=core.xjl_result_candidate_id(r, i),
                    score=core.xjl_result_candidate_score(r, i),
                    reasons=core.xjl_result_candidate_reasons(r, i),
                    levels={FIELDS[f]: core.xjl_level_name(core.xjl_result_candidate_level(r, i, f))
                            for f in _KEY_FIELDS},
                    position=core.xjl_result_candidate_pos(r, i),
                    weights={FIELDS[f]: core.xjl_result_candidate_weight(r, i, f)
                             for f in _KEY_FIELDS},
                    probability=core.xjl_result_candidate_probability(r, i),
                ))
            self._candidates = out
        return self._candidates

    @property
    def query(self) -> Optional[ParsedRecord]:
        """The query as the library read it (normalised fields, findings)."""
        return ParsedRecord._from_parsed(core.xjl_result_query(self._r))

    @property
    def findings(self) -> Dict[str, List[str]]:
        """The query's findings per field (empty when every field was clean)."""
        p = core.xjl_result_query(self._r)
        out: Dict[str, List[str]] = {}
        for i, f in enumerate(FIELDS):
            names = _names_of(p.field_findings(i))
            if names:
                out[f] = names
        return out

    def to_dict(self) -> Dict[str, Any]:
        """Plain data: for JSON, a DataFrame row or a spreadsheet."""
        return {
            "status": self.status,
            "status_zh": self.status_zh,
            "match_id": self.match_id,
            "score": self.score,
            "reasons": self.reasons,
            "candidates": [c.id for c in self.candidates],
            "findings": self.findings,
        }

    def __repr__(self) -> str:
        return (f"<xjlink.Result {self.status} match_id={self.match_id!r} "
                f"score={self.score:.2f} candidates={len(self.candidates)}>")


def _frame_records(df: Any, cols: Seq[int]) -> Iterable[tuple]:
    """The five fields of each row of a DataFrame (cols: its key columns)."""
    series = [df[c].tolist() if c is not None else [None] * len(df) for c in cols]
    for values in zip(*series):
        yield tuple(text(v) for v in values)


def _key_values(series: Any) -> Any:
    """A key column as xjlb_match_frame takes it: a column of objects (text,
    as read_csv gives it) as its own array, read in place; any other (numbers,
    dates, categories) as the list of its values as Python objects."""
    if series.dtype == object:
        values = series.to_numpy(copy=False)
        if values.dtype == object and values.ndim == 1:
            return values
    return series.tolist()


def _nul_fields(t: Seq[Any]) -> List[str]:
    """The fields of a record tuple that contain a NUL character."""
    return [FIELDS[k] for k, v in enumerate(t)
            if v is not None and ("\0" in v if isinstance(v, str) else b"\0" in v)]


class RowError(Result):
    """The result of a row the library cannot read at all: a field with a NUL
    character (the C API takes NUL-terminated fields).  Like the CLI, the row
    gets status "error" with the reason, and the rest of a batch goes on."""

    __slots__ = ("_fields", "_query")

    def __init__(self, t: Seq[Any], fields: List[str]) -> None:
        super().__init__(None, None)
        self._fields = fields
        self._query = t
        self._candidates = []

    @property
    def status(self) -> str:
        return "error"

    @property
    def status_zh(self) -> str:
        return _STATUS_ZH[core.XJL_ERROR]

    @property
    def match_id(self) -> Optional[str]:
        return None

    @property
    def score(self) -> float:
        return 0.0

    @property
    def candidates(self) -> List[Candidate]:
        return []

    @property
    def findings(self) -> Dict[str, List[str]]:
        return {f: ["nul"] for f in self._fields}

    @property
    def reasons(self) -> str:
        return " ".join(f"{f}:nul" for f in self._fields)

    @property
    def query(self) -> Optional[ParsedRecord]:
        """The fields as read; a NUL field as if empty, with the finding "nul"."""
        return parse_record(self._query)


class Results(Sequence):
    """The results of :meth:`Index.match_many`, in the order of the rows.

    Held in C until looked at: indexing or iterating makes Result objects
    one at a time."""

    __slots__ = ("_batch", "_ix", "_n", "_row_errors")

    def __init__(self, batch: Any, ix: Any, row_errors: Optional[Dict[int, "RowError"]] = None) -> None:
        self._batch = batch
        self._ix = ix
        self._n = core.xjlb_batch_count(batch)
        self._row_errors = row_errors or {}  # position -> RowError

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("result index out of range")
        if self._row_errors and i in self._row_errors:
            return self._row_errors[i]
        return Result(core.xjlb_batch_result(self._batch, i), self)

    def __iter__(self) -> Iterator[Result]:
        if self._row_errors:
            yield from (self[i] for i in range(self._n))
            return
        b = self._batch
        for i in range(self._n):
            yield Result(core.xjlb_batch_result(b, i), self)

    def statuses(self) -> List[str]:
        """The status of each row, in order."""
        get = core.xjl_result_status
        b = self._batch
        out = [_STATUS[get(core.xjlb_batch_result(b, i))] for i in range(self._n)]
        for i in self._row_errors:
            out[i] = "error"
        return out

    def counts(self) -> Dict[str, int]:
        """How many rows got each status."""
        return Counter(self.statuses())

    def __repr__(self) -> str:
        return f"<xjlink.Results {len(self)} rows {dict(self.counts())}>"


def _file_identity(path: str) -> Tuple[int, int, int, int]:
    """What tells a file from the one saved over it at the same path."""
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


# Index.open_shared: path -> (the file's identity when opened, its Index)
_SHARED: Dict[str, Tuple[Tuple[int, int, int, int], "Index"]] = {}
_SHARED_LOCK = threading.Lock()


class Index:
    """A registry index: records are added, the index is built, then matched against.

    ``Index(records)`` adds and builds at once; ``Index()`` starts empty for
    :meth:`add` / :meth:`add_csv` and :meth:`build`.  Records are dicts keyed
    by Chinese or English column names (姓名/name, 性别/gender,
    出生日期/birth_date, 身份证件类型/id_type, 身份证件号/id_number, and the
    record's own id: id/学籍ID/学前学籍ID), or 5-sequences.

    Once built, an Index may be matched from any number of threads; matching
    releases the GIL.  Use it as a context manager, or call :meth:`close`, to
    free the C index deterministically; any use after that raises StateError.
    """

    def __init__(self, records: Optional[Iterable[Any]] = None, *, id_column: Optional[str] = None,
                 threads: int = 0, build: bool = True) -> None:
        ix = core.xjl_index_new()
        # (C index, matcher or None); None once closed.  One attribute, so a
        # thread reads a consistent pair while another closes.
        self._state: Optional[Tuple[Any, Any]] = (ix, None)
        self._lock = threading.Lock()
        self.bad_rows = 0
        self.diagnostics: List[Diagnostic] = []
        if records is not None:
            self.add_all(records, id_column=id_column)
            if build:
                self.build(threads)

    # ---- construction -----------------------------------------------------

    @classmethod
    def from_csv(cls, path: PathOrFile, id_column: Optional[str] = None, encoding: str = "auto", *,
                 threads: int = 0, build: bool = True,
                 columns: Optional[Mapping[str, str]] = None) -> "Index":
        """An index of a registry CSV (UTF-8 or GB18030/GBK, RFC 4180) or .xlsx
        workbook: a path, or a file-like object (binary or text).

        Rows that cannot be read are reported in ``.diagnostics`` and counted
        in ``.bad_rows``; the rest are loaded.  ``threads`` caps the threads
        of reading and of building (0: all cores; 1: the calling thread
        alone, as a Dask worker with its own pool wants).  ``columns`` maps
        key fields to the file's columns the names do not find, e.g.
        ``{"姓名": "XSMC"}`` (as ``xjlink index build --columns``)."""
        def fill(ix):
            core.xjl_index_set_threads(ix._building(), threads)
            ix.add_csv(path, id_column=id_column, encoding=encoding, columns=columns)

        return cls._filled(fill, build, threads)

    @classmethod
    def from_dataframe(cls, df: Any, id_column: Optional[str] = None, *, threads: int = 0,
                       build: bool = True, columns: Optional[Mapping[str, str]] = None) -> "Index":
        """An index of a pandas DataFrame's rows (columns named as in a roster,
        or mapped by ``columns``, e.g. ``{"姓名": "XSMC"}``).  A missing key
        column, or an ID number column read as floats, raises FormatError."""
        cols, idcol = find_columns(df.columns, id_column, want_id=True, mapping=columns)
        refuse_float_ids(df, cols, idcol)

        def fill(self):
            ids = df[idcol].tolist() if idcol is not None else [None] * len(df)
            ix = self._building()
            with self._lock:
                for rid, rec in zip(ids, _frame_records(df, cols)):
                    core.xjl_index_add(ix, text(rid), rec)

        return cls._filled(fill, build, threads)

    @classmethod
    def _filled(cls, fill, build, threads):
        """A new index, filled by fill(index) and built; closed if either fails."""
        self = cls()
        try:
            fill(self)
            if build:
                self.build(threads)
        except BaseException:
            self.close()
            raise
        return self

    @classmethod
    def open(cls, path: Path, *, verify: bool = False, bounds: bool = False) -> "Index":
        """An index saved with :meth:`save` (or ``xjlink index build``), mapped
        from the file: it opens in milliseconds whatever its size, built and
        read-only.  ``verify`` checks every checksum and bound first (a pass
        over the whole file).  ``bounds`` checks only what the matcher reads,
        as ``xjlink match --index`` does (a pass over the entries and tables,
        a tenth of verify's), so that a file damaged inside its sections is
        refused rather than giving wrong results; without either, such a
        file is never read outside, but may match wrongly.  A damaged or
        foreign file raises TruncatedError, CorruptError, ForeignError or
        VersionError."""
        flags = core.XJL_INDEX_VERIFY if verify else core.XJL_INDEX_BOUNDS if bounds else 0
        ix = core.xjl_index_open(os.fsencode(path), flags)
        m = core.xjl_matcher_new(ix)
        self = cls()
        self._state = (ix, m)
        return self

    @classmethod
    def open_shared(cls, path: Path) -> "Index":
        """The index file at ``path`` opened once per process: every call with
        the same path returns the same Index while the file is the one it
        opened.  A file saved over it since (the registry's next generation:
        :meth:`save` and ``xjlink index build`` replace it) is opened again;
        an Index already handed out stays on the old file until dropped.

        For functions that a distributed engine (Dask, Spark) runs in its
        worker processes: they reach the workers by value, each task with
        its own copy of the caller's globals, so a cache of the caller's own
        would open the file once per task.  The processes of one host share
        the file's pages.  The Index is shared: neither close nor change it
        (a closed one is opened again).  It is opened with ``bounds=True``,
        as ``xjlink match --index`` opens its file: a worker refuses a file
        damaged inside its sections rather than matching against it."""
        key = os.path.abspath(os.fsdecode(path))
        with _SHARED_LOCK:
            try:
                seen = _file_identity(key)
            except OSError:
                _SHARED.pop(key, None)
                return cls.open(key, bounds=True)  # raises open()'s error, naming the file
            held = _SHARED.get(key)
            if held is not None and held[0] == seen and not held[1].closed:
                return held[1]
            # a file replaced between the stat and the open is only opened
            # again on the next call (its identity is the old one's)
            ix = cls.open(key, bounds=True)
            _SHARED[key] = (seen, ix)
            return ix

    @classmethod
    def build_file(cls, registry_csv: Path, path: Path, id_column: Optional[str] = None,
                   encoding: str = "auto", *, threads: int = 0,
                   columns: Optional[Mapping[str, str]] = None) -> "Index":
        """Reads a registry CSV, builds its index and saves it to ``path``;
        returns the built index (``columns`` as for :meth:`from_csv`)."""
        self = cls.from_csv(registry_csv, id_column, encoding, threads=threads, columns=columns)
        try:
            self.save(path)
        except BaseException:
            self.close()
            raise
        return self

    def save(self, path: Path) -> None:
        """Saves the built index to ``path`` atomically (a temporary file
        renamed over it: a crash leaves the old file or the new one).  A
        changed index is saved with its changes as they are (no rebuild);
        :meth:`compact` first to fold them in."""
        ix, _m = self._matcher()
        core.xjl_index_save(ix, os.fsencode(path))

    @property
    def info(self) -> Dict[str, Any]:
        """What the index holds, and the file it was opened from: a dict of
        records, format_version, key_scheme, library_version, stamp,
        file_bytes, the bytes of each section, and file_checksum: the
        checksum of the header of the file it was opened from (which holds
        every section's checksum), what tells that file from any other;
        None for an index built in memory or compacted."""
        ix = self._live()[0]
        st = core.xjl_index_info(ix)
        keys = ("format_version", "key_scheme", "key_fingerprint", "library_version", "records",
                "stamp", "file_bytes", "entry_bytes", "string_bytes", "id_table_bytes",
                "name_table_bytes", "rid_table_bytes", "near_table_bytes", "built")
        info = {k: getattr(st, k) for k in keys}
        try:
            info["file_checksum"] = core.xjl_index_file_checksum(ix)
        except StateError:
            info["file_checksum"] = None
        return info

    def _live(self):
        st = self._state
        if st is None:
            raise_error(core.XJL_ESTATE, "the index is closed")
        return st

    def _building(self):
        ix, m = self._live()
        if m is not None:
            raise_error(core.XJL_ESTATE, "the index is built and read-only")
        return ix

    def _matcher(self):
        ix, m = self._live()
        if m is None:
            raise_error(core.XJL_ESTATE, "the index is not built yet: call build()")
        return ix, m

    def add(self, record: Record, id: Optional[str] = None) -> None:
        """Adds one registry record; its id is ``id``, else the record's id
        column, else (before :meth:`build`) its 1-based position.

        On a built or opened index this is a change (see :meth:`update`): the
        id is required and must be new (DuplicateError if it is not)."""
        ix = self._live()[0]
        rid = text(id) if id is not None else record_id(record)
        if self.built and rid is None:
            raise_error(core.XJL_EINVAL, "adding to a built index needs the record's id")
        with self._lock:
            core.xjl_index_add(ix, rid, record_tuple(record))

    def update(self, id: str, record: Record) -> None:
        """Replaces the record with this id by ``record`` (a dict or a
        5-sequence), on a built or opened index.  The very next match sees it,
        and matching gives what an index built from the registry as it is now
        would; other threads may match meanwhile (a change waits for the
        matches in progress).  NotFoundError if no record has the id."""
        ix, _m = self._matcher()
        core.xjl_index_update(ix, text(id), record_tuple(record))

    def remove(self, id: str) -> None:
        """Removes the record with this id from a built or opened index (a
        tombstone until :meth:`compact`).  NotFoundError if none has it."""
        ix, _m = self._matcher()
        core.xjl_index_remove(ix, text(id))

    _OPS = {"add": core.XJL_CHANGE_ADD, "update": core.XJL_CHANGE_UPDATE,
            "remove": core.XJL_CHANGE_REMOVE}

    def apply(self, changes: Iterable[Tuple[str, str, Optional[Record]]]) -> List[Optional[Error]]:
        """Applies a batch of changes to a built or opened index, in order:
        each an ``("add" | "update" | "remove", id, record)`` tuple (the record
        None for a removal).  Much faster than one call a change: the records
        are read on the index's threads while matching goes on, and the index
        is locked once for up to 16,384 changes.  A change that is refused
        changes nothing and the ones after it still apply.  Returns one entry
        a change: None if it was applied, else the error it was refused with
        (DuplicateError, NotFoundError, InvalidError), not raised."""
        ix, _m = self._matcher()
        batch, shown = [], []
        for i, change in enumerate(changes):
            if not isinstance(change, (tuple, list)) or len(change) != 3:
                raise TypeError(f"apply: change {i} is not (op, id, record)")
            op, rid, record = change
            if op not in self._OPS:
                raise InvalidError(core.XJL_EINVAL, f"apply: change {i}: unknown op {op!r}")
            shown.append(f"{op} {rid!s}")
            batch.append((self._OPS[op], text(rid),
                          None if op == "remove" else record_tuple(record)))
        codes = core.xjlb_index_apply(ix, batch)
        return [None if c == 0 else BY_CODE.get(c, Error)(
                    c, f"{shown[i]}: {core.xjl_strerror(c)}")
                for i, c in enumerate(codes)]

    @property
    def changes(self) -> int:
        """Adds, updates and removes since the index was built, opened or
        compacted (a saved file keeps them until it is compacted)."""
        return core.xjl_index_changes(self._live()[0])

    def compact(self, threads: int = 0) -> "Index":
        """Folds the changes into new built arrays: positions numbered again
        from 0, search tables rebuilt; matching waits meanwhile."""
        ix, _m = self._matcher()
        with self._lock:  # record_id() copies ids that the compaction frees
            core.xjl_index_compact(ix, threads)
        return self

    def add_all(self, records: Iterable[Record], id_column: Optional[str] = None) -> None:
        """Adds every record of an iterable."""
        ix = self._building()
        add = core.xjl_index_add
        with self._lock:
            for rec in records:
                add(ix, record_id(rec, id_column), record_tuple(rec))

    def add_csv(self, path: PathOrFile, id_column: Optional[str] = None,
                encoding: str = "auto", *, columns: Optional[Mapping[str, str]] = None) -> int:
        """Adds every row of a registry CSV or .xlsx workbook (a path, or a
        file-like object such as an upload: see ``_files.py``); returns the
        number of rows that could not be read (also in ``.diagnostics``).
        ``columns`` as for :meth:`from_csv`: a mapped column the file lacks
        is an error, raised before any row is read."""
        ix = self._building()
        enc = core.xjl_encoding_parse(encoding)
        diags = []
        name = None if is_path(path) else stream_name(path)

        def report(file, line, column, value, message):
            diags.append(Diagnostic(name or file, line, column, value, message))

        with self._lock, readable_path(path) as p:
            bad = core.xjl_index_add_csv_columns(ix, os.fsencode(p), enc, text(id_column),
                                                 mapping_text(columns), report)
        self.diagnostics.extend(diags)
        self.bad_rows += bad
        return bad

    def build(self, threads: int = 0) -> "Index":
        """Builds the search tables and freezes the index (``threads`` 0: all cores)."""
        with self._lock:
            ix, m = self._live()
            if m is not None:
                raise_error(core.XJL_ESTATE, "xjl_index_build: the index is built already")
            core.xjl_index_build(ix, threads)
            m = core.xjl_matcher_new(ix)
            self._state = (ix, m)
        return self

    @property
    def built(self) -> bool:
        st = self._state
        return st is not None and st[1] is not None

    @property
    def closed(self) -> bool:
        return self._state is None

    # ---- parameters ---------------------------------------------------------

    def get_param(self, name: str) -> float:
        """A matcher parameter by name (see ``xjlink.PARAMS``)."""
        _ix, m = self._matcher()
        return core.xjl_matcher_get_param(m, self._param(name))

    def set_param(self, name: str, value: float) -> None:
        """Sets a matcher parameter.  Matches already running keep the old
        settings: a new matcher replaces the old one, so no thread ever sees
        a half-changed one."""
        p = self._param(name)
        with self._lock:
            ix, old = self._matcher()
            new = core.xjl_matcher_new(ix)
            for q in PARAMS.values():
                core.xjl_matcher_set_param(new, q, core.xjl_matcher_get_param(old, q))
            core.xjl_matcher_set_param(new, p, float(value))
            self._state = (ix, new)

    @property
    def params(self) -> Dict[str, float]:
        """All matcher parameters by name."""
        _ix, m = self._matcher()
        return {k: core.xjl_matcher_get_param(m, v) for k, v in PARAMS.items()}

    @staticmethod
    def _param(name):
        try:
            return PARAMS[name]
        except KeyError:
            raise_error(core.XJL_EINVAL,
                        f"unknown matcher parameter '{name}'; known: {', '.join(PARAMS)}")

    # ---- matching -------------------------------------------------------------

    def match(self, record: Record) -> Result:
        """Matches one record (dict or 5-sequence) and returns its :class:`Result`.
        A record that cannot be read (a NUL character) gives status "error"."""
        st = self._state
        # the state as it is (the fast path), or _matcher()'s StateError
        ix, m = st if st is not None and st[1] is not None else self._matcher()
        t = record_tuple(record)
        try:
            return Result(_match(m, t), ix)
        except InvalidError:
            nul = _nul_fields(t)
            if not nul:
                raise
            return RowError(t, nul)

    def match_many(self, rows: Iterable[Record], threads: int = 0) -> Results:
        """Matches many records on ``threads`` threads (0: all cores), without
        the GIL; returns :class:`Results` in the order of the rows."""
        ix, m = self._matcher()
        return self._match_tuples(ix, m, [record_tuple(r) for r in rows], threads)

    @staticmethod
    def _match_tuples(ix, m, recs, threads):
        try:
            return Results(core.xjlb_batch_match(m, recs, threads), ix)
        except InvalidError:
            # rows with a NUL: matched as empty rows, then given their error
            errors = {}
            for i, t in enumerate(recs):
                nul = _nul_fields(t)
                if nul:
                    errors[i] = RowError(t, nul)
                    recs[i] = (None,) * 5
            if not errors:
                raise
            return Results(core.xjlb_batch_match(m, recs, threads), ix, errors)

    def match_dataframe(self, df: Any, threads: int = 0, *,
                        columns: Optional[Mapping[str, str]] = None,
                        progress: Optional[Progress] = None,
                        chunk_rows: int = 65536, results_only: bool = False) -> Any:
        """Matches every row of a pandas DataFrame; returns a new DataFrame:
        ``df``'s columns, then status, status_zh, match_id, score, candidates
        (list of ids) and reasons.  ``df`` itself is left as it was.

        ``status`` and ``status_zh`` are categorical columns whose categories
        are the four statuses (matched, pending, not_found, error, and their
        Chinese labels): they compare, filter and group as text, and
        ``value_counts()`` lists a status no row got with 0.

        The key columns go to the library whole and the rows are matched in
        chunks of ``chunk_rows`` without the GIL (their text included), the
        next chunk while the cells of the last one are made.  Values are
        read as by :meth:`match`: str, bytes, numbers, dates; None, NaN and
        NaT as empty.  A row with a NUL character gets status "error" with
        the reason, as from :meth:`match`.

        :param df: the roster as a pandas DataFrame
        :param threads: matching threads (0: all cores)
        :param columns: key fields mapped to columns the names do not find,
            e.g. ``{"姓名": "XSMC", "身份证件号": "ZJHM"}`` (the standard's
            codes XM, XBM, CSRQ, SFZJLXM, SFZJH are known)
        :param progress: tqdm-compatible (``update(n)`` or a callable taking
            ``n``), told the rows done after each chunk
        :param chunk_rows: rows matched at a time: the results of two chunks
            are held in C until their cells are made
        :param results_only: return only the six result columns, on ``df``'s
            index, without copying the roster: for ``df.join(result)``, or
            ``df[result.columns] = result`` to add them to ``df`` itself.
            By default the roster's rows are copied as the chunks are done,
            while the next chunk is matched: the returned frame shares no
            memory with ``df``
        :raises FormatError: a missing key column, or an ID number column
            that pandas read as floats
        :raises EncodingError: a value that is not valid text (a lone
            surrogate), naming its row and column
        :raises TypeError: a value that is not text, a number, a date or
            missing (a bool, a list)"""
        import numpy  # pandas' own dependencies
        import pandas  # type: ignore[import]  # (no stubs in its Debian package)

        from . import _frame  # (imports pandas)

        _ix, m = self._matcher()
        cols, _ = find_columns(df.columns, mapping=columns)
        refuse_float_ids(df, cols)
        values = tuple(_key_values(df[c]) if c is not None else None for c in cols)
        labels = tuple(None if c is None else str(c) for c in cols)
        n = len(df)
        names = ("status", "status_zh", "match_id", "score", "candidates", "reasons")
        # the roster is copied beside the result unless a result column is
        # one of its own (then replaced where it is, below)
        copy = None
        if not results_only and not (isinstance(df.columns, pandas.MultiIndex)
                                     or df.columns.isin(names).any()):
            copy = _frame.copier(df)
        # the result columns, made once for the frame and filled in C chunk
        # by chunk: status codes, match_id, candidates, reasons (the rows of
        # one object block: match_id, candidates, reasons), score
        codes = numpy.zeros(n, dtype=numpy.int8)
        objects = numpy.empty((3, n), dtype=object)
        score = numpy.zeros(n)
        made = (codes, objects[0], objects[1], objects[2], score)
        report = progress_function(progress)
        if copy is not None:
            # The roster's rows are copied as the chunks are done, while the
            # library matches the next chunk without the GIL: the C side
            # reports each chunk once the next one is under way.
            def report_and_copy(done, report=report, copy_rows=copy.copy_rows):
                copy_rows(done)
                if report is not None:
                    report(done)
            report = report_and_copy
        collecting = gc.isenabled()
        # a million candidate lists made with the collector on cost more
        # than the matching: it would walk them again and again meanwhile
        gc.disable()
        try:
            nul_rows = core.xjlb_match_frame(m, values, labels, n, max(1, int(chunk_rows)),
                                             threads, text, made, report)
            for row in nul_rows:
                self._row_error_columns(values, row, made)
        finally:
            if collecting:
                gc.enable()
        del values
        status = pandas.Categorical.from_codes(codes, categories=_STATUS)
        status_zh = pandas.Categorical.from_codes(codes, categories=_STATUS_ZH)
        result = _frame.result_frame(status, status_zh, objects, score, names, df.index)
        if results_only:
            return result
        if copy is None:
            # a result column the frame has already is replaced where it is
            # (or pandas' internals are not the ones _frame knows)
            if isinstance(df.columns, pandas.MultiIndex) or result.columns.isin(df.columns).any():
                out = df.copy()
                for key in result.columns:
                    out[key] = result[key].array
                return out
            return pandas.concat([df, result], axis=1)
        # the roster's copy (its last rows now), the result's blocks beside it
        return copy.frame(result._mgr.blocks, names)

    @staticmethod
    def _row_error_columns(values, row, made):
        """The result columns of a row that a NUL character made unreadable,
        as :class:`RowError` gives them."""
        t = tuple(None if v is None else text(v[row]) for v in values)
        d = RowError(t, _nul_fields(t)).to_dict()
        made[0][row] = core.XJL_ERROR
        for col, key in zip(made[1:], ("match_id", "candidates", "reasons", "score")):
            col[row] = d[key]

    def match_csv(self, roster: PathOrFile, out: Path, *,
                  encoding: str = "auto", threads: int = 0, lang: str = "en", excel: bool = False,
                  bom: Optional[bool] = None, columns: Optional[Mapping[str, str]] = None,
                  progress: Optional[Progress] = None) -> Dict[str, int]:
        """Matches a roster CSV file into a result CSV file as it streams by,
        the path of ``xjlink match`` (memory bounded by bytes, however long
        the roster): the roster's columns, then status, match_id, candidates,
        score, reasons and weights (the best candidate's parts of the
        score).  Rows that cannot be read get status "error" with the
        reason; none is dropped.

        :param roster: the roster's path, or a file-like object (read from a copy)
        :param out: the result file's path (replaced whole when done)
        :param encoding: "auto", "utf-8" or "gb18030" (also "gbk", "gb2312")
        :param threads: matching threads (0: all cores)
        :param lang: "en", or "zh" for everything in Chinese (headers,
            statuses, reasons in words)
        :param excel: a UTF-8 BOM and CRLF line ends, for Excel
        :param bom: a UTF-8 BOM first (zh-CN Excel then reads the file as
            UTF-8); by default with ``lang="zh"`` only, as ``xjlink match``
            writes it (whose ``--no-bom`` is ``bom=False``)
        :param columns: key fields mapped to roster columns the names do not
            find, e.g. ``{"姓名": "XSMC"}`` (as ``xjlink match --columns``)
        :param progress: called as rows are done, tqdm-compatible: an object
            with ``update(n)`` (a ``tqdm`` bar) or a callable taking ``n``,
            the rows done since the last call
        :returns: the counts (rows, matched, pending, not_found, error, unreadable)
        :raises FormatError: a key column missing; IOError: a file not readable
        """
        _ix, m = self._matcher()
        if lang not in ("en", "zh"):
            raise_error(core.XJL_EINVAL, f"lang must be 'en' or 'zh', not {lang!r}")
        if bom is None:
            bom = lang == "zh"
        flags = core.XJL_CSV_EXCEL if excel else core.XJL_CSV_BOM if bom else 0
        with readable_path(roster) as path:  # a file-like roster is read from a copy
            t = core.xjlb_match_csv_file(m, os.fsencode(path), os.fsencode(out),
                                         core.xjl_encoding_parse(encoding),
                                         mapping_text(columns), threads,
                                         1 if lang == "zh" else 0, flags, None,
                                         progress_function(progress))
        return {k: getattr(t, k) for k in ("rows", "matched", "pending", "not_found",
                                            "error", "unreadable")}

    # ---- the registry -----------------------------------------------------------

    def __len__(self) -> int:
        return core.xjl_index_count(self._live()[0])

    @property
    def memory(self) -> int:
        """Bytes of memory the C index holds."""
        return core.xjl_index_memory(self._live()[0])

    def record(self, key: Union[int, str]) -> ParsedRecord:
        """The registry record at a position (int) or with an id (str), as read
        and normalised (:class:`ParsedRecord`)."""
        ix = self._live()[0]
        if isinstance(key, int):
            pos = key
        else:
            if not self.built:
                raise_error(core.XJL_ESTATE, "finding a record by id needs a built index")
            pos = core.xjl_index_find_id(ix, text(key))
            if pos is None:
                raise_error(core.XJL_ENOTFOUND, f"no record with id '{key}'")
        if not 0 <= pos < core.xjl_index_positions(ix):
            raise_error(core.XJL_ENOTFOUND, f"no record at position {pos}")
        return ParsedRecord._from_parsed(core.xjl_index_record(ix, pos))

    def record_id(self, pos: int) -> str:
        """The registry id of the record at a position."""
        # the C id is borrowed until a compaction: copied (into a str)
        # before compact() in another thread can free it
        with self._lock:
            rid = core.xjl_index_record_id(self._live()[0], pos)
        if rid is None:
            raise_error(core.XJL_ENOTFOUND, f"no record at position {pos}")
        return rid

    # ---- lifetime -------------------------------------------------------------------

    def close(self) -> None:
        """Drops the C index and matcher.  Their memory is freed now, unless
        results still refer to it (then when the last of them goes).  Closing
        twice is allowed."""
        self._state = None

    def __enter__(self) -> "Index":
        self._live()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        st = self._state
        if st is None:
            return "<xjlink.Index closed>"
        return (f"<xjlink.Index {core.xjl_index_count(st[0])} records"
                f"{'' if st[1] is not None else ' (not built)'}>")

"""The duplicate check (查重, 问题学籍) of a whole registry.

In one process::

    import xjlink.dedup as xd
    d = xd.dedup("registry.csv", "clusters.csv")
    print(d.stats)              # records, clusters per class, ...
    for row in d.rows:          # DupRow(cluster, cls, record_id, reasons, pos)
        ...

In pieces (processes, hosts, a Dask cluster: see examples/dedup_dask.py)::

    blocks, bad = xd.split("registry.csv", "work/")          # one CSV per block
    partials = [xd.run_block(b.path, b.key, f"work/p{b.key}.csv") for b in blocks]
    d = xd.merge(partials, "clusters.csv")                   # the same rows as dedup()

``run_block`` takes and returns plain values (paths, numbers), so it is the
task a scheduler ships to a worker.  Every record belongs to one or more
blocks of birth years (see xjlink/dedup.h); the merge of all
blocks equals the one-process check by construction: both run the same
blocks and the same merge in C.
"""

import os
from collections import namedtuple
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from ._progress import Progress, progress_function
from ._types import Path

from . import core
from ._convert import record_tuple, text
from ._errors import raise_error
from .matching import PARAMS, Diagnostic, Index

__all__ = ["Block", "CLASSES", "Dedup", "DupRow", "blocks", "dedup", "merge", "run_block",
           "split"]

#: The classes, by their value in DupRow.cls: "same_id", "no_id", "one_id", "fuzzy", "bad_id".
CLASSES = {c: core.xjl_dup_class_name(c)
           for c in (core.XJL_DUP_SAME_ID, core.XJL_DUP_NO_ID, core.XJL_DUP_ONE_ID,
                     core.XJL_DUP_FUZZY, core.XJL_DUP_BAD_ID)}

#: One output row: the cluster's number (0 for a bad_id row of a record in no
#: cluster), its class name, the record's id, why, and its registry position.
DupRow = namedtuple("DupRow", "cluster cls record_id reasons pos")

#: A search key the block limit cut in a block of the check (xjl_dup_capped):
#: the block, whether it is an ID number's key, the name or number, the key's
#: date (ISO, "" for an ID key), of the records whose search it cut the one
#: whose id sorts first, the key's records, the limit, the searches cut, the
#: pairs not compared, and the report's line in English.
Capped = namedtuple("Capped", "block by_id key birth_date record_id records limit searches "
                              "not_compared line")

#: A block file written by split(): its key, path and number of records.
Block = namedtuple("Block", "key path records")

_STATS = {
    k[len("XJL_DEDUP_"):].lower(): getattr(core, k)
    for k in dir(core)
    if k.startswith("XJL_DEDUP_") and not k.startswith(("XJL_DEDUP_ID_", "XJL_DEDUP_MAX_"))
    and k != "XJL_DEDUP_STAT_COUNT"
}


def _lang(lang: Union[int, str, None]) -> int:
    if lang in (0, None, "en"):
        return 0
    if lang in (1, "zh", "zh-CN", "cn"):
        return 1
    raise_error(core.XJL_EINVAL, f"lang '{lang}': en or zh")


class Dedup:
    """A duplicate check (the C xjl_dedup): blocks add links, finish() joins
    them into clusters, then ``rows``, ``stats`` and write_csv() read it."""

    def __init__(self, params: Optional[Mapping[str, float]] = None) -> None:
        self._d = core.xjl_dedup_new()
        self.diagnostics: List[Diagnostic] = []
        self.bad_rows = 0
        for name, value in (params or {}).items():
            if name not in PARAMS:
                raise_error(core.XJL_EINVAL,
                            f"unknown matcher parameter '{name}'; known: {', '.join(PARAMS)}")
            core.xjl_dedup_set_param(self._d, PARAMS[name], float(value))

    def run(self, index: Index, threads: int = 0) -> "Dedup":
        """Checks a whole registry :class:`xjlink.Index` (built or not) and finishes."""
        core.xjl_dedup_run(self._d, index._live()[0], threads)
        return self

    def run_block(self, block_csv: Path, key: int, threads: int = 0) -> "Dedup":
        """Adds the links of one block file written by split()."""
        core.xjl_dedup_run_block(self._d, os.fsencode(block_csv), int(key), threads)
        return self

    def save(self, path: Path) -> Path:
        """Writes the links collected so far (a partial result) for merge()."""
        core.xjl_dedup_save(self._d, os.fsencode(path))
        return path

    def load(self, path: Path) -> "Dedup":
        """Adds a partial result written by save()."""
        core.xjl_dedup_load(self._d, os.fsencode(path))
        return self

    def finish(self) -> "Dedup":
        """Joins the links into clusters; no block can be added afterwards."""
        core.xjl_dedup_finish(self._d)
        return self

    @property
    def rows(self) -> List[DupRow]:
        """The output rows (after finish), clusters first, in registry order."""
        d = self._d
        out = []
        for i in range(core.xjl_dedup_row_count(d)):
            r = core.xjl_dedup_row(d, i)
            out.append(DupRow(r.cluster, CLASSES[r.cls], r.record_id, r.reasons, r.pos))
        return out

    def clusters(self) -> Dict[int, Tuple[str, List[str]]]:
        """{cluster number: (class, [record ids])}, bad_id rows left out."""
        out: Dict[int, Tuple[str, List[str]]] = {}
        for r in self.rows:
            if r.cls != "bad_id":
                out.setdefault(r.cluster, (r.cls, []))[1].append(r.record_id)
        return out

    @property
    def capped(self) -> List[Capped]:
        """The search keys the block limit cut (after finish: by block, then
        date and key), each with what the report line says."""
        d = self._d
        out = []
        for i in range(core.xjl_dedup_capped_count(d)):
            c = core.xjl_dedup_capped(d, i)
            date = "" if c.by_id else core.xjl_date_format(c.birth_date)
            out.append(Capped(c.block, c.by_id, c.key, date, c.record_id, c.records, c.limit,
                              c.searches, c.not_compared,
                              core.xjl_dedup_capped_text(d, i, core.XJL_LANG_EN)))
        return out

    @property
    def stats(self) -> Dict[str, int]:
        """The check's figures by name (records, blocks, links, refused,
        clusters_same_id, clusters_no_id, clusters_one_id, clusters_fuzzy, clustered, bad_id,
        memory, capped_blocks, not_compared)."""
        return {k: core.xjl_dedup_stat_get(self._d, v) for k, v in _STATS.items()}

    def write_csv(self, path: Path, lang: str = "en") -> Path:
        """Writes cluster_id,class,record_id,reasons (lang "zh": classes in Chinese)."""
        core.xjl_dedup_write_csv(self._d, os.fsencode(path), _lang(lang))
        return path

    def __repr__(self) -> str:
        s = self.stats
        return (f"<xjlink.dedup.Dedup {s['records']} records, {s['clusters_same_id']} same_id, "
                f"{s['clusters_no_id']} no_id, {s['clusters_one_id']} one_id, "
                f"{s['clusters_fuzzy']} fuzzy, "
                f"{s['bad_id']} bad_id>")


def dedup(registry: Path, out: Optional[Path] = None, *,
          threads: int = 0, encoding: str = "auto", id_column: Optional[str] = None,
          params: Optional[Mapping[str, float]] = None, lang: str = "en",
          progress: Optional[Progress] = None,
          columns: Optional[Mapping[str, str]] = None) -> "Dedup":
    """Checks a registry CSV in this process; writes ``out`` if given.

    Rows that cannot be read are reported in ``.diagnostics`` and counted in
    ``.bad_rows``; the rest are checked.

    :param registry: the registry CSV's path
    :param out: the clusters CSV to write (None: none)
    :param threads: worker threads (0: all cores)
    :param encoding: "auto", "utf-8" or "gb18030"
    :param id_column: the column of the record ids (default: the first of
        学前学籍ID, 学籍ID, record_id, id; else the row number)
    :param params: matcher parameters by name (see ``xjlink.PARAMS``)
    :param lang: "zh": classes, header and reasons in Chinese in ``out``
    :param progress: tqdm-compatible (``update(n)`` or a callable taking
        ``n``), counted in records twice over: told the records once the
        registry is read and normalised, and again once they are checked (a
        bar's total is two times the records); the check is one call into C,
        so there is no finer step to report
    :param columns: key fields mapped to the registry's columns the names
        do not find, e.g. ``{"姓名": "XSMC"}`` (as ``xjlink dedup --columns``)
    """
    report = progress_function(progress)
    d = Dedup(params)
    with Index.from_csv(registry, id_column=id_column, encoding=encoding, build=False,
                        columns=columns) as ix:
        d.diagnostics = list(ix.diagnostics)
        d.bad_rows = ix.bad_rows
        loaded = len(ix)
        if report:
            report(loaded)  # half the bar: read and normalised
        d.run(ix, threads)
        if report:
            report(loaded)  # the other half: checked
    if out is not None:
        d.write_csv(out, lang)
    return d


def split(registry: Path, out_dir: Path, *, encoding: str = "auto",
          id_column: Optional[str] = None) -> Tuple[List[Block], List[Diagnostic]]:
    """Splits a registry CSV into block files in ``out_dir`` (created if
    missing).  Returns ([Block], [Diagnostic]) — the blocks largest first,
    the way a scheduler should start them — and the rows that could not be
    read (reported, not split)."""
    os.makedirs(out_dir, exist_ok=True)
    diags = []

    def report(file, line, column, value, message):
        diags.append(Diagnostic(file, line, column, value, message))

    core.xjl_dedup_split(os.fsencode(registry), core.xjl_encoding_parse(encoding),
                         text(id_column), os.fsencode(out_dir), report)
    out = []
    with open(os.path.join(out_dir, "blocks.csv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            key, name, records = line.rstrip("\n").split(",")
            out.append(Block(int(key), os.path.join(out_dir, name), int(records)))
    out.sort(key=lambda b: (-b.records, b.key))
    return out, diags


def run_block(block_csv: Path, key: int, partial: Path, *, threads: int = 0,
              params: Optional[Mapping[str, float]] = None) -> Path:
    """Runs one block file and saves its partial result to ``partial``;
    returns ``partial``.  Plain arguments and result: the task of a worker."""
    d = Dedup(params)
    d.run_block(block_csv, key, threads)
    return d.save(partial)


def merge(partials: Iterable[Path], out: Optional[Path] = None, *, lang: str = "en",
          params: Optional[Mapping[str, float]] = None) -> "Dedup":
    """Merges the partial results of every block into the finished check;
    writes ``out`` if given.  ``params``: those the blocks ran with (a
    partial made with others is refused)."""
    d = Dedup(params)
    for p in partials:
        d.load(p)
    d.finish()
    if out is not None:
        d.write_csv(out, lang)
    return d


def blocks(record: Any) -> Tuple[int, ...]:
    """The block keys of one record (dict or 5-sequence), home block first."""
    return tuple(core.xjl_dedup_blocks(record_tuple(record)))

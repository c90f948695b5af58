"""The frame Index.match_dataframe returns, made from pandas' blocks.

``pandas.concat([df, result], axis=1)`` gives the right frame but pays
twice for it: it copies every block of both frames (the result's too, made
for this frame alone, a million increfs per object column and as many
decrefs when the originals go) and builds the copy through its generic
joining.  Here each block of the roster is copied once by numpy (an object
block is a copy of its pointers and an incref each), the result's blocks
are taken as they are, and the frame is made from the blocks at once:
the same columns, dtypes, index and values, without the second copy.

The roster's object blocks are copied row range by row range
(:meth:`RosterCopy.copy_rows`), so that the caller can copy while the
library matches the next chunk without the GIL.

pandas' internals change between versions: :func:`copier` answers None
where the frame is not made of blocks as pandas 1.x and 2.x make them (the
array manager, a pandas without the API used), and the caller then takes
pandas' own way.
"""

from typing import Any, List, Optional, Sequence

import numpy
import pandas  # type: ignore[import]  # (no stubs in its Debian package)

try:  # the block API pandas keeps for other libraries (pyarrow builds frames so)
    from pandas.core.internals import BlockManager  # type: ignore[import]
    from pandas.core.internals.api import make_block  # type: ignore[import]
except ImportError:  # pragma: no cover - a pandas without it: pandas' own way
    BlockManager = make_block = None


def _frame(blocks: Sequence[Any], columns: Any, index: Any) -> Any:
    """A DataFrame of blocks laid out already (each placed by its columns)."""
    mgr = BlockManager(tuple(blocks), [columns, index], verify_integrity=False)
    from_mgr = getattr(pandas.DataFrame, "_from_mgr", None)  # pandas >= 2.1
    return from_mgr(mgr, mgr.axes) if from_mgr else pandas.DataFrame(mgr)


class RosterCopy:
    """A copy of a DataFrame's blocks that no one else holds, filled by
    :meth:`copy_rows` in row ranges; :meth:`frame` adds the result blocks.
    Its arrays are made at the first copy_rows (their pages are written
    then, a cost best paid while the library matches)."""

    def __init__(self, df: Any) -> None:
        self._df = df
        self._done = 0
        self._pairs: List[Any] = []  # (source, copy) of the 2-D arrays copied by rows
        self._blocks: Optional[List[Any]] = None

    def _start(self) -> List[Any]:
        if self._blocks is None:
            self._blocks = []
            for blk in self._df._mgr.blocks:
                values = blk.values
                if isinstance(values, numpy.ndarray) and values.ndim == 2:
                    # C order, as df.copy() gives; an object array starts as None
                    copy = numpy.empty(values.shape, dtype=values.dtype)
                    self._pairs.append((values, copy))
                else:  # an extension array (categorical, with a time zone...): its own copy
                    copy = values.copy()
                self._blocks.append(blk.make_block_same_class(copy))
        return self._blocks

    def copy_rows(self, n: int) -> None:
        """Copies the next ``n`` rows of every block (the rows are the second
        axis of a block)."""
        self._start()
        a = self._done
        b = min(a + n, len(self._df))
        for src, dst in self._pairs:
            dst[:, a:b] = src[:, a:b]
        self._done = b

    def frame(self, result_blocks: Sequence[Any], names: Sequence[str]) -> Any:
        """The roster's copy (rows copied so far, then the rest), then the
        result's blocks (placed from 0 among ``names``)."""
        self.copy_rows(len(self._df) - self._done)
        width = len(self._df.columns)
        moved = [make_block(blk.values, placement=blk.mgr_locs.as_array + width, ndim=2)
                 for blk in result_blocks]
        columns = self._df.columns.append(pandas.Index(list(names)))
        return _frame(self._start() + moved, columns, self._df.index)


def copier(df: Any) -> Optional[RosterCopy]:
    """A :class:`RosterCopy` of df, or None where its blocks cannot be copied
    so (see the module's comment)."""
    if make_block is None or not isinstance(getattr(df, "_mgr", None), BlockManager):
        return None
    return RosterCopy(df)


def result_frame(status: Any, status_zh: Any, objects: Any, score: Any, names: Sequence[str],
                 index: Any) -> Any:
    """The six result columns, in the order of ``names`` (status, status_zh,
    match_id, score, candidates, reasons), as four blocks: the two
    categoricals, ``objects`` (3 x n: match_id, candidates, reasons) and
    ``score``, none of them copied."""
    columns = pandas.Index(list(names))
    if make_block is None:  # pragma: no cover - pandas' own way
        return pandas.DataFrame({
            names[0]: status, names[1]: status_zh, names[2]: objects[0], names[3]: score,
            names[4]: objects[1], names[5]: objects[2]}, index=index)
    blocks = [make_block(status, placement=[0], ndim=2),
              make_block(status_zh, placement=[1], ndim=2),
              make_block(objects, placement=[2, 4, 5], ndim=2),
              make_block(score.reshape(1, -1), placement=[3], ndim=2)]
    return _frame(blocks, columns, index)

"""Progress reports for long calls, in the form tqdm takes them.

A ``progress`` argument is either an object with an ``update(n)`` method (a
``tqdm.tqdm`` bar, or anything shaped like one) or a callable taking ``n``;
``n`` is always the number of rows done since the previous report, so that
a bar's count adds up to the rows of the call.
"""

from typing import Any, Callable, Optional, Protocol, Union, runtime_checkable


@runtime_checkable
class ProgressBar(Protocol):
    """What xjlink calls on a progress object: ``update(n)``, as tqdm has it."""

    def update(self, n: int) -> Any: ...


#: A progress argument: a tqdm-like bar or a callable taking the rows done.
Progress = Union[ProgressBar, Callable[[int], Any]]


def progress_function(progress: Optional[Progress]) -> Optional[Callable[[int], Any]]:
    """The callable to report to: ``progress.update`` for a bar, ``progress``
    itself for a callable, None for None.  Anything else is a TypeError, said
    at the call rather than at the first report."""
    if progress is None:
        return None
    update = getattr(progress, "update", None)
    if callable(update):
        return update
    if callable(progress):
        return progress
    raise TypeError(f"progress must have an update(n) method or be callable, "
                    f"not {type(progress).__name__}")

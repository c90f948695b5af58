"""The workspace (a SQLite file: the preschool registry, each school's intake
list, history and audit trail) from Python: a small layer over the raw
xjl_workspace_* / xjl_intake_* functions, which ``.raw`` gives for the rest.

Every raw function is already wrapped (xjlink.core) by the header's
conventions; what this module adds is Python values: listings become lists
of dicts, reports dicts, day numbers dates, hooks plain callables.
"""

import datetime
import os
import threading

from . import core
from ._convert import record_tuple, text
from ._errors import raise_error
from .matching import Diagnostic

__all__ = ["ROW_STATUSES", "Workspace", "listing_rows"]

#: Row statuses by name: "matched", "pending", "not_found", "error", "confirmed".
ROW_STATUSES = {core.xjl_row_status_name(s): s for s in range(5)}
_EPOCH = datetime.date(1970, 1, 1)
_REPORT_FIELDS = ("rows", "inserted", "updated", "unchanged", "bad_rows", "warnings",
                  "matched", "pending", "not_found", "errors", "batch")


def listing_rows(t):
    """A listing (the result of a query) as a list of dicts, column → text."""
    cols = [core.xjl_listing_col_name(t, c) for c in range(core.xjl_listing_cols(t))]
    get = core.xjl_listing_get
    return [{name: get(t, r, c) for c, name in enumerate(cols)}
            for r in range(core.xjl_listing_rows(t))]


class Workspace:
    """A workspace file, opened (created if needed) at ``path``.

    A handle is used by one thread at a time (the library's rule): this class
    serialises its calls.  Open one Workspace per thread or process to work
    in parallel; they coordinate through the file.

    A policy hook may call its own Workspace (the library asks the hooks
    before a step opens its transaction): the lock is reentrant, so the
    hook's thread goes on where another thread waits.  Closing the
    Workspace from inside one of its own calls is refused.
    """

    def __init__(self, path, operator=None):
        self._lock = threading.RLock()
        self._depth = 0  # calls of this handle in progress (a hook's are nested)
        self._ws = core.xjl_workspace_open(os.fsencode(path))
        if operator is not None:
            self.set_operator(operator)

    def _raw(self):
        ws = self._ws
        if ws is None:
            raise_error(core.XJL_ESTATE, "the workspace is closed")
        return ws

    @property
    def raw(self):
        """The xjl_workspace handle, for the xjlink.core functions not covered here."""
        return self._raw()

    def _call(self, fn, *args):
        with self._lock:
            ws = self._raw()
            self._depth += 1
            try:
                return fn(ws, *args)
            finally:
                self._depth -= 1

    @property
    def schema_version(self):
        return self._call(core.xjl_workspace_schema_version)

    def set_operator(self, operator_id):
        """Who the following steps are written down for in the audit trail."""
        self._call(core.xjl_workspace_set_operator, text(operator_id))

    def set_window_hook(self, fn):
        """fn(process, date) → bool: is "intake"/"enrol" open on this date?
        None removes the hook.  A hook that raises refuses the step."""
        hook = None if fn is None else (
            lambda process, day: bool(fn(process, _EPOCH + datetime.timedelta(days=day))))
        self._call(core.xjl_workspace_set_window_hook, hook)

    def set_feature_hook(self, fn):
        """fn(feature) → bool: is "intake"/"enrol" switched on?  None removes it."""
        hook = None if fn is None else (lambda feature: bool(fn(feature)))
        self._call(core.xjl_workspace_set_feature_hook, hook)

    def set_school(self, school, name=None, region=0, identifier=None):
        """Creates or updates a school (its code, name, county code, 学校标识码)."""
        self._call(core.xjl_school_set, text(school), text(name), int(region), text(identifier))

    def _load(self, fn, *args):
        diags = []

        def report(file, line, column, value, message):
            diags.append(Diagnostic(file, line, column, value, message))

        rep = self._call(fn, *args, report)
        out = {k: getattr(rep, k) for k in _REPORT_FIELDS}
        out["diagnostics"] = diags
        return out

    def load_registry(self, path, encoding="auto"):
        """Loads or refreshes the preschool registry from a CSV; returns the
        counts and the rows reported (``diagnostics``)."""
        return self._load(core.xjl_intake_load_registry, os.fsencode(path),
                          core.xjl_encoding_parse(encoding))

    def import_roster(self, school, path, encoding="auto"):
        """Imports a school's intake roster and matches every row; returns the
        counts per status, the batch id and the rows reported."""
        return self._load(core.xjl_intake_import, text(school), os.fsencode(path),
                          core.xjl_encoding_parse(encoding))

    def add_row(self, school, record):
        """Adds one row to a school's list and matches it: (row id, status name)."""
        row_id, status = self._call(core.xjl_intake_add, text(school), record_tuple(record))
        return row_id, core.xjl_row_status_name(status)

    def rows(self, school, status=None):
        """The school's live rows in import order, all or of one status."""
        s = -1 if status is None else ROW_STATUSES[status]
        return listing_rows(self._call(core.xjl_intake_list, text(school), s))

    def candidates(self, row_id):
        """A row's candidates, best first, with the reasons per field."""
        return listing_rows(self._call(core.xjl_intake_candidates, int(row_id)))

    def confirm(self, row_id, record_id):
        """The school confirms one candidate of a pending row (确认补录)."""
        self._call(core.xjl_intake_confirm, int(row_id), text(record_id))

    def declare_none(self, row_id):
        """The school declares that no candidate is this pupil (确认都不匹配)."""
        self._call(core.xjl_intake_declare_none, int(row_id))

    def audit(self, object=None, object_id=0):
        """The audit trail, oldest first (of one kind of object, of one object)."""
        return listing_rows(self._call(core.xjl_workspace_audit, text(object), int(object_id)))

    def close(self):
        """Closes the file (and lets go of the hooks).  Twice is allowed."""
        with self._lock:
            if self._depth:
                raise_error(core.XJL_ESTATE, "a workspace cannot be closed by a hook of its "
                            "own step (the step is still running)")
            self._ws = None

    @property
    def closed(self):
        return self._ws is None

    def __enter__(self):
        self._raw()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

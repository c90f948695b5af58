"""The workspace (a SQLite file: the preschool registry, each school's intake
list, the graduate pool and admissions, history and audit trail) from Python:
every step of both workflows over the raw xjl_workspace_* / xjl_intake_* /
xjl_reg_* / xjl_enrol_* functions (``.raw`` gives the handle for the rest).

Every raw function is already wrapped (xjlink.core) by the header's
conventions; what this module adds is Python values: listings become lists
of dicts, reports dicts, day numbers dates, hooks plain callables.
"""

import datetime
import os
import threading
from typing import (Any, Callable, Dict, List, Mapping, Optional, Tuple, TypedDict, TypeVar, Union,
                    cast)

from . import core
from ._convert import mapping_text, record_tuple, text
from ._errors import raise_error
from ._types import Path, Record
from .matching import Diagnostic

__all__ = ["ROW_STATUSES", "Workspace", "listing_rows", "Row", "LoadReport", "Approval"]

#: A row of a listing: column name → its text, in the library's column order.
Row = Dict[str, str]
#: A text argument: str, or bytes passed to the library as they are.
Text = Union[str, bytes]
_T = TypeVar("_T")


class LoadReport(TypedDict):
    """What a load or import did: rows read, inserted, updated, unchanged, not
    loaded (each in ``diagnostics``), warnings; for an import the rows of
    each match status and the batch id."""

    rows: int
    inserted: int
    updated: int
    unchanged: int
    bad_rows: int
    warnings: int
    matched: int
    pending: int
    not_found: int
    errors: int
    batch: int
    diagnostics: List[Diagnostic]


class Approval(TypedDict):
    """The authority's approval of a school's submitted rows, counted."""

    approved: int
    returned: int
    held: int


#: Row statuses by name: "matched", "pending", "not_found", "error", "confirmed".
ROW_STATUSES = {core.xjl_row_status_name(s): s for s in range(5)}
_EPOCH = datetime.date(1970, 1, 1)
_REPORT_FIELDS = ("rows", "inserted", "updated", "unchanged", "bad_rows", "warnings",
                  "matched", "pending", "not_found", "errors", "batch")


def _day(d: Optional[datetime.date]) -> int:
    """A date as the library's day number; None is an open end."""
    return int(core.XJL_DATE_NONE) if d is None else (d - _EPOCH).days


def _str(v: Any) -> str:
    """A field name or value as text for a list of changes ("" for None)."""
    t = text(v)
    return "" if t is None else t.decode("utf-8") if isinstance(t, bytes) else t


def listing_rows(t: Any) -> List[Row]:
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
    Workspace from inside one of its own calls is refused.  The library
    keeps its hooks where the cycle collector cannot see them: a hook that
    refers to its own Workspace keeps it (and its database file) open until
    :meth:`close`, or until the hook is set to None.

    ``read_only=True`` (or :meth:`open_read`) opens an existing workspace
    for the listings only, as xjl_workspace_open_read().
    """

    def __init__(self, path: Path, operator: Optional[Text] = None, *,
                 read_only: bool = False) -> None:
        self._lock = threading.RLock()
        self._depth = 0  # calls of this handle in progress (a hook's are nested)
        opener = core.xjl_workspace_open_read if read_only else core.xjl_workspace_open
        self._ws = opener(os.fsencode(path))
        self._read_only = read_only
        if operator is not None:
            self.set_operator(operator)

    @classmethod
    def open_read(cls, path: Path) -> "Workspace":
        """Opens an existing workspace for reading only: every listing, the
        audit trail and the quotas work; a step that would change it raises
        InvalidError naming the file and the step.  It works on a file of
        mode 0444, in a read-only folder or of another user, writes nothing
        (no migration, no checkpoint) and leaves no -wal/-shm file behind.
        A missing file raises FileError (it is not made); a workspace of an
        older schema raises DatabaseError (one write open upgrades it)."""
        return cls(path, read_only=True)

    @property
    def read_only(self) -> bool:
        """Was this handle opened for reading only?"""
        return self._read_only

    def _raw(self) -> Any:
        ws = self._ws
        if ws is None:
            raise_error(core.XJL_ESTATE, "the workspace is closed")
        return ws

    @property
    def raw(self) -> Any:
        """The xjl_workspace handle, for the xjlink.core functions not covered here."""
        return self._raw()

    def _call(self, fn: Callable[..., _T], *args: Any) -> _T:
        with self._lock:
            ws = self._raw()
            self._depth += 1
            try:
                return fn(ws, *args)
            finally:
                self._depth -= 1

    def _int(self, fn: Callable[..., Any], *args: Any) -> int:
        """A call whose result is a count or an id."""
        return int(self._call(fn, *args))

    @property
    def schema_version(self) -> int:
        return self._int(core.xjl_workspace_schema_version)

    def set_busy_timeout(self, ms: int) -> None:
        """How long a step waits for another process's write, in milliseconds."""
        self._call(core.xjl_workspace_set_busy_timeout, int(ms))

    def set_date(self, date: Optional[datetime.date]) -> None:
        """The date the workflow takes as today (None: the machine's date)."""
        self._call(core.xjl_workspace_set_date, _day(date))

    def check(self) -> None:
        """SQLite's integrity check; raises with the first problem."""
        self._call(core.xjl_workspace_check)

    def set_operator(self, operator_id: Optional[Text]) -> None:
        """Who the following steps are written down for in the audit trail."""
        self._call(core.xjl_workspace_set_operator, text(operator_id))

    def set_columns(self, columns: Optional[Union[str, Mapping[str, str]]]) -> None:
        """The key columns of the files this handle reads from now on (the
        registry, graduates, rosters, assigned lists) where their header names
        do not find them, as ``xjlink intake --columns 姓名=XM,...``: a dict
        key field (by any of its names: 姓名, name, XM) → the file's column,
        or that text; None for none.  A file whose header lacks a mapped
        column, or still lacks a key column, raises FormatError naming it."""
        self._call(core.xjl_workspace_set_columns, mapping_text(columns))

    def set_window_hook(self, fn: Optional[Callable[[str, datetime.date], Any]]) -> None:
        """fn(process, date) → bool: is "intake"/"enrol" open on this date?
        None removes the hook.  A hook that raises refuses the step."""
        hook = None if fn is None else (
            lambda process, day: bool(fn(process, _EPOCH + datetime.timedelta(days=day))))
        self._call(core.xjl_workspace_set_window_hook, hook)

    def set_feature_hook(self, fn: Optional[Callable[[str], Any]]) -> None:
        """fn(feature) → bool: is "intake"/"enrol" switched on?  None removes it."""
        hook = None if fn is None else (lambda feature: bool(fn(feature)))
        self._call(core.xjl_workspace_set_feature_hook, hook)

    def set_school(self, school: Text, name: Optional[Text] = None, region: int = 0,
                   identifier: Optional[Text] = None) -> None:
        """Creates or updates a school (its code, name, county code, 学校标识码)."""
        self._call(core.xjl_school_set, text(school), text(name), int(region), text(identifier))

    def _load(self, fn: Callable[..., Any], *args: Any) -> LoadReport:
        diags: List[Diagnostic] = []

        def report(file: str, line: int, column: str, value: str, message: str) -> None:
            diags.append(Diagnostic(file, line, column, value, message))

        rep = self._call(fn, *args, report)
        out: Dict[str, Any] = {k: getattr(rep, k) for k in _REPORT_FIELDS}
        out["diagnostics"] = diags
        return cast(LoadReport, out)

    def load_registry(self, path: Path, encoding: str = "auto") -> LoadReport:
        """Loads or refreshes the preschool registry from a CSV; returns the
        counts and the rows reported (``diagnostics``)."""
        return self._load(core.xjl_intake_load_registry, os.fsencode(path),
                          core.xjl_encoding_parse(encoding))

    def import_roster(self, school: Text, path: Path, encoding: str = "auto") -> LoadReport:
        """Imports a school's intake roster and matches every row; returns the
        counts per status, the batch id and the rows reported."""
        return self._load(core.xjl_intake_import, text(school), os.fsencode(path),
                          core.xjl_encoding_parse(encoding))

    def registry_count(self) -> int:
        return self._int(core.xjl_intake_registry_count)

    def registry_record(self, record_id: Text) -> Row:
        """One preschool record by its record id, as a dict."""
        return listing_rows(self._call(core.xjl_intake_registry_record, text(record_id)))[0]

    def status(self, row_id: int) -> str:
        """A row's match status name."""
        return str(core.xjl_row_status_name(self._call(core.xjl_intake_status, int(row_id))))

    def add_row(self, school: Text, record: Record) -> Tuple[int, str]:
        """Adds one row to a school's list and matches it: (row id, status name)."""
        row_id, status = self._call(core.xjl_intake_add, text(school), record_tuple(record))
        return row_id, core.xjl_row_status_name(status)

    def rows(self, school: Text, status: Optional[str] = None) -> List[Row]:
        """The school's live rows in import order, all or of one status."""
        s = core.XJL_ROW_ANY if status is None else ROW_STATUSES[status]
        return listing_rows(self._call(core.xjl_intake_list, text(school), s))

    def candidates(self, row_id: int) -> List[Row]:
        """A row's candidates, best first, with the reasons per field."""
        return listing_rows(self._call(core.xjl_intake_candidates, int(row_id)))

    def confirm(self, row_id: int, record_id: Text) -> None:
        """The school confirms one candidate of a pending row (确认补录)."""
        self._call(core.xjl_intake_confirm, int(row_id), text(record_id))

    def declare_none(self, row_id: int) -> None:
        """The school declares that no candidate is this pupil (确认都不匹配)."""
        self._call(core.xjl_intake_declare_none, int(row_id))

    # ---- roles, policy -----------------------------------------------------------------

    def set_role(self, role: Optional[Text], scope: Optional[Text] = None) -> None:
        """The operator's role ("school", "county", "city", "province" or None)
        and scope (the school's code, or a 6-digit region code)."""
        r = 0 if role is None else core.xjl_role_parse(text(role))
        self._call(core.xjl_workspace_set_role, r, text(scope))

    def set_policy(self, process: Text, enabled: bool = True,
                   open_from: Optional[datetime.date] = None,
                   open_to: Optional[datetime.date] = None) -> None:
        """Stores a feature switch and date window (datetime.date or None)."""
        self._call(core.xjl_workspace_set_policy, text(process), bool(enabled),
                   _day(open_from), _day(open_to))

    def policy(self) -> List[Row]:
        return listing_rows(self._call(core.xjl_workspace_policy))

    def schools(self) -> List[Row]:
        return listing_rows(self._call(core.xjl_school_list))

    # ---- primary intake -----------------------------------------------------------------

    def row(self, row_id: int) -> Row:
        """One row (deleted or not) as a dict."""
        return listing_rows(self._call(core.xjl_intake_row, int(row_id)))[0]

    def history(self, row_id: int) -> List[Row]:
        return listing_rows(self._call(core.xjl_intake_history, int(row_id)))

    def edit(self, row_id: int, record: Record) -> str:
        """Edits a row's key fields and matches it again: the new status name."""
        status = self._call(core.xjl_intake_edit, int(row_id), record_tuple(record))
        return str(core.xjl_row_status_name(status))

    def delete(self, row_id: int, reason: Optional[Text] = None) -> None:
        self._call(core.xjl_intake_delete, int(row_id), text(reason))

    def supplement(self, row_id: int, fields: Optional[Mapping[Any, Any]] = None,
                   done: bool = False) -> Row:
        """Sets supplement fields ({name or label: value}), optionally saves
        (补录完成), and returns the 17 fields.  Every value is checked before
        the first is written, so a refused one leaves all unchanged."""
        fields = dict(fields or {})
        if fields:
            # one library call, one transaction (see xjlb_supplement_update)
            changes = "".join(f"{_str(name)}\x1f{_str(value)}\x1e" for name, value in fields.items())
            self._call(core.xjlb_supplement_update, int(row_id), changes)
        if done:
            self._call(core.xjl_intake_supplement_save, int(row_id))
        return listing_rows(self._call(core.xjl_intake_supplement, int(row_id)))[0]

    def export_not_found(self, school: Text, path: Path) -> int:
        return self._int(core.xjl_intake_export_not_found, text(school), os.fsencode(path))

    def submit(self, school: Text) -> int:
        """The school submits its ready rows; returns how many went."""
        return self._int(core.xjl_intake_submit, text(school))

    def return_row(self, row_id: int, reason: Text) -> None:
        self._call(core.xjl_intake_return, int(row_id), text(reason))

    def override(self, row_id: int, reason: Text) -> None:
        """The authority numbers a held row despite its findings."""
        self._call(core.xjl_intake_override, int(row_id), text(reason))

    def approve(self, school: Text) -> Approval:
        """The authority's approval: {"approved", "returned", "held"} counts."""
        ok, back, held = self._call(core.xjl_intake_approve, text(school))
        return {"approved": ok, "returned": back, "held": held}

    def request_key_change(self, row_id: int, field: Text, value: Optional[Text],
                           reason: Optional[Text]) -> int:
        f = core.xjl_sfield_parse(text(field))
        return self._int(core.xjl_intake_request_key_change, int(row_id), f, text(value),
                          text(reason))

    def decide_key_change(self, request: int, approve: bool, note: Optional[Text] = None) -> None:
        self._call(core.xjl_intake_decide_key_change, int(request), bool(approve), text(note))

    def key_changes(self, school: Optional[Text] = None) -> List[Row]:
        return listing_rows(self._call(core.xjl_intake_key_changes, text(school)))

    # ---- registration outside grade 1 and the national check ------------------------------

    def register(self, school: Text, record: Record, grade: int) -> int:
        return self._int(core.xjl_reg_request, text(school), record_tuple(record), int(grade))

    def record_proof(self, request: int, proof: Text) -> None:
        self._call(core.xjl_reg_proof, int(request), text(proof))

    def decide_registration(self, request: int, approve: bool, note: Optional[Text]) -> None:
        self._call(core.xjl_reg_decide, int(request), bool(approve), text(note))

    def registrations(self, school: Optional[Text] = None) -> List[Row]:
        return listing_rows(self._call(core.xjl_reg_list, text(school)))

    def export_check(self, path: Path) -> int:
        return self._int(core.xjl_reg_export_check, os.fsencode(path))

    def import_check(self, path: Path, encoding: str = "auto") -> LoadReport:
        return self._load(core.xjl_reg_import_result, os.fsencode(path),
                          core.xjl_encoding_parse(encoding))

    # ---- secondary enrolment -------------------------------------------------------------

    def set_school_kind(self, school: Text, kind: Text) -> None:
        self._call(core.xjl_school_set_kind, text(school), core.xjl_school_kind_parse(text(kind)))

    def load_graduates(self, path: Path, encoding: str = "auto") -> LoadReport:
        return self._load(core.xjl_enrol_load_graduates, os.fsencode(path),
                          core.xjl_encoding_parse(encoding))

    def graduate(self, number: Text) -> Row:
        return listing_rows(self._call(core.xjl_enrol_graduate, text(number)))[0]

    def restore(self, number: Text, reason: Text) -> None:
        self._call(core.xjl_enrol_restore, text(number), text(reason))

    def delete_graduate(self, number: Text, reason: Text) -> None:
        self._call(core.xjl_enrol_delete_graduate, text(number), text(reason))

    def set_quota(self, school: Text, year: int, quota: int) -> None:
        self._call(core.xjl_enrol_set_quota, text(school), int(year), int(quota))

    def quota(self, school: Text, year: int) -> Tuple[int, int]:
        """(quota, used)."""
        quota, used = self._call(core.xjl_enrol_quota, text(school), int(year))
        return int(quota), int(used)

    def request_quota(self, school: Text, year: int, quota: int,
                      reason: Optional[Text] = None) -> int:
        return self._int(core.xjl_enrol_request_quota, text(school), int(year), int(quota),
                          text(reason))

    def decide_quota(self, request: int, approve: bool) -> None:
        self._call(core.xjl_enrol_decide_quota, int(request), bool(approve))

    def quota_requests(self, school: Optional[Text] = None) -> List[Row]:
        return listing_rows(self._call(core.xjl_enrol_quota_requests, text(school)))

    def assign(self, school: Text, year: int, number: Text) -> None:
        self._call(core.xjl_enrol_assign, text(school), int(year), text(number))

    def admit(self, school: Text, year: int, number: Text,
              route: str = "unified") -> Tuple[int, int]:
        """(admission id, id of the other flow of a double admission or 0)."""
        r = {"unified": core.XJL_ROUTE_UNIFIED, "self": core.XJL_ROUTE_SELF}[route]
        admission, other = self._call(core.xjl_enrol_admit, text(school), int(year), text(number),
                                      r)
        return int(admission), int(other)

    def import_assigned(self, school: Text, year: int, path: Path,
                        encoding: str = "auto") -> LoadReport:
        return self._load(core.xjl_enrol_import_assigned, text(school), int(year),
                          os.fsencode(path), core.xjl_encoding_parse(encoding))

    def continue_admission(self, admission: int) -> None:
        self._call(core.xjl_enrol_continue, int(admission))

    def cancel_admission(self, admission: int, reason: Optional[Text] = None) -> None:
        self._call(core.xjl_enrol_cancel, int(admission), text(reason))

    def delete_admission(self, admission: int) -> None:
        self._call(core.xjl_enrol_delete, int(admission))

    def transfer_archive(self, admission: int) -> None:
        self._call(core.xjl_enrol_transfer_archive, int(admission))

    def school_transfer(self, admission: int, to_school: Text) -> int:
        return self._int(core.xjl_enrol_school_transfer, int(admission), text(to_school))

    def resolve_double(self, keep: int, cancel: int, reason: Text) -> None:
        self._call(core.xjl_enrol_resolve_double, int(keep), int(cancel), text(reason))

    def review_admission(self, admission: int, stage: Text, approve: bool,
                         note: Optional[Text] = None) -> None:
        """The authority's review with the education stage (教育阶段)."""
        self._call(core.xjl_enrol_review, int(admission), core.xjl_school_kind_parse(text(stage)),
                   bool(approve), text(note))

    def admissions(self, school: Text, year: int) -> List[Row]:
        return listing_rows(self._call(core.xjl_enrol_admissions, text(school), int(year)))

    def admission(self, admission: int) -> Row:
        return listing_rows(self._call(core.xjl_enrol_admission, int(admission)))[0]

    def double_admissions(self, year: int) -> List[Row]:
        return listing_rows(self._call(core.xjl_enrol_double_admissions, int(year)))

    def statistics(self, year: int) -> Tuple[List[Row], int]:
        """(rows, number of schools counted)."""
        t, n = self._call(core.xjl_enrol_statistics, int(year))
        return listing_rows(t), n

    @staticmethod
    def cross_check(senior_csv: Path, vocational_csv: Path, encoding: str = "auto") -> List[Row]:
        """Double admissions across two systems' lists (a senior high and a
        中职 CSV), without a workspace: a list of dicts."""
        return listing_rows(core.xjl_enrol_cross_check(
            os.fsencode(senior_csv), os.fsencode(vocational_csv),
            core.xjl_encoding_parse(encoding), None))

    def audit(self, object: Optional[Text] = None, object_id: int = 0) -> List[Row]:
        """The audit trail, oldest first (of one kind of object, of one object)."""
        return listing_rows(self._call(core.xjl_workspace_audit, text(object), int(object_id)))

    def close(self) -> None:
        """Closes the file (and lets go of the hooks).  Twice is allowed."""
        with self._lock:
            if self._depth:
                raise_error(core.XJL_ESTATE, "a workspace cannot be closed by a hook of its "
                            "own step (the step is still running)")
            self._ws = None

    @property
    def closed(self) -> bool:
        return self._ws is None

    def __enter__(self) -> "Workspace":
        self._raw()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

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


def _day(d):
    """A date as the library's day number; None is an open end."""
    return core.XJL_DATE_NONE if d is None else (d - _EPOCH).days


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
        s = core.XJL_ROW_ANY if status is None else ROW_STATUSES[status]
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

    # ---- roles, policy -----------------------------------------------------------------

    def set_role(self, role, scope=None):
        """The operator's role ("school", "county", "city", "province" or None)
        and scope (the school's code, or a 6-digit region code)."""
        r = 0 if role is None else core.xjl_role_parse(text(role))
        self._call(core.xjl_workspace_set_role, r, text(scope))

    def set_policy(self, process, enabled=True, open_from=None, open_to=None):
        """Stores a feature switch and date window (datetime.date or None)."""
        self._call(core.xjl_workspace_set_policy, text(process), bool(enabled),
                   _day(open_from), _day(open_to))

    def policy(self):
        return listing_rows(self._call(core.xjl_workspace_policy))

    def schools(self):
        return listing_rows(self._call(core.xjl_school_list))

    # ---- primary intake -----------------------------------------------------------------

    def row(self, row_id):
        """One row (deleted or not) as a dict."""
        return listing_rows(self._call(core.xjl_intake_row, int(row_id)))[0]

    def history(self, row_id):
        return listing_rows(self._call(core.xjl_intake_history, int(row_id)))

    def edit(self, row_id, record):
        """Edits a row's key fields and matches it again: the new status name."""
        status = self._call(core.xjl_intake_edit, int(row_id), record_tuple(record))
        return core.xjl_row_status_name(status)

    def delete(self, row_id, reason=None):
        self._call(core.xjl_intake_delete, int(row_id), text(reason))

    def supplement(self, row_id, fields=None, done=False):
        """Sets supplement fields ({name or label: value}), optionally saves
        (补录完成), and returns the 17 fields.  Every value is checked before
        the first is written, so a refused one leaves all unchanged."""
        fields = dict(fields or {})
        parsed = []
        for name, value in fields.items():
            f = core.xjl_sfield_parse(text(name))
            if core.xjl_sfield_is_key(f):
                raise_error(core.XJL_ESTATE, f"{name} is a key field: request a key-data change")
            core.xjl_sfield_check(f, text(value))
            parsed.append((f, value))
        for f, value in parsed:
            self._call(core.xjl_intake_supplement_set, int(row_id), f, text(value))
        if done:
            self._call(core.xjl_intake_supplement_save, int(row_id))
        return listing_rows(self._call(core.xjl_intake_supplement, int(row_id)))[0]

    def export_not_found(self, school, path):
        return self._call(core.xjl_intake_export_not_found, text(school), os.fsencode(path))

    def submit(self, school):
        """The school submits its ready rows; returns how many went."""
        return self._call(core.xjl_intake_submit, text(school))

    def return_row(self, row_id, reason):
        self._call(core.xjl_intake_return, int(row_id), text(reason))

    def override(self, row_id, reason):
        """The authority numbers a held row despite its findings."""
        self._call(core.xjl_intake_override, int(row_id), text(reason))

    def approve(self, school):
        """The authority's approval: {"approved", "returned", "held"} counts."""
        ok, back, held = self._call(core.xjl_intake_approve, text(school))
        return {"approved": ok, "returned": back, "held": held}

    def request_key_change(self, row_id, field, value, reason):
        f = core.xjl_sfield_parse(text(field))
        return self._call(core.xjl_intake_request_key_change, int(row_id), f, text(value),
                          text(reason))

    def decide_key_change(self, request, approve, note=None):
        self._call(core.xjl_intake_decide_key_change, int(request), bool(approve), text(note))

    def key_changes(self, school=None):
        return listing_rows(self._call(core.xjl_intake_key_changes, text(school)))

    # ---- registration outside grade 1 and the national check ------------------------------

    def register(self, school, record, grade):
        return self._call(core.xjl_reg_request, text(school), record_tuple(record), int(grade))

    def record_proof(self, request, proof):
        self._call(core.xjl_reg_proof, int(request), text(proof))

    def decide_registration(self, request, approve, note):
        self._call(core.xjl_reg_decide, int(request), bool(approve), text(note))

    def registrations(self, school=None):
        return listing_rows(self._call(core.xjl_reg_list, text(school)))

    def export_check(self, path):
        return self._call(core.xjl_reg_export_check, os.fsencode(path))

    def import_check(self, path, encoding="auto"):
        return self._load(core.xjl_reg_import_result, os.fsencode(path),
                          core.xjl_encoding_parse(encoding))

    # ---- secondary enrolment -------------------------------------------------------------

    def set_school_kind(self, school, kind):
        self._call(core.xjl_school_set_kind, text(school), core.xjl_school_kind_parse(text(kind)))

    def load_graduates(self, path, encoding="auto"):
        return self._load(core.xjl_enrol_load_graduates, os.fsencode(path),
                          core.xjl_encoding_parse(encoding))

    def graduate(self, number):
        return listing_rows(self._call(core.xjl_enrol_graduate, text(number)))[0]

    def restore(self, number, reason):
        self._call(core.xjl_enrol_restore, text(number), text(reason))

    def delete_graduate(self, number, reason):
        self._call(core.xjl_enrol_delete_graduate, text(number), text(reason))

    def set_quota(self, school, year, quota):
        self._call(core.xjl_enrol_set_quota, text(school), int(year), int(quota))

    def quota(self, school, year):
        """(quota, used)."""
        return tuple(self._call(core.xjl_enrol_quota, text(school), int(year)))

    def request_quota(self, school, year, quota, reason=None):
        return self._call(core.xjl_enrol_request_quota, text(school), int(year), int(quota),
                          text(reason))

    def decide_quota(self, request, approve):
        self._call(core.xjl_enrol_decide_quota, int(request), bool(approve))

    def quota_requests(self, school=None):
        return listing_rows(self._call(core.xjl_enrol_quota_requests, text(school)))

    def assign(self, school, year, number):
        self._call(core.xjl_enrol_assign, text(school), int(year), text(number))

    def admit(self, school, year, number, route="unified"):
        """(admission id, id of the other flow of a double admission or 0)."""
        r = {"unified": core.XJL_ROUTE_UNIFIED, "self": core.XJL_ROUTE_SELF}[route]
        return tuple(self._call(core.xjl_enrol_admit, text(school), int(year), text(number), r))

    def import_assigned(self, school, year, path, encoding="auto"):
        return self._load(core.xjl_enrol_import_assigned, text(school), int(year),
                          os.fsencode(path), core.xjl_encoding_parse(encoding))

    def continue_admission(self, admission):
        self._call(core.xjl_enrol_continue, int(admission))

    def cancel_admission(self, admission, reason=None):
        self._call(core.xjl_enrol_cancel, int(admission), text(reason))

    def delete_admission(self, admission):
        self._call(core.xjl_enrol_delete, int(admission))

    def transfer_archive(self, admission):
        self._call(core.xjl_enrol_transfer_archive, int(admission))

    def school_transfer(self, admission, to_school):
        return self._call(core.xjl_enrol_school_transfer, int(admission), text(to_school))

    def resolve_double(self, keep, cancel, reason):
        self._call(core.xjl_enrol_resolve_double, int(keep), int(cancel), text(reason))

    def review_admission(self, admission, stage, approve, note=None):
        """The authority's review with the education stage (教育阶段)."""
        self._call(core.xjl_enrol_review, int(admission), core.xjl_school_kind_parse(text(stage)),
                   bool(approve), text(note))

    def admissions(self, school, year):
        return listing_rows(self._call(core.xjl_enrol_admissions, text(school), int(year)))

    def admission(self, admission):
        return listing_rows(self._call(core.xjl_enrol_admission, int(admission)))[0]

    def double_admissions(self, year):
        return listing_rows(self._call(core.xjl_enrol_double_admissions, int(year)))

    def statistics(self, year):
        """(rows, number of schools counted)."""
        t, n = self._call(core.xjl_enrol_statistics, int(year))
        return listing_rows(t), n

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

/*
 * xjlink/enrol.h: secondary enrolment: graduates, quotas, admissions, double admission.
 *
 * Part of the public API; include <xjlink.h>, which includes every area in
 * order.  Not yet stable: this area may change in a minor release before 1.0 (the
 * CHANGELOG says how).
 */
#ifndef XJLINK_ENROL_H
#define XJLINK_ENROL_H

#include "workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

#if XJL_WITH_WORKSPACE
/* Present when the library was built with its workflow layer (the default);
 * a matching-only build (meson -Dworkspace=disabled) declares none of it and
 * links no SQLite. */

/* ------------------------------------------------------------------------ */
/** @name Secondary enrolment, quotas and double admission (enrol.c)
 *
 * Junior and senior high intake (高中招生学籍接续, docs/domain.md §2) in the same
 * workspace: admitting a graduate of the previous stage continues the
 * graduate's record (the admission refers to it by its national student
 * number).  Steps of a school ask the policy hooks for "enrol"; the
 * authority's steps (graduates, quotas, restoring) ask none.
 */

/** Kind of a school: what it admits and which admissions conflict. */
typedef enum xjl_school_kind {
    XJL_SCHOOL_UNKNOWN = 0,
    XJL_SCHOOL_PRIMARY = 1,   /**< 小学 */
    XJL_SCHOOL_JUNIOR = 2,    /**< 初中: admits primary graduates */
    XJL_SCHOOL_SENIOR = 3,    /**< 普通高中: admits junior graduates */
    XJL_SCHOOL_VOCATIONAL = 4 /**< 中职: admits junior graduates */
} xjl_school_kind;

/** "unknown", "primary", "junior", "senior", "vocational". */
XJL_API const char *xjl_school_kind_name(xjl_school_kind kind);
/** Parses a name or 小学, 初中, 高中/普通高中, 中职.  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_school_kind_parse(const char *s, xjl_school_kind *out);
/** Sets a school's kind (the school is created if unknown).
 *  @return XJL_OK, XJL_EINVAL; XJL_ESTATE when the kind would change while
 *          the school holds admissions (that would hide a double admission). */
XJL_API int xjl_school_set_kind(xjl_workspace *ws, const char *school, xjl_school_kind kind);

/** Loads or refreshes the pool of graduates of the previous stage from a CSV
 *  file: 学籍号 (national student number, the key; also 全国学籍号, number),
 *  the five key fields, 学校 (school), 区县码 (6-digit county of the
 *  graduate's school; also region), 学段 (stage: 小学/primary or 初中/junior),
 *  是否毕业 (graduated, 0/1), 是否注销 (archived as a problem record, 0/1).
 *  A bad row is reported to diag and not loaded; the rest loads, in one
 *  transaction.  @return as xjl_intake_load_registry(). */
XJL_API int xjl_enrol_load_graduates(xjl_workspace *ws, const char *path, xjl_encoding enc,
                                     xjl_diag_fn diag, void *user, xjl_load_report *rep);
/** One graduate.  Columns: id, number, name, gender, birth_date, id_type,
 *  id_number, school, region, stage, graduated, archived, deleted.
 *  @return XJL_ENOTFOUND for an unknown number. */
XJL_API int xjl_enrol_graduate(xjl_workspace *ws, const char *number, xjl_listing **out);
/** The authority restores a graduate archived (注销) as a problem record, so
 *  that it can be admitted.  A later reload of the pool that still marks the
 *  record archived does not archive it again.
 *  @return XJL_OK; XJL_ESTATE (not archived); XJL_ENOTFOUND. */
XJL_API int xjl_enrol_restore(xjl_workspace *ws, const char *number, const char *reason);
/** Deletes a graduate record (soft).  @return XJL_OK; XJL_ESTATE for a
 *  formal G number (may not be deleted) or a graduate with a live
 *  admission; XJL_ENOTFOUND. */
XJL_API int xjl_enrol_delete_graduate(xjl_workspace *ws, const char *number, const char *reason);

/** @name Quotas (招生计划数): per school and year, set by the authority.
 *  Admissions, pending flows and pupils transferred into the first grade
 *  all consume it. */

/** Sets the quota.  @return XJL_OK; XJL_EINVAL (year outside 2000-2100);
 *  XJL_ESTATE when the school has already used more. */
XJL_API int xjl_enrol_set_quota(xjl_workspace *ws, const char *school, int year, size_t quota);
/** The quota and what is used of it.  @return XJL_ENOTFOUND when no quota is set. */
XJL_API int xjl_enrol_quota(xjl_workspace *ws, const char *school, int year, size_t *quota,
                            size_t *used);
/** A school that ran out asks for a new quota (招生计划数变更申请).
 *  @param request  receives the request's id
 *  @return XJL_OK; XJL_ESTATE (no quota set yet, the new quota is not larger,
 *          or a request is already open); XJL_EPOLICY. */
XJL_API int xjl_enrol_request_quota(xjl_workspace *ws, const char *school, int year,
                                    size_t new_quota, const char *reason, int64_t *request);
/** The authority approves (approve != 0) or rejects a request; approval
 *  sets the quota.  @return XJL_OK; XJL_ESTATE (decided already, or an
 *  approval of a request no larger than the quota the school has now: that
 *  would lower it); XJL_ENOTFOUND. */
XJL_API int xjl_enrol_decide_quota(xjl_workspace *ws, int64_t request, bool approve);
/** Quota requests of a school (all if school is NULL).  Columns: id, school,
 *  year, quota_before, requested, reason, state, at, decided_at. */
XJL_API int xjl_enrol_quota_requests(xjl_workspace *ws, const char *school, xjl_listing **out);

/** @name Admissions */

/** How a pupil came to the school. */
typedef enum xjl_enrol_route {
    XJL_ROUTE_UNIFIED = 0, /**< 统一招生: assigned by the authority */
    XJL_ROUTE_SELF = 1,    /**< 自主招生: a graduate of another county of the province */
    XJL_ROUTE_TRANSFER = 2 /**< 转学: transferred into the first grade */
} xjl_enrol_route;

/** "unified", "self", "transfer". */
XJL_API const char *xjl_enrol_route_name(xjl_enrol_route route);

/** Admits a graduate (录取): a new admission flow of the school for the year.
 *  Refused with a message that says why: XJL_ENOTFOUND (no such graduate);
 *  XJL_ESTATE for a non-graduate (非毕业生), a record archived as a problem
 *  record (已注销: restore it first), a graduate of the wrong stage for the
 *  school, a unified admission of a graduate the authority did not assign to
 *  the school for the year (xjl_enrol_assign()), a self enrolment of a
 *  graduate not of another county of the same province, a school without a
 *  kind or quota, a cancelled flow of this
 *  pupil at this school that was not deleted yet; XJL_EDUPLICATE (admitted
 *  already by this school or by another school of the same kind);
 *  XJL_EQUOTA (the quota is used up: file a quota-change request);
 *  XJL_EPOLICY.
 *
 *  Double admission: when a senior high school admits a pupil that a
 *  vocational school has admitted (or the reverse), the call succeeds with
 *  *conflict set to the other admission's id, and the new flow waits in
 *  state "pending" (it holds a quota place) until the caller continues it
 *  (xjl_enrol_continue, "是") or cancels it (xjl_enrol_cancel, "否").  The
 *  warning that names the other admission is in the flow's note and in
 *  xjl_enrol_admission().
 *  @param admission  receives the new flow's id
 *  @param conflict   receives the other admission's id, or 0 */
XJL_API int xjl_enrol_admit(xjl_workspace *ws, const char *school, int year, const char *number,
                            xjl_enrol_route route, int64_t *admission, int64_t *conflict);
/** The authority assigns one graduate to a school's unified-enrolment list
 *  of a year (xjl_enrol_import_assigned() does it for a whole list); a
 *  unified admission (XJL_ROUTE_UNIFIED) takes only assigned graduates.
 *  Assigning twice is no change.
 *  @return XJL_OK; XJL_ENOTFOUND (no such graduate); XJL_EINVAL. */
XJL_API int xjl_enrol_assign(xjl_workspace *ws, const char *school, int year, const char *number);
/** Admits the school's unified-enrolment list assigned by the authority
 *  (CSV with 学籍号, or the five key fields matched against the graduate
 *  pool with the full matcher: only an unambiguous match is admitted).  Each
 *  row is one xjl_enrol_admit(); a refused row is reported to diag with the
 *  reason (column 学籍号 and its value; for a row without one, the key
 *  columns' names and the row's values, each joined by ','), a double
 *  admission as a warning (its flow waits as "pending").
 *  All admissions of the list are one transaction.
 *  @param rep  rows, inserted (admitted or pending), pending (warned), bad_rows */
XJL_API int xjl_enrol_import_assigned(xjl_workspace *ws, const char *school, int year,
                                      const char *path, xjl_encoding enc, xjl_diag_fn diag,
                                      void *user, xjl_load_report *rep);
/** "是": continues a pending flow despite the double admission.
 *  @return XJL_OK; XJL_ESTATE (not pending); XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_enrol_continue(xjl_workspace *ws, int64_t admission);
/** "否": cancels a pending or admitted flow; it frees its quota place.  To
 *  admit the pupil again, delete the cancelled flow and start a new one.
 *  @return XJL_OK; XJL_ESTATE (cancelled already, or the archive transfer is
 *          done: it cannot be undone, only a school transfer moves the
 *          pupil); XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_enrol_cancel(xjl_workspace *ws, int64_t admission, const char *reason);
/** Deletes a cancelled flow (soft).  @return XJL_OK; XJL_ESTATE (not cancelled). */
XJL_API int xjl_enrol_delete(xjl_workspace *ws, int64_t admission);
/** The archive transfer (调档) of an admitted pupil: final.
 *  @return XJL_OK; XJL_ESTATE (not admitted: pending, cancelled, done). */
XJL_API int xjl_enrol_transfer_archive(xjl_workspace *ws, int64_t admission);
/** A school transfer (转学) of a pupil whose archive transfer is done: the
 *  pupil moves into the first grade of to_school (same kind), consuming its
 *  quota; the old flow becomes "moved".
 *  @param moved  receives the new admission's id
 *  @return XJL_OK; XJL_ESTATE; XJL_EQUOTA; XJL_EPOLICY. */
XJL_API int xjl_enrol_school_transfer(xjl_workspace *ws, int64_t admission, const char *to_school,
                                      int64_t *moved);
/** The authority's review of an admitted flow (招生录取审核): the reviewer
 *  selects the education stage (教育阶段, XJL_SCHOOL_JUNIOR, _SENIOR or
 *  _VOCATIONAL); a stage other than the school's kind is refused.  An
 *  approval marks the flow reviewed; a rejection (note required) cancels
 *  it, unless its 调档 is done.  The review shows in the admission listings
 *  (column review) and the audit trail.
 *  @return XJL_OK; XJL_EINVAL; XJL_ESTATE; XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_enrol_review(xjl_workspace *ws, int64_t admission, xjl_school_kind stage,
                             bool approve, const char *note);
/** 重复招生处理: the authority resolves a double admission (the warning,
 *  xjl_enrol_double_admissions() or xjl_enrol_cross_check() found it) by
 *  keeping one flow (a pending one becomes admitted) and cancelling the
 *  other, with a reason, in one step audited on both flows.
 *  @return XJL_OK; XJL_EINVAL (no reason, the same flow twice); XJL_ESTATE
 *          (not two live flows of one graduate, or the cancelled one has its
 *          调档 done); XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_enrol_resolve_double(xjl_workspace *ws, int64_t keep, int64_t cancel,
                                     const char *reason);
/** The school's admission flows of a year (deleted ones left out).
 *  Columns: id, school, year, route, state, number, name, gender, birth_date,
 *  id_type, id_number, graduate_school, conflict, note, created_at. */
XJL_API int xjl_enrol_admissions(xjl_workspace *ws, const char *school, int year,
                                 xjl_listing **out);
/** One admission flow, the columns of xjl_enrol_admissions() and deleted. */
XJL_API int xjl_enrol_admission(xjl_workspace *ws, int64_t admission, xjl_listing **out);

/** Every pupil with a live admission (pending, admitted, done) at both a
 *  senior high and a vocational school, either of the two in the year (a
 *  senior admission of one year and a vocational one of the next are
 *  listed under both years), one row a pair (中职调档查询).  Columns:
 *  number, name, gender, birth_date, id_number, senior_admission,
 *  senior_school, senior_state, senior_at, vocational_admission,
 *  vocational_school, vocational_state, vocational_at. */
XJL_API int xjl_enrol_double_admissions(xjl_workspace *ws, int year, xjl_listing **out);

/** Double admissions across two systems: the admission lists of the senior
 *  high schools and of the vocational schools as two CSV files (the five
 *  key fields and a school column 学校/school).  An index is built from the
 *  vocational list and every senior row is matched against it with the full
 *  matcher, so a typo on one side does not hide a double admission.  One
 *  row per candidate of a senior row that is matched or pending (a pupil on
 *  the vocational list twice: a row with each, best first), the senior
 *  rows in file order.  Columns: status (the senior row's: matched,
 *  pending), score and reasons (the candidate's), senior_line, senior_school,
 *  senior_name, senior_gender, senior_birth_date, senior_id_number,
 *  vocational_line, vocational_school, vocational_name, vocational_gender,
 *  vocational_birth_date, vocational_id_number.
 *  @return XJL_OK; XJL_EIO/XJL_EFORMAT/XJL_EENCODING for a file; XJL_ENOMEM. */
XJL_API int xjl_enrol_cross_check(const char *senior_csv, const char *vocational_csv,
                                  xjl_encoding enc, xjl_diag_fn diag, void *user,
                                  xjl_listing **out);

/** Admission statistics of a year: one row per school of the workspace with
 *  its pupils (admitted, archive transferred, transferred in; pending and
 *  cancelled flows are no pupils).  Columns: school, name, identifier, kind,
 *  pupils, counted (1 when the school has an identifier code and at least one
 *  pupil: only those count as schools in the statistics, docs/domain.md §3).
 *  @param schools  if not NULL, receives the number of schools counted */
XJL_API int xjl_enrol_statistics(xjl_workspace *ws, int year, xjl_listing **out, size_t *schools);

#endif /* XJL_WITH_WORKSPACE */

#ifdef __cplusplus
}
#endif

#endif /* XJLINK_ENROL_H */

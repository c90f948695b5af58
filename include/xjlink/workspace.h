/*
 * xjlink/workspace.h: the workspace (SQLite) and the primary intake workflow.
 *
 * Part of the public API; include <xjlink.h>, which includes every area in
 * order.  Not yet stable: this area may change in a minor release before 1.0 (the
 * CHANGELOG says how).
 */
#ifndef XJLINK_WORKSPACE_H
#define XJLINK_WORKSPACE_H

#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

#if XJL_WITH_WORKSPACE
/* Present when the library was built with its workflow layer (the default);
 * a matching-only build (meson -Dworkspace=disabled) declares none of it and
 * links no SQLite. */

/* ------------------------------------------------------------------------ */
/** @name Workspace: state in SQLite (store.c) and the intake workflow (intake.c)
 *
 * A workspace is one SQLite file that holds the preschool registry (学前系统
 * records with their 17 supplement fields), each school's intake list
 * (学前调档名单) with every row's status, candidates and history, the
 * supplements (学前档案信息补录), reviews and national student numbers, and an
 * audit trail of every step (what, when, which operator).
 *
 * Guarantees:
 *  - Every step is one transaction: a process killed in the middle of an
 *    import leaves the whole import or none of it.  The file is in WAL mode
 *    with synchronous=FULL.
 *  - Several processes may open the same workspace: a writer waits for
 *    another writer (busy timeout, 30 s by default) instead of failing; only
 *    when the wait runs out does a step fail with XJL_EBUSY.
 *  - Deleting is soft: a deleted row disappears from lists but stays in the
 *    file and in the audit trail, with the values it had.
 *  - A step the workflow forbids in the row's state fails with XJL_ESTATE and
 *    a message that says why (xjl_errmsg()); nothing is changed then.
 *
 * Thread safety: a workspace handle is used by one thread at a time.  Open
 * one handle per thread (or process); they coordinate through the file.
 *
 * Results of queries are listings, tables of text (xjl_listing): a fixed list of named
 * columns, documented with each query, and rows of UTF-8 values.
 */

/** Schema version written by this library (PRAGMA user_version). */
#define XJL_WORKSPACE_SCHEMA_VERSION 7

typedef struct xjl_workspace xjl_workspace;

/** @name Listings: the results of queries */
typedef struct xjl_listing xjl_listing;

/** Frees a table; NULL does nothing. */
XJL_API void xjl_listing_free(xjl_listing *t);
/** Number of rows (0 for NULL). */
XJL_API size_t xjl_listing_rows(const xjl_listing *t);
/** Number of columns (0 for NULL). */
XJL_API size_t xjl_listing_cols(const xjl_listing *t);
/** Name of column c (borrowed), or NULL past the last column. */
XJL_API const char *xjl_listing_col_name(const xjl_listing *t, size_t c);
/** Index of the column with this name, or -1. */
XJL_API int xjl_listing_col(const xjl_listing *t, const char *name);
/** Value at row r, column c (borrowed, lives as long as the table); "" for
 *  an empty value or a position outside the table. */
XJL_API const char *xjl_listing_get(const xjl_listing *t, size_t r, size_t c);
/** Value at row r of the column named col; "" if there is no such column. */
XJL_API const char *xjl_listing_value(const xjl_listing *t, size_t r, const char *col);
/** The same value read as a decimal integer; 0 if it is empty or not a number. */
XJL_API int64_t xjl_listing_int(const xjl_listing *t, size_t r, const char *col);

/** @name Opening a workspace */

/** Opens (creating if needed) the workspace file at path and brings its
 *  schema up to XJL_WORKSPACE_SCHEMA_VERSION, running the migrations it
 *  lacks in order, each in its own transaction.
 *  @param out  receives the handle; close it with xjl_workspace_close()
 *  @return XJL_OK; XJL_EINVAL (NULL argument); XJL_EFORMAT (the file is not
 *          a workspace: another SQLite database or not SQLite at all);
 *          XJL_EDB (the schema is newer than this library, or SQLite failed);
 *          XJL_EBUSY (another process held the file for longer than the busy
 *          timeout during the migration); XJL_EIO (the file exists but this
 *          process may not write it or its folder: open it with
 *          xjl_workspace_open_read() to list it). */
XJL_API int xjl_workspace_open(xjl_workspace **out, const char *path);
/** Opens an existing workspace for reading only: the listings, the audit
 *  trail and the quotas work, every step that would change it fails with
 *  XJL_EINVAL naming the file.  It opens a file of mode 0444, in a
 *  read-only folder or of another user, writes nothing, runs no migration
 *  and checkpoints nothing, and leaves no -wal or -shm file behind that was
 *  not there before (docs/robustness.md says how, and what a reader sees
 *  while a writer works).  Not thread-safe, like every handle.
 *  @param out  receives the handle; close it with xjl_workspace_close()
 *  @return XJL_OK; XJL_EINVAL (NULL argument or a workspace in memory);
 *          XJL_EIO (no such file, or SQLite cannot open it); XJL_EFORMAT (not
 *          a workspace); XJL_EDB (a schema older or newer than this
 *          library's: open it once with xjl_workspace_open() to upgrade). */
XJL_API int xjl_workspace_open_read(xjl_workspace **out, const char *path);
/** Closes a workspace; NULL does nothing. */
XJL_API void xjl_workspace_close(xjl_workspace *ws);
/** The key columns of the CSV files this handle reads from now on (the
 *  preschool registry, a school's list) that the header's names do not
 *  find, as xjl_csv_set_columns() takes them ("姓名=XM,身份证件号=SFZJH");
 *  NULL or "" for none.  Copied.  A file whose header lacks a mapped column
 *  is refused when it is read.  @return XJL_OK, XJL_EINVAL, XJL_ENOMEM. */
XJL_API int xjl_workspace_set_columns(xjl_workspace *ws, const char *mapping);
/** Schema version of the open file (PRAGMA user_version). */
XJL_API int xjl_workspace_schema_version(const xjl_workspace *ws);
/** Operator id written into the audit trail by the steps that follow
 *  (copied; NULL or "" gives "unknown").  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_workspace_set_operator(xjl_workspace *ws, const char *operator_id);
/** How long a step waits for another process's transaction, in
 *  milliseconds (default 30000).  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_workspace_set_busy_timeout(xjl_workspace *ws, int ms);
/** The date the workflow takes as today (a day number; XJL_DATE_NONE: the
 *  local date of the machine, the default).  The policy hooks receive it. */
XJL_API int xjl_workspace_set_date(xjl_workspace *ws, int32_t day);
/** Runs SQLite's integrity check.  @return XJL_OK, or XJL_EDB with the first
 *  problem in the message. */
XJL_API int xjl_workspace_check(xjl_workspace *ws);
/** The audit trail, oldest first: every entry, or (object non-NULL) those of
 *  one kind of object ("registry", "row", "school", "batch", "admission",
 *  "quota", ...), and (object_id > 0) of one object.
 *  Columns: id, at (UTC, ISO 8601), operator, action, object, object_id, detail.
 *  @param out  receives the table; free it with xjl_listing_free() */
XJL_API int xjl_workspace_audit(xjl_workspace *ws, const char *object, int64_t object_id,
                                xjl_listing **out);

/** @name Policy hooks
 *
 * The host system decides when intake and enrolment are open and which
 * features are switched on (docs/domain.md §3: the administrators' settings).  The
 * library asks before every step that changes a school's data; a refusal
 * fails the step with XJL_EPOLICY.  Without a hook everything is open and on.
 */

/** Stores a process's feature switch and date window in the workspace (the
 *  administrators' 功能开关设置 and 学籍业务时间设置), so that every program
 *  that opens the file keeps them; the hooks below are asked as well.
 *  Processes: "intake" (a school's intake steps), "intake-authority"
 *  (loading the registry, approving, returning, overriding), "enrol",
 *  "enrol-authority" (the pool, quotas, restoring, assigning), "key-change"
 *  (key-data changes), "registration" (registering outside grade 1).
 *  open_from/open_to are day numbers or XJL_DATE_NONE for an open end.
 *  An authority step (refused for a school operator).
 *  @return XJL_OK; XJL_EINVAL (unknown process, a bad window); XJL_EPOLICY. */
XJL_API int xjl_workspace_set_policy(xjl_workspace *ws, const char *process, bool enabled,
                                     int32_t open_from, int32_t open_to);
/** The stored policy.  Columns: process, enabled, open_from, open_to
 *  (YYYY-MM-DD or empty), operator, at. */
XJL_API int xjl_workspace_policy(xjl_workspace *ws, xjl_listing **out);

/** "Is this process open on this date?"  process is one of those of
 *  xjl_workspace_set_policy() ("intake", "intake-authority", "enrol", …);
 *  date is the workspace's today (xjl_workspace_set_date()).  Return true
 *  for open. */
typedef bool (*xjl_window_fn)(void *user, const char *process, int32_t date);
/** "Is this feature on?"  feature is a process of xjl_workspace_set_policy()
 *  ("intake": primary intake, 小学新生注册; "enrol": 招生录取; their
 *  "-authority" steps; …).  Return true for on. */
typedef bool (*xjl_feature_fn)(void *user, const char *feature);

/** Who the operator is.  The host system authenticates; the library
 *  enforces what a role may do.  Without a role (XJL_ROLE_NONE, the
 *  default) the host decides alone and every step is allowed. */
typedef enum xjl_role {
    XJL_ROLE_NONE = 0,    /**< no role: the host checks */
    XJL_ROLE_SCHOOL = 1,  /**< 学校: its own school's steps only */
    XJL_ROLE_COUNTY = 2,  /**< 区县: the authority of one county */
    XJL_ROLE_CITY = 3,    /**< 地市: of a city (the first 4 digits of the region) */
    XJL_ROLE_PROVINCE = 4 /**< 省: of a province (the first 2 digits) */
} xjl_role;

/** Sets the operator's role and scope for the following steps.  scope is
 *  the school's code for XJL_ROLE_SCHOOL, else a 6-digit region code (of
 *  which a city uses the first 4 digits, a province the first 2).  A school
 *  operator's authority step (loading the registry or the pool, approving,
 *  returning, overriding, quotas, restoring, assigning, school settings,
 *  key-data changes) is refused with XJL_EPOLICY, as is any step on a school
 *  outside the scope (a county+ operator's scope holds the schools whose
 *  region code starts with the scope's digits); listings of several schools
 *  (schools, statistics, double admissions) show only those in scope.
 *  @return XJL_OK; XJL_EINVAL (a scope that does not fit the role). */
XJL_API int xjl_workspace_set_role(xjl_workspace *ws, xjl_role role, const char *scope);
/** "none", "school", "county", "city", "province". */
XJL_API const char *xjl_role_name(xjl_role role);
/** Parses a role's name or its Chinese name (学校, 区县, 地市, 省). */
XJL_API int xjl_role_parse(const char *s, xjl_role *out);

/** Sets (fn non-NULL) or removes (NULL) the date-window hook; user is passed back. */
XJL_API void xjl_workspace_set_window_hook(xjl_workspace *ws, xjl_window_fn fn, void *user);
/** Sets (fn non-NULL) or removes (NULL) the feature hook; user is passed back. */
XJL_API void xjl_workspace_set_feature_hook(xjl_workspace *ws, xjl_feature_fn fn, void *user);

/** @name Schools */

/** Creates or updates a school.  A value not given (NULL, "" or region 0)
 *  keeps what the school has: an update names only what changes.
 *  @param school      the host's code for the school (the key everywhere below)
 *  @param name        its name (may be NULL)
 *  @param region      its 6-digit GB/T 2260 county code (0: not given;
 *                     needed for temporary student numbers)
 *  @param identifier  its 10-digit school identifier code (学校标识码), or
 *                     NULL/"" (not given; without one statistics leave the
 *                     school out)
 *  @return XJL_OK, XJL_EINVAL (empty school, a region that is not 6 digits,
 *          an identifier that is not 10 digits). */
XJL_API int xjl_school_set(xjl_workspace *ws, const char *school, const char *name, int32_t region,
                           const char *identifier);
/** Every school.  Columns: school, name, region, identifier. */
XJL_API int xjl_school_list(xjl_workspace *ws, xjl_listing **out);

/** @name The 17 supplement fields (学前档案信息补录)
 *
 * What a preschool record carries into primary school.  The first five in
 * docs/domain.md §1 order are the key fields; values are stored in canonical form:
 * 性别码 0/1/2/9, 出生日期 YYYY-MM-DD, 身份证件类型码 one character,
 * region codes 6 digits, other codes as their standard writes them.
 */
typedef enum xjl_sfield {
    XJL_SF_NAME = 0,       /**< 姓名 (key) */
    XJL_SF_GENDER = 1,     /**< 性别码, GB/T 2261.1 (key) */
    XJL_SF_BIRTH_DATE = 2, /**< 出生日期 (key) */
    XJL_SF_BIRTHPLACE = 3, /**< 出生地码, GB/T 2260 */
    XJL_SF_ETHNICITY = 4, /**< 民族码, GB/T 3304: 01-56, 97 其他, 98 外国血统中国籍人士 */
    XJL_SF_NATIONALITY = 5,    /**< 国籍/地区码, GB/T 2659 alpha-3 (CHN) */
    XJL_SF_ID_TYPE = 6,        /**< 身份证件类型码, JY/T 1001 (key) */
    XJL_SF_ID_NUMBER = 7,      /**< 身份证件号 (key) */
    XJL_SF_HMT = 8,            /**< 港澳台侨外码: 00 否, 01-06, 11-14, 21, 31, 41, 51, 99 */
    XJL_SF_HUKOU_TYPE = 9,     /**< 户口性质: 1 农业户口, 2 非农业户口 */
    XJL_SF_HUKOU_REGION = 10,  /**< 户口所在地码, GB/T 2260 */
    XJL_SF_ADDRESS = 11,       /**< 现住址 (free text) */
    XJL_SF_DISABILITY = 12,    /**< 残疾类型码: 0 无残疾, 1 视力 .. 7 多重, 9 其他 */
    XJL_SF_ONLY_CHILD = 13,    /**< 是否独生子女: 0 否, 1 是 */
    XJL_SF_LEFT_BEHIND = 14,   /**< 是否留守儿童: 0 否, 1 单亲留守, 2 双亲留守 */
    XJL_SF_MIGRANT_CHILD = 15, /**< 是否进城务工人员随迁子女: 0 否, 1 是 */
    XJL_SF_ORPHAN = 16,        /**< 是否孤儿: 0 否, 1 是 */
    XJL_SF_COUNT = 17
} xjl_sfield;

/** Stable short name ("birthplace", "ethnicity", ...); "unknown" for a bad value. */
XJL_API const char *xjl_sfield_name(xjl_sfield f);
/** The label of the national template ("出生地码", "民族码", ...). */
XJL_API const char *xjl_sfield_label_zh(xjl_sfield f);
/** Parses a short name, a label, or a common column-header variant
 *  ("民族", "国籍", "户口性质码", ...).  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_sfield_parse(const char *s, xjl_sfield *out);
/** true for the five key fields, which a supplement may not change. */
XJL_API bool xjl_sfield_is_key(xjl_sfield f);
/** Checks one value and writes its canonical form (codes also accept their
 *  Chinese names: 汉族 → 01, 农业户口 → 1, 是 → 1).  An empty value is valid
 *  for the 12 non-key fields (not known yet).  A region code unknown to
 *  GB/T 2260 1980-2019 is accepted (codes after 2019 are missing from it).
 *  @return XJL_OK; XJL_EINVAL with a message naming the field, the value
 *          and what is expected; XJL_ERANGE (buffer too small). */
XJL_API int xjl_sfield_check(xjl_sfield f, const char *value, char *buf, size_t cap,
                             size_t *out_len);

/** @name The preschool registry */

/** What a load or an import did.  Plain data. */
typedef struct xjl_load_report {
    size_t rows;      /**< data rows read */
    size_t inserted;  /**< new records / rows */
    size_t updated;   /**< registry records whose values changed */
    size_t unchanged; /**< registry records already as in the file */
    size_t bad_rows;  /**< rows reported to diag and not loaded */
    size_t warnings;  /**< values reported to diag as warnings; their rows loaded */
    size_t matched, pending, not_found, errors; /**< import: rows per status */
    int64_t batch;                              /**< import: the batch id of this import */
} xjl_load_report;

/** Loads or refreshes the preschool registry from a CSV file with a record
 *  id column (学前学籍ID, 学籍ID or id) and the 17 supplement fields (by
 *  label, short name or a common variant; missing optional columns stay
 *  empty, the five key columns are required).  A record whose id is known
 *  is updated, a new one inserted; nothing is removed.  Every value is
 *  checked (xjl_sfield_check; key fields with xjl_record_parse): a row with
 *  a bad value is reported to diag with file, line, column and value, and
 *  not loaded; the rest loads.  An invalid ID number (e.g. a wrong check
 *  character) is reported as a warning and the record loads: the registry
 *  is the reference, and its problem records must stay findable.
 *  The whole load is one transaction.  Needs no policy hook (the registry
 *  belongs to the authority).
 *  @param rep  if not NULL, receives the counts
 *  @return XJL_OK; XJL_EIO/XJL_EENCODING/XJL_EFORMAT for the file (no id
 *          column or a missing key column: nothing loaded); XJL_EDB; XJL_EBUSY. */
XJL_API int xjl_intake_load_registry(xjl_workspace *ws, const char *path, xjl_encoding enc,
                                     xjl_diag_fn diag, void *user, xjl_load_report *rep);
/** Number of records in the registry. */
XJL_API int xjl_intake_registry_count(xjl_workspace *ws, size_t *out);
/** One registry record by its record id.  Columns: id, record_id, then the
 *  17 fields by xjl_sfield_name(), source, line.  @return XJL_ENOTFOUND if none. */
XJL_API int xjl_intake_registry_record(xjl_workspace *ws, const char *record_id, xjl_listing **out);

/** @name The intake list (学前调档名单) */

/** Processing status of a row (处理状态). */
typedef enum xjl_row_status {
    XJL_ROW_MATCHED = 0,   /**< 已匹配学前学籍: matched automatically */
    XJL_ROW_PENDING = 1,   /**< 待确认学前学籍: the school must confirm a candidate */
    XJL_ROW_NOT_FOUND = 2, /**< 未查到学前学籍: register from scratch (also after "none") */
    XJL_ROW_ERROR = 3,     /**< the key fields cannot be matched: edit them */
    XJL_ROW_CONFIRMED = 4, /**< the school confirmed one candidate (确认补录) */
    XJL_ROW_ANY = -1       /**< xjl_intake_list(): rows of every status */
} xjl_row_status;

/** "matched", "pending", "not_found", "error", "confirmed"; "unknown". */
XJL_API const char *xjl_row_status_name(xjl_row_status status);
/** "已匹配学前学籍", "待确认学前学籍", "未查到学前学籍", "错误", "已确认学前学籍". */
XJL_API const char *xjl_row_status_label_zh(xjl_row_status status);
/** Parses a name or label.  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_row_status_parse(const char *s, xjl_row_status *out);

/** Imports a school's list (CSV with the five key fields, found as
 *  xjl_csv_key_columns() finds them) and matches every row against the
 *  registry.  Rows that cannot be read, rows whose citizen number is
 *  already on the school's list, and rows without one whose five fields a
 *  row of the list has already (the same list imported twice), are
 *  reported to diag and skipped; the rest
 *  is written in one transaction, so the import is all there or absent.
 *  The school must be known (xjl_school_set()): a mistyped code is refused.
 *  A row whose preschool record another school pulled (调档) already is
 *  pending, its note naming that school; a row whose pupil holds a G number
 *  elsewhere carries the finding id_number:number_held and is reported to
 *  diag as a warning (counted in warnings).
 *  @return XJL_OK; XJL_ENOTFOUND (unknown school); XJL_ESTATE (the registry
 *          is empty: load it first);
 *          XJL_EPOLICY; XJL_EIO/XJL_EFORMAT/XJL_EENCODING; XJL_EDB; XJL_EBUSY. */
XJL_API int xjl_intake_import(xjl_workspace *ws, const char *school, const char *path,
                              xjl_encoding enc, xjl_diag_fn diag, void *user, xjl_load_report *rep);
/** Adds one row to a school's list and matches it (an import of one row).
 *  @param row_id  if not NULL, receives the new row's id
 *  @param status  if not NULL, receives its status
 *  @return as xjl_intake_import(); XJL_EDUPLICATE if the citizen number is
 *          already on the school's list. */
XJL_API int xjl_intake_add(xjl_workspace *ws, const char *school, const xjl_record *rec,
                           int64_t *row_id, xjl_row_status *status);

/** The school's live rows (not deleted) in import order, all (XJL_ROW_ANY)
 *  or of one status.  Columns: id, school, line, name, gender, birth_date,
 *  id_type, id_number, status, status_zh, candidates, score, reasons,
 *  record_id (matched/confirmed preschool record), supplement ("none",
 *  "draft", "done"), review ("open", "submitted", "returned", "approved"),
 *  student_number, note, findings (the warnings and errors of the key
 *  fields, "field:finding ..." as xjl_parsed_describe() writes them, plus
 *  id_number:number_held when the pupil holds a G number elsewhere), override
 *  (the authority's reason to number the row despite them). */
XJL_API int xjl_intake_list(xjl_workspace *ws, const char *school, xjl_row_status status,
                            xjl_listing **out);
/** One row, deleted or not: the columns of xjl_intake_list() and deleted,
 *  deleted_at.  @return XJL_ENOTFOUND for an unknown id. */
XJL_API int xjl_intake_row(xjl_workspace *ws, int64_t row_id, xjl_listing **out);
/** The status of one row.  @return XJL_ENOTFOUND for an unknown id. */
XJL_API int xjl_intake_status(xjl_workspace *ws, int64_t row_id, xjl_row_status *out);
/** The row's candidates, best first, with the reasons per field.  Columns:
 *  rank, record_id, score, reasons, name, gender, birth_date, id_type, id_number. */
XJL_API int xjl_intake_candidates(xjl_workspace *ws, int64_t row_id, xjl_listing **out);
/** The row's history, oldest first.  Columns: at, operator, action,
 *  from_status, to_status, detail. */
XJL_API int xjl_intake_history(xjl_workspace *ws, int64_t row_id, xjl_listing **out);

/** Edits a row's key fields and matches it again at once (修改 → 再次自动匹配).
 *  A NULL field of rec keeps the row's value; "" clears it.  Any supplement
 *  draft of the row is dropped (it was for the old values).
 *  @param status  if not NULL, receives the new status
 *  @return XJL_OK; XJL_ESTATE for a matched or confirmed row (已匹配学前学籍
 *          不允许修改), a row under review or approved, a deleted row;
 *          XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_edit(xjl_workspace *ws, int64_t row_id, const xjl_record *rec,
                            xjl_row_status *status);
/** Confirms one candidate of a pending row (确认补录): the row becomes
 *  XJL_ROW_CONFIRMED with that preschool record.
 *  @param record_id  the candidate's registry record id
 *  @return XJL_OK; XJL_ESTATE (the row is not pending); XJL_ENOTFOUND (no
 *          such row, or record_id is not one of its candidates); XJL_EPOLICY. */
XJL_API int xjl_intake_confirm(xjl_workspace *ws, int64_t row_id, const char *record_id);
/** Declares that no candidate of a pending row is this pupil (确认都不匹配):
 *  the row becomes XJL_ROW_NOT_FOUND.  Undo a wrong "none" by editing the row.
 *  @return XJL_OK; XJL_ESTATE (not pending); XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_declare_none(xjl_workspace *ws, int64_t row_id);
/** Deletes a junk row (soft: it stays in the file and the audit trail).
 *  @return XJL_OK; XJL_ESTATE for a matched or confirmed row whose supplement
 *          is done, a row under review, an approved row with a formal (G)
 *          number (a temporary L number may be deleted), a deleted row;
 *          XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_delete(xjl_workspace *ws, int64_t row_id, const char *reason);

/** Sets one of the 12 non-key supplement fields of a matched, confirmed or
 *  not-found row.  The first change of a matched or confirmed row copies the
 *  preschool record's 17 fields into the supplement; a not-found row (to be
 *  registered as a new record) starts from its own five key fields.
 *  @return XJL_OK; XJL_ESTATE for a key field (change it later through a
 *          key-data change), a pending or error row, a row under review or
 *          approved, a deleted row; XJL_EINVAL for a bad value (xjl_sfield_check);
 *          XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_supplement_set(xjl_workspace *ws, int64_t row_id, xjl_sfield f,
                                      const char *value);
/** Sets several supplement fields of one row in one step: every value is
 *  checked first, and a refused one (a key field, a bad value) leaves all of
 *  them unchanged.  The rules and errors are those of
 *  xjl_intake_supplement_set(); n may be 0 (then nothing changes but the
 *  step is still checked and audited). */
XJL_API int xjl_intake_supplement_update(xjl_workspace *ws, int64_t row_id,
                                         const xjl_sfield *fields, const char *const *values,
                                         size_t n);
/** Saves the supplement as done (补录完成), copying the preschool record
 *  first if nothing was changed.  The required fields must be filled:
 *  姓名, 性别码, 出生日期, 民族码, 国籍/地区码, 身份证件类型码, 港澳台侨外码
 *  (and 身份证件号 unless the type is Z 其他).
 *  @return XJL_OK; XJL_ESTATE (as for supplement_set, or a required field
 *          is empty: the message names them); XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_supplement_save(xjl_workspace *ws, int64_t row_id);
/** The row's supplement.  Columns: the 17 fields by xjl_sfield_name(), then
 *  state ("none", "draft", "done").  Without a supplement yet, the values
 *  it would start from.  @return XJL_ESTATE for a pending or error row. */
XJL_API int xjl_intake_supplement(xjl_workspace *ws, int64_t row_id, xjl_listing **out);

/** Writes the school's not-found rows (未查询到学前学籍学生导出) as the
 *  registration template: UTF-8 CSV with a BOM (as Excel expects), columns
 *  行号 (row id), then the 17 field labels, the key fields filled.
 *  @param count  if not NULL, receives the number of rows written
 *  @return XJL_OK, XJL_EIO. */
XJL_API int xjl_intake_export_not_found(xjl_workspace *ws, const char *school, const char *path,
                                        size_t *count);

/** The school's review and submission (学校审核, 上报): every open or
 *  returned row whose supplement is done goes to the authority.
 *  @return XJL_OK; XJL_ESTATE when no row is ready (the message counts the
 *          rows still waiting for a confirmation or a supplement); XJL_EPOLICY. */
XJL_API int xjl_intake_submit(xjl_workspace *ws, const char *school, size_t *count);
/** The authority returns a submitted row to the school with a reason.  The
 *  school resubmits it only after a change (an edit or a supplement change).
 *  @return XJL_OK; XJL_EINVAL (no reason); XJL_ESTATE (not submitted);
 *          XJL_ENOTFOUND. */
XJL_API int xjl_intake_return(xjl_workspace *ws, int64_t row_id, const char *reason);
/** The authority's decision to number a submitted row despite the findings
 *  of its key fields (held by xjl_intake_approve()), with its reason, which
 *  goes into the row's history and the audit trail.  An edit of the row
 *  drops the override.
 *  @return XJL_OK; XJL_EINVAL (no reason); XJL_ESTATE (not submitted);
 *          XJL_ENOTFOUND. */
XJL_API int xjl_intake_override(xjl_workspace *ws, int64_t row_id, const char *reason);
/** The authority's approval (主管部门核办) of the school's submitted rows:
 *  each receives its national student number: 'G' + the 18-character
 *  citizen number when its ID is a valid citizen number, else a temporary
 *  'L' + the school's 6-digit region + YYYYMMDD birth date + 4 random digits,
 *  unique in the workspace.
 *
 *  A row whose ID number contradicts it (wrong check character, wrong length
 *  or characters, an old 15-digit number, a birth date or gender other than
 *  the ID's: the findings of xjl_record_parse() over the values the number
 *  is made from) is held: it stays submitted, gets no number, and its
 *  findings and a note say why, until the authority overrides them
 *  (xjl_intake_override()) or returns the row.  A wrong ID number never
 *  yields a temporary number silently.  A row whose citizen number already
 *  holds a G number (a duplicate: only one may be approved) is returned to
 *  the school with that reason.
 *  @param approved, returned, held  if not NULL, receive the counts
 *  @return XJL_OK; XJL_ESTATE (nothing submitted, or a temporary number is
 *          needed and the school has no region code: xjl_school_set()). */
XJL_API int xjl_intake_approve(xjl_workspace *ws, const char *school, size_t *approved,
                               size_t *returned, size_t *held);

/** @name Key-data changes (关键数据变更)
 *
 * After registration (approval) the five key fields of a pupil change only
 * through a request with the old and the new value and a reason, which the
 * authority approves or rejects.  Both steps ask the policy for
 * "key-change" and go into the row's history and the audit trail. */

/** The school requests that key field f of a registered row become value.
 *  @param request  if not NULL, receives the request's id
 *  @return XJL_OK; XJL_EINVAL (not a key field, a bad value, no reason);
 *          XJL_ESTATE (the row is not registered, a request is open
 *          already, the value is the current one); XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_request_key_change(xjl_workspace *ws, int64_t row_id, xjl_sfield f,
                                          const char *value, const char *reason, int64_t *request);
/** The authority approves (approve != 0) or rejects a request; note is kept
 *  with the decision.  An approval changes the registered record, recomputes
 *  the row's findings, checks for duplicates (查重: a new citizen number held
 *  by another row or graduate is refused with XJL_EDUPLICATE and changes
 *  nothing) and matches the record against the preschool registry again;
 *  the outcome is written into the request, the history and the audit trail.
 *  The national student number stays.
 *  @return XJL_OK; XJL_ESTATE (decided already); XJL_EDUPLICATE;
 *          XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_decide_key_change(xjl_workspace *ws, int64_t request, bool approve,
                                         const char *note);
/** Key-data change requests, of one school or (NULL) all in scope.
 *  Columns: id, row_id, school, name, field, old_value, new_value, reason,
 *  state, operator, at, decided_by, decided_at, result. */
XJL_API int xjl_intake_key_changes(xjl_workspace *ws, const char *school, xjl_listing **out);

/** @name Registration outside grade 1 and the national duplicate check
 *
 * 非小学一年级学籍注册: a pupil who enters a school outside grade 1 of
 * primary school is registered only after the province's monthly national
 * duplicate check (全国查重).  The school's request waits in a queue
 * ("queued"); a pupil without a citizen ID number waits instead for the
 * proof of attendance (无身份证号在校就读证明, state "proof") and is decided
 * by hand by the authority, who gives a J number (J + the school's region +
 * birth date + 3-digit sequence + MOD 11-2 check).  Once a month the
 * authority exports the queue for the centre ("checking") and imports the
 * centre's result: 通过 registers the pupil as G + citizen number, 重复
 * refuses the request with the centre's words.  The export also lists the
 * temporary L numbers whose record now holds a valid citizen number (after a
 * key-data change); a 通过 for such a 学籍号 turns it into a G number (L → G).
 * Every step asks the policy for "registration" and is audited. */

/** The school's request for a pupil of grade 2-12.
 *  @return XJL_OK; XJL_EINVAL (grade, key fields with errors); XJL_EPOLICY. */
XJL_API int xjl_reg_request(xjl_workspace *ws, const char *school, const xjl_record *rec, int grade,
                            int64_t *id);
/** The school records the proof of attendance of a pupil without an ID number.
 *  @return XJL_OK; XJL_EINVAL (no proof); XJL_ESTATE (the request has an ID). */
XJL_API int xjl_reg_proof(xjl_workspace *ws, int64_t id, const char *proof);
/** The authority decides a request without an ID number by hand, after the
 *  proof: approve gives a J number.  note is required.
 *  @return XJL_OK; XJL_ESTATE (no proof yet, or a request for the national
 *          check); XJL_EINVAL; XJL_EPOLICY. */
XJL_API int xjl_reg_decide(xjl_workspace *ws, int64_t id, bool approve, const char *note);
/** The requests, of one school or (NULL) all in scope.  Columns: id, school,
 *  grade, name, gender, birth_date, id_type, id_number, state, proof, batch,
 *  result, student_number, operator, at, updated_at. */
XJL_API int xjl_reg_list(xjl_workspace *ws, const char *school, xjl_listing **out);
/** The authority writes the list the national centre needs (UTF-8 CSV with
 *  a BOM: 申请号, 学籍号, 学校, 年级, 姓名, 性别, 出生日期, 身份证件类型,
 *  身份证件号): every queued request (then "checking", in a new batch) and
 *  every L number whose record holds a valid citizen number.
 *  @param count  if not NULL, receives the number of records written */
XJL_API int xjl_reg_export_check(xjl_workspace *ws, const char *path, size_t *count);
/** The authority imports the centre's result: a CSV with 结果 (通过/pass,
 *  重复/duplicate/不通过) and 申请号 or 学籍号 (an L number), optionally 说明.
 *  A bad row is reported to diag and counted in bad_rows; rep counts
 *  registered (matched), refused (not_found), L → G (updated), kept
 *  temporary (unchanged).  @return XJL_OK; XJL_EFORMAT (columns); XJL_EIO. */
XJL_API int xjl_reg_import_result(xjl_workspace *ws, const char *path, xjl_encoding enc,
                                  xjl_diag_fn diag, void *user, xjl_load_report *rep);

#endif /* XJL_WITH_WORKSPACE */

#ifdef __cplusplus
}
#endif

#endif /* XJLINK_WORKSPACE_H */

/*
 * store.c: the workspace file.  SQL and nothing else: the schema and its
 * migrations, the prepared statements, transactions and the audit trail.
 * The rules of the workflow live in intake.c and enrol.c.
 *
 * Why it is built this way:
 *  - WAL + synchronous=FULL: readers never block the writer, and a commit is
 *    on disk when it returns; a process killed at any point leaves the last
 *    committed state (SQLite's atomic commit), which the crash test checks.
 *  - Every write step is one BEGIN IMMEDIATE transaction: the write lock is
 *    taken up front, so two processes queue on the busy timeout instead of
 *    deadlocking on a read lock that wants to become a write lock.
 *  - PRAGMA user_version numbers the schema; migrations run in order, each in
 *    its own transaction, so a file is always at one version.
 *  - application_id marks the file as a workspace, so that opening some other
 *    database by mistake is refused instead of altered.
 *  - Statements are prepared once per handle and reused (prepared statements
 *    only: no value is ever written into SQL text).
 *  - The audit trail and the rows cannot be deleted: triggers refuse it, so
 *    a soft delete is the only delete.
 */
#include "workspace/workspace.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define XJL_APPLICATION_ID 0x584a4c4b /* "XJLK" */
/* The time a statement writes, as strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
 * wrote it: the clock read once per statement (in stmt()), so that it is
 * the same everywhere in one statement as SQLite's 'now' is.  Formatted by
 * hand: strftime parses its format and goes through a Julian day on every
 * call, four calls for every row of an assigned list. */
#define NOW "xjl_now()"

/* ---- schema ------------------------------------------------------------- */

#define SF_COLS                                                                                    \
    "name, gender, birth_date, birthplace, ethnicity, nationality, id_type, "                      \
    "id_number, hmt, hukou_type, hukou_region, address, disability, "                              \
    "only_child, left_behind, migrant_child, orphan"
/* SF_COLS after the five key fields (a listing shows those one way). */
#define SF_REST                                                                                    \
    "birthplace, ethnicity, nationality, hmt, hukou_type, hukou_region, address, disability, "     \
    "only_child, left_behind, migrant_child, orphan"
#define SF_DEFS                                                                                    \
    "name TEXT, gender TEXT, birth_date TEXT, birthplace TEXT, ethnicity TEXT, "                   \
    "nationality TEXT, id_type TEXT, id_number TEXT, hmt TEXT, hukou_type TEXT, "                  \
    "hukou_region TEXT, address TEXT, disability TEXT, only_child TEXT, "                          \
    "left_behind TEXT, migrant_child TEXT, orphan TEXT"

static const char *const migrations[] = {
    /* 1: the preschool registry and primary intake. */
    "PRAGMA application_id = 1481264203;"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    "INSERT INTO meta VALUES('registry_generation', 0);"
    "CREATE TABLE school(code TEXT PRIMARY KEY, name TEXT, region INTEGER, identifier TEXT);"
    "CREATE TABLE registry(id INTEGER PRIMARY KEY, record_id TEXT NOT NULL UNIQUE, " SF_DEFS ","
    " source TEXT, line INTEGER, updated_at TEXT NOT NULL);"
    "CREATE TABLE batch(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, school TEXT, source TEXT,"
    " rows INTEGER, operator TEXT NOT NULL, at TEXT NOT NULL);"
    "CREATE TABLE intake_row(id INTEGER PRIMARY KEY, school TEXT NOT NULL, batch INTEGER,"
    " line INTEGER, name TEXT, gender TEXT, birth_date TEXT, id_type TEXT, id_number TEXT,"
    " id_key TEXT, status INTEGER NOT NULL, score REAL, reasons TEXT,"
    " registry_id INTEGER REFERENCES registry(id),"
    " supplement INTEGER NOT NULL DEFAULT 0, review INTEGER NOT NULL DEFAULT 0,"
    " student_number TEXT UNIQUE, note TEXT, deleted INTEGER NOT NULL DEFAULT 0,"
    " deleted_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX intake_row_school ON intake_row(school, deleted, status);"
    "CREATE INDEX intake_row_idkey ON intake_row(school, id_key) WHERE deleted = 0;"
    "CREATE TABLE candidate(row_id INTEGER NOT NULL REFERENCES intake_row(id),"
    " rank INTEGER NOT NULL, registry_id INTEGER NOT NULL REFERENCES registry(id),"
    " score REAL, reasons TEXT, PRIMARY KEY(row_id, rank)) WITHOUT ROWID;"
    "CREATE TABLE row_history(id INTEGER PRIMARY KEY, row_id INTEGER NOT NULL,"
    " at TEXT NOT NULL, operator TEXT NOT NULL, action TEXT NOT NULL,"
    " from_status INTEGER, to_status INTEGER, detail TEXT);"
    "CREATE INDEX row_history_row ON row_history(row_id);"
    "CREATE TABLE supplement(row_id INTEGER PRIMARY KEY REFERENCES intake_row(id), " SF_DEFS ","
    " updated_at TEXT NOT NULL);"
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL, operator TEXT NOT NULL,"
    " action TEXT NOT NULL, object TEXT, object_id INTEGER, detail TEXT);"
    "CREATE INDEX audit_object ON audit(object, object_id);"
    "CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TRIGGER intake_row_soft_delete BEFORE DELETE ON intake_row"
    " BEGIN SELECT RAISE(ABORT, 'rows are deleted softly (deleted = 1)'); END;"
    "CREATE TRIGGER registry_keep BEFORE DELETE ON registry"
    " BEGIN SELECT RAISE(ABORT, 'registry records are never deleted'); END;",

    /* 2: secondary enrolment: graduates, quotas, admission flows. */
    "ALTER TABLE school ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;"
    "INSERT INTO meta VALUES('pool_generation', 0);"
    "CREATE TABLE graduate(id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, name TEXT,"
    " gender TEXT, birth_date TEXT, id_type TEXT, id_number TEXT, school TEXT, region INTEGER,"
    " stage INTEGER NOT NULL, graduated INTEGER NOT NULL, archived INTEGER NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, deleted_at TEXT, source TEXT, line INTEGER,"
    " updated_at TEXT NOT NULL);"
    "CREATE TABLE quota(school TEXT NOT NULL, year INTEGER NOT NULL, quota INTEGER NOT NULL,"
    " updated_at TEXT NOT NULL, PRIMARY KEY(school, year));"
    "CREATE TABLE quota_request(id INTEGER PRIMARY KEY, school TEXT NOT NULL, year INTEGER NOT "
    "NULL,"
    " quota_before INTEGER, requested INTEGER NOT NULL, reason TEXT, state TEXT NOT NULL,"
    " operator TEXT NOT NULL, at TEXT NOT NULL, decided_at TEXT);"
    "CREATE TABLE admission(id INTEGER PRIMARY KEY,"
    " graduate_id INTEGER NOT NULL REFERENCES graduate(id), school TEXT NOT NULL,"
    " year INTEGER NOT NULL, route INTEGER NOT NULL, state INTEGER NOT NULL, conflict INTEGER,"
    " from_admission INTEGER, note TEXT, deleted INTEGER NOT NULL DEFAULT 0, deleted_at TEXT,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX admission_graduate ON admission(graduate_id, deleted);"
    "CREATE INDEX admission_school ON admission(school, year, deleted);"
    "CREATE TRIGGER graduate_soft_delete BEFORE DELETE ON graduate"
    " BEGIN SELECT RAISE(ABORT, 'graduates are deleted softly (deleted = 1)'); END;"
    "CREATE TRIGGER admission_soft_delete BEFORE DELETE ON admission"
    " BEGIN SELECT RAISE(ABORT, 'admission flows are deleted softly (deleted = 1)'); END;",

    /* 3: the findings of a row's key fields travel with it, and the
     * authority's override of them; a restore survives a reload of the pool;
     * the lists the authority assigned to a school (unified enrolment). */
    "ALTER TABLE intake_row ADD COLUMN findings TEXT;"
    "ALTER TABLE intake_row ADD COLUMN override TEXT;"
    "ALTER TABLE graduate ADD COLUMN restored INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE admission ADD COLUMN review TEXT;"
    "CREATE TABLE assignment(school TEXT NOT NULL, year INTEGER NOT NULL,"
    " graduate_id INTEGER NOT NULL REFERENCES graduate(id), batch INTEGER,"
    " operator TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY(school, year, graduate_id));"
    /* The administrators' settings kept in the workspace: feature switches
     * (功能开关) and date windows (学籍业务时间), as day numbers. */
    /* 关键数据变更: a key field of a registered row changes only by request. */
    "CREATE TABLE key_change(id INTEGER PRIMARY KEY, row_id INTEGER NOT NULL"
    " REFERENCES intake_row(id), field INTEGER NOT NULL, old_value TEXT, new_value TEXT,"
    " reason TEXT NOT NULL, state TEXT NOT NULL, operator TEXT NOT NULL, at TEXT NOT NULL,"
    " decided_by TEXT, decided_at TEXT, result TEXT);"
    /* 非小学一年级学籍注册: requests that wait for the national duplicate check. */
    "CREATE TABLE registration(id INTEGER PRIMARY KEY, school TEXT NOT NULL, grade INTEGER NOT "
    "NULL,"
    " name TEXT, gender TEXT, birth_date TEXT, id_type TEXT, id_number TEXT,"
    " state TEXT NOT NULL, proof TEXT, batch INTEGER, result TEXT, student_number TEXT UNIQUE,"
    " operator TEXT NOT NULL, at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE TABLE policy(process TEXT PRIMARY KEY, enabled INTEGER NOT NULL, open_from INTEGER,"
    " open_to INTEGER, operator TEXT NOT NULL, at TEXT NOT NULL);",

    /* 4: whether another school holds a preschool record, asked for every
     * matched row of an import, reads the rows of that record only (it read
     * every intake row of the workspace). */
    "CREATE INDEX intake_row_registry ON intake_row(registry_id) WHERE deleted = 0;",

    /* 5: an assigned list of 100,000 rows imported in under a second.  The
     * flows an import makes carry its batch, as its list rows already could:
     * the import's one audit entry (object "batch") stands for all of them,
     * where it wrote one entry a row, and the flows of a batch are
     * `SELECT ... FROM admission WHERE batch = ?`.  The list is keyed by
     * (school, year, graduate) and nothing else: stored in that key's own
     * B-tree (WITHOUT ROWID), a row of a list is one insert, not two. */
    "ALTER TABLE admission ADD COLUMN batch INTEGER;"
    "CREATE TABLE assignment_v5(school TEXT NOT NULL, year INTEGER NOT NULL,"
    " graduate_id INTEGER NOT NULL REFERENCES graduate(id), batch INTEGER,"
    " operator TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY(school, year, graduate_id))"
    " WITHOUT ROWID;"
    "INSERT INTO assignment_v5 SELECT school, year, graduate_id, batch, operator, at"
    " FROM assignment;"
    "DROP TABLE assignment;"
    "ALTER TABLE assignment_v5 RENAME TO assignment;",

    /* 6: the registry's changes since its index file was written.  A refresh
     * of the registry logs the records it inserted and updated, in the order
     * it applied them to the index, under its generation, with the
     * generation it followed; the step after it applies them to the file's
     * index (workspace.c) instead of the refresh writing the whole file
     * again.  A generation missing from the chain (a load into an empty
     * registry, a log pruned) means the index is rebuilt from the table. */
    "CREATE TABLE registry_log(generation INTEGER PRIMARY KEY, previous INTEGER NOT NULL,"
    " changes INTEGER NOT NULL);"
    "CREATE TABLE registry_change(generation INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " row_id INTEGER NOT NULL REFERENCES registry(id), added INTEGER NOT NULL,"
    " PRIMARY KEY(generation, seq)) WITHOUT ROWID;",

    /* 7: who holds a G number is also asked by the citizen number of a
     * row's registered record (S_NUMBER_OWNER), once for every row an
     * import brings.  A pupil of the pool is one person under any of its
     * numbers: the graduates with one ID document (an L number the national
     * check turned into a G one, both loaded) are one pupil, whose flows an
     * admission, the double listing and 重复招生处理 read together. */
    "CREATE INDEX supplement_id_number ON supplement(id_number) WHERE id_number IS NOT NULL;"
    "ALTER TABLE graduate ADD COLUMN pupil TEXT GENERATED ALWAYS AS (CASE WHEN id_number <> ''"
    " THEN 'id:' || coalesce(id_type, '') || ':' || id_number ELSE 'number:' || number END)"
    " VIRTUAL;"
    "CREATE INDEX graduate_pupil ON graduate(pupil);"
    /* Whether the pupil may have another number (S_GRAD_SHARED after every
     * load; never cleared): the flows of the others are looked for only
     * then, since an admission of a list asks for every row. */
    "ALTER TABLE graduate ADD COLUMN shared INTEGER NOT NULL DEFAULT 0;"
    "UPDATE graduate SET shared = 1 WHERE pupil IN"
    " (SELECT pupil FROM graduate GROUP BY pupil HAVING count(*) > 1);",
};

_Static_assert(sizeof migrations / sizeof migrations[0] == XJL_WORKSPACE_SCHEMA_VERSION,
               "one migration per schema version");

/* ---- statements ---------------------------------------------------------- */

/* The gender and ID type of a listing, shown one way (xjl__gender_display),
 * each followed by its code; P is the table's "alias." or "". */
#define DISPLAY_KEY(P)                                                                             \
    "xjl_gender(" P "gender) AS gender, xjl_gender_code(" P "gender) AS gender_code, " P           \
    "birth_date, xjl_id_type(" P "id_type) AS id_type, xjl_id_type_code(" P "id_type) AS "         \
    "id_type_code"
#define DISPLAY_KEY_R DISPLAY_KEY("r.")
#define DISPLAY_KEY_G DISPLAY_KEY("g.")
#define DISPLAY_KEY_T DISPLAY_KEY("") /* the table's own columns */

#define ROW_COLS                                                                                   \
    "r.id, r.school, r.line, r.name, " DISPLAY_KEY_R ", r.id_number,"                              \
    " xjl_status_name(r.status) AS status, xjl_status_zh(r.status) AS status_zh,"                  \
    " (SELECT count(*) FROM candidate c WHERE c.row_id = r.id) AS candidates,"                     \
    " printf('%.2f', r.score) AS score, r.reasons,"                                                \
    " (SELECT g.record_id FROM registry g WHERE g.id = r.registry_id) AS record_id,"               \
    " xjl_supplement_name(r.supplement) AS supplement, xjl_review_name(r.review) AS review,"       \
    " r.student_number, xjl_text(r.note) AS note, r.findings, r.override"

#define GRAD_COLS                                                                                  \
    "id, number, name, gender, birth_date, id_type, id_number, school, region,"                    \
    " stage, graduated, archived, deleted, restored"
#define ADM_COLS                                                                                   \
    "a.id, a.school, a.year, xjl_route_name(a.route) AS route,"                                    \
    " xjl_adm_state_name(a.state) AS state, g.number, g.name, " DISPLAY_KEY_G ","                  \
    " g.id_number, g.school AS graduate_school, a.conflict, xjl_text(a.note) AS note,"             \
    " a.created_at, xjl_text(a.review) AS review"

enum stmt_id {
    S_GEN_GET,
    S_GEN_BUMP,
    S_AUDIT_ADD,
    S_AUDIT_TABLE,
    S_SCHOOL_SET,
    S_SCHOOL_ENSURE,
    S_SCHOOL_REGION,
    S_SCHOOL_TABLE,
    S_REG_FIND,
    S_REG_GET,
    S_REG_INSERT,
    S_REG_UPDATE,
    S_REG_COUNT,
    S_REG_ANY,
    S_REG_SCAN,
    S_REG_TABLE,
    S_BATCH_ADD,
    S_ROW_GET,
    S_ROW_INSERT,
    S_ROW_UPDATE,
    S_ROW_DELETE,
    S_ROW_FIND_IDKEY,
    S_ROW_FIND_SAME,
    S_ROW_IDS,
    S_CAND_DEL,
    S_CAND_ADD,
    S_CAND_FIND,
    S_HIST_ADD,
    S_ROWS_TABLE,
    S_ROW_TABLE,
    S_CANDS_TABLE,
    S_HIST_TABLE,
    S_SUPPL_GET,
    S_SUPPL_PUT,
    S_NUMBER_OWNER,
    S_SCHOOL_KIND_SET,
    S_SCHOOL_GET,
    S_GRAD_FIND,
    S_GRAD_GET,
    S_GRAD_INSERT,
    S_GRAD_UPDATE,
    S_GRAD_ARCHIVED,
    S_GRAD_DELETE,
    S_GRAD_SCAN,
    S_GRAD_TABLE,
    S_QUOTA_SET,
    S_QUOTA_GET,
    S_QUOTA_USED,
    S_QREQ_ADD,
    S_QREQ_GET,
    S_QREQ_OPEN,
    S_QREQ_DECIDE,
    S_QREQ_TABLE,
    S_ADM_INSERT,
    S_ADM_GET,
    S_ADM_UPDATE,
    S_ADM_DELETE,
    S_ADM_OF_GRAD,
    S_ADM_TABLE,
    S_ADM_ONE,
    S_DOUBLE_TABLE,
    S_STATS_TABLE,
    S_SCHOOL_LIVE,
    S_POLICY_SET,
    S_KC_ADD,
    S_REGQ_ADD,
    S_ADM_REVIEW,
    S_ROW_IDS_NUMBERED,
    S_REGQ_GET,
    S_REGQ_SET,
    S_REGQ_IDS,
    S_REGQ_TABLE,
    S_REG_HOLDER,
    S_KC_GET,
    S_KC_OPEN,
    S_KC_DECIDE,
    S_KC_TABLE,
    S_POLICY_GET,
    S_POLICY_TABLE,
    S_ASSIGN_ADD,
    S_ASSIGN_HAS,
    S_BATCH_ROWS,
    S_GRAD_BRIEF,
    S_ADM_OF_TWINS,
    S_SAME_PUPIL,
    S_GRAD_SHARED,
    S_REGLOG_ADD,
    S_REGLOG_PREV,
    S_REGLOG_PRUNE,
    S_REGCHG_ADD,
    S_REGCHG_OF,
    S_REGCHG_PRUNE,
    S_COUNT
};

/* The workflows' numbers are never written in SQL: the text names them
 * (":adm_admitted") and stmt() binds the C constants (sql_consts), so that a
 * renumbered enum cannot leave a query behind.  tools/check_sql_enums.py
 * fails the build's tests on a number compared with such a column. */
#define ADM_LIVE "(:adm_pending, :adm_admitted, :adm_done)" /* flows that hold a place */

static const struct {
    const char *name;
    int value;
} sql_consts[] = {
    {":row_matched", XJL_ROW_MATCHED},
    {":row_confirmed", XJL_ROW_CONFIRMED},
    {":adm_pending", XJL__ADM_PENDING},
    {":adm_admitted", XJL__ADM_ADMITTED},
    {":adm_done", XJL__ADM_DONE},
    {":kind_senior", XJL_SCHOOL_SENIOR},
    {":kind_vocational", XJL_SCHOOL_VOCATIONAL},
};

/* The schema's defaults are the first value of each enum; DDL takes no
 * parameters, so the build checks that they still are. */
_Static_assert(XJL__SUPPL_NONE == 0 && XJL__REVIEW_OPEN == 0 && XJL_SCHOOL_UNKNOWN == 0,
               "the schema's DEFAULT 0 of supplement, review and kind");

static const char *const sql_text[S_COUNT] = {
    [S_REG_HOLDER] = "SELECT id, school FROM intake_row WHERE registry_id = ?1 AND deleted = 0"
                     " AND school <> ?2 AND status IN (:row_matched, :row_confirmed)"
                     " ORDER BY id LIMIT 1",
    [S_ROW_IDS_NUMBERED] = "SELECT id FROM intake_row WHERE deleted = 0"
                           " AND substr(student_number, 1, 1) = ?1 ORDER BY id",
    [S_ADM_REVIEW] =
        "UPDATE admission SET review = ?2, updated_at = " NOW " WHERE id = ?1 AND deleted = 0",
    [S_REGQ_ADD] = "INSERT INTO registration(school, grade, name, gender, birth_date, id_type,"
                   " id_number, state, operator, at, updated_at)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, " NOW ", " NOW ")",
    [S_REGQ_GET] =
        "SELECT school, grade, name, gender, birth_date, id_type, id_number, state, proof,"
        " batch, result, student_number FROM registration WHERE id = ?1",
    [S_REGQ_SET] = "UPDATE registration SET state = ?2, proof = ?3, batch = ?4, result = ?5,"
                   " student_number = ?6, updated_at = " NOW " WHERE id = ?1",
    [S_REGQ_IDS] = "SELECT id FROM registration WHERE state = ?1 ORDER BY id",
    [S_REGQ_TABLE] = "SELECT id, school, grade, name, " DISPLAY_KEY_T ", id_number, state,"
                     " proof, batch, xjl_text(result) AS result, student_number, operator, at,"
                     " updated_at FROM registration WHERE (?1 IS NULL OR school = ?1) ORDER BY id",
    [S_KC_ADD] = "INSERT INTO key_change(row_id, field, old_value, new_value, reason, state,"
                 " operator, at) VALUES(?1, ?2, ?3, ?4, ?5, 'open', ?6, " NOW ")",
    [S_KC_GET] = "SELECT row_id, field, new_value, state FROM key_change WHERE id = ?1",
    [S_KC_OPEN] = "SELECT id FROM key_change WHERE row_id = ?1 AND state = 'open' LIMIT 1",
    [S_KC_DECIDE] = "UPDATE key_change SET state = ?2, result = ?3, decided_by = ?4,"
                    " decided_at = " NOW " WHERE id = ?1 AND state = 'open'",
    [S_KC_TABLE] = "SELECT k.id, k.row_id, r.school, r.name, xjl_sfield_name(k.field) AS field,"
                   " k.old_value, k.new_value, k.reason, k.state, k.operator, k.at, k.decided_by,"
                   " k.decided_at, xjl_text(k.result) AS result FROM key_change k JOIN intake_row "
                   "r ON r.id = k.row_id"
                   " WHERE (?1 IS NULL OR r.school = ?1) ORDER BY k.id",
    [S_POLICY_SET] = "INSERT INTO policy(process, enabled, open_from, open_to, operator, at)"
                     " VALUES(?1, ?2, ?3, ?4, ?5, " NOW ") ON CONFLICT(process) DO UPDATE SET"
                     " enabled = excluded.enabled, open_from = excluded.open_from,"
                     " open_to = excluded.open_to, operator = excluded.operator, at = excluded.at",
    [S_POLICY_GET] =
        "SELECT enabled, open_from, open_to, operator, at FROM policy WHERE process = ?1",
    [S_POLICY_TABLE] = "SELECT process, enabled, xjl_date(open_from) AS open_from,"
                       " xjl_date(open_to) AS open_to, operator, at FROM policy ORDER BY process",
    [S_SCHOOL_LIVE] = "SELECT count(*) FROM admission WHERE school = ?1 AND deleted = 0"
                      " AND state IN " ADM_LIVE,
    [S_ASSIGN_ADD] =
        "INSERT OR IGNORE INTO assignment(school, year, graduate_id, batch, operator, at)"
        " VALUES(?1, ?2, ?3, ?4, ?5, " NOW ")",
    [S_ASSIGN_HAS] =
        "SELECT 1 FROM assignment WHERE school = ?1 AND year = ?2 AND graduate_id = ?3",
    [S_BATCH_ROWS] = "UPDATE batch SET rows = ?2 WHERE id = ?1",
    /* the graduate, then (LEFT JOIN) each of its flows as S_ADM_OF_GRAD reads them */
    [S_GRAD_BRIEF] =
        "SELECT g.id, g.name, g.region, g.stage, g.graduated, g.archived, g.deleted, g.restored,"
        " a.id, a.graduate_id, a.school, a.year, a.route, a.state, a.conflict, a.note, a.deleted,"
        " coalesce(s.kind, 0), g.shared FROM graduate g"
        " LEFT JOIN admission a ON a.graduate_id = g.id AND a.deleted = 0"
        " LEFT JOIN school s ON s.code = a.school WHERE g.number = ?1 ORDER BY a.id",
    /* The flows of the pupil's other numbers, read only when it may have
     * any (shared): the join costs an admission of a list as much again. */
    [S_ADM_OF_TWINS] = "SELECT a.id, a.graduate_id, a.school, a.year, a.route, a.state,"
                       " a.conflict, a.note, a.deleted, coalesce(s.kind, 0) FROM graduate g"
                       " JOIN graduate t ON t.pupil = g.pupil AND t.id <> g.id"
                       " JOIN admission a ON a.graduate_id = t.id AND a.deleted = 0"
                       " LEFT JOIN school s ON s.code = a.school WHERE g.id = ?1 ORDER BY a.id",
    [S_GEN_GET] = "SELECT value FROM meta WHERE key = ?1 || '_generation'",
    /* A count in the high bits and 40 random bits: a workspace restored from
     * a copy and loaded again never comes back to a generation it had, so
     * that an index file stamped with that generation is never taken for
     * the new contents (workspace.c). */
    [S_GEN_BUMP] = "UPDATE meta SET value = (((value >> 40) + 1) << 40)"
                   " | (random() & 1099511627775) WHERE key = ?1 || '_generation'",
    [S_AUDIT_ADD] = "INSERT INTO audit(at, operator, action, object, object_id, detail)"
                    " VALUES(" NOW ", ?1, ?2, ?3, ?4, ?5)",
    [S_AUDIT_TABLE] = "SELECT id, at, operator, action, object, object_id,"
                      " xjl_text(detail) AS detail FROM audit"
                      " WHERE (?1 IS NULL OR object = ?1) AND (?2 <= 0 OR object_id = ?2)"
                      /* an admission's entries include the import that made it */
                      " OR (?1 = 'admission' AND object = 'batch' AND action = 'import-assigned'"
                      "  AND (?2 <= 0 OR object_id = (SELECT batch FROM admission WHERE id = ?2)))"
                      " ORDER BY id",
    [S_SCHOOL_SET] = "INSERT INTO school(code, name, region, identifier) VALUES(?1, ?2, ?3, ?4)"
                     " ON CONFLICT(code) DO UPDATE SET name = coalesce(excluded.name, name),"
                     " region = coalesce(excluded.region, region),"
                     " identifier = coalesce(excluded.identifier, identifier)",
    [S_SCHOOL_ENSURE] = "INSERT OR IGNORE INTO school(code) VALUES(?1)",
    [S_SCHOOL_REGION] = "SELECT region FROM school WHERE code = ?1",
    [S_SCHOOL_TABLE] = "SELECT code AS school, name, region, identifier FROM school ORDER BY code",
    [S_REG_FIND] = "SELECT id FROM registry WHERE record_id = ?1",
    [S_REG_GET] = "SELECT id, record_id, " SF_COLS " FROM registry WHERE id = ?1",
    [S_REG_INSERT] =
        "INSERT INTO registry(record_id, " SF_COLS ", source, line, updated_at)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
        " ?16, ?17, ?18, ?19, ?20, coalesce(?21, " NOW ")) ON CONFLICT(record_id) DO NOTHING",
    [S_REG_UPDATE] = "UPDATE registry SET name = ?2, gender = ?3, birth_date = ?4,"
                     " birthplace = ?5, ethnicity = ?6, nationality = ?7, id_type = ?8,"
                     " id_number = ?9, hmt = ?10, hukou_type = ?11, hukou_region = ?12,"
                     " address = ?13, disability = ?14, only_child = ?15, left_behind = ?16,"
                     " migrant_child = ?17, orphan = ?18, source = ?19, line = ?20,"
                     " updated_at = coalesce(?21, " NOW ") WHERE id = ?1",
    [S_REG_COUNT] = "SELECT count(*) FROM registry",
    [S_REG_ANY] = "SELECT 1 FROM registry LIMIT 1",
    [S_REG_SCAN] = "SELECT id, record_id, name, gender, birth_date, id_type, id_number"
                   " FROM registry ORDER BY id",
    [S_REG_TABLE] = "SELECT id, record_id, name, " DISPLAY_KEY_T ", id_number, " SF_REST ","
                    " source, line FROM registry WHERE record_id = ?1",
    [S_BATCH_ADD] = "INSERT INTO batch(kind, school, source, rows, operator, at)"
                    " VALUES(?1, ?2, ?3, ?4, ?5, " NOW ")",
    [S_ROW_GET] =
        "SELECT id, batch, registry_id, line, school, name, gender, birth_date,"
        " id_type, id_number, id_key, status, supplement, review, deleted, score,"
        " reasons, student_number, note, findings, override FROM intake_row WHERE id = ?1",
    [S_ROW_INSERT] =
        "INSERT INTO intake_row(batch, registry_id, line, school, name, gender,"
        " birth_date, id_type, id_number, id_key, status, supplement, review,"
        " score, reasons, student_number, note, findings, override, created_at, updated_at)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
        " ?16, ?17, ?18, ?19, " NOW ", " NOW ")",
    [S_ROW_UPDATE] = "UPDATE intake_row SET registry_id = ?2, name = ?3, gender = ?4,"
                     " birth_date = ?5, id_type = ?6, id_number = ?7, id_key = ?8,"
                     " status = ?9, supplement = ?10, review = ?11, score = ?12,"
                     " reasons = ?13, student_number = ?14, note = ?15, findings = ?16,"
                     " override = ?17, updated_at = " NOW " WHERE id = ?1 AND deleted = 0",
    [S_ROW_DELETE] = "UPDATE intake_row SET deleted = 1, deleted_at = " NOW ","
                     " updated_at = " NOW " WHERE id = ?1 AND deleted = 0",
    [S_ROW_FIND_IDKEY] = "SELECT id FROM intake_row WHERE school = ?1 AND id_key = ?2"
                         " AND deleted = 0 AND id != ?3 ORDER BY id LIMIT 1",
    /* rows without a citizen number: the index's (school, NULL) range */
    [S_ROW_FIND_SAME] = "SELECT id FROM intake_row WHERE school = ?1 AND id_key IS NULL"
                        " AND deleted = 0 AND name IS ?2 AND gender IS ?3 AND birth_date IS ?4"
                        " AND id_type IS ?5 AND id_number IS ?6 AND id != ?7 ORDER BY id LIMIT 1",
    [S_ROW_IDS] = "SELECT id FROM intake_row WHERE school = ?1 AND deleted = 0 ORDER BY id",
    [S_CAND_DEL] = "DELETE FROM candidate WHERE row_id = ?1",
    [S_CAND_ADD] = "INSERT INTO candidate(row_id, rank, registry_id, score, reasons)"
                   " VALUES(?1, ?2, ?3, ?4, ?5)",
    [S_CAND_FIND] = "SELECT c.registry_id FROM candidate c JOIN registry g ON g.id = c.registry_id"
                    " WHERE c.row_id = ?1 AND g.record_id = ?2",
    [S_HIST_ADD] = "INSERT INTO row_history(row_id, at, operator, action, from_status,"
                   " to_status, detail) VALUES(?1, " NOW ", ?2, ?3, ?4, ?5, ?6)",
    [S_ROWS_TABLE] = "SELECT " ROW_COLS " FROM intake_row r WHERE r.school = ?1"
                     " AND r.deleted = 0 AND (?2 < 0 OR r.status = ?2) ORDER BY r.id",
    [S_ROW_TABLE] = "SELECT " ROW_COLS ", r.deleted, r.deleted_at FROM intake_row r"
                    " WHERE r.id = ?1",
    [S_CANDS_TABLE] = "SELECT c.rank, g.record_id, printf('%.2f', c.score) AS score, c.reasons,"
                      " g.name, " DISPLAY_KEY_G ", g.id_number"
                      " FROM candidate c JOIN registry g ON g.id = c.registry_id"
                      " WHERE c.row_id = ?1 ORDER BY c.rank",
    [S_HIST_TABLE] =
        "SELECT at, operator, action, xjl_status_name(from_status) AS from_status,"
        " xjl_status_name(to_status) AS to_status, xjl_text(detail) AS detail FROM row_history"
        " WHERE row_id = ?1 ORDER BY id",
    [S_SUPPL_GET] = "SELECT " SF_COLS " FROM supplement WHERE row_id = ?1",
    [S_SUPPL_PUT] = "INSERT INTO supplement(row_id, " SF_COLS ", updated_at)"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                    " ?16, ?17, ?18, " NOW ") ON CONFLICT(row_id) DO UPDATE SET"
                    " name = ?2, gender = ?3, birth_date = ?4, birthplace = ?5, ethnicity = ?6,"
                    " nationality = ?7, id_type = ?8, id_number = ?9, hmt = ?10,"
                    " hukou_type = ?11, hukou_region = ?12, address = ?13, disability = ?14,"
                    " only_child = ?15, left_behind = ?16, migrant_child = ?17, orphan = ?18,"
                    " updated_at = " NOW,
    /* A G number is also held by the numbered row whose registered record
     * has that citizen number now: one whose ID number an approved key-data
     * change replaced keeps G + the old one (a student number is for life). */
    [S_NUMBER_OWNER] = "SELECT 1, id FROM intake_row WHERE student_number = ?1"
                       " UNION ALL SELECT 2, id FROM graduate WHERE number = ?1"
                       " UNION ALL SELECT 3, id FROM registration WHERE student_number = ?1"
                       " UNION ALL SELECT 1, r.id FROM supplement s"
                       " JOIN intake_row r ON r.id = s.row_id"
                       " WHERE substr(?1, 1, 1) = 'G' AND s.id_number = substr(?1, 2)"
                       " AND r.student_number IS NOT NULL"
                       " LIMIT 1",
    [S_SCHOOL_KIND_SET] = "INSERT INTO school(code, kind) VALUES(?1, ?2)"
                          " ON CONFLICT(code) DO UPDATE SET kind = excluded.kind",
    [S_SCHOOL_GET] = "SELECT region, kind FROM school WHERE code = ?1",
    [S_GRAD_FIND] = "SELECT " GRAD_COLS " FROM graduate WHERE number = ?1",
    [S_GRAD_GET] = "SELECT " GRAD_COLS " FROM graduate WHERE id = ?1",
    [S_GRAD_INSERT] = "INSERT INTO graduate(number, name, gender, birth_date, id_type, id_number,"
                      " school, region, stage, graduated, archived, source, line, updated_at)"
                      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, " NOW ")",
    [S_GRAD_UPDATE] =
        "UPDATE graduate SET name = ?2, gender = ?3, birth_date = ?4, id_type = ?5,"
        " id_number = ?6, school = ?7, region = ?8, stage = ?9, graduated = ?10,"
        " archived = ?11, source = ?12, line = ?13, updated_at = " NOW " WHERE number = ?1",
    [S_GRAD_ARCHIVED] =
        "UPDATE graduate SET archived = ?2, restored = NOT ?2, updated_at = " NOW " WHERE id = ?1",
    [S_GRAD_DELETE] = "UPDATE graduate SET deleted = 1, deleted_at = " NOW ", updated_at = " NOW
                      " WHERE id = ?1 AND deleted = 0",
    [S_GRAD_SCAN] = "SELECT id, number, name, gender, birth_date, id_type, id_number"
                    " FROM graduate WHERE deleted = 0 ORDER BY id",
    [S_GRAD_TABLE] = "SELECT id, number, name, " DISPLAY_KEY_T ", id_number, school,"
                     " region, xjl_stage_name(stage) AS stage, graduated, archived, deleted"
                     " FROM graduate WHERE number = ?1",
    [S_QUOTA_SET] = "INSERT INTO quota(school, year, quota, updated_at) VALUES(?1, ?2, ?3, " NOW ")"
                    " ON CONFLICT(school, year) DO UPDATE SET quota = excluded.quota,"
                    " updated_at = excluded.updated_at",
    [S_QUOTA_GET] = "SELECT quota FROM quota WHERE school = ?1 AND year = ?2",
    [S_QUOTA_USED] = "SELECT count(*) FROM admission WHERE school = ?1 AND year = ?2"
                     " AND deleted = 0 AND state IN " ADM_LIVE,
    [S_QREQ_ADD] = "INSERT INTO quota_request(school, year, quota_before, requested, reason, state,"
                   " operator, at) VALUES(?1, ?2, ?3, ?4, ?5, 'open', ?6, " NOW ")",
    [S_QREQ_GET] = "SELECT school, year, requested, state FROM quota_request WHERE id = ?1",
    [S_QREQ_OPEN] =
        "SELECT id FROM quota_request WHERE school = ?1 AND year = ?2 AND state = 'open'"
        " LIMIT 1",
    [S_QREQ_DECIDE] = "UPDATE quota_request SET state = ?2, decided_at = " NOW
                      " WHERE id = ?1 AND state = 'open'",
    [S_QREQ_TABLE] =
        "SELECT id, school, year, quota_before, requested, reason, state, at, decided_at"
        " FROM quota_request WHERE (?1 IS NULL OR school = ?1) ORDER BY id",
    [S_ADM_INSERT] = "INSERT INTO admission(graduate_id, school, year, route, state, conflict,"
                     " from_admission, note, batch, created_at, updated_at)"
                     " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, " NOW ", " NOW ")",
    [S_ADM_GET] = "SELECT a.id, a.graduate_id, a.school, a.year, a.route, a.state, a.conflict,"
                  " a.note, a.deleted, coalesce(s.kind, 0) FROM admission a"
                  " LEFT JOIN school s ON s.code = a.school WHERE a.id = ?1",
    [S_ADM_UPDATE] = "UPDATE admission SET state = ?2, conflict = ?3, note = ?4,"
                     " updated_at = " NOW " WHERE id = ?1 AND deleted = 0",
    [S_ADM_DELETE] = "UPDATE admission SET deleted = 1, deleted_at = " NOW ", updated_at = " NOW
                     " WHERE id = ?1 AND deleted = 0",
    [S_ADM_OF_GRAD] = "SELECT a.id, a.graduate_id, a.school, a.year, a.route, a.state, a.conflict,"
                      " a.note, a.deleted, coalesce(s.kind, 0) FROM admission a"
                      " LEFT JOIN school s ON s.code = a.school"
                      " WHERE a.graduate_id = ?1 AND a.deleted = 0 ORDER BY a.id",
    [S_GRAD_SHARED] = "UPDATE graduate SET shared = 1 WHERE shared = 0 AND pupil IN"
                      " (SELECT pupil FROM graduate GROUP BY pupil HAVING count(*) > 1)",
    [S_SAME_PUPIL] = "SELECT a.pupil = b.pupil FROM graduate a, graduate b"
                     " WHERE a.id = ?1 AND b.id = ?2",
    [S_ADM_TABLE] = "SELECT " ADM_COLS " FROM admission a JOIN graduate g ON g.id = a.graduate_id"
                    " WHERE a.school = ?1 AND a.year = ?2 AND a.deleted = 0 ORDER BY a.id",
    [S_ADM_ONE] = "SELECT " ADM_COLS ", a.deleted FROM admission a"
                  " JOIN graduate g ON g.id = a.graduate_id WHERE a.id = ?1",
    /* ?1 before the named constants (see bind_consts); inner joins, so the
     * kinds may be tested in WHERE.  A pair is the year's when either flow
     * is (a senior admission one year, a vocational one the next is a
     * double admission too); each pair is one row of the join. */
    [S_DOUBLE_TABLE] =
        "SELECT g.number, g.name, xjl_gender(g.gender) AS gender,"
        " xjl_gender_code(g.gender) AS gender_code, g.birth_date, g.id_number,"
        " a.id AS senior_admission, a.school AS senior_school,"
        " xjl_adm_state_name(a.state) AS senior_state, a.created_at AS senior_at,"
        " b.id AS vocational_admission, b.school AS vocational_school,"
        " xjl_adm_state_name(b.state) AS vocational_state, b.created_at AS vocational_at"
        " FROM admission a JOIN school sa ON sa.code = a.school"
        " JOIN graduate g ON g.id = a.graduate_id"
        " JOIN graduate gb ON gb.pupil = g.pupil" /* the pupil under any number */
        " JOIN admission b ON b.graduate_id = gb.id"
        " JOIN school sb ON sb.code = b.school"
        " WHERE (a.year = ?1 OR b.year = ?1) AND a.deleted = 0 AND b.deleted = 0"
        " AND sa.kind = :kind_senior AND sb.kind = :kind_vocational"
        " AND a.state IN " ADM_LIVE " AND b.state IN " ADM_LIVE " ORDER BY g.number, a.id, b.id",
    [S_REGLOG_ADD] = "INSERT INTO registry_log(generation, previous, changes) VALUES(?1, ?2, ?3)",
    [S_REGLOG_PREV] = "SELECT previous, changes FROM registry_log WHERE generation = ?1",
    [S_REGLOG_PRUNE] = "DELETE FROM registry_log WHERE generation <= ?1",
    [S_REGCHG_ADD] = "INSERT INTO registry_change(generation, seq, row_id, added)"
                     " VALUES(?1, ?2, ?3, ?4)",
    [S_REGCHG_OF] =
        "SELECT c.row_id, r.record_id, r.name, r.gender, r.birth_date, r.id_type,"
        " r.id_number, c.added FROM registry_change c JOIN registry r ON r.id = c.row_id"
        " WHERE c.generation = ?1 ORDER BY c.seq",
    [S_REGCHG_PRUNE] = "DELETE FROM registry_change WHERE generation <= ?1",
    [S_STATS_TABLE] =
        "SELECT s.code AS school, s.name, s.identifier, xjl_kind_name(s.kind) AS kind,"
        " count(a.id) AS pupils,"
        " CASE WHEN coalesce(s.identifier, '') <> '' AND count(a.id) > 0 THEN 1 ELSE 0 END AS "
        "counted"
        " FROM school s LEFT JOIN admission a ON a.school = s.code AND a.year = ?1"
        " AND a.deleted = 0 AND a.state IN (:adm_admitted, :adm_done) GROUP BY s.code"
        " ORDER BY s.code",
};

struct xjl_store {
    sqlite3 *db;
    sqlite3_stmt *stmt[S_COUNT];
    bool named[S_COUNT]; /* the statement names constants of sql_consts */
    int version;
    char op[128];
    char step[160]; /* the workflow step of the open write transaction, for messages */
    /* When that step began, as NOW writes it: the time a load writes on each
     * of its records (one per step, not a clock reading and a format a row) */
    char began[80];
    uint64_t work;       /* thousands of SQLite VM instructions run (xjl__store_work) */
    uint64_t statements; /* statements run (xjl__store_statements) */
    bool reader;         /* opened by xjl__store_open_read: no write step */
    int64_t now_ms;      /* the clock when the statement running started (NOW) */
    char now[80];        /* now_ms as text */
};

/* ---- errors -------------------------------------------------------------- */

static int db_fail(struct xjl_store *st, int rc, const char *what)
{
    int ext = sqlite3_extended_errcode(st->db);
    const char *msg = sqlite3_errmsg(st->db);
    /* a failed write (disk full, I/O error) says which step of the
     * workflow it undid, not only which statement */
    const char *step = st->step, *sep = *st->step ? ": " : "";
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED || ext == SQLITE_BUSY)
        return xjl__failm(XJL_EBUSY, "ws.store.busy", step, sep, what, msg);
    if (rc == SQLITE_NOTADB)
        return xjl__failm(XJL_EFORMAT, "ws.store.not_sqlite", msg);
    if (rc == SQLITE_NOMEM)
        return xjl__failm(XJL_ENOMEM, "ws.store.nomem", step, sep, what);
    return xjl__failm(XJL_EDB, "ws.store.db_error", step, sep, what, msg, ext);
}

/* Binds the named constants of a statement; false if it names one that
 * sql_consts does not have (a typo in the SQL text), or one before the last
 * ?NNN of the text: SQLite numbers a name after the largest index seen so
 * far, so such a name would share its slot with a later ?NNN. */
static bool bind_consts(sqlite3_stmt *s, const char *sql, bool *named)
{
    *named = false;
    long last = 0;
    for (const char *q = strchr(sql, '?'); q; q = strchr(q + 1, '?'))
        if (strtol(q + 1, NULL, 10) > last)
            last = strtol(q + 1, NULL, 10);
    for (int i = 1; i <= sqlite3_bind_parameter_count(s); i++) {
        const char *name = sqlite3_bind_parameter_name(s, i);
        if (!name || name[0] != ':')
            continue;
        if (i <= last)
            return false;
        size_t k = 0;
        while (k < XJL_ARRAY_LEN(sql_consts) && strcmp(sql_consts[k].name, name) != 0)
            k++;
        if (k == XJL_ARRAY_LEN(sql_consts) ||
            sqlite3_bind_int(s, i, sql_consts[k].value) != SQLITE_OK)
            return false;
        *named = true;
    }
    return true;
}

/* Reads the clock for the statement about to run (NOW); the text is made
 * again only when the millisecond changed. */
static void read_clock(struct xjl_store *st)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    if (ms == st->now_ms && st->now[0])
        return;
    st->now_ms = ms;
    time_t sec = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&sec, &tm);
    snprintf(st->now, sizeof st->now, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

/* The statement, prepared on first use and reset for this one, with its
 * named constants bound. */
static sqlite3_stmt *stmt(struct xjl_store *st, enum stmt_id id)
{
    st->statements++;
    read_clock(st);
    sqlite3_stmt *s = st->stmt[id];
    if (!s) {
        if (sqlite3_prepare_v3(st->db, sql_text[id], -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
            SQLITE_OK) {
            db_fail(st, sqlite3_errcode(st->db), "preparing a statement");
            return NULL;
        }
        st->stmt[id] = s;
    } else {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (!st->named[id])
            return s;
    }
    if (!bind_consts(s, sql_text[id], &st->named[id])) {
        xjl__failm(XJL_EDB, "ws.store.bad_constant", (int)id);
        return NULL;
    }
    return s;
}

#define PREPARE(var, id)                                                                           \
    sqlite3_stmt *var = stmt(st, (id));                                                            \
    if (!var)                                                                                      \
    return XJL_EDB

/* Empty text is stored as NULL: one spelling of "no value". */
static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static char *col_dup(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? strdup((const char *)t) : NULL;
}

/* Runs a statement that returns no row. */
static int run(struct xjl_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_fail(st, rc, what);
    return XJL_OK;
}

/* Steps a statement that returns at most one row: 1 row, 0 none, <0 error. */
static int step_one(struct xjl_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        return 1;
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return 0;
    return db_fail(st, rc, what);
}

/* Collects every row of a statement into a new table. */
static int table_from(struct xjl_store *st, sqlite3_stmt *s, xjl_listing **out, const char *what)
{
    int ncols = sqlite3_column_count(s);
    const char *names[64];
    if (ncols > (int)XJL_ARRAY_LEN(names))
        ncols = (int)XJL_ARRAY_LEN(names);
    for (int c = 0; c < ncols; c++)
        names[c] = sqlite3_column_name(s, c);
    xjl_listing *t = xjl__listing_new((size_t)ncols, names);
    if (!t)
        return xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_result", what);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        long r = xjl__listing_add_row(t);
        if (r < 0) {
            sqlite3_reset(s);
            xjl_listing_free(t);
            return xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_result", what);
        }
        for (int c = 0; c < ncols; c++) {
            const unsigned char *v = sqlite3_column_text(s, c);
            if (v && xjl__listing_set(t, (size_t)r, (size_t)c, (const char *)v,
                                      (size_t)sqlite3_column_bytes(s, c)) != XJL_OK) {
                sqlite3_reset(s);
                xjl_listing_free(t);
                return xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_result", what);
            }
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        xjl_listing_free(t);
        return db_fail(st, rc, what);
    }
    *out = t;
    return XJL_OK;
}

/* A listing of a statement with one integer parameter. */
static int listing_by(struct xjl_store *st, enum stmt_id id, int64_t v, xjl_listing **out,
                      const char *what)
{
    PREPARE(s, id);
    sqlite3_bind_int64(s, 1, v);
    return table_from(st, s, out, what);
}

/* ---- SQL functions: names of the workflow's numbers --------------------- */

struct name_fn {
    const char *name;
    const char *(*fn)(int);
};

static void sql_name_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const struct name_fn *nf = sqlite3_user_data(ctx);
    sqlite3_result_text(ctx, nf->fn(sqlite3_value_int(argv[0])), -1, SQLITE_STATIC);
}

/* The stored numbers are ints; the public name functions take their enum. */
static const char *status_name(int st)
{
    return xjl_row_status_name((xjl_row_status)st);
}

static const char *status_zh(int st)
{
    return xjl_row_status_label_zh((xjl_row_status)st);
}

static const char *sfield_name(int f)
{
    return xjl_sfield_name((xjl_sfield)f);
}

static const char *kind_name(int k)
{
    return xjl_school_kind_name((xjl_school_kind)k);
}

static const char *route_name(int r)
{
    return xjl_enrol_route_name((xjl_enrol_route)r);
}

static const struct name_fn name_fns[] = {
    {"xjl_sfield_name", sfield_name},
    {"xjl_status_name", status_name},
    {"xjl_status_zh", status_zh},
    {"xjl_supplement_name", xjl__supplement_name},
    {"xjl_review_name", xjl__review_name},
    {"xjl_stage_name", kind_name},
    {"xjl_kind_name", kind_name},
    {"xjl_route_name", route_name},
    {"xjl_adm_state_name", xjl__admission_state_name},
};

static void sql_date_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    char buf[16];
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
        xjl_date_format(sqlite3_value_int(argv[0]), buf, sizeof buf) != XJL_OK) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

/* The listings' one display of the gender and ID type columns
 * (xjl__gender_display): xjl_gender(v), xjl_gender_code(v), xjl_id_type(v),
 * xjl_id_type_code(v); user data 0/1 gender, 2/3 ID type (odd: the code). */
static void sql_display_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *v = (const char *)sqlite3_value_text(argv[0]);
    int which = *(const int *)sqlite3_user_data(ctx);
    const char *gcode = NULL, *out;
    char tcode[2];
    if (which < 2)
        out = xjl__gender_display(v, &gcode);
    else
        out = xjl__id_type_display(v, tcode);
    if (which & 1)
        out = which == 1 ? gcode : *tcode ? tcode : NULL;
    if (out)
        sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
    else
        sqlite3_result_null(ctx);
}

static void sql_now_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    struct xjl_store *st = sqlite3_user_data(ctx);
    if (!st->now[0])
        read_clock(st);
    sqlite3_result_text(ctx, st->now, -1, SQLITE_TRANSIENT);
}

/* xjl_text(t): a stored text (xjl__stored) in this thread's language, so
 * that the audit trail, histories and notes read in the reader's language
 * whatever the writer's was; any other text as it is.  Not deterministic:
 * the language is the calling thread's. */
static void sql_text_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *t = (const char *)sqlite3_value_text(argv[0]);
    if (!t || !xjl__is_stored(t)) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    size_t cap = 2 * strlen(t) + 4096;
    char *buf = sqlite3_malloc64(cap);
    if (!buf) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    xjl__stored_render(t, xjl_get_lang(), buf, cap);
    sqlite3_result_text(ctx, buf, -1, sqlite3_free);
}

static int register_functions(struct xjl_store *st)
{
    static const int which[4] = {0, 1, 2, 3};
    const int det = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    const struct {
        const char *name;
        int nargs, flags;
        void *user;
        void (*fn)(sqlite3_context *, int, sqlite3_value **);
    } fns[] = {
        {"xjl_gender", 1, det, (void *)&which[0], sql_display_fn},
        {"xjl_gender_code", 1, det, (void *)&which[1], sql_display_fn},
        {"xjl_id_type", 1, det, (void *)&which[2], sql_display_fn},
        {"xjl_id_type_code", 1, det, (void *)&which[3], sql_display_fn},
        /* the reading thread's language: not deterministic */
        {"xjl_text", 1, SQLITE_UTF8, NULL, sql_text_fn},
        /* NOW: never from the schema, which other programs read without it */
        {"xjl_now", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, st, sql_now_fn},
        {"xjl_date", 1, det, NULL, sql_date_fn},
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(fns); i++) {
        int rc = sqlite3_create_function_v2(st->db, fns[i].name, fns[i].nargs, fns[i].flags,
                                            fns[i].user, fns[i].fn, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return rc;
    }
    for (size_t i = 0; i < XJL_ARRAY_LEN(name_fns); i++) {
        int rc = sqlite3_create_function_v2(st->db, name_fns[i].name, 1, det, (void *)&name_fns[i],
                                            sql_name_fn, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* ---- opening and migrations --------------------------------------------- */

static int pragma_int(struct xjl_store *st, const char *sql, int *out)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_fail(st, rc, sql);
    rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(st, rc, sql);
    return XJL_OK;
}

static int exec(struct xjl_store *st, const char *sql, const char *what)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? XJL_OK : db_fail(st, rc, what);
}

/* Refuses, before anything is written, a file that is not a workspace of a
 * version this library knows: another application's database (its
 * application id, or tables without one), a schema newer than ours, or a
 * version no workspace ever had (a damaged header).  Nothing before this
 * check may change the file: not even WAL mode, which rewrites its header. */
static int check_identity(struct xjl_store *st, const char *path)
{
    int app = 0, tables = 0, rc;
    if ((rc = pragma_int(st, "PRAGMA user_version", &st->version)) != XJL_OK ||
        (rc = pragma_int(st, "PRAGMA application_id", &app)) != XJL_OK ||
        (rc = pragma_int(st, "SELECT count(*) FROM sqlite_master", &tables)) != XJL_OK)
        return rc;
    if ((st->version != 0 || tables > 0) && app != XJL_APPLICATION_ID)
        return xjl__failm(XJL_EFORMAT, "ws.store.foreign", path, app);
    int target = (int)XJL_ARRAY_LEN(migrations);
    if (st->version < 0 || (st->version == 0 && tables > 0))
        return xjl__failm(XJL_EFORMAT, "ws.store.bad_version", path, st->version);
    if (st->version > target)
        return xjl__failm(XJL_EDB, "ws.store.newer", st->version, target);
    return XJL_OK;
}

static int migrate(struct xjl_store *st, int target)
{
    int rc;
    while (st->version < target) {
        if ((rc = xjl__store_begin_as(st, "schema migration")) != XJL_OK)
            return rc;
        /* Another process may have migrated while we waited for the lock. */
        int now = 0;
        if ((rc = pragma_int(st, "PRAGMA user_version", &now)) != XJL_OK) {
            xjl__store_rollback(st);
            return rc;
        }
        if (now < st->version || now > target) { /* changed under us to no version of ours */
            xjl__store_rollback(st);
            return xjl__failm(XJL_EFORMAT, "ws.store.version_changed", st->version, now);
        }
        if (now > st->version) {
            xjl__store_rollback(st);
            st->version = now;
            continue;
        }
        char setv[64];
        snprintf(setv, sizeof setv, "PRAGMA user_version = %d", st->version + 1);
        if ((rc = exec(st, migrations[st->version], "a schema migration")) != XJL_OK ||
            (rc = exec(st, setv, "setting the schema version")) != XJL_OK) {
            xjl__store_rollback(st);
            return rc;
        }
        char detail[64];
        xjl__stored(detail, sizeof detail, "ws.audit.migrated", st->version + 1);
        if ((rc = xjl__store_audit(st, "migrate", "workspace", st->version + 1, detail)) !=
                XJL_OK ||
            (rc = xjl__store_commit(st)) != XJL_OK) {
            xjl__store_rollback(st);
            return rc;
        }
        st->version++;
    }
    return XJL_OK;
}

/* Counts the database's work in a unit that does not depend on the
 * machine: the complexity tests bound it per row. */
static int count_work(void *user)
{
    ((struct xjl_store *)user)->work++;
    return 0;
}

uint64_t xjl__store_work(const struct xjl_store *st)
{
    return st->work;
}

uint64_t xjl__store_statements(const struct xjl_store *st)
{
    return st->statements;
}

/* Whether this process may write the file and make files beside it (the
 * -wal and -shm a connection in WAL mode needs). */
static bool may_write(const char *path)
{
    size_t n = strlen(path);
    char *dir = malloc(n + 2);
    if (!dir)
        return false;
    memcpy(dir, path, n + 1);
    char *slash = strrchr(dir, '/');
    if (!slash)
        strcpy(dir, ".");
    else
        slash[slash == dir ? 1 : 0] = '\0';
    bool ok = access(path, W_OK) == 0 && access(dir, W_OK) == 0;
    free(dir);
    return ok;
}

/* The file: URI of a path, for the query parameters only a URI can give. */
static char *file_uri(const char *path, const char *query)
{
    size_t n = strlen(path), cap = 16 + 3 * n + strlen(query);
    char *u = malloc(cap), *o = u;
    if (!u)
        return NULL;
    o += sprintf(o, "file:%s", path[0] == '/' ? "//" : "");
    for (const char *c = path; *c; c++)
        o += strchr("?#%", *c) ? sprintf(o, "%%%02X", (unsigned char)*c) : (*o = *c, 1);
    sprintf(o, "?%s", query);
    return u;
}

/* The connection, its settings and functions, and the identity check: what
 * a writer and a reader share. */
static int open_db(struct xjl_store **out, const char *path, const char *uri, int flags)
{
    struct xjl_store *st = calloc(1, sizeof *st);
    if (!st)
        return xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_open", path);
    snprintf(st->op, sizeof st->op, "unknown");
    int rc = sqlite3_open_v2(uri ? uri : path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = st->db ? xjl__failm(XJL_EIO, "ws.store.cannot_open", path, sqlite3_errmsg(st->db))
                    : xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_open", path);
        xjl__store_close(st);
        return rc;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 30000);
    sqlite3_progress_handler(st->db, 1000, count_work, st);
    if (register_functions(st) != SQLITE_OK)
        rc = db_fail(st, SQLITE_ERROR, "registering functions");
    else
        rc = check_identity(st, path);
    if (rc != XJL_OK) {
        xjl__store_close(st);
        return rc;
    }
    *out = st;
    return XJL_OK;
}

/* Names the file in a message that does not. */
static int name_file(int rc, const char *path)
{
    if (strstr(xjl_errmsg(), path))
        return rc;
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", xjl_errmsg());
    return xjl__failm(rc, "ws.store.cannot_open", path, msg);
}

int xjl__store_open(struct xjl_store **out, const char *path)
{
    return xjl__store_open_at(out, path, (int)XJL_ARRAY_LEN(migrations));
}

int xjl__store_open_at(struct xjl_store **out, const char *path, int upto)
{
    if (upto < 1 || upto > (int)XJL_ARRAY_LEN(migrations))
        return xjl__failm(XJL_EINVAL, "ws.store.bad_version", path, upto);
    /* SQLite opens a file it may not write for reading without a word, and
     * the first write step fails on "a readonly database" naming nothing. */
    if (path[0] && path[0] != ':' && access(path, F_OK) == 0 && !may_write(path))
        return xjl__failm(XJL_EIO, "ws.store.read_only", path);
    struct xjl_store *st = NULL;
    int rc = open_db(&st, path, NULL, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    /* WAL must be set outside a transaction; it persists in the file. */
    if (rc == XJL_OK &&
        ((rc = exec(st, "PRAGMA journal_mode = WAL", "setting WAL mode")) != XJL_OK ||
         /* a page cache of up to 64 MiB (SQLite's default is 2): a list of
          * 100,000 rows looks up that many graduates at random */
         (rc = exec(st,
                    "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
                    "PRAGMA cache_size = -65536",
                    "setting pragmas")) != XJL_OK ||
         (rc = migrate(st, upto)) != XJL_OK))
        xjl__store_close(st);
    if (rc != XJL_OK)
        return name_file(rc, path);
    *out = st;
    return XJL_OK;
}

/* A reader changes nothing and leaves nothing behind (docs/robustness.md):
 *   - a -wal beside the file: a writer has it open (or its last close did
 *     not finish): read through that writer's WAL and index, read-only,
 *     making no file and removing none;
 *   - no -wal, and this process may write: nobody has the workspace open; a
 *     read-write connection that writes nothing (query_only) makes the -wal
 *     and -shm a reader needs, and, as SQLite does for the last connection
 *     to close, removes them when it closes (a writer that came and went
 *     meanwhile is checkpointed then, as its own close would have);
 *   - no -wal, and this process may not write the file or its folder
 *     (a file of mode 0444, a read-only folder, another user's workspace):
 *     nobody has it open and the reader could not make the -shm a WAL
 *     reader needs, so the file is read as immutable: no lock, no file made.
 *     A writer that starts during such a listing (its owner) is not seen. */
int xjl__store_open_read(struct xjl_store **out, const char *path)
{
    if (!path[0] || path[0] == ':')
        return xjl__failm(XJL_EINVAL, "ws.store.reader_in_memory");
    if (access(path, F_OK) != 0)
        return xjl__failm(XJL_EIO, "ws.store.cannot_open", path, xjl__errno_text(errno));
    size_t n = strlen(path);
    char *wal = malloc(n + 5);
    if (!wal)
        return xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_open", path);
    snprintf(wal, n + 5, "%s-wal", path);
    bool writer = access(wal, F_OK) == 0;
    free(wal);
    bool quiet = !writer && may_write(path);
    char *uri = quiet ? NULL : file_uri(path, writer ? "mode=ro" : "mode=ro&immutable=1");
    if (!quiet && !uri)
        return xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_open", path);
    struct xjl_store *st = NULL;
    int rc = open_db(&st, path, uri,
                     quiet ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
    free(uri);
    if (rc == XJL_OK && st->version != (int)XJL_ARRAY_LEN(migrations))
        rc = xjl__failm(XJL_EDB, "ws.store.reader_old_schema", path, st->version,
                        (int)XJL_ARRAY_LEN(migrations));
    if (rc == XJL_OK)
        rc = exec(st, "PRAGMA query_only = ON; PRAGMA cache_size = -65536", "setting pragmas");
    if (rc != XJL_OK) {
        xjl__store_close(st);
        return name_file(rc, path);
    }
    st->reader = true;
    *out = st;
    return XJL_OK;
}

void xjl__store_close(struct xjl_store *st)
{
    if (!st)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    sqlite3_close_v2(st->db);
    free(st);
}

const char *xjl__store_path(const struct xjl_store *st)
{
    return sqlite3_db_filename(st->db, "main");
}

int xjl__store_version(const struct xjl_store *st)
{
    return st->version;
}

int xjl__store_set_busy_timeout(struct xjl_store *st, int ms)
{
    if (ms < 0)
        return xjl__failm(XJL_EINVAL, "ws.store.negative_timeout", ms);
    sqlite3_busy_timeout(st->db, ms);
    return XJL_OK;
}

int xjl__store_set_operator(struct xjl_store *st, const char *op)
{
    snprintf(st->op, sizeof st->op, "%s", (op && *op) ? op : "unknown");
    return XJL_OK;
}

const char *xjl__store_operator(const struct xjl_store *st)
{
    return st->op;
}

int xjl__store_begin_as(struct xjl_store *st, const char *step)
{
    /* a public function's name, xjl_intake_import, reads "intake import" */
    if (strncmp(step, "xjl_", 4) == 0)
        step += 4;
    size_t n = (size_t)snprintf(st->step, sizeof st->step, "%s", step);
    for (size_t i = 0; i < n && i < sizeof st->step; i++)
        if (st->step[i] == '_')
            st->step[i] = ' ';
    if (st->reader) {
        char msg[400];
        snprintf(msg, sizeof msg, xjl__msg("ws.store.opened_for_reading"), xjl__store_path(st),
                 st->step);
        st->step[0] = '\0';
        return xjl__fail(XJL_EINVAL, "%s", msg);
    }
    int rc = exec(st, "BEGIN IMMEDIATE", "starting a transaction");
    if (rc != XJL_OK) {
        st->step[0] = '\0';
        return rc;
    }
    read_clock(st);
    memcpy(st->began, st->now, sizeof st->began);
    return rc;
}

int xjl__store_begin_read(struct xjl_store *st)
{
    return exec(st, "BEGIN DEFERRED", "starting a read transaction");
}

int xjl__store_commit(struct xjl_store *st)
{
    int rc = exec(st, "COMMIT", "committing");
    if (rc == XJL_OK)
        st->step[0] = '\0';
    return rc;
}

void xjl__store_rollback(struct xjl_store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->step[0] = '\0';
}

int xjl__store_check(struct xjl_store *st)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_fail(st, rc, "integrity check");
    rc = sqlite3_step(s);
    int result = XJL_OK;
    if (rc != SQLITE_ROW)
        result = db_fail(st, rc, "integrity check");
    else if (strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0)
        result = xjl__failm(XJL_EDB, "ws.store.integrity", sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return result;
}

/* ---- audit and generation ----------------------------------------------- */

int xjl__store_audit(struct xjl_store *st, const char *action, const char *object,
                     int64_t object_id, const char *detail)
{
    PREPARE(s, S_AUDIT_ADD);
    bind_text(s, 1, st->op);
    bind_text(s, 2, action);
    bind_text(s, 3, object);
    if (object_id > 0)
        sqlite3_bind_int64(s, 4, object_id);
    bind_text(s, 5, detail);
    return run(st, s, "writing the audit trail");
}

int xjl__store_audit_table(struct xjl_store *st, const char *object, int64_t object_id,
                           xjl_listing **out)
{
    PREPARE(s, S_AUDIT_TABLE);
    bind_text(s, 1, object);
    sqlite3_bind_int64(s, 2, object_id);
    return table_from(st, s, out, "reading the audit trail");
}

int xjl__store_generation(struct xjl_store *st, const char *key, int64_t *out)
{
    PREPARE(s, S_GEN_GET);
    bind_text(s, 1, key);
    int rc = step_one(st, s, "reading the registry generation");
    if (rc < 0)
        return rc;
    *out = rc ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_generation_bump(struct xjl_store *st, const char *key)
{
    PREPARE(s, S_GEN_BUMP);
    bind_text(s, 1, key);
    return run(st, s, "bumping the registry generation");
}

/* ---- schools ------------------------------------------------------------- */

int xjl__store_school_set(struct xjl_store *st, const char *code, const char *name, int32_t region,
                          const char *identifier)
{
    PREPARE(s, S_SCHOOL_SET);
    bind_text(s, 1, code);
    bind_text(s, 2, name);
    if (region > 0)
        sqlite3_bind_int(s, 3, region);
    bind_text(s, 4, identifier);
    return run(st, s, "setting a school");
}

int xjl__store_school_ensure(struct xjl_store *st, const char *code)
{
    PREPARE(s, S_SCHOOL_ENSURE);
    bind_text(s, 1, code);
    return run(st, s, "adding a school");
}

int xjl__store_school_region(struct xjl_store *st, const char *code, int32_t *region)
{
    PREPARE(s, S_SCHOOL_REGION);
    bind_text(s, 1, code);
    int rc = step_one(st, s, "reading a school");
    if (rc < 0)
        return rc;
    *region = rc ? sqlite3_column_int(s, 0) : 0;
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_school_table(struct xjl_store *st, xjl_listing **out)
{
    PREPARE(s, S_SCHOOL_TABLE);
    return table_from(st, s, out, "listing schools");
}

/* ---- registry ------------------------------------------------------------ */

void xjl__srec_clear(struct xjl_srec *r)
{
    free(r->record_id);
    for (int f = 0; f < XJL_SF_COUNT; f++)
        free(r->v[f]);
    memset(r, 0, sizeof *r);
}

/* Reads 17 columns starting at column first into r->v. */
static int read_sfields(sqlite3_stmt *s, int first, struct xjl_srec *r)
{
    for (int f = 0; f < XJL_SF_COUNT; f++) {
        r->v[f] = col_dup(s, first + f);
        if (!r->v[f] && sqlite3_column_type(s, first + f) != SQLITE_NULL)
            return xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_record");
    }
    return XJL_OK;
}

static bool same_text(const char *a, const unsigned char *b)
{
    if (!a || !*a)
        return !b || !*b;
    return b && strcmp(a, (const char *)b) == 0;
}

/* Binds text that outlives the statement's step (no copy). */
static void bind_static(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

/* Parameters 2 .. 21 of the registry's insert and update. */
static void bind_registry_values(const struct xjl_store *st, sqlite3_stmt *s,
                                 char *const v[XJL_SF_COUNT], const char *source, long line)
{
    for (int f = 0; f < XJL_SF_COUNT; f++)
        bind_static(s, 2 + f, v[f]);
    bind_static(s, 19, source);
    sqlite3_bind_int64(s, 20, line);
    bind_static(s, 21, st->step[0] ? st->began : NULL);
}

/* Inserts the record if its id is new: *id its row id, or 0 if the id exists. */
static int registry_insert(struct xjl_store *st, const char *record_id, char *const v[XJL_SF_COUNT],
                           const char *source, long line, int64_t *id)
{
    PREPARE(s, S_REG_INSERT);
    bind_static(s, 1, record_id);
    bind_registry_values(st, s, v, source, line);
    int rc = run(st, s, "writing a registry record");
    *id = rc == XJL_OK && sqlite3_changes(st->db) ? sqlite3_last_insert_rowid(st->db) : 0;
    return rc;
}

int xjl__store_registry_put(struct xjl_store *st, const char *record_id,
                            char *const v[XJL_SF_COUNT], const char *source, long line,
                            bool likely_new, int *outcome, int64_t *row_id)
{
    int64_t id = 0;
    int rc;
    /* A load into an empty registry inserts every record: one statement a
     * record, not a lookup first. */
    if (likely_new) {
        if ((rc = registry_insert(st, record_id, v, source, line, &id)) != XJL_OK)
            return rc;
        if (id) {
            *outcome = 0;
            *row_id = id;
            return XJL_OK;
        }
    }
    rc = xjl__store_registry_find(st, record_id, &id);
    if (rc != XJL_OK && rc != XJL_ENOTFOUND)
        return rc;
    *row_id = id;
    if (!id) {
        *outcome = 0;
        return registry_insert(st, record_id, v, source, line, row_id);
    }
    {
        PREPARE(g, S_REG_GET);
        sqlite3_bind_int64(g, 1, id);
        if ((rc = step_one(st, g, "reading a registry record")) < 0)
            return rc;
        bool same = true;
        for (int f = 0; f < XJL_SF_COUNT && same; f++)
            same = same_text(v[f], sqlite3_column_text(g, 2 + f));
        sqlite3_reset(g);
        if (same) {
            *outcome = 2;
            return XJL_OK;
        }
    }
    PREPARE(s, S_REG_UPDATE);
    sqlite3_bind_int64(s, 1, id);
    bind_registry_values(st, s, v, source, line);
    *outcome = 1;
    return run(st, s, "writing a registry record");
}

/* The first column of the one row of a statement without parameters (0 if
 * it has no row). */
static int one_int(struct xjl_store *st, enum stmt_id id, const char *what, int64_t *out)
{
    PREPARE(s, id);
    int rc = step_one(st, s, what);
    if (rc < 0)
        return rc;
    *out = rc ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_registry_empty(struct xjl_store *st, bool *empty)
{
    int64_t any = 0;
    int rc = one_int(st, S_REG_ANY, "reading the registry", &any);
    *empty = any == 0;
    return rc;
}

int xjl__store_registry_count(struct xjl_store *st, int64_t *out)
{
    return one_int(st, S_REG_COUNT, "counting the registry", out);
}

int xjl__store_registry_find(struct xjl_store *st, const char *record_id, int64_t *id)
{
    PREPARE(s, S_REG_FIND);
    bind_text(s, 1, record_id);
    int rc = step_one(st, s, "finding a registry record");
    if (rc < 0)
        return rc;
    *id = rc ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc ? XJL_OK : XJL_ENOTFOUND;
}

int xjl__store_registry_get(struct xjl_store *st, int64_t id, struct xjl_srec *out)
{
    memset(out, 0, sizeof *out);
    PREPARE(s, S_REG_GET);
    sqlite3_bind_int64(s, 1, id);
    int rc = step_one(st, s, "reading a registry record");
    if (rc < 0)
        return rc;
    if (rc == 0)
        return xjl__failm(XJL_ENOTFOUND, "ws.store.no_registry_record", (long long)id);
    out->id = sqlite3_column_int64(s, 0);
    out->record_id = col_dup(s, 1);
    rc = read_sfields(s, 2, out);
    sqlite3_reset(s);
    if (rc != XJL_OK)
        xjl__srec_clear(out);
    return rc;
}

int xjl__store_registry_table(struct xjl_store *st, const char *record_id, xjl_listing **out)
{
    PREPARE(s, S_REG_TABLE);
    bind_text(s, 1, record_id);
    return table_from(st, s, out, "reading a registry record");
}

/* The five key fields of a registry row read by a statement whose columns
 * are id, record id, then those five. */
static xjl_record key_fields_at(sqlite3_stmt *s)
{
    return (xjl_record){
        .name = (const char *)sqlite3_column_text(s, 2),
        .gender = (const char *)sqlite3_column_text(s, 3),
        .birth_date = (const char *)sqlite3_column_text(s, 4),
        .id_type = (const char *)sqlite3_column_text(s, 5),
        .id_number = (const char *)sqlite3_column_text(s, 6),
    };
}

/* Hands every row (id, record id, the five key fields) of a scan to fn. */
static int scan_records(struct xjl_store *st, enum stmt_id id, xjl__registry_fn fn, void *user,
                        const char *what)
{
    PREPARE(s, id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        xjl_record rec = key_fields_at(s);
        int r = fn(user, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1), &rec);
        if (r != XJL_OK) {
            sqlite3_reset(s);
            return r;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? XJL_OK : db_fail(st, rc, what);
}

int xjl__store_registry_scan(struct xjl_store *st, xjl__registry_fn fn, void *user)
{
    return scan_records(st, S_REG_SCAN, fn, user, "reading the registry");
}

int xjl__store_registry_log(struct xjl_store *st, int64_t gen, int64_t previous,
                            const struct xjl__changes *chg, int64_t prune_to)
{
    int rc = XJL_OK;
    if (prune_to) {
        PREPARE(p, S_REGCHG_PRUNE);
        sqlite3_bind_int64(p, 1, prune_to);
        if ((rc = run(st, p, "pruning the registry's change log")) != XJL_OK)
            return rc;
        PREPARE(q, S_REGLOG_PRUNE);
        sqlite3_bind_int64(q, 1, prune_to);
        if ((rc = run(st, q, "pruning the registry's change log")) != XJL_OK)
            return rc;
    }
    PREPARE(s, S_REGCHG_ADD);
    for (size_t i = 0; i < chg->n && rc == XJL_OK; i++) {
        sqlite3_bind_int64(s, 1, gen);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
        sqlite3_bind_int64(s, 3, chg->c[i].id);
        sqlite3_bind_int(s, 4, chg->c[i].op == XJL_CHANGE_ADD);
        rc = run(st, s, "logging a registry change");
    }
    if (rc != XJL_OK)
        return rc;
    PREPARE(l, S_REGLOG_ADD);
    sqlite3_bind_int64(l, 1, gen);
    sqlite3_bind_int64(l, 2, previous);
    sqlite3_bind_int64(l, 3, (sqlite3_int64)chg->n);
    return run(st, l, "logging a registry change");
}

int xjl__store_registry_log_chain(struct xjl_store *st, int64_t from, int64_t to,
                                  size_t max_changes, int64_t *gens, size_t max_gens, size_t *ngens)
{
    *ngens = 0;
    size_t changes = 0;
    PREPARE(s, S_REGLOG_PREV);
    for (int64_t g = to; g != from;) {
        if (*ngens == max_gens)
            return XJL_ENOTFOUND;
        sqlite3_bind_int64(s, 1, g);
        int rc = step_one(st, s, "reading the registry's change log");
        if (rc < 0)
            return rc;
        if (rc == 0)
            return XJL_ENOTFOUND; /* a generation not logged: no way back */
        int64_t previous = sqlite3_column_int64(s, 0);
        changes += (size_t)sqlite3_column_int64(s, 1);
        sqlite3_reset(s);
        gens[(*ngens)++] = g;
        if (changes > max_changes)
            return XJL_ENOTFOUND;
        g = previous;
    }
    /* oldest first */
    for (size_t i = 0; i < *ngens / 2; i++) {
        int64_t t = gens[i];
        gens[i] = gens[*ngens - 1 - i];
        gens[*ngens - 1 - i] = t;
    }
    return XJL_OK;
}

int xjl__store_registry_changes(struct xjl_store *st, int64_t gen, xjl__change_fn fn, void *user)
{
    PREPARE(s, S_REGCHG_OF);
    sqlite3_bind_int64(s, 1, gen);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        xjl_record rec = key_fields_at(s);
        int r = fn(user, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1), &rec,
                   sqlite3_column_int(s, 7) != 0);
        if (r != XJL_OK) {
            sqlite3_reset(s);
            return r;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? XJL_OK : db_fail(st, rc, "reading the registry's change log");
}

/* The count of rows of a batch recorded before its rows were read. */
int xjl__store_batch_rows(struct xjl_store *st, int64_t id, size_t rows)
{
    PREPARE(s, S_BATCH_ROWS);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)rows);
    return run(st, s, "recording a batch");
}

int xjl__store_batch_add(struct xjl_store *st, const char *kind, const char *school,
                         const char *source, size_t rows, int64_t *id)
{
    PREPARE(s, S_BATCH_ADD);
    bind_text(s, 1, kind);
    bind_text(s, 2, school);
    bind_text(s, 3, source);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)rows);
    bind_text(s, 5, st->op);
    int rc = run(st, s, "recording a batch");
    if (rc == XJL_OK && id)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

/* ---- intake rows --------------------------------------------------------- */

void xjl__row_clear(struct xjl_row *r)
{
    free(r->school);
    for (int i = 0; i < 5; i++)
        free(r->key[i]);
    free(r->id_key);
    free(r->reasons);
    free(r->number);
    free(r->note);
    free(r->findings);
    free(r->override);
    memset(r, 0, sizeof *r);
}

int xjl__store_row_get(struct xjl_store *st, int64_t id, struct xjl_row *out)
{
    memset(out, 0, sizeof *out);
    PREPARE(s, S_ROW_GET);
    sqlite3_bind_int64(s, 1, id);
    int rc = step_one(st, s, "reading a row");
    if (rc < 0)
        return rc;
    if (rc == 0)
        return xjl__failm(XJL_ENOTFOUND, "ws.no_intake_row", (long long)id);
    out->id = sqlite3_column_int64(s, 0);
    out->batch = sqlite3_column_int64(s, 1);
    out->registry_id = sqlite3_column_int64(s, 2);
    out->line = (long)sqlite3_column_int64(s, 3);
    out->school = col_dup(s, 4);
    for (int i = 0; i < 5; i++)
        out->key[i] = col_dup(s, 5 + i);
    out->id_key = col_dup(s, 10);
    out->status = sqlite3_column_int(s, 11);
    out->supplement = sqlite3_column_int(s, 12);
    out->review = sqlite3_column_int(s, 13);
    out->deleted = sqlite3_column_int(s, 14) != 0;
    out->score = sqlite3_column_double(s, 15);
    out->reasons = col_dup(s, 16);
    out->number = col_dup(s, 17);
    out->note = col_dup(s, 18);
    out->findings = col_dup(s, 19);
    out->override = col_dup(s, 20);
    sqlite3_reset(s);
    return XJL_OK;
}

static void bind_registry_id(sqlite3_stmt *s, int i, int64_t id)
{
    if (id > 0)
        sqlite3_bind_int64(s, i, id);
    else
        sqlite3_bind_null(s, i);
}

int xjl__store_row_insert(struct xjl_store *st, struct xjl_row *r)
{
    PREPARE(s, S_ROW_INSERT);
    if (r->batch > 0)
        sqlite3_bind_int64(s, 1, r->batch);
    bind_registry_id(s, 2, r->registry_id);
    sqlite3_bind_int64(s, 3, r->line);
    bind_text(s, 4, r->school);
    for (int i = 0; i < 5; i++)
        bind_text(s, 5 + i, r->key[i]);
    bind_text(s, 10, r->id_key);
    sqlite3_bind_int(s, 11, r->status);
    sqlite3_bind_int(s, 12, r->supplement);
    sqlite3_bind_int(s, 13, r->review);
    sqlite3_bind_double(s, 14, r->score);
    bind_text(s, 15, r->reasons);
    bind_text(s, 16, r->number);
    bind_text(s, 17, r->note);
    bind_text(s, 18, r->findings);
    bind_text(s, 19, r->override);
    int rc = run(st, s, "inserting a row");
    if (rc == XJL_OK)
        r->id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int xjl__store_row_update(struct xjl_store *st, const struct xjl_row *r)
{
    PREPARE(s, S_ROW_UPDATE);
    sqlite3_bind_int64(s, 1, r->id);
    bind_registry_id(s, 2, r->registry_id);
    for (int i = 0; i < 5; i++)
        bind_text(s, 3 + i, r->key[i]);
    bind_text(s, 8, r->id_key);
    sqlite3_bind_int(s, 9, r->status);
    sqlite3_bind_int(s, 10, r->supplement);
    sqlite3_bind_int(s, 11, r->review);
    sqlite3_bind_double(s, 12, r->score);
    bind_text(s, 13, r->reasons);
    bind_text(s, 14, r->number);
    bind_text(s, 15, r->note);
    bind_text(s, 16, r->findings);
    bind_text(s, 17, r->override);
    int rc = run(st, s, "updating a row");
    if (rc == XJL_OK && sqlite3_changes(st->db) != 1)
        return xjl__failm(XJL_ESTATE, "ws.store.row_deleted", (long long)r->id);
    return rc;
}

int xjl__store_row_delete(struct xjl_store *st, int64_t id)
{
    PREPARE(s, S_ROW_DELETE);
    sqlite3_bind_int64(s, 1, id);
    int rc = run(st, s, "deleting a row");
    if (rc == XJL_OK && sqlite3_changes(st->db) != 1)
        return xjl__failm(XJL_ESTATE, "ws.store.row_deleted_already", (long long)id);
    return rc;
}

int xjl__store_row_find_idkey(struct xjl_store *st, const char *school, const char *id_key,
                              int64_t except, int64_t *row_id)
{
    PREPARE(s, S_ROW_FIND_IDKEY);
    bind_text(s, 1, school);
    bind_text(s, 2, id_key);
    sqlite3_bind_int64(s, 3, except);
    int rc = step_one(st, s, "finding a row by ID number");
    if (rc < 0)
        return rc;
    *row_id = rc ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_row_find_same(struct xjl_store *st, const char *school, const char *const key[5],
                             int64_t except, int64_t *row_id)
{
    PREPARE(s, S_ROW_FIND_SAME);
    bind_text(s, 1, school);
    for (int i = 0; i < 5; i++)
        bind_text(s, 2 + i, key[i]);
    sqlite3_bind_int64(s, 7, except);
    int rc = step_one(st, s, "finding a row by its five fields");
    if (rc < 0)
        return rc;
    *row_id = rc ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_row_find_twin(struct xjl_store *st, const struct xjl_row *row, int64_t *row_id)
{
    if (row->id_key)
        return xjl__store_row_find_idkey(st, row->school, row->id_key, row->id, row_id);
    return xjl__store_row_find_same(st, row->school, (const char *const *)row->key, row->id,
                                    row_id);
}

char *xjl__row_id_key(const xjl_parsed *p)
{
    uint32_t f = p->findings[XJL_FIELD_ID_NUMBER];
    if (p->id.kind == XJL_IDKIND_CITIZEN &&
        !(f & ~(XJL_FINDING_BIT(XJL_F_ID_REGION) | XJL_FINDING_BIT(XJL_F_ID_CONVERTED15) |
                XJL_FINDING_BIT(XJL_F_ID_TYPE_MISMATCH))))
        return strdup(p->id.normalized);
    if (p->id.kind == XJL_IDKIND_CITIZEN || p->id.kind == XJL_IDKIND_EMPTY || !p->id.normalized[0])
        return NULL;
    char key[XJL_ID_MAX + 8];
    snprintf(key, sizeof key, "%c:%s", p->id_type ? (char)p->id_type : '?', p->id.normalized);
    return strdup(key);
}

/* The first column of every row of a statement, as ids; free(*ids). */
static int collect_ids(struct xjl_store *st, sqlite3_stmt *s, int64_t **ids, size_t *n)
{
    size_t cap = 64, len = 0;
    int64_t *v = malloc(cap * sizeof *v);
    if (!v)
        return xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_rows");
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            int64_t *nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv) {
                free(v);
                sqlite3_reset(s);
                return xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_rows");
            }
            v = nv;
            cap *= 2;
        }
        v[len++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        free(v);
        return db_fail(st, rc, "listing rows");
    }
    *ids = v;
    *n = len;
    return XJL_OK;
}

int xjl__store_row_ids(struct xjl_store *st, const char *school, int64_t **ids, size_t *n)
{
    PREPARE(s, S_ROW_IDS);
    bind_text(s, 1, school);
    return collect_ids(st, s, ids, n);
}

int xjl__store_candidates_set(struct xjl_store *st, int64_t row_id, const struct xjl_row_cand *c,
                              size_t n)
{
    PREPARE(d, S_CAND_DEL);
    sqlite3_bind_int64(d, 1, row_id);
    int rc = run(st, d, "clearing candidates");
    for (size_t i = 0; i < n && rc == XJL_OK; i++) {
        PREPARE(s, S_CAND_ADD);
        sqlite3_bind_int64(s, 1, row_id);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)(i + 1));
        sqlite3_bind_int64(s, 3, c[i].registry_id);
        sqlite3_bind_double(s, 4, c[i].score);
        bind_text(s, 5, c[i].reasons);
        rc = run(st, s, "writing a candidate");
    }
    return rc;
}

int xjl__store_candidate_find(struct xjl_store *st, int64_t row_id, const char *record_id,
                              int64_t *registry_id)
{
    PREPARE(s, S_CAND_FIND);
    sqlite3_bind_int64(s, 1, row_id);
    bind_text(s, 2, record_id);
    int rc = step_one(st, s, "finding a candidate");
    if (rc < 0)
        return rc;
    if (rc == 0)
        return xjl__failm(XJL_ENOTFOUND, "ws.store.not_candidate", record_id ? record_id : "",
                          (long long)row_id);
    *registry_id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_history_add(struct xjl_store *st, int64_t row_id, const char *action,
                           int from_status, int to_status, const char *detail)
{
    PREPARE(s, S_HIST_ADD);
    sqlite3_bind_int64(s, 1, row_id);
    bind_text(s, 2, st->op);
    bind_text(s, 3, action);
    if (from_status >= 0)
        sqlite3_bind_int(s, 4, from_status);
    if (to_status >= 0)
        sqlite3_bind_int(s, 5, to_status);
    bind_text(s, 6, detail);
    return run(st, s, "writing row history");
}

int xjl__store_rows_table(struct xjl_store *st, const char *school, int status, int64_t row_id,
                          xjl_listing **out)
{
    if (row_id > 0)
        return listing_by(st, S_ROW_TABLE, row_id, out, "reading a row");
    PREPARE(s, S_ROWS_TABLE);
    bind_text(s, 1, school);
    sqlite3_bind_int(s, 2, status);
    return table_from(st, s, out, "listing rows");
}

int xjl__store_candidates_table(struct xjl_store *st, int64_t row_id, xjl_listing **out)
{
    return listing_by(st, S_CANDS_TABLE, row_id, out, "listing candidates");
}

int xjl__store_history_table(struct xjl_store *st, int64_t row_id, xjl_listing **out)
{
    return listing_by(st, S_HIST_TABLE, row_id, out, "reading row history");
}

/* ---- supplements and numbers --------------------------------------------- */

int xjl__store_suppl_get(struct xjl_store *st, int64_t row_id, struct xjl_srec *out, bool *exists)
{
    memset(out, 0, sizeof *out);
    PREPARE(s, S_SUPPL_GET);
    sqlite3_bind_int64(s, 1, row_id);
    int rc = step_one(st, s, "reading a supplement");
    if (rc < 0)
        return rc;
    *exists = rc == 1;
    out->id = row_id;
    if (rc == 1) {
        rc = read_sfields(s, 0, out);
        sqlite3_reset(s);
        if (rc != XJL_OK)
            xjl__srec_clear(out);
        return rc;
    }
    return XJL_OK;
}

int xjl__store_suppl_put(struct xjl_store *st, int64_t row_id, char *const v[XJL_SF_COUNT])
{
    PREPARE(s, S_SUPPL_PUT);
    sqlite3_bind_int64(s, 1, row_id);
    for (int f = 0; f < XJL_SF_COUNT; f++)
        bind_text(s, 2 + f, v[f]);
    return run(st, s, "writing a supplement");
}

int xjl__store_number_owner(struct xjl_store *st, const char *number, struct xjl__holder *owner)
{
    _Static_assert(XJL__HELD_BY_ROW == 1 && XJL__HELD_BY_GRADUATE == 2 &&
                       XJL__HELD_BY_REGISTRATION == 3,
                   "the kinds S_NUMBER_OWNER selects");
    PREPARE(s, S_NUMBER_OWNER);
    bind_text(s, 1, number);
    int rc = step_one(st, s, "looking up a student number");
    if (rc < 0)
        return rc;
    *owner = (struct xjl__holder){XJL__HELD_BY_NONE, 0};
    if (rc)
        *owner = (struct xjl__holder){(enum xjl__holder_kind)sqlite3_column_int(s, 0),
                                      sqlite3_column_int64(s, 1)};
    sqlite3_reset(s);
    return XJL_OK;
}

const char *xjl__holder_word(enum xjl__holder_kind kind, bool stored)
{
    static const char *const words[][2] = {
        [XJL__HELD_BY_NONE] = {"ws.holder.row", XJL_STORED_WORD "ws.holder.row"},
        [XJL__HELD_BY_ROW] = {"ws.holder.row", XJL_STORED_WORD "ws.holder.row"},
        [XJL__HELD_BY_GRADUATE] = {"ws.holder.graduate", XJL_STORED_WORD "ws.holder.graduate"},
        [XJL__HELD_BY_REGISTRATION] = {"ws.holder.registration",
                                       XJL_STORED_WORD "ws.holder.registration"},
    };
    return words[kind <= XJL__HELD_BY_REGISTRATION ? kind : XJL__HELD_BY_NONE][stored];
}

/* ---- enrolment: schools' kinds, graduates ---------------------------------- */

int xjl__store_school_kind_set(struct xjl_store *st, const char *school, int kind)
{
    PREPARE(s, S_SCHOOL_KIND_SET);
    bind_text(s, 1, school);
    sqlite3_bind_int(s, 2, kind);
    return run(st, s, "setting a school's kind");
}

int xjl__store_registry_holder(struct xjl_store *st, int64_t registry_id, const char *school,
                               int64_t *row_id, char holder[128])
{
    PREPARE(s, S_REG_HOLDER);
    sqlite3_bind_int64(s, 1, registry_id);
    bind_text(s, 2, school);
    int rc = step_one(st, s, "reading who holds a preschool record");
    if (rc < 0)
        return rc;
    *row_id = rc ? sqlite3_column_int64(s, 0) : 0;
    snprintf(holder, 128, "%s", rc ? (const char *)sqlite3_column_text(s, 1) : "");
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_regq_add(struct xjl_store *st, struct xjl_regq *q)
{
    PREPARE(s, S_REGQ_ADD);
    bind_text(s, 1, q->school);
    sqlite3_bind_int(s, 2, q->grade);
    for (int i = 0; i < 5; i++)
        bind_text(s, 3 + i, q->key[i]);
    bind_text(s, 8, q->state);
    bind_text(s, 9, st->op);
    int rc = run(st, s, "adding a registration request");
    if (rc == XJL_OK)
        q->id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int xjl__store_regq_get(struct xjl_store *st, int64_t id, struct xjl_regq *q)
{
    memset(q, 0, sizeof *q);
    PREPARE(s, S_REGQ_GET);
    sqlite3_bind_int64(s, 1, id);
    int rc = step_one(st, s, "reading a registration request");
    if (rc < 0)
        return rc;
    if (rc == 0)
        return xjl__failm(XJL_ENOTFOUND, "ws.store.no_registration", (long long)id);
    q->id = id;
    q->school = col_dup(s, 0);
    q->grade = sqlite3_column_int(s, 1);
    for (int i = 0; i < 5; i++)
        q->key[i] = col_dup(s, 2 + i);
    snprintf(q->state, sizeof q->state, "%s", (const char *)sqlite3_column_text(s, 7));
    q->proof = col_dup(s, 8);
    q->batch = sqlite3_column_int64(s, 9);
    q->result = col_dup(s, 10);
    q->number = col_dup(s, 11);
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_regq_set(struct xjl_store *st, const struct xjl_regq *q)
{
    PREPARE(s, S_REGQ_SET);
    sqlite3_bind_int64(s, 1, q->id);
    bind_text(s, 2, q->state);
    bind_text(s, 3, q->proof);
    if (q->batch > 0)
        sqlite3_bind_int64(s, 4, q->batch);
    bind_text(s, 5, q->result);
    bind_text(s, 6, q->number);
    return run(st, s, "updating a registration request");
}

int xjl__store_regq_ids(struct xjl_store *st, const char *state, int64_t **ids, size_t *n)
{
    PREPARE(s, S_REGQ_IDS);
    bind_text(s, 1, state);
    return collect_ids(st, s, ids, n);
}

int xjl__store_row_ids_numbered(struct xjl_store *st, const char *prefix, int64_t **ids, size_t *n)
{
    PREPARE(s, S_ROW_IDS_NUMBERED);
    bind_text(s, 1, prefix);
    return collect_ids(st, s, ids, n);
}

int xjl__store_regq_table(struct xjl_store *st, const char *school, xjl_listing **out)
{
    PREPARE(s, S_REGQ_TABLE);
    bind_text(s, 1, school);
    return table_from(st, s, out, "listing registration requests");
}

void xjl__regq_clear(struct xjl_regq *q)
{
    free(q->school);
    for (int i = 0; i < 5; i++)
        free(q->key[i]);
    free(q->proof);
    free(q->result);
    free(q->number);
    memset(q, 0, sizeof *q);
}

int xjl__store_kc_add(struct xjl_store *st, int64_t row_id, int field, const char *old_value,
                      const char *new_value, const char *reason, int64_t *id)
{
    PREPARE(s, S_KC_ADD);
    sqlite3_bind_int64(s, 1, row_id);
    sqlite3_bind_int(s, 2, field);
    bind_text(s, 3, old_value);
    bind_text(s, 4, new_value);
    bind_text(s, 5, reason);
    bind_text(s, 6, st->op);
    int rc = run(st, s, "adding a key-data change");
    if (rc == XJL_OK)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int xjl__store_kc_get(struct xjl_store *st, int64_t id, int64_t *row_id, int *field,
                      char **new_value, char state[16])
{
    PREPARE(s, S_KC_GET);
    sqlite3_bind_int64(s, 1, id);
    int rc = step_one(st, s, "reading a key-data change");
    if (rc < 0)
        return rc;
    if (rc == 0)
        return xjl__failm(XJL_ENOTFOUND, "ws.store.no_key_change", (long long)id);
    *row_id = sqlite3_column_int64(s, 0);
    *field = sqlite3_column_int(s, 1);
    *new_value = col_dup(s, 2);
    snprintf(state, 16, "%s", (const char *)sqlite3_column_text(s, 3));
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_kc_open(struct xjl_store *st, int64_t row_id, int64_t *id)
{
    PREPARE(s, S_KC_OPEN);
    sqlite3_bind_int64(s, 1, row_id);
    int rc = step_one(st, s, "reading key-data changes");
    if (rc < 0)
        return rc;
    *id = rc ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_kc_decide(struct xjl_store *st, int64_t id, const char *state, const char *result)
{
    PREPARE(s, S_KC_DECIDE);
    sqlite3_bind_int64(s, 1, id);
    bind_text(s, 2, state);
    bind_text(s, 3, result);
    bind_text(s, 4, st->op);
    return run(st, s, "deciding a key-data change");
}

int xjl__store_kc_table(struct xjl_store *st, const char *school, xjl_listing **out)
{
    PREPARE(s, S_KC_TABLE);
    bind_text(s, 1, school);
    return table_from(st, s, out, "listing key-data changes");
}

int xjl__store_policy_set(struct xjl_store *st, const char *process, bool enabled, int32_t from,
                          int32_t to)
{
    PREPARE(s, S_POLICY_SET);
    bind_text(s, 1, process);
    sqlite3_bind_int(s, 2, enabled);
    if (from != XJL_DATE_NONE)
        sqlite3_bind_int(s, 3, from);
    if (to != XJL_DATE_NONE)
        sqlite3_bind_int(s, 4, to);
    bind_text(s, 5, st->op);
    return run(st, s, "setting a policy");
}

int xjl__store_policy_get(struct xjl_store *st, const char *process, struct xjl_policy *out)
{
    memset(out, 0, sizeof *out);
    out->enabled = true;
    out->from = out->to = XJL_DATE_NONE;
    PREPARE(s, S_POLICY_GET);
    bind_text(s, 1, process);
    int rc = step_one(st, s, "reading a policy");
    if (rc <= 0)
        return rc;
    out->exists = true;
    out->enabled = sqlite3_column_int(s, 0) != 0;
    if (sqlite3_column_type(s, 1) != SQLITE_NULL)
        out->from = sqlite3_column_int(s, 1);
    if (sqlite3_column_type(s, 2) != SQLITE_NULL)
        out->to = sqlite3_column_int(s, 2);
    snprintf(out->by, sizeof out->by, "%s", (const char *)sqlite3_column_text(s, 3));
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_policy_table(struct xjl_store *st, xjl_listing **out)
{
    PREPARE(s, S_POLICY_TABLE);
    return table_from(st, s, out, "listing the policy");
}

int xjl__store_school_live(struct xjl_store *st, const char *school, int64_t *n)
{
    PREPARE(s, S_SCHOOL_LIVE);
    bind_text(s, 1, school);
    int rc = step_one(st, s, "counting a school's admissions");
    if (rc < 0)
        return rc;
    *n = rc ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_assign_add(struct xjl_store *st, const char *school, int year, int64_t graduate_id,
                          int64_t batch)
{
    PREPARE(s, S_ASSIGN_ADD);
    bind_text(s, 1, school);
    sqlite3_bind_int(s, 2, year);
    sqlite3_bind_int64(s, 3, graduate_id);
    if (batch > 0)
        sqlite3_bind_int64(s, 4, batch);
    bind_text(s, 5, st->op);
    return run(st, s, "assigning a graduate to a school");
}

int xjl__store_assign_has(struct xjl_store *st, const char *school, int year, int64_t graduate_id,
                          bool *has)
{
    PREPARE(s, S_ASSIGN_HAS);
    bind_text(s, 1, school);
    sqlite3_bind_int(s, 2, year);
    sqlite3_bind_int64(s, 3, graduate_id);
    int rc = step_one(st, s, "reading an assignment");
    if (rc < 0)
        return rc;
    *has = rc == 1;
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_school_info(struct xjl_store *st, const char *school, int32_t *region, int *kind,
                           bool *exists)
{
    PREPARE(s, S_SCHOOL_GET);
    bind_text(s, 1, school);
    int rc = step_one(st, s, "reading a school");
    if (rc < 0)
        return rc;
    *exists = rc == 1;
    *region = rc ? sqlite3_column_int(s, 0) : 0;
    *kind = rc ? sqlite3_column_int(s, 1) : 0;
    sqlite3_reset(s);
    return XJL_OK;
}

void xjl__grad_clear(struct xjl_grad *g)
{
    free(g->number);
    for (int i = 0; i < 5; i++)
        free(g->key[i]);
    free(g->school);
    memset(g, 0, sizeof *g);
}

/* A graduate's region, stage and flags, from column c on. */
static void grad_flags_at(sqlite3_stmt *s, int c, struct xjl_grad *out)
{
    out->region = sqlite3_column_int(s, c);
    out->stage = sqlite3_column_int(s, c + 1);
    out->graduated = sqlite3_column_int(s, c + 2) != 0;
    out->archived = sqlite3_column_int(s, c + 3) != 0;
    out->deleted = sqlite3_column_int(s, c + 4) != 0;
    out->restored = sqlite3_column_int(s, c + 5) != 0;
}

static int grad_read(struct xjl_store *st, sqlite3_stmt *s, struct xjl_grad *out, const char *what)
{
    memset(out, 0, sizeof *out);
    int rc = step_one(st, s, what);
    if (rc <= 0)
        return rc < 0 ? rc : XJL_ENOTFOUND;
    out->id = sqlite3_column_int64(s, 0);
    out->number = col_dup(s, 1);
    for (int i = 0; i < 5; i++)
        out->key[i] = col_dup(s, 2 + i);
    out->school = col_dup(s, 7);
    grad_flags_at(s, 8, out);
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_grad_find(struct xjl_store *st, const char *number, struct xjl_grad *out)
{
    PREPARE(s, S_GRAD_FIND);
    bind_text(s, 1, number);
    int rc = grad_read(st, s, out, "finding a graduate");
    if (rc == XJL_ENOTFOUND)
        return xjl__failm(XJL_ENOTFOUND, "ws.no_graduate_number", number ? number : "");
    return rc;
}

int xjl__store_grad_get(struct xjl_store *st, int64_t id, struct xjl_grad *out)
{
    PREPARE(s, S_GRAD_GET);
    sqlite3_bind_int64(s, 1, id);
    int rc = grad_read(st, s, out, "reading a graduate");
    if (rc == XJL_ENOTFOUND)
        return xjl__failm(XJL_ENOTFOUND, "ws.store.no_graduate_id", (long long)id);
    return rc;
}

int xjl__store_grad_put(struct xjl_store *st, const struct xjl_grad *g, const char *source,
                        long line, int *outcome)
{
    struct xjl_grad old;
    int rc = xjl__store_grad_find(st, g->number, &old);
    if (rc != XJL_OK && rc != XJL_ENOTFOUND)
        return rc;
    bool exists = rc == XJL_OK;
    /* The authority's restore outlives a reload of a pool that still marks
     * the record archived (注销): only the authority undoes its decision. */
    bool archived = g->archived && !(exists && old.restored);
    if (exists) {
        bool same = old.region == g->region && old.stage == g->stage &&
                    old.graduated == g->graduated && old.archived == archived &&
                    same_text(g->school, (const unsigned char *)old.school);
        for (int i = 0; i < 5 && same; i++)
            same = same_text(g->key[i], (const unsigned char *)old.key[i]);
        xjl__grad_clear(&old);
        if (same) {
            *outcome = 2;
            return XJL_OK;
        }
    }
    PREPARE(s, exists ? S_GRAD_UPDATE : S_GRAD_INSERT);
    bind_text(s, 1, g->number);
    for (int i = 0; i < 5; i++)
        bind_text(s, 2 + i, g->key[i]);
    bind_text(s, 7, g->school);
    if (g->region > 0)
        sqlite3_bind_int(s, 8, g->region);
    sqlite3_bind_int(s, 9, g->stage);
    sqlite3_bind_int(s, 10, g->graduated);
    sqlite3_bind_int(s, 11, archived);
    bind_text(s, 12, source);
    sqlite3_bind_int64(s, 13, line);
    *outcome = exists ? 1 : 0;
    return run(st, s, "writing a graduate");
}

int xjl__store_grad_set_archived(struct xjl_store *st, int64_t id, bool archived)
{
    PREPARE(s, S_GRAD_ARCHIVED);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, archived);
    return run(st, s, "updating a graduate");
}

int xjl__store_grad_delete(struct xjl_store *st, int64_t id)
{
    PREPARE(s, S_GRAD_DELETE);
    sqlite3_bind_int64(s, 1, id);
    int rc = run(st, s, "deleting a graduate");
    if (rc == XJL_OK && sqlite3_changes(st->db) != 1)
        return xjl__failm(XJL_ESTATE, "ws.store.graduate_deleted", (long long)id);
    return rc;
}

int xjl__store_grad_scan(struct xjl_store *st, xjl__registry_fn fn, void *user)
{
    return scan_records(st, S_GRAD_SCAN, fn, user, "reading the graduates");
}

int xjl__store_grad_table(struct xjl_store *st, const char *number, xjl_listing **out)
{
    PREPARE(s, S_GRAD_TABLE);
    bind_text(s, 1, number);
    return table_from(st, s, out, "reading a graduate");
}

/* ---- enrolment: quotas ------------------------------------------------------ */

int xjl__store_quota_set(struct xjl_store *st, const char *school, int year, int64_t quota)
{
    PREPARE(s, S_QUOTA_SET);
    bind_text(s, 1, school);
    sqlite3_bind_int(s, 2, year);
    sqlite3_bind_int64(s, 3, quota);
    return run(st, s, "setting a quota");
}

int xjl__store_quota_get(struct xjl_store *st, const char *school, int year, int64_t *quota,
                         bool *exists)
{
    PREPARE(s, S_QUOTA_GET);
    bind_text(s, 1, school);
    sqlite3_bind_int(s, 2, year);
    int rc = step_one(st, s, "reading a quota");
    if (rc < 0)
        return rc;
    *exists = rc == 1;
    *quota = rc ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_quota_used(struct xjl_store *st, const char *school, int year, int64_t *used)
{
    PREPARE(s, S_QUOTA_USED);
    bind_text(s, 1, school);
    sqlite3_bind_int(s, 2, year);
    int rc = step_one(st, s, "counting admissions");
    if (rc < 0)
        return rc;
    *used = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_qreq_add(struct xjl_store *st, const char *school, int year, int64_t before,
                        int64_t requested, const char *reason, int64_t *id)
{
    PREPARE(s, S_QREQ_ADD);
    bind_text(s, 1, school);
    sqlite3_bind_int(s, 2, year);
    sqlite3_bind_int64(s, 3, before);
    sqlite3_bind_int64(s, 4, requested);
    bind_text(s, 5, reason);
    bind_text(s, 6, st->op);
    int rc = run(st, s, "filing a quota request");
    if (rc == XJL_OK)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int xjl__store_qreq_get(struct xjl_store *st, int64_t id, char **school, int *year,
                        int64_t *requested, char state[16])
{
    PREPARE(s, S_QREQ_GET);
    sqlite3_bind_int64(s, 1, id);
    int rc = step_one(st, s, "reading a quota request");
    if (rc < 0)
        return rc;
    if (rc == 0)
        return xjl__failm(XJL_ENOTFOUND, "ws.store.no_quota_request", (long long)id);
    *school = col_dup(s, 0);
    *year = sqlite3_column_int(s, 1);
    *requested = sqlite3_column_int64(s, 2);
    snprintf(state, 16, "%s", (const char *)sqlite3_column_text(s, 3));
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_qreq_open(struct xjl_store *st, const char *school, int year, int64_t *id)
{
    PREPARE(s, S_QREQ_OPEN);
    bind_text(s, 1, school);
    sqlite3_bind_int(s, 2, year);
    int rc = step_one(st, s, "finding an open quota request");
    if (rc < 0)
        return rc;
    *id = rc ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_qreq_decide(struct xjl_store *st, int64_t id, const char *state)
{
    PREPARE(s, S_QREQ_DECIDE);
    sqlite3_bind_int64(s, 1, id);
    bind_text(s, 2, state);
    int rc = run(st, s, "deciding a quota request");
    if (rc == XJL_OK && sqlite3_changes(st->db) != 1)
        return xjl__failm(XJL_ESTATE, "ws.store.quota_decided", (long long)id);
    return rc;
}

int xjl__store_qreq_table(struct xjl_store *st, const char *school, xjl_listing **out)
{
    PREPARE(s, S_QREQ_TABLE);
    bind_text(s, 1, school);
    return table_from(st, s, out, "listing quota requests");
}

/* ---- enrolment: admission flows --------------------------------------------- */

void xjl__adm_clear(struct xjl_adm *a)
{
    free(a->school);
    free(a->note);
    memset(a, 0, sizeof *a);
}

void xjl__adm_free_list(struct xjl_adm *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++)
        xjl__adm_clear(&a[i]);
    free(a);
}

/* A flow from the columns of s from column c on. */
static void adm_read_at(sqlite3_stmt *s, int c, struct xjl_adm *a)
{
    a->id = sqlite3_column_int64(s, c + 0);
    a->graduate_id = sqlite3_column_int64(s, c + 1);
    a->school = col_dup(s, c + 2);
    a->year = sqlite3_column_int(s, c + 3);
    a->route = sqlite3_column_int(s, c + 4);
    a->state = sqlite3_column_int(s, c + 5);
    a->conflict = sqlite3_column_int64(s, c + 6);
    a->note = col_dup(s, c + 7);
    a->deleted = sqlite3_column_int(s, c + 8) != 0;
    a->kind = sqlite3_column_int(s, c + 9);
}

static void adm_read(sqlite3_stmt *s, struct xjl_adm *a)
{
    adm_read_at(s, 0, a);
}

int xjl__store_adm_insert(struct xjl_store *st, struct xjl_adm *a)
{
    PREPARE(s, S_ADM_INSERT);
    sqlite3_bind_int64(s, 1, a->graduate_id);
    bind_text(s, 2, a->school);
    sqlite3_bind_int(s, 3, a->year);
    sqlite3_bind_int(s, 4, a->route);
    sqlite3_bind_int(s, 5, a->state);
    if (a->conflict > 0)
        sqlite3_bind_int64(s, 6, a->conflict);
    if (a->from > 0)
        sqlite3_bind_int64(s, 7, a->from);
    bind_text(s, 8, a->note);
    if (a->batch > 0)
        sqlite3_bind_int64(s, 9, a->batch);
    int rc = run(st, s, "writing an admission");
    if (rc == XJL_OK)
        a->id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int xjl__store_adm_get(struct xjl_store *st, int64_t id, struct xjl_adm *out)
{
    memset(out, 0, sizeof *out);
    PREPARE(s, S_ADM_GET);
    sqlite3_bind_int64(s, 1, id);
    int rc = step_one(st, s, "reading an admission");
    if (rc < 0)
        return rc;
    if (rc == 0)
        return xjl__failm(XJL_ENOTFOUND, "ws.no_admission", (long long)id);
    adm_read(s, out);
    sqlite3_reset(s);
    return XJL_OK;
}

int xjl__store_adm_review(struct xjl_store *st, int64_t id, const char *review)
{
    PREPARE(s, S_ADM_REVIEW);
    sqlite3_bind_int64(s, 1, id);
    bind_text(s, 2, review);
    return run(st, s, "reviewing an admission");
}

int xjl__store_adm_update(struct xjl_store *st, const struct xjl_adm *a)
{
    PREPARE(s, S_ADM_UPDATE);
    sqlite3_bind_int64(s, 1, a->id);
    sqlite3_bind_int(s, 2, a->state);
    if (a->conflict > 0)
        sqlite3_bind_int64(s, 3, a->conflict);
    bind_text(s, 4, a->note);
    int rc = run(st, s, "updating an admission");
    if (rc == XJL_OK && sqlite3_changes(st->db) != 1)
        return xjl__failm(XJL_ESTATE, "ws.store.admission_deleted", (long long)a->id);
    return rc;
}

int xjl__store_adm_delete(struct xjl_store *st, int64_t id)
{
    PREPARE(s, S_ADM_DELETE);
    sqlite3_bind_int64(s, 1, id);
    int rc = run(st, s, "deleting an admission");
    if (rc == XJL_OK && sqlite3_changes(st->db) != 1)
        return xjl__failm(XJL_ESTATE, "ws.store.admission_deleted_already", (long long)id);
    return rc;
}

int xjl__store_adm_of_grad(struct xjl_store *st, int64_t graduate_id, struct xjl_adm **out,
                           size_t *n)
{
    PREPARE(s, S_ADM_OF_GRAD);
    sqlite3_bind_int64(s, 1, graduate_id);
    size_t cap = 4, len = 0;
    struct xjl_adm *v = calloc(cap, sizeof *v);
    if (!v)
        return xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_admissions");
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            struct xjl_adm *nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv) {
                sqlite3_reset(s);
                xjl__adm_free_list(v, len);
                return xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_admissions");
            }
            v = nv;
            cap *= 2;
        }
        memset(&v[len], 0, sizeof v[len]);
        adm_read(s, &v[len++]);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        xjl__adm_free_list(v, len);
        return db_fail(st, rc, "reading admissions");
    }
    *out = v;
    *n = len;
    return XJL_OK;
}

int xjl__store_grad_mark_shared(struct xjl_store *st)
{
    PREPARE(s, S_GRAD_SHARED);
    return run(st, s, "marking the pupils with two numbers");
}

int xjl__store_same_pupil(struct xjl_store *st, int64_t a, int64_t b, bool *same)
{
    PREPARE(s, S_SAME_PUPIL);
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    int rc = step_one(st, s, "comparing two graduates");
    if (rc < 0)
        return rc;
    *same = rc && sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    return XJL_OK;
}

/* A flow more at the end of (*v)[0..*len), or NULL out of memory. */
static struct xjl_adm *adm_append(struct xjl_adm **v, size_t *len, size_t *cap)
{
    if (*len == *cap) {
        size_t n = *cap ? 2 * *cap : 4;
        struct xjl_adm *nv = realloc(*v, n * sizeof *nv);
        if (!nv)
            return NULL;
        *v = nv;
        *cap = n;
    }
    memset(&(*v)[*len], 0, sizeof **v);
    return &(*v)[(*len)++];
}

/* What admitting a graduate reads of it (the flags, the stage, the county,
 * the name for messages) and its flows, in one statement: the one read of
 * each row of an assigned list (two statements were a tenth of its work).
 * A pupil that may have another number (shared) costs a second statement,
 * for the flows of that number. */
int xjl__store_grad_brief(struct xjl_store *st, const char *number, struct xjl_grad *out,
                          struct xjl_adm **flows, size_t *n)
{
    memset(out, 0, sizeof *out);
    *flows = NULL;
    *n = 0;
    PREPARE(s, S_GRAD_BRIEF);
    bind_text(s, 1, number);
    size_t cap = 0, len = 0;
    struct xjl_adm *v = NULL, *a;
    bool oom = false, shared = false;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && !oom) {
        if (!out->number) {
            out->id = sqlite3_column_int64(s, 0);
            out->number = strdup(number);
            bool named = sqlite3_column_type(s, 1) != SQLITE_NULL;
            out->key[0] = col_dup(s, 1);
            grad_flags_at(s, 2, out);
            shared = sqlite3_column_int(s, 18) != 0;
            oom = !out->number || (named && !out->key[0]);
        }
        if (oom || sqlite3_column_type(s, 8) == SQLITE_NULL) /* no flow */
            continue;
        if (!(a = adm_append(&v, &len, &cap)))
            oom = true;
        else
            adm_read_at(s, 8, a);
    }
    sqlite3_reset(s);
    sqlite3_stmt *t = shared && !oom && rc == SQLITE_DONE ? stmt(st, S_ADM_OF_TWINS) : NULL;
    if (shared && !oom && rc == SQLITE_DONE && !t)
        rc = SQLITE_ERROR; /* the statement's message is set */
    if (t) {
        sqlite3_bind_int64(t, 1, out->id);
        while ((rc = sqlite3_step(t)) == SQLITE_ROW && !oom) {
            if (!(a = adm_append(&v, &len, &cap)))
                oom = true;
            else
                adm_read(t, a);
        }
        sqlite3_reset(t);
    }
    if (oom || (rc != SQLITE_DONE && rc != SQLITE_ROW) || !out->number) {
        xjl__adm_free_list(v, len);
        xjl__grad_clear(out);
        if (oom)
            return xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_admissions");
        if (rc != SQLITE_DONE)
            return db_fail(st, rc, "finding a graduate");
        return xjl__failm(XJL_ENOTFOUND, "ws.no_graduate_number", number);
    }
    *flows = v;
    *n = len;
    return XJL_OK;
}

int xjl__store_adm_table(struct xjl_store *st, const char *school, int year, int64_t id,
                         xjl_listing **out)
{
    if (id > 0)
        return listing_by(st, S_ADM_ONE, id, out, "reading an admission");
    PREPARE(s, S_ADM_TABLE);
    bind_text(s, 1, school);
    sqlite3_bind_int(s, 2, year);
    return table_from(st, s, out, "listing admissions");
}

int xjl__store_double_table(struct xjl_store *st, int year, xjl_listing **out)
{
    return listing_by(st, S_DOUBLE_TABLE, year, out, "listing double admissions");
}

int xjl__store_stats_table(struct xjl_store *st, int year, xjl_listing **out)
{
    return listing_by(st, S_STATS_TABLE, year, out, "counting admissions");
}

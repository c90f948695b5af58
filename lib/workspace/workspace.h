/*
 * workspace: the workflows over one SQLite file.  Files and who calls whom
 * (no file calls one above it):
 *   states.c     names of the workflow's states (also SQL functions of store.c)
 *   listing.c    query results as a grid of text
 *   codes.c      the 17 supplement fields and their code lists
 *   store.c      the only file with SQL            -> states, listing, codes
 *   workspace.c  the handle, its indexes, the CSV loader driver -> store
 *   regload.c    the registry's rows read on the pool -> workspace, store
 *   intake.c     primary intake                    -> regload, workspace, store
 *   keychange.c  key-data changes after registration -> workspace, store
 *   register.c   registration outside grade 1, the national check -> workspace, store
 *   enrol.c      secondary enrolment               -> workspace, store
 */
#ifndef XJL_WORKSPACE_H
#define XJL_WORKSPACE_H

#include "match/matching.h"

#include <stdio.h>

/* ---- workflow: listing.c, codes.c, store.c (intake.c and enrol.c use them) - */

/* listing.c: a listing is filled row by row; cells are copied. */
xjl_listing *xjl__listing_new(size_t ncols, const char *const *names);
long xjl__listing_add_row(xjl_listing *t);
int xjl__listing_set(xjl_listing *t, size_t r, size_t c, const char *s, size_t len);
/* Drops the rows keep() says no to, in place. */
void xjl__listing_keep(xjl_listing *t, bool (*keep)(void *user, const xjl_listing *t, size_t r),
                       void *user);
/* The one display of a gender and of an ID type in every listing: the
 * standard's name, *code its code; a value no code reads as it is, with
 * *code NULL (""). */
const char *xjl__gender_display(const char *v, const char **code);
const char *xjl__id_type_display(const char *v, char code[2]);

/* codes.c */
bool xjl__alpha3_known(const char *code);
/* Column of each supplement field in a CSV header (-1 if absent). */
void xjl__sfield_columns(const xjl_csv *csv, int cols[XJL_SF_COUNT]);

/* The 17 supplement values of one registry record or one row's supplement
 * (heap strings, NULL for empty), with its identity. */
struct xjl_srec {
    int64_t id;      /* registry rowid, or the intake row id */
    char *record_id; /* registry record id */
    char *v[XJL_SF_COUNT];
    int state; /* supplement: 1 draft, 2 done */
};
void xjl__srec_clear(struct xjl_srec *r);

/* Supplement states and review stages of an intake row. */
enum { XJL__SUPPL_NONE = 0, XJL__SUPPL_DRAFT = 1, XJL__SUPPL_DONE = 2 };
enum {
    XJL__REVIEW_OPEN = 0,
    XJL__REVIEW_SUBMITTED = 1,
    XJL__REVIEW_RETURNED = 2,
    XJL__REVIEW_APPROVED = 3
};

/* One intake row as stored (heap strings). */
struct xjl_row {
    int64_t id, batch, registry_id; /* registry_id 0: none */
    long line;
    char *school;
    char *key[5]; /* the five key fields as the school gave them (xjl_field order) */
    char *id_key; /* normalised citizen number, for duplicate checks; NULL if none */
    int status;   /* xjl_row_status */
    int supplement, review;
    bool deleted;
    double score;
    char *reasons, *number, *note;
    char
        *findings; /* the key fields' warnings and errors ("record:gender_mismatch ..."), or NULL */
    char *override; /* the authority's reason to number the row despite its findings, or NULL */
};
void xjl__row_clear(struct xjl_row *r);

struct xjl_row_cand {
    int64_t registry_id;
    double score;
    const char *reasons;
};

/* store.c: the only file with SQL.  Every function returns XJL_OK or a
 * negative code with the message set (XJL_EBUSY when another process held
 * the file past the busy timeout, XJL_EDB for any other SQLite failure). */
struct xjl_store;
int xjl__store_open(struct xjl_store **out, const char *path);
/* Opens (creating) a workspace migrated up to schema version `upto` only:
 * the tests make the files of older versions with it, to upgrade them. */
int xjl__store_open_at(struct xjl_store **out, const char *path, int upto);
/* Opens a workspace for reading only (listings): no write step, no file
 * made or left beside it; see store.c for how. */
int xjl__store_open_read(struct xjl_store **out, const char *path);
void xjl__store_close(struct xjl_store *st);
/* The workspace file's absolute name (SQLite's); borrowed. */
const char *xjl__store_path(const struct xjl_store *st);
/* Thousands of SQLite VM instructions this handle ran: work that does not
 * depend on the machine, which complexity tests bound per row. */
uint64_t xjl__store_work(const struct xjl_store *st);
/* Statements of the store this handle ran (each run of a prepared one
 * counts): what a step costs per row, which tests bound. */
uint64_t xjl__store_statements(const struct xjl_store *st);
int xjl__store_version(const struct xjl_store *st);
int xjl__store_set_busy_timeout(struct xjl_store *st, int ms);
int xjl__store_set_operator(struct xjl_store *st, const char *op);
const char *xjl__store_operator(const struct xjl_store *st);
/* A write transaction (BEGIN IMMEDIATE: waits for other writers up front)
 * for one step of the workflow, named in every database error until it
 * ends ("intake import: workspace database error in committing: disk I/O
 * error").  xjl__store_begin() names the step after the public function
 * that opens it (xjl_intake_import: "intake import"); helpers shared by
 * several steps name theirs with xjl__store_begin_as(). */
int xjl__store_begin_as(struct xjl_store *st, const char *step);
#define xjl__store_begin(st) xjl__store_begin_as((st), __func__)
/* A read transaction: a consistent snapshot for several reads. */
int xjl__store_begin_read(struct xjl_store *st);
int xjl__store_commit(struct xjl_store *st);
void xjl__store_rollback(struct xjl_store *st);
int xjl__store_check(struct xjl_store *st);
int xjl__store_audit(struct xjl_store *st, const char *action, const char *object,
                     int64_t object_id, const char *detail);
int xjl__store_audit_table(struct xjl_store *st, const char *object, int64_t object_id,
                           xjl_listing **out);
/* Generation counters ("registry", "pool"): bumped by every load that
 * changed the table, so that an in-memory index knows when it is stale. */
int xjl__store_generation(struct xjl_store *st, const char *key, int64_t *out);
int xjl__store_generation_bump(struct xjl_store *st, const char *key);

int xjl__store_school_set(struct xjl_store *st, const char *code, const char *name, int32_t region,
                          const char *identifier);
/* Adds the school with only its code if it is not known yet. */
int xjl__store_school_ensure(struct xjl_store *st, const char *code);
/* *region = 0 if the school is unknown or has none. */
int xjl__store_school_region(struct xjl_store *st, const char *code, int32_t *region);
int xjl__store_school_table(struct xjl_store *st, xjl_listing **out);

/* outcome: 0 inserted, 1 updated, 2 unchanged; *row_id the record's row id.
 * likely_new: try the insert first (a load into an empty registry). */
int xjl__store_registry_put(struct xjl_store *st, const char *record_id,
                            char *const v[XJL_SF_COUNT], const char *source, long line,
                            bool likely_new, int *outcome, int64_t *row_id);
int xjl__store_registry_empty(struct xjl_store *st, bool *empty);
int xjl__store_registry_count(struct xjl_store *st, int64_t *out);
int xjl__store_registry_get(struct xjl_store *st, int64_t id, struct xjl_srec *out);
int xjl__store_registry_find(struct xjl_store *st, const char *record_id, int64_t *id);
int xjl__store_registry_table(struct xjl_store *st, const char *record_id, xjl_listing **out);
typedef int (*xjl__registry_fn)(void *user, int64_t id, const char *record_id,
                                const xjl_record *rec);
int xjl__store_registry_scan(struct xjl_store *st, xjl__registry_fn fn, void *user);
/* The registry's change log (schema 6): what a refresh at generation gen,
 * which followed generation previous, inserted (XJL_CHANGE_ADD) or updated,
 * the records of chg (their row ids) in the order the refresh applied them
 * to its index.  prune_to (not 0): first forgets the generations up to it,
 * which the index file has. */
struct xjl__changes;
int xjl__store_registry_log(struct xjl_store *st, int64_t gen, int64_t previous,
                            const struct xjl__changes *chg, int64_t prune_to);
/* The generations logged from the one after from to to, oldest first, into
 * gens (*ngens of them): XJL_ENOTFOUND when the chain back from to does
 * not reach from (a generation not logged), or holds more than max_gens
 * generations or max_changes changes. */
int xjl__store_registry_log_chain(struct xjl_store *st, int64_t from, int64_t to,
                                  size_t max_changes, int64_t *gens, size_t max_gens,
                                  size_t *ngens);
/* The changes logged under generation gen, in order, with the records' values now. */
typedef int (*xjl__change_fn)(void *user, int64_t id, const char *record_id, const xjl_record *rec,
                              bool added);
int xjl__store_registry_changes(struct xjl_store *st, int64_t gen, xjl__change_fn fn, void *user);

int xjl__store_batch_add(struct xjl_store *st, const char *kind, const char *school,
                         const char *source, size_t rows, int64_t *id);
int xjl__store_batch_rows(struct xjl_store *st, int64_t id, size_t rows);

int xjl__store_row_get(struct xjl_store *st, int64_t id, struct xjl_row *out);
int xjl__store_row_insert(struct xjl_store *st, struct xjl_row *r);
int xjl__store_row_update(struct xjl_store *st, const struct xjl_row *r);
int xjl__store_row_delete(struct xjl_store *st, int64_t id);
/* The live row of the school with this citizen number other than row
 * except (0: any), or *row_id = 0. */
int xjl__store_row_find_idkey(struct xjl_store *st, const char *school, const char *id_key,
                              int64_t except, int64_t *row_id);
/* Ids of the school's live rows in import order; free(*ids). */
int xjl__store_row_ids(struct xjl_store *st, const char *school, int64_t **ids, size_t *n);
/* The first live row of the school without a citizen number, other than
 * row except (0: any), whose five fields are key[] as stored (NULL for an
 * empty one); 0 if none. */
int xjl__store_row_find_same(struct xjl_store *st, const char *school, const char *const key[5],
                             int64_t except, int64_t *row_id);
/* The live row of the same school that is the same pupil as *row, other
 * than row itself: by its id_key, or by its five fields without one. */
int xjl__store_row_find_twin(struct xjl_store *st, const struct xjl_row *row, int64_t *row_id);
/* The key a list's duplicates are found by (a row's id_key): the
 * normalised citizen number, or for any other document its type code and
 * normalised number ("A:E1234"), so that one passport on one list is one
 * pupil too; NULL without a number (heap string). */
char *xjl__row_id_key(const xjl_parsed *p);
int xjl__store_candidates_set(struct xjl_store *st, int64_t row_id, const struct xjl_row_cand *c,
                              size_t n);
/* The registry id of the row's candidate with this record id, or XJL_ENOTFOUND. */
int xjl__store_candidate_find(struct xjl_store *st, int64_t row_id, const char *record_id,
                              int64_t *registry_id);
int xjl__store_history_add(struct xjl_store *st, int64_t row_id, const char *action,
                           int from_status, int to_status, const char *detail);
int xjl__store_rows_table(struct xjl_store *st, const char *school, int status, int64_t row_id,
                          xjl_listing **out);
int xjl__store_candidates_table(struct xjl_store *st, int64_t row_id, xjl_listing **out);
int xjl__store_history_table(struct xjl_store *st, int64_t row_id, xjl_listing **out);

int xjl__store_suppl_get(struct xjl_store *st, int64_t row_id, struct xjl_srec *out, bool *exists);
int xjl__store_suppl_put(struct xjl_store *st, int64_t row_id, char *const v[XJL_SF_COUNT]);
/* Who holds a national student number: an intake row (G or L, given at
 * approval), a graduate of the pool, or a registration request outside
 * grade 1 (G or J, given at registration). */
enum xjl__holder_kind {
    XJL__HELD_BY_NONE,
    XJL__HELD_BY_ROW,
    XJL__HELD_BY_GRADUATE,
    XJL__HELD_BY_REGISTRATION
};
struct xjl__holder {
    enum xjl__holder_kind kind;
    int64_t id; /* the row's, graduate's or request's id */
};
/* The holder of a national student number anywhere in the workspace
 * (deleted rows too: a number is never given twice); kind NONE if none. */
int xjl__store_number_owner(struct xjl_store *st, const char *number, struct xjl__holder *owner);
/* The holder's kind in words: its message key ("ws.holder.row") for
 * xjl__msg(), or that key as a stored word (XJL_STORED_WORD) for a text
 * kept in the workspace. */
const char *xjl__holder_word(enum xjl__holder_kind kind, bool stored);

/* ---- enrolment: graduates, quotas, admission flows (store.c, enrol.c) ---- */

struct xjl_grad {
    int64_t id;
    char *number; /* national student number, the key */
    char *key[5]; /* the five key fields, canonical */
    char *school;
    int32_t region; /* county of the graduate's school, or 0 */
    int stage;      /* the stage finished: XJL_SCHOOL_PRIMARY or XJL_SCHOOL_JUNIOR */
    bool graduated, archived, deleted;
    bool restored; /* the authority restored it from 注销: a reload does not archive it again */
};
void xjl__grad_clear(struct xjl_grad *g);

enum {
    XJL__ADM_PENDING = 0,
    XJL__ADM_ADMITTED = 1,
    XJL__ADM_CANCELLED = 2,
    XJL__ADM_DONE = 3,
    XJL__ADM_MOVED = 4,
    XJL__ADM_DELETED = 5 /* the table's name for a deleted flow */
};
const char *xjl__admission_state_name(int state);

struct xjl_adm {
    int64_t id, graduate_id, conflict, from;
    char *school;
    int year, route, state;
    int kind; /* the school's kind (read only) */
    bool deleted;
    char *note;
    int64_t batch; /* the assigned list that made it, or 0 (written only) */
};
void xjl__adm_clear(struct xjl_adm *a);

int xjl__store_school_kind_set(struct xjl_store *st, const char *school, int kind);
/* The live matched or confirmed row of another school that pulled (调档)
 * this preschool record, or *row_id = 0. */
int xjl__store_registry_holder(struct xjl_store *st, int64_t registry_id, const char *school,
                               int64_t *row_id, char holder[128]);
/* A registration request outside grade 1 (非小学一年级学籍注册); state is
 * "proof" (no ID number: waits for the proof of attendance), "queued" (for
 * the next monthly national duplicate check), "checking" (exported in
 * batch), "registered", "refused". */
struct xjl_regq {
    int64_t id, batch;
    char *school;
    int grade;
    char *key[5];
    char state[16];
    char *proof, *result, *number;
};
void xjl__regq_clear(struct xjl_regq *q);
int xjl__store_regq_add(struct xjl_store *st, struct xjl_regq *q);
int xjl__store_regq_get(struct xjl_store *st, int64_t id, struct xjl_regq *q);
int xjl__store_regq_set(struct xjl_store *st, const struct xjl_regq *q);
int xjl__store_regq_ids(struct xjl_store *st, const char *state, int64_t **ids, size_t *n);
/* Live rows whose national student number starts with prefix ("L"). */
int xjl__store_row_ids_numbered(struct xjl_store *st, const char *prefix, int64_t **ids, size_t *n);
int xjl__store_regq_table(struct xjl_store *st, const char *school, xjl_listing **out);
/* Key-data change requests (关键数据变更); state "open", "approved", "rejected". */
int xjl__store_kc_add(struct xjl_store *st, int64_t row_id, int field, const char *old_value,
                      const char *new_value, const char *reason, int64_t *id);
int xjl__store_kc_get(struct xjl_store *st, int64_t id, int64_t *row_id, int *field,
                      char **new_value, char state[16]);
int xjl__store_kc_open(struct xjl_store *st, int64_t row_id, int64_t *id);
int xjl__store_kc_decide(struct xjl_store *st, int64_t id, const char *state, const char *result);
int xjl__store_kc_table(struct xjl_store *st, const char *school, xjl_listing **out);
/* A process's stored switch and date window (XJL_DATE_NONE: open end). */
struct xjl_policy {
    bool exists, enabled;
    int32_t from, to;
    char by[128];
};
int xjl__store_policy_set(struct xjl_store *st, const char *process, bool enabled, int32_t from,
                          int32_t to);
int xjl__store_policy_get(struct xjl_store *st, const char *process, struct xjl_policy *out);
int xjl__store_policy_table(struct xjl_store *st, xjl_listing **out);
/* The school's live admission flows (pending, admitted, done), any year. */
int xjl__store_school_live(struct xjl_store *st, const char *school, int64_t *n);
/* The lists the authority assigned (unified enrolment); adding twice is a no-op. */
int xjl__store_assign_add(struct xjl_store *st, const char *school, int year, int64_t graduate_id,
                          int64_t batch);
int xjl__store_assign_has(struct xjl_store *st, const char *school, int year, int64_t graduate_id,
                          bool *has);
int xjl__store_school_info(struct xjl_store *st, const char *school, int32_t *region, int *kind,
                           bool *exists);
int xjl__store_grad_find(struct xjl_store *st, const char *number, struct xjl_grad *out);
/* Marks the graduates whose pupil has another number now (after a load). */
int xjl__store_grad_mark_shared(struct xjl_store *st);
/* Whether graduates a and b are one pupil: one graduate, or two numbers
 * with one ID document (an L number and the G number it became). */
int xjl__store_same_pupil(struct xjl_store *st, int64_t a, int64_t b, bool *same);
/* The graduate's id, name (key[0]), county, stage and flags only, and the
 * flows not deleted of its pupil: of every graduate with its ID document
 * (type and number), or of itself without one; in one statement. */
int xjl__store_grad_brief(struct xjl_store *st, const char *number, struct xjl_grad *out,
                          struct xjl_adm **flows, size_t *n);
int xjl__store_grad_get(struct xjl_store *st, int64_t id, struct xjl_grad *out);
int xjl__store_grad_put(struct xjl_store *st, const struct xjl_grad *g, const char *source,
                        long line, int *outcome);
int xjl__store_grad_set_archived(struct xjl_store *st, int64_t id, bool archived);
int xjl__store_grad_delete(struct xjl_store *st, int64_t id);
int xjl__store_grad_scan(struct xjl_store *st, xjl__registry_fn fn, void *user);
int xjl__store_grad_table(struct xjl_store *st, const char *number, xjl_listing **out);
int xjl__store_quota_set(struct xjl_store *st, const char *school, int year, int64_t quota);
int xjl__store_quota_get(struct xjl_store *st, const char *school, int year, int64_t *quota,
                         bool *exists);
int xjl__store_quota_used(struct xjl_store *st, const char *school, int year, int64_t *used);
int xjl__store_qreq_add(struct xjl_store *st, const char *school, int year, int64_t before,
                        int64_t requested, const char *reason, int64_t *id);
/* *school is heap (free it); state is "open", "approved" or "rejected". */
int xjl__store_qreq_get(struct xjl_store *st, int64_t id, char **school, int *year,
                        int64_t *requested, char state[16]);
int xjl__store_qreq_open(struct xjl_store *st, const char *school, int year, int64_t *id);
int xjl__store_qreq_decide(struct xjl_store *st, int64_t id, const char *state);
int xjl__store_qreq_table(struct xjl_store *st, const char *school, xjl_listing **out);
int xjl__store_adm_insert(struct xjl_store *st, struct xjl_adm *a);
int xjl__store_adm_get(struct xjl_store *st, int64_t id, struct xjl_adm *out);
int xjl__store_adm_update(struct xjl_store *st, const struct xjl_adm *a);
/* The authority's review of a flow ("approved: senior", "rejected: why"). */
int xjl__store_adm_review(struct xjl_store *st, int64_t id, const char *review);
int xjl__store_adm_delete(struct xjl_store *st, int64_t id);
/* The graduate's live (not deleted) admission flows; free with xjl__adm_free_list. */
int xjl__store_adm_of_grad(struct xjl_store *st, int64_t graduate_id, struct xjl_adm **out,
                           size_t *n);
void xjl__adm_free_list(struct xjl_adm *a, size_t n);
/* One flow (id > 0) or the school's flows of a year. */
int xjl__store_adm_table(struct xjl_store *st, const char *school, int year, int64_t id,
                         xjl_listing **out);
int xjl__store_double_table(struct xjl_store *st, int year, xjl_listing **out);
int xjl__store_stats_table(struct xjl_store *st, int year, xjl_listing **out);

/* workspace.c: an index over a table of the workspace, kept by the handle and
 * in a file beside the workspace (file), stamped with the table's generation.
 * A step opens the file; the index is rebuilt from the table (and the file
 * written again) only when the generation moved: a file whose stamp is not
 * the table's generation — a crash between the commit of a load and the
 * write of the file, a file damaged or removed — is never used. */
typedef int (*xjl__scan_fn)(struct xjl_store *st, xjl__registry_fn fn, void *user);
/* Changes to a table's index held as text: each its op, the row id of its
 * record, and the record id and five key fields at off[] in text (SIZE_MAX:
 * empty).  What a load collects as it writes rows (regload.c) and what the
 * change log gives back (workspace.c), for xjl__index_apply_tagged(). */
struct xjl__change_text {
    xjl_change_op op;
    int64_t id;
    size_t off[6];
};
struct xjl__changes {
    struct xjl__change_text *c;
    size_t n, cap;
    char *text;
    size_t len, text_cap;
};
int xjl__changes_add(struct xjl__changes *b, xjl_change_op op, int64_t id, const char *record_id,
                     const xjl_record *rec);
/* The changes of b as xjl_index_change[] (borrowing b's text) and their row
 * ids, in arrays of b->n (at least one) the caller frees. */
int xjl__changes_view(const struct xjl__changes *b, xjl_index_change **ch, int64_t **ids);
void xjl__changes_free(struct xjl__changes *b);

/* The changes a step applies from the change log at most when it opens the
 * registry's index file: about 20 ms a thousand at 5,000,000 records (an
 * `intake edit` of 20 ms took 80 ms with 3,000 to apply), so that a step
 * stays well under 100 ms; past them a refresh, or the step that caught
 * up, writes the file again (a second or so at that size). */
enum { XJL_WS_PENDING_MAX = 2048 };

struct xjl_ixcache {
    xjl_index *ix;
    xjl_matcher *m;
    int64_t gen;
    int64_t *pos_id; /* row ids of the records added to an index being built here (the
                      * index's tags once built: xjl__ixcache_id()) */
    size_t n, cap;
    char *file; /* the index file, or NULL (a workspace in memory) */
    /* The table's changes are logged (the registry: schema 6), so that a
     * file of a generation before is brought up to the table by applying
     * them, and a refresh need not write the file each time: */
    bool logged;
    int64_t file_gen;     /* the generation of the file as this handle read or wrote it (-1) */
    size_t pending;       /* the changes of the index not in that file */
    unsigned file_tables; /* the search tables the file has (xjl__index_table_mask()) */
    size_t pending_max;   /* the file is written past this many changes (tests set it) */
    size_t caught_up;     /* the changes the last opening of the file applied from the log */
};
/* The index of the table at its generation now: the cache's; or the file's,
 * of that generation, or of an older one brought up to it by the changes
 * logged since (c->logged); or else rebuilt from the table by scan and
 * written to the file.  Call inside a transaction, so that the generation,
 * the log and the rows agree. */
int xjl__ixcache_ensure(struct xjl_ixcache *c, struct xjl_store *st, const char *gen_key,
                        xjl__scan_fn scan);
/* Adds a record to c->ix (not built) with its row id: an xjl__registry_fn
 * with user the cache. */
int xjl__ixcache_add(void *user, int64_t id, const char *record_id, const xjl_record *rec);
/* Takes ix (records added, not built) as the index of the table at
 * generation gen, ids[i] the row id of record i (ids taken too, the index's
 * tags): builds it, writes the file and makes the matcher.  On failure the
 * cache is empty and both are freed. */
int xjl__ixcache_install(struct xjl_ixcache *c, xjl_index *ix, int64_t *ids, int64_t gen);
/* The same for ix built, tagged and stamped gen; written: whether c->file
 * holds it (the next step opens it rather than writing it again). */
int xjl__ixcache_adopt(struct xjl_ixcache *c, xjl_index *ix, int64_t gen, bool written);
/* Applies the changes a load made to the records of the table (ch[i] with
 * ids[i], the row id of its record) to the cache's index, which is of the
 * generation before the load (xjl__ixcache_ensure() inside the load's
 * transaction), compacts it when the changes pile up and stamps it gen; it
 * writes the file unless the changes are logged (the registry) and few
 * enough for the next step to apply.  On failure the cache is empty: the
 * next xjl__ixcache_ensure() catches up from the log or rebuilds the index
 * from the table. */
int xjl__ixcache_apply(struct xjl_ixcache *c, const xjl_index_change *ch, const int64_t *ids,
                       size_t n, int64_t gen);
/* Brings the index file of a table up to the table after a load that changed
 * it (a read transaction of its own). */
int xjl__ixcache_refresh(struct xjl_ixcache *c, struct xjl_store *st, const char *gen_key,
                         xjl__scan_fn scan);
void xjl__ixcache_drop(struct xjl_ixcache *c);
/* Row id of an index position, or 0. */
int64_t xjl__ixcache_id(const struct xjl_ixcache *c, size_t pos);
/* The workspace handle's index of the graduate pool (enrol.c). */
struct xjl_ixcache *xjl__ws_pool(xjl_workspace *ws);

/* workspace.c: reports a bad value of the current CSV row to diag (if any). */
void xjl__diag_row(xjl_diag_fn diag, void *user, const xjl_csv *csv, const char *column,
                   const char *value, const char *message);
/* True if the current row has as many fields as the header; else reported. */
bool xjl__row_width_ok(const xjl_csv *csv, xjl_diag_fn diag, void *user);

/* Loads every row of an open CSV file into a table of the workspace in one
 * transaction (registry, graduates).  row() reads, checks and writes one
 * row: XJL_OK with *outcome (0 inserted, 1 updated, 2 unchanged), 1 for a
 * bad row it reported, or a negative error that aborts the load.  The
 * driver counts, bumps the generation gen_key when something changed,
 * records the batch and the audit entry, commits, and closes csv. */
struct xjl_loader {
    const char *kind;    /* batch kind and audit object, e.g. "registry" */
    const char *action;  /* audit action, e.g. "load-registry" */
    const char *gen_key; /* generation to bump */
    int (*row)(void *ctx, struct xjl_store *st, const xjl_csv *csv, xjl_diag_fn diag, void *user,
               xjl_load_report *r, int *outcome);
    /* Called (if not NULL) after the generation moved, before the commit. */
    int (*before_commit)(void *ctx, struct xjl_store *st);
};
int xjl__load_csv(struct xjl_store *st, xjl_csv *csv, const struct xjl_loader *loader, void *ctx,
                  xjl_diag_fn diag, void *user, xjl_load_report *rep);
/* The end of xjl__load_csv() for a loader that read the rows itself, inside
 * the transaction it began (rc: its outcome, counts: its counts). */
int xjl__load_finish(struct xjl_store *st, xjl_csv *csv, const struct xjl_loader *loader, void *ctx,
                     int rc, const xjl_load_report *counts, xjl_load_report *rep);

/* regload.c: the preschool registry's rows (intake.c's load-registry). */
/* The longest canonical value of a supplement field a registry row keeps. */
#define XJL_REGISTRY_VALUE_MAX 700
/* Reads and checks one registry row into v (canonical values, NULL for an
 * empty one, kept in store: XJL_SF_COUNT * XJL_REGISTRY_VALUE_MAX bytes);
 * false (after reporting to diag) if the row must not load. */
bool xjl__registry_row(const xjl_csv *csv, const int cols[XJL_SF_COUNT], char *v[XJL_SF_COUNT],
                       char *store, xjl_diag_fn diag, void *user, size_t *warnings);
/* Loads every row of csv (opened, header read, cols the supplement fields'
 * columns, id_col the record id's) into the registry in one transaction,
 * the rows read and checked on the worker pool and written in file order;
 * then brings the registry's index and its file to the new generation.
 * Closes csv. */
int xjl__registry_fill(xjl_workspace *ws, xjl_csv *csv, const int cols[XJL_SF_COUNT], int id_col,
                       xjl_diag_fn diag, void *user, xjl_load_report *rep);

/* workspace.c: the handle.  Its fields are read by intake.c and enrol.c; only
 * workspace.c opens, closes and resets it. */
struct xjl_workspace {
    struct xjl_store *st;
    xjl_window_fn window;
    void *window_user;
    xjl_feature_fn feature;
    void *feature_user;
    int32_t today;               /* XJL_DATE_NONE: the machine's local date */
    int role;                    /* xjl_role; XJL_ROLE_NONE: the host checks who may do what */
    char scope[64];              /* the school code, or the region code of the role */
    struct xjl_ixcache registry; /* the preschool registry */
    struct xjl_ixcache pool;     /* the graduates (enrol.c) */
    char *columns;               /* the key-column mapping of the CSV files read (NULL: none) */
};

struct xjl_store *xjl__ws_store(xjl_workspace *ws);
/* Opens a CSV file the workspace reads (a registry, a list) with the key-
 * column mapping of xjl_workspace_set_columns(). */
int xjl__ws_csv_open(xjl_workspace *ws, xjl_csv **out, const char *path, xjl_encoding enc);
/* Asks the host's hooks whether process ("intake", "enrol") may run today:
 * XJL_OK or XJL_EPOLICY with the reason. */
int xjl__ws_policy(xjl_workspace *ws, const char *process);
int32_t xjl__ws_today(const xjl_workspace *ws);
/* Whether the operator's role and scope allow a step on school's data:
 * authority steps are refused for a school operator; any step on a school
 * outside the scope is refused (XJL_EPOLICY, saying who and what). */
int xjl__ws_allow(xjl_workspace *ws, const char *school, bool authority, const char *what);
/* Whether a region code lies in a county+ operator's scope. */
int xjl__ws_allow_region(xjl_workspace *ws, int32_t region, const char *what);
/* Whether a school lies in the operator's scope (true without a role). */
bool xjl__ws_in_scope(xjl_workspace *ws, const char *school);
/* Drops the rows of a listing whose column col names a school out of scope. */
void xjl__ws_scope_listing(xjl_workspace *ws, xjl_listing *t, const char *col);
/* states.c: names of the supplement states and review stages (for tables). */
const char *xjl__supplement_name(int state);
const char *xjl__review_name(int review);

/* states.c: the workflows' state machines, one table.  A step function asks
 * xjl__step_check before it changes anything. */
enum xjl__flow {
    XJL__FLOW_ROW,          /* an intake row: its review stage, XJL__REVIEW_* or XJL__ROW_DELETED */
    XJL__FLOW_KEY_CHANGE,   /* XJL__KC_* */
    XJL__FLOW_REGISTRATION, /* XJL__REGQ_* */
    XJL__FLOW_ADMISSION,    /* XJL__ADM_* */
    XJL__FLOW_QUOTA,        /* XJL__QREQ_* */
    XJL__FLOW_GRADUATE,     /* XJL__GRAD_* */
    XJL__FLOW_COUNT
};
enum { XJL__ROW_DELETED = 4 };
enum { XJL__KC_OPEN = 0, XJL__KC_APPROVED = 1, XJL__KC_REJECTED = 2 };
enum {
    XJL__REGQ_QUEUED = 0,
    XJL__REGQ_PROOF = 1,
    XJL__REGQ_CHECKING = 2,
    XJL__REGQ_REGISTERED = 3,
    XJL__REGQ_REFUSED = 4
};
enum { XJL__QREQ_OPEN = 0, XJL__QREQ_APPROVED = 1, XJL__QREQ_REJECTED = 2 };
enum { XJL__GRAD_IN_POOL = 0, XJL__GRAD_ARCHIVED = 1, XJL__GRAD_DELETED = 2 };
/* Who takes an action: the school's operator or the authority (county, city,
 * province; xjl__ws_allow refuses a school operator). */
enum { XJL__BY_SCHOOL = 1, XJL__BY_AUTHORITY = 2 };
#define XJL__STATE_STAYS (-1)
struct xjl__action {
    enum xjl__flow flow;
    const char *name; /* as in the history and audit trail */
    const char *verb; /* for messages: "cannot VERB row 5" */
    int by;
};
struct xjl__step {
    enum xjl__flow flow;
    int from;
    const char *action;
    int to;            /* XJL__STATE_STAYS: the step keeps the state */
    unsigned statuses; /* rows: bits (1 << xjl_row_status) the step takes; 0: any */
    const char *when;  /* the further condition the step checks, or what it does; NULL */
};
const struct xjl__step *xjl__steps(size_t *n);
const struct xjl__action *xjl__actions(size_t *n);
const struct xjl__action *xjl__action_find(enum xjl__flow flow, const char *action);
const char *xjl__flow_name(enum xjl__flow flow);
const char *xjl__state_name(enum xjl__flow flow, int state);
const char *xjl__state_hint(enum xjl__flow flow, int state);
/* What people read for a state, a school kind or a stored value word (the
 * catalogue's value.NAME in this thread's language; the name itself when
 * the catalogue has no such word). */
const char *xjl__state_label(enum xjl__flow flow, int state);
const char *xjl__kind_label(int kind);
/* A row's match status as a refusal names it: the name (matched) in
 * English, the label (已匹配学前学籍) in Chinese. */
const char *xjl__row_status_text(int status);
const char *xjl__value_label(const char *name);
/* The verb of an action and the name of an object, for a refusal, in this
 * thread's language ("approve", "admission flow"). */
const char *xjl__action_verb(const struct xjl__action *a);
const char *xjl__object_label(const char *object);
/* The state of that name, or -1. */
int xjl__state_parse(enum xjl__flow flow, const char *name);
/* XJL_OK with *out the first step of the table from this state (and, for
 * rows, this match status; -1 otherwise) by this action, or XJL_ESTATE
 * naming the object ("row", id), its state and the states the action is
 * taken from. */
int xjl__step_check(enum xjl__flow flow, int from, int status, const char *action,
                    const char *object, int64_t id, const struct xjl__step **out);
/* Writes one CSV field of an export (quoted as needed) and a comma, or CRLF
 * after the last: XJL_OK, XJL_EIO, XJL_ERANGE (longer than any field). */
int xjl__put_field(FILE *fp, const char *v, bool last);
/* Fills buf with 4 random decimal digits (and a NUL). */
int xjl__random_digits(char buf[5]);

#endif /* XJL_WORKSPACE_H */

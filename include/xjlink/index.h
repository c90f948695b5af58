/*
 * xjlink/index.h: the registry index: built, changed, and as a file.
 *
 * Part of the public API; include <xjlink.h>, which includes every area in
 * order.  Stable: changes follow the soversion rule of the README.
 */
#ifndef XJLINK_INDEX_H
#define XJLINK_INDEX_H

#include "io.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/** @name The registry index
 *
 * An index holds the normalised, packed key fields of a registry (e.g. a
 * province's preschool records) and the hash tables the matcher searches.
 * Records are added, then xjl_index_build() freezes it; from then on it is
 * read-only and may be shared by any number of threads.  A built index can
 * be saved to a file and opened again in milliseconds (below).
 */

typedef struct xjl_index xjl_index;

/** A new, empty index.  Free with xjl_index_free().
 *  @param out receives the index; NULL on failure
 *  @return XJL_OK; XJL_EINVAL (out NULL), XJL_ENOMEM. */
XJL_API int xjl_index_new(xjl_index **out);
/** Frees an index; NULL does nothing.  No matcher may use it afterwards. */
XJL_API void xjl_index_free(xjl_index *ix);

/** Caps the threads xjl_index_add_csv() reads a file on (0, the default: all
 *  cores), for a host that runs several indexes at once (a Dask worker, a
 *  service with its own pool).  xjl_index_build() takes its own count.
 *  @return XJL_OK, XJL_EINVAL (NULL). */
XJL_API int xjl_index_set_threads(xjl_index *ix, unsigned threads);

/** Longest record id accepted, in bytes: a registry's ids are short codes
 *  (学前学籍ID: a letter and 18 characters), and a row whose id column holds
 *  a whole file must not multiply into every result that names it. */
#define XJL_RECORD_ID_MAX 256

/** Adds one registry record.  The record is kept even when some fields are
 *  invalid (it can still be found by the others).
 *  @param record_id  the registry's id for the record (copied, at most
 *                    XJL_RECORD_ID_MAX bytes); NULL gives its 1-based position
 *                    as a decimal string
 *  On a built index this is a change (see xjl_index_update(): a record id
 *  is required and must be new).
 *  @return XJL_OK, XJL_ENOMEM, XJL_EINVAL (NULL rec,
 *          an id too long). */
XJL_API int xjl_index_add(xjl_index *ix, const char *record_id, const xjl_record *rec);

/** Callback for a bad row met while reading a file: the row is reported and
 *  the rest still runs. */
typedef void (*xjl_diag_fn)(void *user, const char *file, long line, const char *column,
                            const char *value, const char *message);

/** Adds every row of a registry CSV.  The record id comes from id_column if
 *  not NULL, else the first column named 学前学籍ID, 学籍ID, record_id or id,
 *  else the row number.  Rows that cannot be read (not as many fields as the
 *  header, a NUL byte in a key field or the id, an id longer than
 *  XJL_RECORD_ID_MAX: the row rule every reader of the library shares) are reported to diag
 *  (if not NULL) and counted in *bad_rows (if not NULL); the rest still load.
 *  The file is parsed and its records read on all cores; the index is the
 *  same as if its rows were added one by one with xjl_index_add(), and diag
 *  is called from the calling thread only, in file order.
 *  @return XJL_OK, or XJL_EIO/XJL_EFORMAT/XJL_EENCODING for a bad file. */
XJL_API int xjl_index_add_csv(xjl_index *ix, const char *path, xjl_encoding enc,
                              const char *id_column, xjl_diag_fn diag, void *user,
                              size_t *bad_rows);
/** xjl_index_add_csv() with a mapping of the key columns the header's names
 *  do not find, as xjl_csv_set_columns() takes it ("姓名=XSMC,身份证件号=ZJHM";
 *  NULL or "" for none).  A mapping naming a column the file lacks, or an
 *  unknown field, is refused (XJL_EFORMAT, XJL_EINVAL) before any row is read. */
XJL_API int xjl_index_add_csv_columns(xjl_index *ix, const char *path, xjl_encoding enc,
                                      const char *id_column, const char *columns, xjl_diag_fn diag,
                                      void *user, size_t *bad_rows);

/** Builds the search tables and freezes the index.
 *  @param threads  worker threads to use (0: all cores)
 *  @return XJL_OK, XJL_ENOMEM, XJL_ESTATE if already built. */
XJL_API int xjl_index_build(xjl_index *ix, unsigned threads);

/** Number of records: added, or live (added, not removed) after changes. */
XJL_API size_t xjl_index_count(const xjl_index *ix);
/** One past the last position of a record: xjl_index_count() until the
 *  index is changed; after changes the positions of removed and replaced
 *  records stay unused (xjl_index_record_id() gives NULL for them) until
 *  xjl_index_compact() numbers the records again from 0. */
XJL_API size_t xjl_index_positions(const xjl_index *ix);
/** Bytes of memory the index holds. */
XJL_API size_t xjl_index_memory(const xjl_index *ix);
/** Id of the record at a 0-based position (borrowed: valid until the index
 *  is compacted or freed), or NULL (no such position, or a record removed
 *  or replaced). */
XJL_API const char *xjl_index_record_id(const xjl_index *ix, size_t pos);
/** Position of the (first live) record with this id, or (size_t)-1.  Needs a
 *  built index. */
XJL_API size_t xjl_index_find_id(const xjl_index *ix, const char *record_id);
/** The normalised key fields of the record at pos (see xjl_parsed). */
XJL_API int xjl_index_record(const xjl_index *ix, size_t pos, xjl_parsed *out);

/* ------------------------------------------------------------------------ */
/** @name Changing a built index
 *
 * A built index, or one opened from a file, follows the registry's changes
 * record by record: xjl_index_add() (on a built index), xjl_index_update()
 * and xjl_index_remove(), by record id.  The changes go to a delta over the
 * built records (which stay as they are, in memory or in the mapped file):
 * new records after the built ones, removed and replaced ones marked dead.
 * The very next match sees a change, and a changed index matches exactly as
 * an index built from the registry as it is now would: the same statuses,
 * candidates, scores and reasons (the counts scoring reads, of records, of
 * each name and of each birth date, are kept exact).  The registry's order,
 * which ranks candidates of equal score, is the built records that remain
 * and then the changed ones in the order of their last change: an updated
 * record counts as removed and added again.
 *
 * xjl_index_compact() folds the delta into new built arrays; xjl_index_save()
 * of a changed index writes the built records as they are and the changes
 * beside them (docs/index-format.md, "Changes").  The tables a change needs,
 * by record id and by name, are made by xjl_index_build() and saved with the
 * file, so the first change costs what the others do; a file written by an
 * older version without them gets them on its first change (a pass over
 * the records).
 *
 * Thread safety: any number of threads may match (xjl_matcher_match(),
 * xjl_matcher_match_many(), each holds the index's shared lock for the
 * call) and look up records while one thread changes the index (a change
 * takes the lock alone, so it waits for the matches in progress and the
 * matches that start after it see it).  Changes from several threads are
 * serialised by the same lock.  Results do not point into the index and stay
 * valid.  Not allowed while changes run: xjl_dedup_run() (it refuses a
 * changed index: compact it first) and freeing the index.
 */

/** Adds, updates or removes one record of a built index by its record id.
 *  xjl_index_add() on a built index adds a record whose id is not in it;
 *  xjl_index_update() replaces the record with that id by rec;
 *  xjl_index_remove() removes it.  On an index not built yet,
 *  xjl_index_add() appends as before the build and the other two give
 *  XJL_ESTATE.
 *  @param record_id  required on a built index (at most XJL_RECORD_ID_MAX bytes)
 *  @return XJL_OK; XJL_EDUPLICATE (add: the id is there; nothing changed),
 *          XJL_ENOTFOUND (update, remove: no live record with the id),
 *          XJL_EINVAL (NULL, an id too long), XJL_ESTATE (not built),
 *          XJL_ENOMEM (nothing changed). */
XJL_API int xjl_index_update(xjl_index *ix, const char *record_id, const xjl_record *rec);
/** @copydoc xjl_index_update */
XJL_API int xjl_index_remove(xjl_index *ix, const char *record_id);
/** What a change does (xjl_index_change). */
typedef enum xjl_change_op {
    XJL_CHANGE_ADD = 1,    /**< a record whose id is not in the index */
    XJL_CHANGE_UPDATE = 2, /**< the record with that id replaced */
    XJL_CHANGE_REMOVE = 3  /**< the record with that id removed */
} xjl_change_op;

/** One change of a batch (xjl_index_apply()). */
typedef struct xjl_index_change {
    xjl_change_op op;
    const char *record_id; /**< required, at most XJL_RECORD_ID_MAX bytes (borrowed) */
    xjl_record rec;        /**< the record (add, update; borrowed); unused by remove */
} xjl_index_change;

/** Applies a batch of changes to a built index, in order, as if each were
 *  given to xjl_index_add(), xjl_index_update() or xjl_index_remove() in
 *  turn, and reports each: a change that is refused changes nothing and the
 *  ones after it are still applied.  The records are read (normalised and
 *  packed) before the index is locked, on up to xjl_index_set_threads()
 *  threads for a batch of a thousand additions or more; then the lock is
 *  taken alone once for up to 16,384 changes, room is made for all of them
 *  at once, and they are applied.  Matching waits only for that last step
 *  (a few milliseconds for 10,000 changes) and sees every change of a slice
 *  at once.  The fastest way to apply more than a few changes.
 *  @param changes  n changes (NULL when n is 0)
 *  @param results  n codes (may be NULL): XJL_OK or why change i was refused,
 *                  as the single calls give them
 *  @return XJL_OK when every change was applied; else the code of the first
 *          refused, whose message xjl_errmsg() gives; XJL_EINVAL (NULL
 *          index or changes), XJL_ESTATE (not built: nothing applied). */
XJL_API int xjl_index_apply(xjl_index *ix, const xjl_index_change *changes, size_t n, int *results);
/** Changes (add, update, remove calls that succeeded) since the index was
 *  built or compacted; an opened file brings back the changes it was saved
 *  with. */
XJL_API size_t xjl_index_changes(const xjl_index *ix);
/** Folds the changes into new built arrays: positions numbered again from
 *  0 in the registry's order (above), the tables rebuilt, an opened index's
 *  file let go.  Takes the index alone for its whole run (matching waits);
 *  pointers from xjl_index_record_id() become invalid.  Nothing to do
 *  without changes.
 *  @param threads worker threads for the tables (0: all cores)
 *  @return XJL_OK, XJL_ESTATE (not built), XJL_ENOMEM (the index unchanged). */
XJL_API int xjl_index_compact(xjl_index *ix, unsigned threads);

/* ------------------------------------------------------------------------ */
/** @name The registry index as a file
 *
 * A built index can be saved to a file and opened again in a few
 * milliseconds, whatever its size: opening maps the file (mmap) and uses it
 * in place, and the pages come in as the matcher reads them.  The format is
 * described in docs/index-format.md: little-endian (a big-endian host
 * refuses to save or open, XJL_EFOREIGN), sections aligned to 64 bytes, a
 * header with the format version, the library version, the key scheme and a
 * fingerprint of the name tables the keys were made with, and an XXH3
 * checksum per section.
 *
 * An opened index is built and read-only, like one built in memory, and may
 * be shared by any number of threads.  Its file must not be rewritten in
 * place while it is open (xjl_index_save() never does: it replaces the file
 * by a rename, and an index opened before keeps the old file's contents).
 */

/** Flags of xjl_index_open(). */
enum {
    /** Check every section's checksum and the contents of the search tables
     *  and entries before use (a pass over the whole file: ~0.1 s per
     *  million records when not cached).  Without it, opening checks the
     *  header and the bounds of every section only, and a file damaged
     *  inside a section may give wrong results (never a read outside the
     *  file: what the sections hold is bounded where it is read, see
     *  docs/index-format.md).  The workspace opens its own file so. */
    XJL_INDEX_VERIFY = 1,
    /** Check what the matcher reads without checking it again: every
     *  search table's bucket starts in order and positions naming records,
     *  every entry's strings inside the file's strings and as short as the
     *  matcher's buffers (a pass over the entries and the tables: 0.06 s
     *  for 5,000,000 records in the page cache, XJL_INDEX_VERIFY 0.45 s).  No
     *  checksum, nor whether the tables are exactly those of the records:
     *  a file damaged there may give wrong results, never a read outside
     *  the file nor a crash.  XJL_INDEX_VERIFY includes it. */
    XJL_INDEX_BOUNDS = 2
};

/** Saves a built index to path (a changed one with its changes as they are,
 *  beside its built records: xjl_index_compact() first folds them in),
 *  atomically: a file beside it,
 *  without a name where the file system allows (O_TMPFILE), is written,
 *  synced, named .NAME.tmp-PID-N beside path and renamed over it, and the
 *  directory synced; a crash leaves the old file or the new one, never a
 *  mix, and no temporary file behind (docs/index-format.md).  The file has
 *  the old file's mode, or 0666 less the umask.
 *  @return XJL_OK, XJL_ESTATE (not built), XJL_EIO (message names the file
 *          and the system's reason), XJL_ENOMEM, XJL_EFOREIGN (big-endian host). */
XJL_API int xjl_index_save(const xjl_index *ix, const char *path);

/** Opens an index file.
 *  @param out receives the index (free with xjl_index_free(), which unmaps
 *             it); NULL on failure
 *  @param flags 0, XJL_INDEX_BOUNDS or XJL_INDEX_VERIFY
 *  @return XJL_OK; XJL_ENOTFOUND (no such file), XJL_EIO; XJL_ETRUNCATED
 *          (shorter than its header says), XJL_ECORRUPT (a checksum or a
 *          bound does not hold), XJL_EFOREIGN (not an index file, or another
 *          byte order), XJL_EVERSION (a newer format, or keys made by a
 *          library with other name tables: rebuild it).  The message names
 *          the file and what is wrong. */
XJL_API int xjl_index_open(xjl_index **out, const char *path, unsigned flags);

/** Opens path with XJL_INDEX_VERIFY and closes it: XJL_OK when the whole
 *  file is sound, else the error xjl_index_open() gives. */
XJL_API int xjl_index_verify(const char *path);

/** What an index holds and the file it came from (xjl_index_info()). */
typedef struct xjl_index_info_t {
    uint32_t format_version;  /**< of the file (or the one a save would write) */
    uint32_t key_scheme;      /**< how entries and keys are made */
    uint64_t key_fingerprint; /**< of the name tables the keys were made with */
    char library_version[16]; /**< of the library that wrote the file (or this one) */
    uint64_t records;
    uint64_t stamp;            /**< see xjl_index_set_stamp() */
    uint64_t file_bytes;       /**< the file's size (a built index: what a save writes) */
    uint64_t entry_bytes;      /**< packed records */
    uint64_t string_bytes;     /**< names, record ids, ID numbers kept as text */
    uint64_t id_table_bytes;   /**< search table by ID number */
    uint64_t name_table_bytes; /**< search table by pinyin and birth date */
    uint64_t rid_table_bytes;  /**< table by record id (for changes and xjl_index_find_id()) */
    uint64_t near_table_bytes; /**< birth-date table of the near search (8 bytes a record with
                                *   a Han name and a birth date, and the starts of its days) */
    bool built;                /**< once built or opened */
} xjl_index_info_t;

/** Fills out for an index built in memory or opened from a file.
 *  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_index_info(const xjl_index *ix, xjl_index_info_t *out);

/** The checksum of the header of the file ix was opened from (an XXH3 of
 *  the header and its section table, which hold every section's checksum):
 *  what tells that file from any other, e.g. for processes that must match
 *  against the same file.  Changes applied since the open do not change it.
 *  @param out receives it; 0 on failure
 *  @return XJL_OK; XJL_ESTATE for an index not opened from a file (built in
 *          memory, or compacted: a save then opens the file written),
 *          XJL_EINVAL for a NULL argument. */
XJL_API int xjl_index_file_checksum(const xjl_index *ix, uint64_t *out);

/** A number the caller keeps with the index and its file (e.g. the
 *  generation of the registry it was built from); 0 by default.  Set it
 *  before xjl_index_save(); not thread-safe against a concurrent save. */
XJL_API void xjl_index_set_stamp(xjl_index *ix, uint64_t stamp);
XJL_API uint64_t xjl_index_stamp(const xjl_index *ix);

#ifdef __cplusplus
}
#endif

#endif /* XJLINK_INDEX_H */

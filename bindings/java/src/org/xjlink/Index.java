package org.xjlink;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.xjlink.swig.SWIGTYPE_p_xjlb_changes;
import org.xjlink.swig.Xjlink;
import org.xjlink.swig.xjl_index;
import org.xjlink.swig.xjl_lang;
import org.xjlink.swig.xjl_matcher;
import org.xjlink.swig.xjl_param;
import org.xjlink.swig.xjl_report;
import org.xjlink.swig.xjl_result;
import org.xjlink.swig.xjlb_batch;

/**
 * A registry index: records are added, the index is built, then matched
 * against from any number of threads.
 *
 * <pre>
 * try (Index ix = Index.fromCsv("preschool_registry.csv")) {
 *     MatchResult r = ix.match(new Record("张三", "男", "2018-03-01", "居民身份证", "110101201803010011"));
 *     System.out.println(r.status().labelZh() + " " + r.matchId() + " " + r.reasons());
 * }
 * </pre>
 *
 * {@link #close()} frees the native index; it waits for matches running in
 * other threads, and any use afterwards throws an XjlinkException with code
 * XJL_ESTATE.  An index never closed is freed when it becomes unreachable.
 */
public final class Index implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int EINVAL = -1, ESTATE = -5;

    /** The native objects, apart from the Index so that the Cleaner can free them. */
    private static final class Native implements Runnable {
        xjl_index index;
        xjl_matcher matcher;

        @Override
        public void run() {
            if (matcher != null)
                matcher.delete();
            if (index != null)
                index.delete();
            matcher = null;
            index = null;
        }
    }

    // Matching takes the read lock (any number at once); adding, building,
    // parameters and closing take the write lock.
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // The index whose matchCsv is telling its progress listener on this
    // thread, which may be a thread of the library's own.
    private static final ThreadLocal<Index> REPORTING = new ThreadLocal<>();
    private final Native n = new Native();
    private final Cleaner.Cleanable cleanable;
    private long badRows;
    private String source; // the file the records came from, for a report's heading

    /** A new, empty index: {@link #add}, {@link #addCsv}, then {@link #build}. */
    public Index() {
        NativeLibrary.load();
        xjl_index[] out = new xjl_index[1];
        Xjlink.xjl_index_new(out);
        n.index = out[0];
        cleanable = CLEANER.register(this, n);
    }

    /** An index of a registry CSV (UTF-8 or GB18030, detected), built on all cores. */
    public static Index fromCsv(String path) {
        return fromCsv(path, null, "auto", null);
    }

    /** An index of a registry CSV.  The record id comes from idColumn (null:
     *  the first of 学前学籍ID, 学籍ID, record_id, id; else the row number); rows that
     *  cannot be read go to the listener (may be null) and {@link #badRows()}. */
    public static Index fromCsv(String path, String idColumn, String encoding, DiagnosticListener listener) {
        return fromCsv(path, idColumn, encoding, listener, null);
    }

    /** As {@link #fromCsv(String, String, String, DiagnosticListener)}, with
     *  the key columns mapped as in {@link #addCsv(String, String, String,
     *  DiagnosticListener, Map)}: {@code Map.of("姓名", "XSMC")}. */
    public static Index fromCsv(String path, String idColumn, String encoding, DiagnosticListener listener,
            Map<String, String> columns) {
        return fromCsv(path, idColumn, encoding, listener, columns, null);
    }

    /** As above, telling {@code progress} (on this thread) the records twice
     *  over: once read and normalised, again once the index is built (a
     *  bar's total is two times the records).  The reading and the building
     *  are one native call each, with no finer step to tell. */
    public static Index fromCsv(String path, String idColumn, String encoding, DiagnosticListener listener,
            Map<String, String> columns, Progress progress) {
        Index ix = new Index();
        try {
            ix.addCsv(path, idColumn, encoding, listener, columns);
            if (progress != null)
                progress.update(ix.size());
            ix.build(0);
            if (progress != null)
                progress.update(ix.size());
        } catch (RuntimeException e) {
            ix.close();
            throw e;
        }
        return ix;
    }

    /** What {@link #open(String, Check)} checks of the file before use. */
    public enum Check {
        /** The header and every section's bounds: a file damaged inside a
         *  section is never read outside, but may match wrongly. */
        HEADER,
        /** Also what the matcher reads (tables and entries), as `xjlink
         *  match --index` opens its file: such a file is refused. */
        BOUNDS,
        /** Also every section's checksum (a pass over the whole file). */
        VERIFY
    }

    /** An index file saved by {@link #save} (or `xjlink index build`), mapped:
     *  it opens in milliseconds whatever its size, built and read-only,
     *  after the checks of {@code check}.  A damaged or foreign file throws
     *  an XjlinkException with XJL_ETRUNCATED, XJL_ECORRUPT, XJL_EFOREIGN or
     *  XJL_EVERSION and a message naming the file. */
    public static Index open(String path, Check check) {
        int flags = check == Check.VERIFY ? Xjlink.XJL_INDEX_VERIFY
                : check == Check.BOUNDS ? Xjlink.XJL_INDEX_BOUNDS : 0;
        NativeLibrary.load();
        xjl_index[] out = new xjl_index[1];
        Xjlink.xjl_index_open(out, path, flags);
        Index ix = new Index();
        ix.n.index.delete(); /* the empty one the constructor made */
        ix.n.index = out[0];
        xjl_matcher[] m = new xjl_matcher[1];
        try {
            Xjlink.xjl_matcher_new(m, out[0]);
        } catch (RuntimeException e) {
            ix.close();
            throw e;
        }
        ix.n.matcher = m[0];
        ix.source = path;
        return ix;
    }

    /** {@link #open(String, Check)}: verify checks everything, else the header only. */
    public static Index open(String path, boolean verify) {
        return open(path, verify ? Check.VERIFY : Check.HEADER);
    }

    public static Index open(String path) {
        return open(path, Check.HEADER);
    }

    /** The checksum of the header of the file this index was opened from
     *  (which holds every section's checksum): what tells that file from any
     *  other.  Empty for an index built in memory or compacted. */
    public java.util.OptionalLong fileChecksum() {
        lock.readLock().lock();
        try {
            xjl_index ix = n.index;
            if (ix == null)
                throw new XjlinkException(ESTATE, "the index is closed");
            long[] sum = new long[1];
            try {
                Xjlink.xjl_index_file_checksum(ix, sum);
            } catch (XjlinkException e) {
                if (e.code() == ESTATE)
                    return java.util.OptionalLong.empty();
                throw e;
            }
            return java.util.OptionalLong.of(sum[0]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Saves the built index to path atomically (a temporary file renamed
     *  over it: a crash leaves the old file or the new one); a changed index
     *  with its changes as they are ({@link #compact} folds them in). */
    public void save(String path) {
        lock.readLock().lock();
        try {
            matcher();
            Xjlink.xjl_index_save(n.index, path);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** An index of a registry CSV read from a stream (UTF-8 or GB18030);
     *  {@code name} stands for the stream in messages (e.g. the upload's name). */
    public static Index fromCsv(java.io.InputStream in, String name) {
        return fromCsv(in, name, null, "auto", null);
    }

    /** As {@link #fromCsv(String, String, String, DiagnosticListener)}, from a
     *  stream (read to its end, not closed); the listener sees {@code name}. */
    public static Index fromCsv(java.io.InputStream in, String name, String idColumn, String encoding,
            DiagnosticListener listener) {
        return fromCsv(in, name, idColumn, encoding, listener, null);
    }

    /** As above, with the key columns mapped (see {@link #addCsv(String, String,
     *  String, DiagnosticListener, Map)}). */
    public static Index fromCsv(java.io.InputStream in, String name, String idColumn, String encoding,
            DiagnosticListener listener, Map<String, String> columns) {
        Index ix = Streams.viaFile(in, name,
                path -> fromCsv(path, idColumn, encoding, Streams.renaming(listener, name), columns));
        ix.source = name;
        return ix;
    }

    /** The library's version, e.g. "0.1.0"; the jar's manifest carries the same. */
    public static String libraryVersion() {
        NativeLibrary.load();
        return Xjlink.xjl_version();
    }

    private xjl_index building() {
        if (n.index == null)
            throw new XjlinkException(ESTATE, "the index is closed");
        if (n.matcher != null)
            throw new XjlinkException(ESTATE, "the index is built and read-only");
        return n.index;
    }

    private xjl_matcher matcher() {
        if (n.index == null)
            throw new XjlinkException(ESTATE, "the index is closed");
        if (n.matcher == null)
            throw new XjlinkException(ESTATE, "the index is not built yet: call build()");
        return n.matcher;
    }

    /** Adds one registry record; id null gives its 1-based position.  On a
     *  built or opened index this is a change (see {@link #update}): the id is
     *  required and must be new (error -13 if it is not). */
    public void add(String id, Record record) {
        if (n.matcher != null) {
            change(() -> Xjlink.xjl_index_add(n.index, id, record.fields()));
            return;
        }
        lockForWrite("add");
        try {
            Xjlink.xjl_index_add(building(), id, record.fields());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Replaces the record with this id on a built or opened index.  The very
     *  next match sees it, and matches as an index built from the registry as
     *  it is now; other threads may match meanwhile (the library serialises
     *  a change with the matches in progress).  Error -8 if no record has the id. */
    public void update(String id, Record record) {
        change(() -> Xjlink.xjl_index_update(n.index, id, record.fields()));
    }

    /** Removes the record with this id (error -8 if none has it). */
    public void remove(String id) {
        change(() -> Xjlink.xjl_index_remove(n.index, id));
    }

    /** What a {@link Change} does; the codes of the C library's xjl_change_op. */
    public enum ChangeOp {
        ADD(1), UPDATE(2), REMOVE(3);

        final int code;

        ChangeOp(int code) {
            this.code = code;
        }
    }

    /** A change for {@link #apply}: a record added or updated under its id, or
     *  the id removed (record null). */
    public record Change(ChangeOp op, String id, Record record) {
        public static Change add(String id, Record record) {
            return new Change(ChangeOp.ADD, id, record);
        }

        public static Change update(String id, Record record) {
            return new Change(ChangeOp.UPDATE, id, record);
        }

        public static Change remove(String id) {
            return new Change(ChangeOp.REMOVE, id, null);
        }
    }

    /** Applies a batch of changes to a built or opened index in one call: the
     *  records are read on the worker pool, then applied in order under one
     *  lock (a batch larger than 16,384 changes in slices), so that 10,000
     *  changes cost far less than 10,000 calls of {@link #add}.  A change
     *  refused does not stop the others.  Returns, per change, 0 or the error
     *  code of its refusal ({@link XjlinkException#code()}: -13 an add of an id
     *  there already, -8 an update or removal of an id not there, -1 a bad
     *  argument).  Throws if the batch is refused as a whole (the index not
     *  built: -5) or a change is malformed (a null id or op, a record that is
     *  not one). */
    public int[] apply(List<Change> changes) {
        SWIGTYPE_p_xjlb_changes batch = Xjlink.xjlb_changes_new();
        if (batch == null)
            throw new XjlinkException(-2, "apply: out of memory for the changes");
        try {
            String[] none = new String[5];
            for (Change c : changes) {
                if (c == null || c.op() == null || c.id() == null)
                    throw new XjlinkException(-1, "apply: a change needs an op and an id");
                if (c.op() != ChangeOp.REMOVE && c.record() == null)
                    throw new XjlinkException(-1, "apply: " + c.op() + " of " + c.id() + " without a record");
                Xjlink.xjlb_changes_add(batch, c.op().code, c.id(),
                        c.record() == null ? none : c.record().fields());
            }
            change(() -> {
                int rc = Xjlink.xjlb_changes_apply(n.index, batch);
                // refused as a whole: no change was reached
                if (rc < 0 && !changes.isEmpty() && Xjlink.xjlb_changes_result(batch, 0) == 1)
                    throw new XjlinkException(rc, Xjlink.xjl_errmsg());
            });
            int[] out = new int[changes.size()];
            for (int i = 0; i < out.length; i++)
                out[i] = Xjlink.xjlb_changes_result(batch, i);
            return out;
        } finally {
            Xjlink.xjlb_changes_free(batch);
        }
    }

    /** Adds, updates and removes since the index was built, opened or compacted. */
    public long changes() {
        lock.readLock().lock();
        try {
            matcher();
            return Xjlink.xjl_index_changes(n.index);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Folds the changes into new built arrays (positions numbered again, tables rebuilt). */
    public Index compact(int threads) {
        change(() -> Xjlink.xjl_index_compact(n.index, threads));
        return this;
    }

    /* The write lock, refused to a listener of a call of this index (the
     * call still runs): on the call's thread a read lock held cannot become
     * the write lock (it would wait for ever), and a write lock held would
     * let the listener change or free the index under the call; on the
     * library's thread the call's own thread waits for the listener. */
    private void lockForWrite(String what) {
        if (lock.getReadHoldCount() > 0 || lock.isWriteLockedByCurrentThread() || REPORTING.get() == this)
            throw new XjlinkException(ESTATE, what + ": not from a listener of this index's own call"
                    + " (the call is still running)");
        lock.writeLock().lock();
    }

    /* A change needs only this object's read lock (against close): the C
     * library orders it with the matches that run. */
    private void change(Runnable call) {
        lock.readLock().lock();
        try {
            matcher();
            call.run();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Adds every row of a registry CSV; returns the number of rows that could not be read. */
    public long addCsv(String path, String idColumn, String encoding, DiagnosticListener listener) {
        return addCsv(path, idColumn, encoding, listener, null);
    }

    /** Adds every row of a registry CSV whose key columns are not named as
     *  the library knows them (nor by the national standard's codes XM, XBM,
     *  CSRQ, SFZJLXM, SFZJH): {@code columns} maps a key field (by any of
     *  its names: 姓名, name, XM ...) to the file's column, as
     *  {@code xjlink match --registry-columns} takes it; null or empty for
     *  none.  A mapped column the header lacks, or a key column still
     *  missing, throws XJL_EFORMAT naming it (nothing is added).  Returns the
     *  number of rows that could not be read. */
    public long addCsv(String path, String idColumn, String encoding, DiagnosticListener listener,
            Map<String, String> columns) {
        String mapping = Columns.text(columns);
        lockForWrite("addCsv");
        try {
            int[] enc = new int[1];
            Xjlink.xjl_encoding_parse(encoding == null ? "auto" : encoding, enc);
            long[] bad = new long[1];
            Xjlink.xjl_index_add_csv_columns(building(), path,
                    org.xjlink.swig.xjl_encoding.swigToEnum(enc[0]), idColumn, mapping, listener, bad);
            badRows += bad[0];
            source = path;
            return bad[0];
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Builds the search tables and freezes the index (threads 0: all cores). */
    public Index build(int threads) {
        lockForWrite("build");
        try {
            xjl_index ix = building();
            Xjlink.xjl_index_build(ix, threads);
            xjl_matcher[] m = new xjl_matcher[1];
            Xjlink.xjl_matcher_new(m, ix);
            n.matcher = m[0];
            return this;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Index build() {
        return build(0);
    }

    public boolean isBuilt() {
        return n.matcher != null;
    }

    /** Number of records (added, or live after changes). */
    public long size() {
        lock.readLock().lock();
        try {
            if (n.index == null)
                throw new XjlinkException(ESTATE, "the index is closed");
            return Xjlink.xjl_index_count(n.index);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Rows of the files added that could not be read. */
    public long badRows() {
        return badRows;
    }

    /** Sets a matcher parameter by name ("review_threshold", "max_candidates", ...). */
    public void setParam(String name, double value) {
        xjl_param p;
        try {
            p = xjl_param.valueOf("XJL_PARAM_" + name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new XjlinkException(-1, "unknown matcher parameter '" + name + "'");
        }
        lockForWrite("setParam");
        try {
            Xjlink.xjl_matcher_set_param(matcher(), p, value);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Matches one record.  A record with a NUL character in a field cannot be
     *  read by the library: its result has status ERROR with the reason. */
    public MatchResult match(Record record) {
        List<String> nul = MatchResult.nulFields(record);
        if (!nul.isEmpty())
            return new MatchResult(nul);
        lock.readLock().lock();
        try {
            xjl_result[] out = new xjl_result[1];
            Xjlink.xjl_matcher_match(matcher(), record.fields(), out);
            try {
                return new MatchResult(out[0]);
            } finally {
                out[0].delete();
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Matches many records on {@code threads} native threads (0: all cores);
     *  the results come in the order of the records. */
    public List<MatchResult> matchAll(List<Record> records, int threads) {
        return matchAll(records, threads, null);
    }

    /** As {@link #matchAll(List, int)}, adding each row (its record, its
     *  result) to the report, numbered from 1 on across calls: the page
     *  shows the rows as given beside their candidates.  A report takes the
     *  results of one index (XJL_EINVAL for another). */
    public List<MatchResult> matchAll(List<Record> records, int threads, Report report) {
        String[][] recs = Record.fieldsOf(records);
        // rows with a NUL are matched as empty rows, then given their error
        List<List<String>> nul = new ArrayList<>(records.size());
        for (int i = 0; i < recs.length; i++) {
            List<String> f = MatchResult.nulFields(records.get(i));
            nul.add(f);
            if (!f.isEmpty())
                recs[i] = new String[5];
        }
        lock.readLock().lock();
        try {
            xjlb_batch[] out = new xjlb_batch[1];
            Xjlink.xjlb_batch_match(matcher(), recs, threads, out);
            try {
                long count = Xjlink.xjlb_batch_count(out[0]);
                List<MatchResult> results = new ArrayList<>((int) count);
                for (int i = 0; i < count; i++)
                    results.add(nul.get(i).isEmpty() ? new MatchResult(Xjlink.xjlb_batch_result(out[0], i))
                                                     : new MatchResult(nul.get(i)));
                if (report != null)
                    addToReport(report, records, nul, out[0], results);
                return results;
            } finally {
                out[0].delete();
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<MatchResult> matchAll(List<Record> records) {
        return matchAll(records, 0);
    }

    /* The batch's rows into the report, the records as given beside them
     * (under the read lock: the report reads candidates from this index). */
    private void addToReport(Report report, List<Record> records, List<List<String>> nul,
                             xjlb_batch batch, List<MatchResult> results) {
        xjl_report rep = report.forIndex(n);
        Xjlink.xjl_report_set_matcher(rep, matcher());
        for (int i = 0; i < results.size(); i++) {
            int line = (int) report.nextLine();
            // a row the library could not read (a NUL) is shown with why
            if (!nul.get(i).isEmpty())
                Xjlink.xjl_report_add_unreadable(rep, line, results.get(i).reasons());
            else
                Xjlink.xjl_report_add_result(rep, line, records.get(i).fields(),
                                             Xjlink.xjlb_batch_result(batch, i));
        }
    }

    /** What {@link #matchCsv} did: rows read, rows by status, rows the row rule refused. */
    public record Totals(long rows, long matched, long pending, long notFound, long error,
                         long unreadable) {}

    /** Matches a roster file into a result file as it streams by (the path of
     *  {@code xjlink match}: memory bounded by bytes, not by the roster's
     *  length).  The result file has the roster's columns, then status,
     *  match_id, candidates, score, reasons and weights.
     *  @param encoding  "auto", "utf-8" or "gb18030" (null: auto)
     *  @param chinese   statuses and reasons of unreadable rows in Chinese
     *  @param excel     a UTF-8 BOM and CRLF line ends, for Excel */
    public Totals matchCsv(String rosterPath, String outPath, String encoding, int threads,
                           boolean chinese, boolean excel) {
        return matchCsv(rosterPath, outPath, new MatchCsvOptions().encoding(encoding).threads(threads)
                .chinese(chinese).excel(excel));
    }

    /** Matches a roster file into a result file as it streams by, with the
     *  options given: a column mapping, a progress listener, the run's page
     *  (see {@link MatchCsvOptions}).  A key column missing from the roster
     *  (after the mapping) throws XJL_EFORMAT naming it, before any row is
     *  written. */
    public Totals matchCsv(String rosterPath, String outPath, MatchCsvOptions options) {
        MatchCsvOptions o = options == null ? new MatchCsvOptions() : options;
        String mapping = Columns.text(o.columns);
        if (o.report != null && o.report.toAbsolutePath().normalize()
                .equals(java.nio.file.Path.of(outPath).toAbsolutePath().normalize()))
            throw new XjlinkException(EINVAL, "the page " + o.report + " is also the results file");
        lock.readLock().lock();
        try {
            xjl_matcher m = matcher();
            int[] enc = new int[1];
            Xjlink.xjl_encoding_parse(o.encoding, enc);
            try (Report page = o.report == null ? null : new Report(o.chinese)) {
                xjl_report rep = null;
                if (page != null) {
                    if (o.reportRows >= 0)
                        page.setMaxRows(o.reportRows);
                    headline(page, rosterPath, outPath);
                    rep = page.forIndex(n);
                }
                org.xjlink.swig.xjl_match_totals t = new org.xjlink.swig.xjl_match_totals();
                try {
                    Xjlink.xjlb_match_csv_file(m, rosterPath, outPath,
                            org.xjlink.swig.xjl_encoding.swigToEnum(enc[0]), mapping, o.threads,
                            o.chinese ? 1 : 0, o.excel ? Xjlink.XJL_CSV_EXCEL : 0, rep, t, reporting(o.progress));
                    if (page != null)
                        page.write(o.report, source == null ? new String[] {rosterPath, outPath}
                                                            : new String[] {rosterPath, outPath, source});
                    return new Totals(t.getRows(), t.getMatched(), t.getPending(), t.getNot_found(),
                                      t.getError(), t.getUnreadable());
                } finally {
                    t.delete();
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /* The listener, told on whichever thread which index it reports for
     * (so that it cannot close or rebuild that index: lockForWrite). */
    private Progress reporting(Progress listener) {
        if (listener == null)
            return null;
        return rows -> {
            Index before = REPORTING.get();
            REPORTING.set(this);
            try {
                listener.update(rows);
            } finally {
                if (before == null)
                    REPORTING.remove();
                else
                    REPORTING.set(before);
            }
        };
    }

    /* The page's heading as `xjlink match --report` writes it, in the
     * report's language from the message catalogue. */
    private void headline(Report page, String roster, String out) {
        xjl_lang lang = page.isChinese() ? xjl_lang.XJL_LANG_ZH : xjl_lang.XJL_LANG_EN;
        if (source != null)
            page.addInput(Xjlink.xjl_message("report.input.registry", lang), source);
        page.addInput(Xjlink.xjl_message("report.input.records", lang),
                Xjlink.xjl_message("report.input.records_count", lang)
                        .replace("%zu", Long.toString(Xjlink.xjl_index_count(n.index))));
        page.addInput(Xjlink.xjl_message("report.input.roster", lang), roster);
        page.addInput(Xjlink.xjl_message("report.input.results", lang), out);
    }

    public Totals matchCsv(String rosterPath, String outPath) {
        return matchCsv(rosterPath, outPath, "auto", 0, false, false);
    }

    /** Frees the native index (after matches running elsewhere have finished).
     *  Closing twice is allowed; closing from a listener of this index's own
     *  call (a DiagnosticListener of {@link #addCsv}, the Progress of
     *  {@link #matchCsv}) throws XJL_ESTATE, as {@link #add}, {@link #addCsv},
     *  {@link #build} and {@link #setParam} do there. */
    @Override
    public void close() {
        lockForWrite("close");
        try {
            cleanable.clean();
        } finally {
            lock.writeLock().unlock();
        }
    }
}

package org.xjlink;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.xjlink.swig.Xjlink;
import org.xjlink.swig.xjl_dedup;
import org.xjlink.swig.xjl_dedup_stat;
import org.xjlink.swig.xjl_dup_row;
import org.xjlink.swig.xjl_encoding;
import org.xjlink.swig.xjl_index;
import org.xjlink.swig.xjl_lang;
import org.xjlink.swig.xjl_report;
import org.xjlink.swig.xjl_report_kind;

/**
 * The duplicate check (查重) of a registry in this process, as
 * {@code xjlink dedup} and Python's {@code xjlink.dedup.dedup()} run it: the
 * clusters of records that are one child, each with its class and why.
 *
 * <pre>
 * try (Dedup d = Dedup.check("registry.csv", null, "auto", null, Map.of("姓名", "XM"), 0, null)) {
 *     d.writeCsv("clusters.csv", true);
 *     d.writeReport(Path.of("dedup.html"), "clusters.csv", true);
 * }
 * </pre>
 *
 * It holds the registry's records (the page shows them) until
 * {@link #close()}; one never closed is freed when it becomes unreachable.
 * Used by one thread at a time.
 */
public final class Dedup implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int ESTATE = -5;

    /** One output row: the cluster's number (0 for a bad_id record in no
     *  cluster), its class ("same_id", "no_id", "one_id", "fuzzy",
     *  "bad_id"), the record's id, why, and its position in the registry. */
    public record Row(long cluster, String cls, String recordId, String reasons, long position) {
    }

    private static final class Native implements Runnable {
        xjl_index index;
        xjl_dedup dedup;

        @Override
        public void run() {
            if (dedup != null)
                dedup.delete();
            if (index != null)
                index.delete();
            dedup = null;
            index = null;
        }
    }

    private final Native n = new Native();
    private final Cleaner.Cleanable cleanable;
    private final String registry;
    private long badRows;

    private Dedup(String registry) {
        NativeLibrary.load();
        this.registry = registry;
        cleanable = CLEANER.register(this, n);
    }

    /** Checks a registry CSV (UTF-8 or GB18030, detected) on all cores. */
    public static Dedup check(String registryCsv) {
        return check(registryCsv, null, "auto", null, null, 0, null);
    }

    /** Checks a registry CSV.
     *  @param idColumn  the column of the record ids (null: the first of 学前学籍ID, 学籍ID, record_id, id; else the row number)
     *  @param encoding  "auto", "utf-8" or "gb18030" (null: auto)
     *  @param listener  told each row that cannot be read (may be null); see {@link #badRows()}
     *  @param columns   key fields mapped to the file's columns (as {@link Index#addCsv(String,
     *                   String, String, DiagnosticListener, Map)}); null for none
     *  @param threads   worker threads (0: all cores)
     *  @param progress  told the records twice over, on this thread: once the registry is read
     *                   and normalised, again once they are checked (a bar's total is two times
     *                   the records; the check is one native call, with no finer step); may be null */
    public static Dedup check(String registryCsv, String idColumn, String encoding, DiagnosticListener listener,
            Map<String, String> columns, int threads, Progress progress) {
        String mapping = Columns.text(columns);
        Dedup d = new Dedup(registryCsv);
        try {
            xjl_index[] ix = new xjl_index[1];
            Xjlink.xjl_index_new(ix);
            d.n.index = ix[0];
            xjl_dedup[] out = new xjl_dedup[1];
            Xjlink.xjl_dedup_new(out);
            d.n.dedup = out[0];
            int[] enc = new int[1];
            Xjlink.xjl_encoding_parse(encoding == null ? "auto" : encoding, enc);
            long[] bad = new long[1];
            Xjlink.xjl_index_add_csv_columns(d.n.index, registryCsv, xjl_encoding.swigToEnum(enc[0]), idColumn,
                    mapping, listener, bad);
            d.badRows = bad[0];
            long loaded = Xjlink.xjl_index_count(d.n.index);
            if (progress != null)
                progress.update(loaded); // half the bar: read and normalised
            Xjlink.xjl_dedup_run(d.n.dedup, d.n.index, threads);
            if (progress != null)
                progress.update(loaded); // the other half: checked
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** The native check.  A method that passes it on keeps this object
     *  reachable until its last native call returns
     *  ({@code Reference.reachabilityFence}): once the handle is read, the
     *  JIT may drop {@code this}, and a collection then runs the Cleaner,
     *  which would free the check under the running call. */
    private xjl_dedup live() {
        if (n.dedup == null)
            throw new XjlinkException(ESTATE, "the duplicate check is closed");
        return n.dedup;
    }

    /** Rows of the registry that could not be read (reported to the listener). */
    public long badRows() {
        return badRows;
    }

    /** The output rows, clusters first, in registry order. */
    public List<Row> rows() {
        xjl_dedup d = live();
        long count = Xjlink.xjl_dedup_row_count(d);
        List<Row> out = new ArrayList<>((int) count);
        xjl_dup_row r = new xjl_dup_row();
        try {
            for (long i = 0; i < count; i++) {
                Xjlink.xjl_dedup_row(d, i, r);
                out.add(new Row(r.getCluster().longValue(), Xjlink.xjl_dup_class_name(r.getCls()),
                        r.getRecord_id(), r.getReasons(), r.getPos().longValue()));
            }
        } finally {
            r.delete();
            Reference.reachabilityFence(this); // see live()
        }
        return Collections.unmodifiableList(out);
    }

    /** The check's figures by name: records, blocks, links, refused,
     *  clusters_same_id, clusters_no_id, clusters_one_id, clusters_fuzzy,
     *  clustered, bad_id, memory. */
    public Map<String, Long> stats() {
        xjl_dedup d = live();
        Map<String, Long> out = new LinkedHashMap<>();
        try {
            for (xjl_dedup_stat s : xjl_dedup_stat.values())
                if (s != xjl_dedup_stat.XJL_DEDUP_STAT_COUNT)
                    out.put(s.name().substring("XJL_DEDUP_".length()).toLowerCase(Locale.ROOT),
                            Xjlink.xjl_dedup_stat_get(d, s).longValue());
        } finally {
            Reference.reachabilityFence(this); // see live()
        }
        return Collections.unmodifiableMap(out);
    }

    /** Writes cluster_id,class,record_id,reasons (Chinese: header and classes in Chinese). */
    public void writeCsv(String path, boolean chinese) {
        try {
            Xjlink.xjl_dedup_write_csv(live(), path, chinese ? xjl_lang.XJL_LANG_ZH : xjl_lang.XJL_LANG_EN);
        } finally {
            Reference.reachabilityFence(this); // see live()
        }
    }

    /** Writes the check's page, the page of {@code xjlink dedup --report}:
     *  the clusters per class, the levels and scores of their links, the
     *  findings of every record, the clusters with their records.  Its
     *  heading names the registry and {@code results} (the clusters' CSV;
     *  null to leave it out).  Never written over the registry. */
    public void writeReport(Path page, String results, boolean chinese) {
        xjl_lang lang = chinese ? xjl_lang.XJL_LANG_ZH : xjl_lang.XJL_LANG_EN;
        xjl_dedup d = live();
        xjl_report[] out = new xjl_report[1];
        Xjlink.xjl_report_new(out, xjl_report_kind.XJL_REPORT_DEDUP, lang);
        try {
            Xjlink.xjl_report_add_input(out[0], Xjlink.xjl_message("report.input.registry", lang), registry);
            if (results != null)
                Xjlink.xjl_report_add_input(out[0], Xjlink.xjl_message("report.input.results", lang), results);
            Xjlink.xjl_report_add_dedup(out[0], d, n.index);
            Xjlink.xjl_report_write(out[0], page.toString(), new String[] {registry});
        } finally {
            out[0].delete();
            Reference.reachabilityFence(this); // see live()
        }
    }

    /** Frees the check and the registry's records; closing twice is allowed. */
    @Override
    public void close() {
        cleanable.clean();
    }
}

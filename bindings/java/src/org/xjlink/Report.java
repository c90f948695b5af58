package org.xjlink;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.List;

import org.xjlink.swig.Xjlink;
import org.xjlink.swig.xjl_lang;
import org.xjlink.swig.xjl_report;
import org.xjlink.swig.xjl_report_kind;

/**
 * A match run as one HTML page, the page of {@code xjlink match --report}
 * and of Python's {@code xjlink.report()}: one self-contained file (no
 * script, opens offline) with the rows per status, the distribution of the
 * best candidate's score with the review threshold, each key field's
 * agreement levels, the data-quality findings, and each pending row beside
 * its candidates with every field's part of the score.
 *
 * <pre>
 * List&lt;MatchResult&gt; results = Report.write(ix, roster.records(), Path.of("run.html"), true);
 * </pre>
 *
 * A {@link MatchResult} is a copy that holds nothing of the library, so the
 * page is collected while matching: {@link Index#matchAll(List, int, Report)}
 * adds each row with its record, and {@link #write(Path)} writes the page.
 * For a roster file, {@link MatchCsvOptions#report(Path)} makes the same page
 * as the results stream by.  A report belongs to one thread at a time.
 */
public final class Report implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int EINVAL = -1, ESTATE = -5;

    private static final class Native implements Runnable {
        xjl_report rep;

        @Override
        public void run() {
            if (rep != null)
                rep.delete();
            rep = null;
        }
    }

    private final Native n = new Native();
    private final Cleaner.Cleanable cleanable;
    private final boolean chinese;
    private Object index; // the Index's native state whose results were added
    private long rows;    // rows added, the line of the next

    /** A new, empty report of a match run; {@code chinese}: the page in Chinese. */
    public Report(boolean chinese) {
        NativeLibrary.load();
        xjl_report[] out = new xjl_report[1];
        Xjlink.xjl_report_new(out, xjl_report_kind.XJL_REPORT_MATCH,
                chinese ? xjl_lang.XJL_LANG_ZH : xjl_lang.XJL_LANG_EN);
        n.rep = out[0];
        this.chinese = chinese;
        cleanable = CLEANER.register(this, n);
    }

    /** Matches the records against the index into a page written to path,
     *  in Chinese or English; returns the results, in the order of the
     *  records.  The page is replaced whole or not at all. */
    public static List<MatchResult> write(Index index, List<Record> records, Path path, boolean chinese) {
        try (Report rep = new Report(chinese)) {
            List<MatchResult> results = index.matchAll(records, 0, rep);
            rep.write(path);
            return results;
        }
    }

    public boolean isChinese() {
        return chinese;
    }

    /** Pending rows shown at most (default 500); the page counts the rest. */
    public Report setMaxRows(int rows) {
        Xjlink.xjl_report_set_max_rows(live(), rows);
        return this;
    }

    /** A line of the page's heading, e.g. ("名单", "一年级.csv"); at most 8. */
    public Report addInput(String label, String value) {
        Xjlink.xjl_report_add_input(live(), label, value);
        return this;
    }

    /** Writes the page (whole or not at all: a failed write leaves path as it was). */
    public void write(Path path) {
        write(path, new String[0]);
    }

    void write(Path path, String[] inputs) {
        try {
            Xjlink.xjl_report_write(live(), path.toString(), inputs);
        } finally {
            Reference.reachabilityFence(this); // see live()
        }
    }

    /** The native report, for an index that adds its results; ties the
     *  report to that index (its candidates' values come from it). */
    xjl_report forIndex(Object indexState) {
        xjl_report r = live();
        if (index != null && index != indexState)
            throw new XjlinkException(EINVAL, "a report holds the results of one index");
        index = indexState;
        return r;
    }

    /** The line of the next row added: rows are numbered from 1 across calls. */
    long nextLine() {
        return ++rows;
    }

    /** The native report.  A method that passes it on and does not use
     *  {@code this} after the call keeps it reachable
     *  ({@code Reference.reachabilityFence}): the Cleaner would otherwise
     *  free the report under the running call. */
    private xjl_report live() {
        if (n.rep == null)
            throw new XjlinkException(ESTATE, "the report is closed");
        return n.rep;
    }

    /** Frees the native report; closing twice is allowed. */
    @Override
    public void close() {
        cleanable.clean();
    }
}

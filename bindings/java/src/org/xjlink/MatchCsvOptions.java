package org.xjlink;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@link Index#matchCsv(String, String, MatchCsvOptions)} reads the
 * roster and writes its results; each setter returns the options, so that
 * they read as one expression:
 *
 * <pre>
 * ix.matchCsv("roster.csv", "result.csv", new MatchCsvOptions()
 *         .columns(Map.of("姓名", "XSMC"))
 *         .progress(rows -&gt; done.addAndGet(rows))
 *         .report(Path.of("run.html")));
 * </pre>
 *
 * The defaults are those of {@code xjlink match}: encoding detected, all
 * cores, English, no BOM, the key columns found by their names.
 */
public final class MatchCsvOptions {
    String encoding = "auto";
    int threads;
    boolean chinese;
    boolean excel;
    Map<String, String> columns;
    Progress progress;
    Path report;
    int reportRows = -1;

    /** "auto" (the default), "utf-8" or "gb18030" (also "gbk", "gb2312"). */
    public MatchCsvOptions encoding(String encoding) {
        this.encoding = encoding == null ? "auto" : encoding;
        return this;
    }

    /** Matching threads (0, the default: all cores). */
    public MatchCsvOptions threads(int threads) {
        this.threads = threads;
        return this;
    }

    /** Everything in Chinese: the header, statuses, reasons in words (and the page). */
    public MatchCsvOptions chinese(boolean chinese) {
        this.chinese = chinese;
        return this;
    }

    /** A UTF-8 BOM and CRLF line ends, for Excel. */
    public MatchCsvOptions excel(boolean excel) {
        this.excel = excel;
        return this;
    }

    /** Key fields mapped to roster columns their names do not find, as
     *  {@code xjlink match --columns 姓名=XM,...}: key a field by any of its
     *  names (姓名, name, XM), value the roster's column.  A mapped column the
     *  roster lacks, or a key column still missing, fails the call with
     *  XJL_EFORMAT naming it. */
    public MatchCsvOptions columns(Map<String, String> columns) {
        this.columns = columns == null ? null : new LinkedHashMap<>(columns);
        return this;
    }

    /** Told the rows done as the run goes (see {@link Progress} for its thread). */
    public MatchCsvOptions progress(Progress progress) {
        this.progress = progress;
        return this;
    }

    /** Also writes the run's page (the page of {@code xjlink match --report}):
     *  written once the results are, never over the roster or the registry. */
    public MatchCsvOptions report(Path page) {
        this.report = page;
        return this;
    }

    /** Pending rows shown on the page at most (default 500, the library's). */
    public MatchCsvOptions reportRows(int rows) {
        this.reportRows = rows;
        return this;
    }
}

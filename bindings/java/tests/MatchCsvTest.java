package org.xjlink.tests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.xjlink.Dedup;
import org.xjlink.Index;
import org.xjlink.LoadReport;
import org.xjlink.MatchCsvOptions;
import org.xjlink.MatchResult;
import org.xjlink.Record;
import org.xjlink.Report;
import org.xjlink.Roster;
import org.xjlink.Workspace;
import org.xjlink.XjlinkException;

/**
 * Column mapping, progress and the run's page from Java (matching a roster,
 * the duplicate check), each against what the CLI does with the same input.  Usage: MatchCsvTest DATA_DIR XJLINK
 * (examples/data, the built program).
 */
public final class MatchCsvTest {
    private static final int EINVAL = -1, EFORMAT = -7;

    private static void check(boolean ok, String what) {
        XjlinkTest.check(ok, what);
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        String cli = args[1];
        Path tmp = Files.createTempDirectory("xjlink-matchcsv");
        try {
            columns(tmp, data);
            progress(tmp, data);
            report(tmp, data, cli);
            dedup(tmp, data, cli);
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println(XjlinkTest.checks + " checks, " + XjlinkTest.failures + " failed");
        System.exit(XjlinkTest.failures == 0 ? 0 : 1);
    }

    /** A copy of a CSV file with its header's names replaced (old → new). */
    static Path renamed(Path from, Path to, Map<String, String> names) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(from, StandardCharsets.UTF_8));
        String header = lines.get(0).replace("\uFEFF", "");
        StringBuilder b = new StringBuilder();
        for (String col : header.split(",", -1))
            b.append(b.length() > 0 ? "," : "").append(names.getOrDefault(col, col));
        lines.set(0, b.toString());
        Files.write(to, lines, StandardCharsets.UTF_8);
        return to;
    }

    static void columns(Path tmp, Path data) throws Exception {
        Path registry = data.resolve("registry_sample.csv"), roster = data.resolve("roster_sample.csv");
        // a school system's own names, which no name of the library finds
        Map<String, String> own = new LinkedHashMap<>();
        own.put("姓名", "学生名称");
        own.put("身份证件号", "证件号码XX");
        Path reg2 = renamed(registry, tmp.resolve("reg_own.csv"), own);
        Path ros2 = renamed(roster, tmp.resolve("roster_own.csv"), own);
        Map<String, String> mapping = new LinkedHashMap<>();
        mapping.put("姓名", "学生名称");
        mapping.put("id_number", "证件号码XX"); // a field by its English name

        // without the mapping: the missing key columns are named
        try {
            Index.fromCsv(reg2.toString());
            check(false, "a registry without its key columns: no exception");
        } catch (XjlinkException e) {
            check(e.code() == EFORMAT && e.getMessage().contains("姓名"),
                    "the missing key column is named: " + e.getMessage());
        }
        try (Index plain = Index.fromCsv(registry.toString());
                Index mapped = Index.fromCsv(reg2.toString(), null, "auto", null, mapping)) {
            check(mapped.size() == plain.size() && mapped.size() == 300, "registry mapped: " + mapped.size());
            // the roster: mapped, the same results as with the standard names
            Path outPlain = tmp.resolve("plain.csv"), outMapped = tmp.resolve("mapped.csv");
            Index.Totals a = plain.matchCsv(roster.toString(), outPlain.toString());
            Index.Totals b = mapped.matchCsv(ros2.toString(), outMapped.toString(),
                    new MatchCsvOptions().columns(mapping));
            check(a.equals(b) && a.rows() == 43, "roster mapped, the same totals: " + a + " " + b);
            List<String> la = Files.readAllLines(outPlain), lb = Files.readAllLines(outMapped);
            check(la.size() == lb.size() && la.subList(1, la.size()).equals(lb.subList(1, lb.size())),
                    "roster mapped, the same rows");
            try {
                mapped.matchCsv(ros2.toString(), tmp.resolve("x.csv").toString());
                check(false, "a roster without its key columns: no exception");
            } catch (XjlinkException e) {
                check(e.code() == EFORMAT && e.getMessage().contains("姓名"),
                        "the roster's missing key column is named: " + e.getMessage());
            }
            check(!Files.exists(tmp.resolve("x.csv")), "nothing written for a roster refused");
            // a mapped column the file lacks is named
            try {
                mapped.matchCsv(ros2.toString(), tmp.resolve("x.csv").toString(),
                        new MatchCsvOptions().columns(Map.of("姓名", "没有这列")));
                check(false, "a mapped column the roster lacks: no exception");
            } catch (XjlinkException e) {
                check(e.code() == EFORMAT && e.getMessage().contains("没有这列"),
                        "the absent mapped column is named: " + e.getMessage());
            }
            // a name that cannot be said in the mapping's text
            XjlinkTest.expectError(EINVAL, "a column name with a comma",
                    () -> mapped.matchCsv(ros2.toString(), tmp.resolve("x.csv").toString(),
                            new MatchCsvOptions().columns(Map.of("姓名", "a,b"))));

            Roster r = Roster.read(ros2.toString(), mapping);
            Roster std = Roster.read(roster.toString());
            check(r.records().equals(std.records()), "a roster read with the mapping");
            try (java.io.InputStream in = Files.newInputStream(ros2)) {
                check(Roster.read(in, "upload.csv", mapping).records().equals(std.records()),
                        "a roster stream read with the mapping");
            }
            XjlinkTest.expectError(EFORMAT, "a roster read without the mapping",
                    () -> Roster.read(ros2.toString()));
        }

        // the workspace: every file it reads from then on
        try (Workspace ws = new Workspace(tmp.resolve("cols.db").toString(), "county-admin")) {
            ws.setSchool("S1", "第一小学", 110108, null);
            XjlinkTest.expectError(EFORMAT, "a registry without its key columns",
                    () -> ws.loadRegistry(reg2.toString()));
            check(ws.registryCount() == 0, "nothing loaded from a refused registry");
            ws.setColumns(mapping);
            LoadReport reg = ws.loadRegistry(reg2.toString());
            check(reg.inserted == 300, "registry loaded with the mapping: " + reg);
            LoadReport imp = ws.importRoster("S1", ros2.toString());
            check(imp.rows == 43 && imp.matched > 0, "roster imported with the mapping: " + imp);
            ws.setColumns(Map.of("姓名", "没有这列"));
            try {
                ws.importRoster("S1", ros2.toString());
                check(false, "a mapped column the roster lacks: no exception");
            } catch (XjlinkException e) {
                check(e.code() == EFORMAT && e.getMessage().contains("没有这列"),
                        "the workspace names the absent mapped column: " + e.getMessage());
            }
            ws.setColumns(null);
        }
    }

    /** A roster of more than a chunk (4 MiB), so that progress is told more than once. */
    static Path bigRoster(Path tmp, Path data, int copies) throws Exception {
        List<String> lines = Files.readAllLines(data.resolve("roster_sample.csv"), StandardCharsets.UTF_8);
        Path big = tmp.resolve("big.csv");
        StringBuilder b = new StringBuilder(lines.get(0)).append('\n');
        for (int c = 0; c < copies; c++)
            for (String l : lines.subList(1, lines.size()))
                b.append(l).append('\n');
        Files.writeString(big, b, StandardCharsets.UTF_8);
        return big;
    }

    static void progress(Path tmp, Path data) throws Exception {
        Path big = bigRoster(tmp, data, 2500); // 107500 rows, about 6 MB
        try (Index ix = Index.fromCsv(data.resolve("registry_sample.csv").toString())) {
            AtomicLong total = new AtomicLong(), calls = new AtomicLong();
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            Index.Totals t = ix.matchCsv(big.toString(), tmp.resolve("big_out.csv").toString(),
                    new MatchCsvOptions().progress(rows -> {
                        check(rows > 0, "each report counts rows done since the last: " + rows);
                        total.addAndGet(rows);
                        calls.incrementAndGet();
                        threads.add(Thread.currentThread());
                    }));
            check(t.rows() == 107500, "rows: " + t.rows());
            check(total.get() == t.rows(), "the reports add up to the rows: " + total.get());
            check(calls.get() >= 2, "told more than once: " + calls.get());
            // the library's writing thread, attached for the call (and let go after)
            check(!threads.contains(Thread.currentThread()), "told on the library's thread");
            for (Thread th : threads)
                check(th.isDaemon(), "an attached thread never holds the JVM open");

            // loading a registry: told twice over, on this thread
            List<Long> told = new ArrayList<>();
            Index.fromCsv(data.resolve("registry_sample.csv").toString(), null, "auto", null, null,
                    told::add).close();
            check(told.equals(List.of(300L, 300L)), "registry loading told twice: " + told);

            // a listener that throws: the call throws it, the JVM and the index go on
            calls.set(0);
            Path out = tmp.resolve("thrown.csv");
            try {
                ix.matchCsv(big.toString(), out.toString(), new MatchCsvOptions().progress(rows -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("stop, says the listener");
                }));
                check(false, "a listener's exception: not thrown");
            } catch (IllegalStateException e) {
                check(e.getMessage().equals("stop, says the listener"), "the listener's own exception");
            }
            check(calls.get() == 1, "no report after the listener threw: " + calls.get());
            // the library's own error wins over the listener's
            try {
                ix.matchCsv(tmp.resolve("absent.csv").toString(), out.toString(),
                        new MatchCsvOptions().progress(rows -> {
                            throw new IllegalStateException("never told");
                        }));
                check(false, "an absent roster: no exception");
            } catch (XjlinkException e) {
                check(e.getMessage().contains("absent.csv"), "the call's error: " + e.getMessage());
            }
            // closing or rebuilding the index from a listener of its own call is
            // refused (it waited for ever: the call holds the index until it
            // returns), on the library's thread (threads 0) and on this one (1)
            for (int th = 0; th < 2; th++) {
                List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
                try {
                    ix.matchCsv(big.toString(), out.toString(), new MatchCsvOptions().threads(th).progress(rows -> {
                        for (Runnable r : new Runnable[] {ix::close, ix::build}) {
                            try {
                                r.run();
                            } catch (XjlinkException e) {
                                refused.add(e.code() + " " + e.getMessage());
                            }
                        }
                        throw new IllegalStateException("done");
                    }));
                } catch (IllegalStateException e) {
                    check(e.getMessage().equals("done"), "the listener's own exception");
                }
                check(refused.size() == 2 && refused.stream().allMatch(m -> m.startsWith("-5 ")
                        && m.contains("own call")), "threads " + th + ": refused " + refused);
                check(ix.size() == 300, "threads " + th + ": the index stays open");
            }
            // a DiagnosticListener of addCsv: close() freed the index under the call
            Path badRegistry = tmp.resolve("bad_registry.csv");
            Files.writeString(badRegistry, Files.readString(data.resolve("registry_sample.csv"),
                    StandardCharsets.UTF_8) + "BAD1,短行\n", StandardCharsets.UTF_8);
            List<String> refused = new ArrayList<>();
            Index building = new Index();
            try {
                long bad = building.addCsv(badRegistry.toString(), null, "auto", (f, line, c, v, m) -> {
                    try {
                        building.close();
                    } catch (XjlinkException e) {
                        refused.add(e.code() + " " + e.getMessage());
                    }
                });
                check(bad == 1 && refused.size() == 1 && refused.get(0).startsWith("-5 close: "),
                        "addCsv's listener may not close its index: " + refused);
                check(building.build(0).size() == 300, "and the index is whole: " + building.size());
            } finally {
                building.close();
            }
            total.set(0);
            Index.Totals again = ix.matchCsv(big.toString(), out.toString(),
                    new MatchCsvOptions().threads(2).progress(total::addAndGet));
            check(again.equals(t) && total.get() == t.rows(), "the index works on: " + again);
            check(ix.match(XjlinkTest.AYGL).status() == MatchResult.Status.MATCHED, "and matches");
        }
    }

    static void report(Path tmp, Path data, String cli) throws Exception {
        String registry = data.resolve("registry_sample.csv").toString();
        String roster = data.resolve("roster_sample.csv").toString();
        String out = tmp.resolve("result.csv").toString();
        Path cliPage = tmp.resolve("cli.html"), javaPage = tmp.resolve("java.html");
        Process p = new ProcessBuilder(cli, "match", "--registry", registry, "--roster", roster, "--out", out,
                "--report", cliPage.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        check(p.waitFor() == 0 && Files.exists(cliPage), "the CLI's page: " + said);
        try (Index ix = Index.fromCsv(registry)) {
            Index.Totals t = ix.matchCsv(roster, out, new MatchCsvOptions().report(javaPage));
            check(t.rows() == 43, "roster matched with a page");
            check(Files.exists(javaPage) && Files.mismatch(cliPage, javaPage) == -1,
                    "the page is the CLI's, byte for byte");
            String page = Files.readString(javaPage);
            check(page.startsWith("<!DOCTYPE html>") && page.contains(roster) && page.contains(registry),
                    "a page naming its inputs");
            // never over an input
            try {
                ix.matchCsv(roster, out, new MatchCsvOptions().report(Path.of(registry)));
                check(false, "a page over the registry: no exception");
            } catch (XjlinkException e) {
                check(e.code() == EINVAL, "a page over the registry is refused: " + e.getMessage());
            }
            check(Files.size(Path.of(registry)) > 10000, "the registry is untouched");
            long resultSize = Files.size(Path.of(out));
            XjlinkTest.expectError(EINVAL, "a page over the results",
                    () -> ix.matchCsv(roster, out, new MatchCsvOptions().report(Path.of(out))));
            check(Files.size(Path.of(out)) == resultSize, "the results are untouched");

            // records matched in Java: the page of Python's xjlink.report()
            Roster r = Roster.read(roster);
            List<Record> records = new ArrayList<>(r.records());
            records.add(new Record("坏\0名", "男", "2018-01-01", "居民身份证", null));
            Path zh = tmp.resolve("zh.html");
            List<MatchResult> results = Report.write(ix, records, zh, true);
            check(results.size() == 44 && results.get(43).status() == MatchResult.Status.ERROR,
                    "results of the page's rows");
            String zhPage = Files.readString(zh);
            long pending = results.stream().filter(x -> x.status() == MatchResult.Status.PENDING).count();
            check(pending > 0 && zhPage.contains("待确认的行及其候选记录"), "a Chinese page with the pending rows");
            check(zhPage.contains("name:nul"), "the unreadable row is shown with why");
            // a pending row is shown beside its record's values
            MatchResult firstPending = results.stream()
                    .filter(x -> x.status() == MatchResult.Status.PENDING).findFirst().get();
            String name = records.get(results.indexOf(firstPending)).name();
            check(zhPage.contains(name), "the pending row's name is on the page: " + name);

            // one report, one index
            try (Report rep = new Report(false); Index other = Index.fromCsv(registry)) {
                ix.matchAll(records.subList(0, 3), 1, rep);
                ix.matchAll(records.subList(3, 5), 1, rep);
                XjlinkTest.expectError(EINVAL, "results of another index",
                        () -> other.matchAll(records.subList(0, 1), 1, rep));
                rep.write(tmp.resolve("two.html"));
                check(Files.readString(tmp.resolve("two.html")).contains("<p>rows read: 5</p>"),
                        "two calls, one page of their 5 rows");
            }
            Report closed = new Report(false);
            closed.close();
            XjlinkTest.expectError(-5, "a closed report", () -> closed.write(tmp.resolve("c.html")));
        }
    }

    static void dedup(Path tmp, Path data, String cli) throws Exception {
        String registry = data.resolve("registry_sample.csv").toString();
        String out = tmp.resolve("clusters.csv").toString();
        Path cliPage = tmp.resolve("dedup_cli.html"), javaPage = tmp.resolve("dedup_java.html");
        Process p = new ProcessBuilder(cli, "dedup", "--registry", registry, "--out", out, "--report",
                cliPage.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        check(p.waitFor() == 0, "the CLI's check: " + said);
        byte[] cliCsv = Files.readAllBytes(Path.of(out));
        List<Long> told = new ArrayList<>();
        try (Dedup d = Dedup.check(registry, null, "auto", null, null, 2, told::add)) {
            long records = d.stats().get("records");
            check(records == 300 && told.equals(List.of(300L, 300L)), "progress twice over: " + told);
            d.writeCsv(out, false);
            check(java.util.Arrays.equals(Files.readAllBytes(Path.of(out)), cliCsv), "the CLI's clusters");
            d.writeReport(javaPage, out, false);
            check(Files.mismatch(cliPage, javaPage) == -1, "the CLI's page, byte for byte");
            List<Dedup.Row> rows = d.rows();
            long clustered = rows.stream().filter(r -> r.cluster() > 0).count();
            check(clustered == d.stats().get("clustered") && clustered > 0, "rows of the clusters: " + clustered);
            check(Files.readAllLines(Path.of(out)).size() == rows.size() + 1, "one line per row");
            try {
                d.writeReport(Path.of(registry), null, false);
                check(false, "a page over the registry: no exception");
            } catch (XjlinkException e) {
                check(e.code() == EINVAL, "a page over the registry is refused: " + e.getMessage());
            }
        }
        Dedup closed = Dedup.check(registry);
        closed.close();
        XjlinkTest.expectError(-5, "a closed check", closed::rows);
        // the registry's own column names, mapped
        Path own = renamed(Path.of(registry), tmp.resolve("reg_dedup.csv"), Map.of("姓名", "学生名称"));
        XjlinkTest.expectError(EFORMAT, "a registry without its key columns",
                () -> Dedup.check(own.toString()));
        try (Dedup d = Dedup.check(own.toString(), null, "auto", null, Map.of("姓名", "学生名称"), 0, null)) {
            d.writeCsv(out, false);
            check(java.util.Arrays.equals(Files.readAllBytes(Path.of(out)), cliCsv), "mapped, the same clusters");
        }
        // a listener that throws: the check's own thread, so the exception is the call's
        try {
            Dedup.check(registry, null, "auto", null, null, 0, rows -> {
                throw new IllegalStateException("enough");
            });
            check(false, "a listener's exception: not thrown");
        } catch (IllegalStateException e) {
            check(e.getMessage().equals("enough"), "the listener's exception stops the check");
        }
    }
}

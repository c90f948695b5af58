package org.xjlink.tests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.xjlink.Index;
import org.xjlink.MatchResult;
import org.xjlink.MatchResult.Status;
import org.xjlink.Record;
import org.xjlink.Roster;
import org.xjlink.XjlinkException;
import org.xjlink.swig.Xjlink;
import org.xjlink.swig.xjl_encoding;
import org.xjlink.swig.xjl_listing;
import org.xjlink.swig.xjl_load_report;
import org.xjlink.swig.xjl_name_form;
import org.xjlink.swig.xjl_row_status;
import org.xjlink.swig.xjl_workspace;

/**
 * The Java binding against the sample data (examples/data): builds an index,
 * matches the roster and checks the results, the errors and the threads.
 * Usage: XjlinkTest DATA_DIR.  Exits 1 if a check fails.
 */
public final class XjlinkTest {
    // package-visible: WorkspaceTest counts its checks here too
    static int checks, failures;

    static void check(boolean ok, String what) {
        checks++;
        if (!ok) {
            failures++;
            System.out.println("FAIL: " + what);
        }
    }

    interface Body {
        void run() throws Exception;
    }

    static void expectError(int code, String what, Body body) {
        try {
            body.run();
            check(false, what + ": no exception");
        } catch (XjlinkException e) {
            check(e.code() == code, what + ": code " + e.code() + " (" + e.getMessage() + "), want " + code);
            check(e.getMessage() != null && !e.getMessage().isEmpty(), what + ": a message");
        } catch (Exception e) {
            check(false, what + ": " + e);
        }
    }

    static final Record AYGL = new Record("阿依古丽·买买提", "女", "2018-04-17", "居民身份证", "650102201804174824");

    /** Stream inputs read as their files do; errors name the stream, not a temporary file. */
    static void streams(String registry, String roster, Path noKeys) throws Exception {
        try (java.io.InputStream in = Files.newInputStream(Path.of(registry));
                Index fromStream = Index.fromCsv(in, "upload.csv");
                Index fromFile = Index.fromCsv(registry)) {
            check(fromStream.size() == fromFile.size() && fromStream.size() == 300,
                    "registry from a stream: " + fromStream.size() + " records");
            Roster a = Roster.read(Files.newInputStream(Path.of(roster)), "roster upload");
            Roster b = Roster.read(roster);
            check(a.rows().equals(b.rows()) && a.header().equals(b.header()), "roster from a stream");
            check(fromStream.match(a.records().get(0)).status() == fromFile.match(b.records().get(0)).status(),
                    "a stream's roster matches as the file's");
        }
        try (java.io.InputStream in = Files.newInputStream(noKeys)) {
            Roster.read(in, "名单.csv");
            check(false, "a stream without key columns: no exception");
        } catch (XjlinkException e) {
            check(e.getMessage().contains("名单.csv") && !e.getMessage().contains("xjlink-"),
                    "the stream's error names the stream: " + e.getMessage());
        }
        String jarVersion = Index.class.getPackage().getImplementationVersion();
        check(Index.libraryVersion().equals(jarVersion),
                "manifest version " + jarVersion + " = library " + Index.libraryVersion());
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        String registry = data.resolve("registry_sample.csv").toString();
        String roster = data.resolve("roster_sample.csv").toString();

        Path saved = Files.createTempFile("xjlink", ".xjx");
        try (Index ix = Index.fromCsv(registry)) {
            ix.save(saved.toString());
            try (Index opened = Index.open(saved.toString(), true)) {
                check(opened.size() == 300 && opened.isBuilt(), "opened: 300 records, built");
                MatchResult a = ix.match(AYGL), b = opened.match(AYGL);
                check(a.status() == b.status() && a.score() == b.score()
                        && a.matchId().equals(b.matchId()), "the opened index matches the same");
            }
        }
        try (Index ix = Index.fromCsv(registry)) {
            check(ix.fileChecksum().isEmpty(), "built in memory: no file checksum");
        }
        byte[] bytes = Files.readAllBytes(saved);
        long atHeader = java.nio.ByteBuffer.wrap(bytes, 88, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        try (Index opened = Index.open(saved.toString(), Index.Check.BOUNDS)) {
            check(opened.fileChecksum().getAsLong() == atHeader, "the file checksum is the header's");
        }
        /* a position of the ID table past the records: inside a section, the header sound */
        java.nio.ByteBuffer table = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < table.getInt(20); i++)
            if (table.getInt(96 + 32 * i) == 4)
                table.putInt((int) table.getLong(96 + 32 * i + 8), 0xFFFFFFF0);
        Files.write(saved, bytes);
        try (Index unchecked = Index.open(saved.toString(), Index.Check.HEADER)) {
            check(unchecked.size() == 300, "the header alone: opened");
        }
        expectError(-15, "bounds: a position naming no record", () -> Index.open(saved.toString(), Index.Check.BOUNDS));
        Files.write(saved, "not an index".getBytes());
        expectError(-16, "not an index file", () -> Index.open(saved.toString()));
        Files.delete(saved);

        try (Index ix = Index.fromCsv(registry)) {
            check(ix.size() == 300, "300 records, got " + ix.size());
            check(ix.isBuilt() && ix.badRows() == 0, "built, no bad rows");

            MatchResult r = ix.match(AYGL);
            check(r.status() == Status.MATCHED, "matched: " + r);
            check("XQ65010200001".equals(r.matchId()), "match id " + r.matchId());
            check(r.reasons().equals("id=exact name=exact dob=exact gender=exact type=exact"), r.reasons());
            check(r.candidates().get(0).levels().equals(Map.of("name", "exact", "gender", "exact",
                    "birth_date", "exact", "id_type", "exact", "id_number", "exact")), "levels");
            check(r.status().labelZh().equals("已匹配学前学籍"), "label");

            MatchResult p = ix.match(new Record("阿依古丽•买买提", "女", "2018-04-18", "1", "650102201804174824"));
            check(p.status() == Status.PENDING && p.matchId() == null, "pending: " + p);
            check(p.candidates().get(0).levels().get("birth_date").equals("one_day"), "one day");
            MatchResult.Candidate c = p.candidates().get(0);
            double sum = 0;
            for (double w : c.weights().values())
                sum += w;
            check(Math.abs(sum - c.score()) < 1e-3, "weights sum to the score: " + c.weights());
            check(c.weights().get("birth_date") == 4.0, "one day weighs 4: " + c.weights());
            check(Math.abs(c.probability() - 1 / (1 + 299 * Math.pow(2, -c.score()))) < 1e-9,
                    "probability " + c.probability());
            check(p.findings().get("record").contains("dob_mismatch"), "findings " + p.findings());

            MatchResult nf = ix.match(new Record("诸葛亮", "男", "2018-01-01", "居民身份证", "110108201801010013"));
            check(nf.status() == Status.NOT_FOUND && nf.candidates().isEmpty(), "not found: " + nf);
            MatchResult err = ix.match(new Record("", "男", null, null, null));
            check(err.status() == Status.ERROR && err.findings().containsKey("name"), "error: " + err);

            // English and Chinese keys
            Record en = Record.of(Map.of("name", "阿依古丽·买买提", "gender", "女", "birth_date", "2018-04-17",
                    "id_type", "1", "id_number", "650102201804174824"));
            Record zh = Record.of(Map.of("*姓名", "阿依古丽·买买提", "性别", "女", "出生日期（格式：20150101）",
                    "2018-04-17", "身份证号", "650102201804174824"));
            check("XQ65010200001".equals(ix.match(en).matchId()), "English keys");
            check("XQ65010200001".equals(ix.match(zh).matchId()), "Chinese keys as templates write them");

            // the roster, one by one and as a batch
            Roster ro = Roster.read(roster);
            List<Record> recs = ro.records();
            check(recs.size() == 43, "43 roster rows, got " + recs.size());
            List<MatchResult> all = ix.matchAll(recs, 2);
            List<String> one = new ArrayList<>(), many = new ArrayList<>();
            for (int i = 0; i < recs.size(); i++) {
                MatchResult a = ix.match(recs.get(i));
                one.add(a.status() + "/" + a.matchId() + "/" + a.reasons());
                MatchResult b = all.get(i);
                many.add(b.status() + "/" + b.matchId() + "/" + b.reasons());
            }
            check(one.equals(many), "matchAll equals match");
            int[] counts = new int[4];
            for (MatchResult m : all)
                counts[m.status().ordinal()]++;
            check(counts[0] > 0 && counts[1] > 0 && counts[2] > 0 && counts[3] > 0,
                    "all four statuses in the sample roster");

            // the streaming path: the same statuses, written to a file
            Path out = Files.createTempFile("xjlink-match", ".csv");
            try {
                Index.Totals t = ix.matchCsv(roster, out.toString());
                check(t.rows() == 43 && t.matched() == counts[0] && t.pending() == counts[1]
                        && t.notFound() == counts[2] && t.error() == counts[3],
                        "matchCsv counts " + t);
                List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
                check(lines.get(0).endsWith(",status,match_id,candidates,score,reasons,weights"),
                        "matchCsv header " + lines.get(0));
                int matchedLines = 0;
                for (String l : lines)
                    if (l.contains(",matched,"))
                        matchedLines++;
                check(matchedLines == counts[0], "matchCsv rows matched: " + matchedLines);
                expectError(-4, "matchCsv of a missing file (XJL_EIO)",
                        () -> ix.matchCsv(roster + ".none", out.toString()));
            } finally {
                Files.deleteIfExists(out);
            }

            // threads share one index
            List<Record> many4 = new ArrayList<>();
            for (int k = 0; k < 20; k++)
                many4.addAll(recs);
            AtomicInteger bad = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    for (int i = 0; i < many4.size(); i++) {
                        MatchResult a = ix.match(many4.get(i));
                        MatchResult b = all.get(i % recs.size());
                        if (a.status() != b.status() || !String.valueOf(a.matchId()).equals(String.valueOf(b.matchId())))
                            bad.incrementAndGet();
                    }
                });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts)
                th.join();
            check(bad.get() == 0, "threads agree with the batch (" + bad.get() + " differ)");

            // parameters
            ix.setParam("review_threshold", 1000);
            check(ix.match(new Record("阿依古丽•买买提", "女", "2018-04-18", "1", "650102201804174824")).status()
                    == Status.NOT_FOUND, "review threshold applied");
            expectError(-1, "unknown parameter", () -> ix.setParam("nope", 1));
            expectError(-1, "parameter out of range", () -> ix.setParam("max_candidates", 0));
            expectError(-13, "add of an id already there", () -> ix.add("XQ65010200001", AYGL));
            expectError(-8, "update of an id not there", () -> ix.update("nope", AYGL));
        }

        // changes after the build, as the changed registry matches
        try (Index ix = Index.fromCsv(registry)) {
            ix.remove("XQ65010200001");
            check(ix.match(AYGL).status() == Status.NOT_FOUND, "removed: not found");
            ix.add("NEW1", AYGL);
            MatchResult r = ix.match(AYGL);
            check(r.status() == Status.MATCHED && "NEW1".equals(r.matchId()), "added: matched " + r);
            ix.update("NEW1", new Record("阿依古丽·买买提", "女", "2018-04-18", "居民身份证",
                    "650102201804174824"));
            check(ix.match(AYGL).status() == Status.PENDING, "updated: pending");
            check(ix.changes() == 3 && ix.size() == 300, "3 changes, 300 records");
            Path changed = Files.createTempFile("xjlink", ".xjx");
            ix.save(changed.toString());
            try (Index opened = Index.open(changed.toString(), true)) {
                check(opened.changes() == 3 && opened.match(AYGL).status() == Status.PENDING,
                        "the changes saved with the file");
                opened.compact(1);
                check(opened.changes() == 0 && opened.size() == 300, "compacted");
            }
            Files.delete(changed);
        }

        // a batch of changes in one call, a result per change; as the same changes one by one
        try (Index batch = Index.fromCsv(registry); Index one = Index.fromCsv(registry)) {
            Record moved = new Record("阿依古丽·买买提", "女", "2018-04-18", "居民身份证", "650102201804174824");
            int[] res = batch.apply(List.of(Index.Change.remove("XQ65010200001"), Index.Change.add("NEW1", AYGL),
                    Index.Change.update("NEW1", moved), Index.Change.add("NEW1", AYGL),
                    Index.Change.update("nope", AYGL), Index.Change.remove("nope")));
            check(Arrays.equals(res, new int[] {0, 0, 0, -13, -8, -8}), "apply results " + Arrays.toString(res));
            one.remove("XQ65010200001");
            one.add("NEW1", AYGL);
            one.update("NEW1", moved);
            check(batch.changes() == 3 && batch.size() == one.size(), "3 changes applied");
            MatchResult a = batch.match(AYGL), b = one.match(AYGL);
            check(a.status() == Status.PENDING && a.status() == b.status() && a.score() == b.score()
                    && a.candidates().size() == b.candidates().size(), "apply matches as the calls: " + a);
            check(batch.apply(List.of()).length == 0, "an empty batch");
            expectError(-1, "a change without a record", () -> batch.apply(List.of(new Index.Change(
                    Index.ChangeOp.ADD, "X", null))));
            expectError(-5, "a batch on an index not built", () -> new Index().apply(List.of(
                    Index.Change.add("X", AYGL))));
        }

        // errors
        expectError(-4, "missing file", () -> Index.fromCsv(data.resolve("no_such_file.csv").toString()));
        Path tmp = Files.createTempDirectory("xjlink-java-test");
        Path noKeys = tmp.resolve("nokeys.csv");
        Files.writeString(noKeys, "a,b\n1,2\n", StandardCharsets.UTF_8);
        expectError(-7, "no key columns", () -> Index.fromCsv(noKeys.toString()));
        expectError(-1, "NUL in a string", () -> new Index().add("a\0b", AYGL));
        expectError(-1, "NUL in a field", () -> new Index().add("a",
                new Record("张\0三", "男", "2019-01-01", "1", "")));
        try (Index ix = Index.fromCsv(registry)) {
            Record nulRow = new Record("阿依古丽·买买提", "女", "2018-04-17\0", "1", "650102201804174824");
            MatchResult e = ix.match(nulRow);
            check(e.status() == Status.ERROR && e.reasons().equals("birth_date:nul"), "NUL row: " + e);
            List<MatchResult> three = ix.matchAll(List.of(AYGL, nulRow, AYGL), 1);
            check(three.get(0).status() == Status.MATCHED && three.get(1).status() == Status.ERROR
                    && three.get(2).status() == Status.MATCHED, "a NUL row in a batch: " + three);
        }

        Index closed = Index.fromCsv(registry);
        closed.close();
        closed.close();
        expectError(-5, "match after close", () -> closed.match(AYGL));
        expectError(-5, "size after close", closed::size);

        Index unbuilt = new Index();
        unbuilt.add("A1", new Record("王小明", "男", "2018-03-01", "1", ""));
        expectError(-5, "match before build", () -> unbuilt.match(AYGL));
        unbuilt.build(1);
        check(unbuilt.match(new Record("王小明", "男", "2018-03-01", "", "")).candidates().get(0).id().equals("A1"),
                "add, build, match");
        unbuilt.close();

        // bad rows reach the listener
        Path badRows = tmp.resolve("bad.csv");
        Files.writeString(badRows, "id,姓名,性别,出生日期,身份证件类型,身份证件号\n"
                + "1,王小明,男,2018-03-01,居民身份证,110108201803010017\n2,李小红\n", StandardCharsets.UTF_8);
        List<String> seen = new ArrayList<>();
        try (Index b = Index.fromCsv(badRows.toString(), null, "utf-8",
                (file, line, column, value, message) -> seen.add(line + ":" + message))) {
            check(b.size() == 1 && b.badRows() == 1, "bad row counted");
            check(seen.size() == 1 && seen.get(0).startsWith("3:"), "listener told: " + seen);
        }

        // a listener's exception is what the caller sees
        try {
            Index.fromCsv(badRows.toString(), null, "auto", (file, line, column, value, message) -> {
                throw new IllegalStateException("listener says no");
            });
            check(false, "listener exception propagates");
        } catch (IllegalStateException e) {
            check(e.getMessage().equals("listener says no"), "listener exception propagates");
        }

        // UTF-8 both ways, outside the BMP too (JNI's own strings garble 𠀀)
        String[] out = new String[1];
        int[] findings = new int[1];
        Xjlink.xjl_name_normalize("𠀀 小明", xjl_name_form.XJL_NAME_DISPLAY, out, findings);
        check("𠀀小明".equals(out[0]), "non-BMP name round trip: " + out[0]);
        check(Roster.quote("a,\"b\"").equals("\"a,\"\"b\"\"\""), "quote");
        check(Roster.quote("x".repeat(5000)).length() == 5000, "long quote");
        expectError(-1, "bad gender", () -> Xjlink.xjl_gender_parse("x", new int[1]));

        // the workspace API, wrapped by the same conventions; policy hooks are Java lambdas
        Path wsPath = tmp.resolve("w.db");
        xjl_workspace[] wsOut = new xjl_workspace[1];
        Xjlink.xjl_workspace_open(wsOut, wsPath.toString());
        xjl_workspace ws = wsOut[0];
        Xjlink.xjl_school_set(ws, "S1", "第一小学", 110108, null);
        xjl_load_report rep = new xjl_load_report();
        Xjlink.xjl_intake_load_registry(ws, registry, xjl_encoding.XJL_ENC_AUTO, null, rep);
        check(rep.getInserted() == 300, "workspace registry loaded: " + rep.getInserted());
        String[] row = {"王小明", "男", "2018-03-01", "1", ""};
        List<String> asked = new ArrayList<>();
        Xjlink.xjl_workspace_set_window_hook(ws, (process, date) -> {
            asked.add(process);
            return false;
        });
        expectError(-12, "window hook refuses", () -> Xjlink.xjl_intake_add(ws, "S1", row, new long[1], new int[1]));
        check(asked.equals(List.of("intake")), "hook asked: " + asked);
        Xjlink.xjl_workspace_set_window_hook(ws, (process, date) -> {
            throw new IllegalStateException("hook says no");
        });
        try {
            Xjlink.xjl_intake_add(ws, "S1", row, new long[1], new int[1]);
            check(false, "a hook's exception propagates");
        } catch (IllegalStateException e) {
            check(e.getMessage().equals("hook says no"), "a hook's exception propagates");
        }
        Xjlink.xjl_workspace_set_window_hook(ws, null);
        long[] rowId = new long[1];
        int[] rowStatus = new int[1];
        Xjlink.xjl_intake_add(ws, "S1", row, rowId, rowStatus);
        check(rowId[0] > 0 && Xjlink.xjl_row_status_name(xjl_row_status.swigToEnum(rowStatus[0])).equals("not_found"),
                "row added: " + rowId[0] + " " + rowStatus[0]);
        xjl_listing[] listing = new xjl_listing[1];
        Xjlink.xjl_intake_list(ws, "S1", xjl_row_status.XJL_ROW_ANY, listing);
        check(Xjlink.xjl_listing_rows(listing[0]) == 1
                && Xjlink.xjl_listing_value(listing[0], 0, "name").equals("王小明"), "listing");
        listing[0].delete();
        rep.delete();
        ws.delete();
        Files.delete(wsPath);
        /* the workspace keeps its registry's index beside it */
        check(Files.exists(tmp.resolve("w.db.registry.xjx")), "the workspace's index file");
        for (String suffix : List.of("-wal", "-shm", ".registry.xjx", ".pool.xjx"))
            Files.deleteIfExists(tmp.resolve("w.db" + suffix));

        streams(registry, data.resolve("roster_sample.csv").toString(), noKeys);

        for (Path p : List.of(noKeys, badRows))
            Files.delete(p);
        Files.delete(tmp);
        System.out.println(checks + " checks, " + failures + " failed");
        System.exit(failures == 0 ? 0 : 1);
    }
}

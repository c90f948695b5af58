package org.xjlink.tests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.xjlink.LoadReport;
import org.xjlink.Record;
import org.xjlink.Workspace;
import org.xjlink.XjlinkException;

/**
 * org.xjlink.Workspace, every step of both workflows (primary intake and
 * secondary enrolment) on the sample data, without JUnit: a season for one
 * school and its authority, each refusal checked for its code.
 * Usage: WorkspaceTest DATA_DIR (examples/data).
 */
public final class WorkspaceTest {
    private static final int EINVAL = -1, EIO = -4, ENOTFOUND = -8, ESTATE = -5, EPOLICY = -12;

    private static void check(boolean ok, String what) {
        XjlinkTest.check(ok, what);
    }

    private static void expectError(int code, String what, XjlinkTest.Body body) {
        XjlinkTest.expectError(code, what, body);
    }

    private static long id(Map<String, String> row) {
        return Long.parseLong(row.get("id"));
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path tmp = Files.createTempDirectory("xjlink-ws");
        try {
            intake(tmp, data);
            enrol(tmp);
            readOnly(tmp);
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println(XjlinkTest.checks + " checks, " + XjlinkTest.failures + " failed");
        System.exit(XjlinkTest.failures == 0 ? 0 : 1);
    }

    private static boolean sideFiles(Path db) {
        for (String s : new String[] {"-wal", "-shm", "-journal"})
            if (Files.exists(Path.of(db + s)))
                return true;
        return false;
    }

    /** The listings of a workspace opened for reading; a write step refused naming the file. */
    private static void listForReading(Path db, long quota, String when) {
        try (Workspace r = Workspace.openRead(db)) {
            check(r.isReadOnly(), when + ": opened for reading");
            check(r.schools().size() == 1 && r.schools().get(0).get("school").equals("H1"),
                    when + ": schools listed " + r.schools());
            long[] q = r.quota("H1", 2026);
            check(q[0] == quota && q[1] == 0, when + ": quota " + q[0] + "/" + q[1]);
            check(!r.audit(null, 0).isEmpty(), when + ": the audit trail");
            try {
                r.setSchool("H2", "二中", 110101, null);
                check(false, when + ": a write step on a reader was not refused");
            } catch (XjlinkException e) {
                String m = e.getMessage();
                check(e.code() == EINVAL && m.contains(db.toString()) && m.contains("school set"),
                        when + ": refusal " + m);
            }
        }
    }

    /** Workspace.openRead: the listings of a file of mode 0444 in a read-only folder, and
     *  while a writer holds it open; nothing left beside it, no file made. */
    static void readOnly(Path tmp) throws Exception {
        Path folder = Files.createDirectory(tmp.resolve("ro"));
        Path db = folder.resolve("ws.db");
        try (Workspace w = new Workspace(db.toString(), "county-admin")) {
            w.setSchool("H1", "第一中学", 110101, null);
            w.setQuota("H1", 2026, 7);
        }
        check(!sideFiles(db), "a writer's close removes its -wal/-shm");
        listForReading(db, 7, "nobody writing");
        check(!sideFiles(db), "a reader leaves no -wal/-shm");
        try (Workspace w = new Workspace(db.toString())) {
            w.setQuota("H1", 2026, 8);
            listForReading(db, 8, "a writer at work");
            check(sideFiles(db), "the writer's WAL left to it");
            w.setQuota("H1", 2026, 7);
        }
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            listForReading(db, 7, "mode 0444 in a read-only folder");
            check(!sideFiles(db), "nothing left beside a 0444 file");
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Path missing = folder.resolve("missing.db");
        try {
            Workspace.openRead(missing).close();
            check(false, "a missing workspace opened for reading");
        } catch (XjlinkException e) {
            check(e.code() == EIO && e.getMessage().contains(missing.toString()),
                    "a missing workspace: " + e.getMessage());
        }
        check(!Files.exists(missing), "a missing workspace is not made");
    }

    static void intake(Path tmp, Path data) throws Exception {
        Map<String, String> suppl = new LinkedHashMap<>();
        suppl.put("民族码", "01");
        suppl.put("国籍/地区码", "CHN");
        suppl.put("港澳台侨外码", "00");
        try (Workspace ws = new Workspace(tmp.resolve("season.db").toString(), "county-admin")) {
            check(ws.schemaVersion() > 0, "schema version");
            ws.setSchool("S1", "第一小学", 110108, "2111000001");
            check(ws.schools().size() == 1 && ws.schools().get(0).get("school").equals("S1"), "schools");
            LoadReport reg = ws.loadRegistry(data.resolve("registry_sample.csv").toString());
            check(reg.inserted == 300 && ws.registryCount() == 300, "registry loaded: " + reg);
            check(ws.registryRecord("XQ65010200001").get("name").equals("阿依古丽·买买提"), "registry record");
            expectError(ENOTFOUND, "unknown record", () -> ws.registryRecord("nope"));

            // the school's roster: matched, pending, not found
            LoadReport imp = ws.importRoster("S1", data.resolve("roster_sample.csv").toString());
            check(imp.rows == 43 && imp.matched > 0 && imp.notFound > 0, "roster imported: " + imp
                    + " matched " + imp.matched + " not found " + imp.notFound);
            List<Map<String, String>> rows = ws.rows("S1", null);
            check(rows.size() == imp.rows - imp.badRows, "one row per pupil read: " + rows.size());
            for (Map<String, String> r : ws.rows("S1", "pending")) {
                List<Map<String, String>> cands = ws.candidates(id(r));
                check(!cands.isEmpty(), "a pending row has candidates");
                ws.declareNone(id(r));
                check(ws.status(id(r)).equals("not_found"), "declared none");
            }
            long errors = ws.rows("S1", "error").size();
            for (Map<String, String> r : ws.rows("S1", "error"))
                ws.delete(id(r), "key fields unusable");
            check(ws.rows("S1", "error").isEmpty(), errors + " error rows deleted");

            // the supplement: every value checked first; a key field is refused
            Map<String, String> first = ws.rows("S1", "matched").get(0);
            long matched = id(first);
            Map<String, String> mixed = new LinkedHashMap<>();
            mixed.put("现住址", "北京市海淀区某街2号"); // valid, and first
            mixed.put("姓名", "张三"); // a key field: refused
            expectError(ESTATE, "a key field in the supplement", () -> ws.supplement(matched, mixed, false));
            check(ws.supplement(matched, Map.of(), false).get("address").isEmpty(),
                    "a refused supplement changed nothing");
            expectError(-1, "a bad code", () -> ws.supplement(matched, Map.of("民族码", "99"), false));
            int incomplete = 0;
            for (Map<String, String> r : ws.rows("S1", null)) {
                try {
                    Map<String, String> s = ws.supplement(id(r), suppl, true);
                    check(s.get("state").equals("done") && s.get("ethnicity").equals("01"), "supplement done");
                } catch (XjlinkException e) {
                    // a pupil without an ID type cannot be finished: the school deletes the row
                    check(e.code() == ESTATE && e.getMessage().contains("required fields"), e.getMessage());
                    ws.delete(id(r), "registered outside this list");
                    incomplete++;
                }
            }
            check(incomplete < rows.size() / 2, incomplete + " rows could not be finished");
            expectError(ESTATE, "edit a matched row", () -> ws.edit(matched, new Record("张三", null, null, null, null)));

            // the school submits; a school operator cannot approve
            long submitted = ws.submit("S1");
            check(submitted == ws.rows("S1", null).size(), "all rows submitted: " + submitted);
            ws.setRole("school", "S1");
            expectError(EPOLICY, "a school operator approves", () -> ws.approve("S1"));
            expectError(ESTATE, "supplement while submitted",
                    () -> ws.supplement(matched, Map.of("现住址", "x"), false));
            ws.setRole("county", "110108");
            long back = id(ws.rows("S1", "not_found").get(0));
            ws.returnRow(back, "地址不全");
            check(ws.row(back).get("review").equals("returned"), "returned");
            Workspace.Approval a = ws.approve("S1");
            check(a.approved + a.held == submitted - 1, "approved: " + a);
            String number = ws.row(matched).get("student_number");
            check(number.startsWith("G") || number.startsWith("L"), "numbered: " + number);
            for (Map<String, String> r : ws.rows("S1", null))
                if ("submitted".equals(r.get("review")))
                    ws.override(id(r), "户籍证明已核");
            ws.supplement(back, Map.of("现住址", "北京市海淀区某街3号"), true);
            ws.setRole("school", "S1");
            check(ws.submit("S1") == 1, "the returned row, changed, goes again");
            ws.setRole(null, null);
            ws.approve("S1");

            // key-data change after registration
            long kc = ws.requestKeyChange(matched, "姓名", "张炜", "户口簿更正");
            expectError(ESTATE, "a second open request", () -> ws.requestKeyChange(matched, "姓名", "张伟", "x"));
            ws.decideKeyChange(kc, false, "证明不足");
            expectError(ESTATE, "decided twice", () -> ws.decideKeyChange(kc, true, null));
            check(ws.keyChanges("S1").get(0).get("state").equals("rejected"), "key change rejected");
            check(ws.exportNotFound("S1", tmp.resolve("nf.csv").toString()) >= 0, "not-found export");

            // registration outside grade 1 and the national check
            long rq = ws.register("S1", new Record("赵强", "男", "2015-02-03", "居民身份证", "110108201502030318"), 3);
            long proof = ws.register("S1", new Record("钱多", "女", "2015-05-05", "其他", null), 3);
            expectError(ESTATE, "a proof for a request with an ID", () -> ws.recordProof(rq, "证明1"));
            ws.recordProof(proof, "无身份证号在校就读证明 2025-01");
            ws.decideRegistration(proof, true, "核实");
            check(ws.exportCheck(tmp.resolve("check.csv").toString()) >= 1, "export for the check");
            String req = Long.toString(rq);
            Files.writeString(tmp.resolve("result.csv"), "申请号,学籍号,结果,说明\n" + req + ",,通过,\n",
                    StandardCharsets.UTF_8);
            LoadReport res = ws.importCheck(tmp.resolve("result.csv").toString());
            check(res.matched == 1, "the centre's result: " + res.matched);
            for (Map<String, String> r : ws.registrations("S1"))
                check(r.get("state").equals("registered"), "registered: " + r);

            check(!ws.history(matched).isEmpty() && !ws.audit("row", matched).isEmpty(), "history, audit");
            ws.setPolicy("intake", false, null, null);
            expectError(EPOLICY, "intake switched off", () -> ws.delete(back, "x"));
            check(ws.policy().size() == 1, "policy listed");
            ws.check();
        }
    }

    static void enrol(Path tmp) throws Exception {
        Path grads = tmp.resolve("graduates.csv");
        String g1 = "G110108201003010013", g2 = "G110108201005020020", l3 = "L110108201006061234";
        Files.writeString(grads, "学籍号,姓名,性别,出生日期,身份证件类型,身份证件号,学校,区县码,学段,是否毕业,是否注销\n"
                + g1 + ",张伟,男,2010-03-01,居民身份证,110108201003010013,某中学,110108,初中,1,0\n"
                + g2 + ",李娜,女,2010-05-02,居民身份证,110108201005020020,某中学,110108,初中,1,1\n"
                + l3 + ",孙丽,女,2010-06-06,其他,,某中学,110108,初中,1,0\n", StandardCharsets.UTF_8);
        Workspace ws = new Workspace(tmp.resolve("enrol.db").toString(), "county-admin");
        LoadReport pool = ws.loadGraduates(grads.toString());
        check(pool.inserted == 3, "pool loaded: " + pool + " " + pool.diagnostics());
        for (String[] s : new String[][] {{"H1", "senior"}, {"H2", "senior"}, {"V1", "vocational"}}) {
            ws.setSchool(s[0], s[0], 110108, null);
            ws.setSchoolKind(s[0], s[1]);
            ws.setQuota(s[0], 2025, 2);
        }
        expectError(ESTATE, "unified without an assignment", () -> ws.admit("H1", 2025, g1, "unified"));
        ws.assign("V1", 2025, g1);
        ws.assign("H1", 2025, g1);
        long v = ws.admit("V1", 2025, g1, "unified")[0];
        long[] h = ws.admit("H1", 2025, g1, "unified");
        check(h[1] == v && ws.admission(h[0]).get("state").equals("pending"), "double admission warned");
        check(ws.doubleAdmissions(2025).size() == 1, "double admissions listed");
        ws.resolveDouble(h[0], v, "本人选择普高");
        check(ws.admission(h[0]).get("state").equals("admitted")
                && ws.admission(v).get("state").equals("cancelled"), "resolved");
        ws.deleteAdmission(v);
        ws.reviewAdmission(h[0], "senior", true, null);
        expectError(ESTATE, "the wrong stage", () -> ws.reviewAdmission(h[0], "vocational", true, null));
        ws.transferArchive(h[0]);
        expectError(ESTATE, "transferred twice", () -> ws.transferArchive(h[0]));
        expectError(ESTATE, "cancel after 调档", () -> ws.cancelAdmission(h[0], "x"));
        long moved = ws.schoolTransfer(h[0], "H2");
        check(ws.admission(moved).get("state").equals("done") && ws.admissions("H2", 2025).size() == 1,
                "school transfer");
        // an archived graduate is restored first
        ws.assign("H1", 2025, g2);
        expectError(ESTATE, "admitting an archived record", () -> ws.admit("H1", 2025, g2, "unified"));
        expectError(ESTATE, "restoring a record not archived", () -> ws.restore(g1, "x"));
        ws.restore(g2, "误注销");
        long a2 = ws.admit("H1", 2025, g2, "unified")[0];
        ws.transferArchive(a2);
        ws.assign("H1", 2025, l3);
        long a3 = ws.admit("H1", 2025, l3, "unified")[0];
        ws.assign("V1", 2025, g2);
        ws.cancelAdmission(a3, "放弃");
        ws.continueAdmission(ws.admit("V1", 2025, g2, "unified")[0]);
        long[] q = ws.quota("H1", 2025);
        check(q[0] == 2 && q[1] == 1, "quota and used: " + q[0] + " " + q[1]);
        long qr = ws.requestQuota("H1", 2025, 3, "扩招");
        ws.decideQuota(qr, true);
        check(ws.quota("H1", 2025)[0] == 3 && ws.quotaRequests("H1").size() == 1, "quota raised");
        ws.deleteAdmission(a3);
        ws.deleteGraduate(l3, "重复学籍");
        expectError(ESTATE, "a G record is never deleted", () -> ws.deleteGraduate(g1, "x"));
        check(ws.graduate(g2).get("number").equals(g2), "graduate");
        check(!ws.statistics(2025).isEmpty(), "statistics");

        Path senior = tmp.resolve("senior.csv"), voc = tmp.resolve("voc.csv");
        String head = "学校,姓名,性别,出生日期,身份证件类型,身份证件号\n";
        Files.writeString(senior, head + "H1,张伟,男,2010-03-01,居民身份证,110108201003010013\n",
                StandardCharsets.UTF_8);
        Files.writeString(voc, head + "V9,张伟,男,2010-03-01,居民身份证,110108201003010013\n",
                StandardCharsets.UTF_8);
        check(Workspace.crossCheck(senior.toString(), voc.toString()).size() == 1, "cross-check");

        ws.close();
        ws.close();
        check(ws.isClosed(), "closed");
        expectError(ESTATE, "used after close", () -> ws.admissions("H1", 2025));
    }
}

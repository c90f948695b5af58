package org.xjlink.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.xjlink.Roster;

/**
 * Runs the MatchRoster example (examples/MatchRoster.java) on the sample data
 * and checks what it wrote.  Usage: MatchRosterCheck DATA_DIR.
 */
public final class MatchRosterCheck {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path tmp = Files.createTempDirectory("xjlink-match-roster");
        Path out = tmp.resolve("roster_matched.csv");
        Class.forName("MatchRoster").getMethod("main", String[].class).invoke(null, (Object) new String[] {
            data.resolve("registry_sample.csv").toString(), data.resolve("roster_sample.csv").toString(),
            out.toString()});
        Roster in = Roster.read(data.resolve("roster_sample.csv").toString());
        Roster res = Roster.read(out.toString());
        List<String> h = res.header();
        int status = h.indexOf("处理状态"), id = h.indexOf("匹配学前学籍ID");
        boolean ok = res.rows().size() == in.rows().size() && status >= 0 && id >= 0
                && h.subList(0, in.header().size()).equals(in.header());
        int matched = 0;
        for (List<String> row : res.rows()) {
            String s = row.get(status);
            ok &= List.of("已匹配学前学籍", "待确认学前学籍", "未查到学前学籍", "错误").contains(s);
            if (s.equals("已匹配学前学籍")) {
                matched++;
                ok &= row.get(id).startsWith("XQ");
            }
        }
        ok &= matched > 0;
        Files.delete(out);
        Files.delete(tmp);
        System.out.println(ok ? "MatchRoster output checked" : "FAIL: MatchRoster output");
        System.exit(ok ? 0 : 1);
    }
}

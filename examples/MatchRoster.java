/*
 * MatchRoster: match a school's roster against a preschool registry from Java
 * and write the roster back with each row's processing status (处理状态).
 *
 *   java -cp xjlink-0.1.0.jar:. MatchRoster registry.csv roster.csv out.csv
 *
 * (the jar carries its JNI library; -Dxjlink.library=PATH overrides it)
 *
 * Both inputs are CSV as schools and registries export them (UTF-8 or
 * GB18030, RFC 4180); the output is UTF-8 with a BOM, which Excel opens.
 */
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.xjlink.Index;
import org.xjlink.MatchResult;
import org.xjlink.Roster;

public final class MatchRoster {
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: MatchRoster REGISTRY.csv ROSTER.csv OUT.csv");
            System.exit(2);
        }
        Roster roster = Roster.read(args[1]);
        List<MatchResult> results;
        try (Index registry = Index.fromCsv(args[0])) {
            results = registry.matchAll(roster.records());
        }

        Map<MatchResult.Status, Integer> counts = new EnumMap<>(MatchResult.Status.class);
        try (Writer w = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8)) {
            w.write('\uFEFF');
            List<String> header = new ArrayList<>(roster.header());
            header.addAll(List.of("处理状态", "匹配学前学籍ID", "得分", "候选学前学籍", "原因"));
            writeRow(w, header);
            for (int i = 0; i < results.size(); i++) {
                MatchResult r = results.get(i);
                counts.merge(r.status(), 1, Integer::sum);
                List<String> row = new ArrayList<>(roster.rows().get(i));
                while (row.size() < roster.header().size())
                    row.add("");
                StringBuilder cands = new StringBuilder();
                for (MatchResult.Candidate c : r.candidates())
                    cands.append(cands.length() > 0 ? " " : "").append(c.id())
                         .append(String.format("(%.1f)", c.score()));
                row.addAll(List.of(r.status().labelZh(), r.matchId() == null ? "" : r.matchId(),
                        String.format("%.2f", r.score()), cands.toString(), r.reasons()));
                writeRow(w, row);
            }
        }
        for (Map.Entry<MatchResult.Status, Integer> e : counts.entrySet())
            System.out.println(e.getKey().labelZh() + " " + e.getKey().label() + ": " + e.getValue());
    }

    private static void writeRow(Writer w, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0)
                w.write(',');
            w.write(Roster.quote(fields.get(i)));
        }
        w.write("\r\n");
    }
}

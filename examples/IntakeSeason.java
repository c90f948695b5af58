/*
 * IntakeSeason: a primary-intake season (小学新生学籍接续) for one school and
 * its county authority, from Java, over a workspace file.
 *
 *   java -cp xjlink-0.1.0.jar:. IntakeSeason registry.csv roster.csv season.db
 *
 * A season starts from an empty workspace: the example refuses a WORKSPACE.db
 * that exists (its test removes the one of its last run first).
 *
 * The authority loads the preschool registry; the school imports its roster,
 * settles the pending rows, supplements every row and submits; the authority
 * approves and the school reads the numbers.  Every refused step throws an
 * XjlinkException with the library's code and message, and changes nothing.
 */
import java.util.Map;

import org.xjlink.LoadReport;
import org.xjlink.Workspace;
import org.xjlink.XjlinkException;

public final class IntakeSeason {
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: IntakeSeason REGISTRY.csv ROSTER.csv WORKSPACE.db");
            System.exit(2);
        }
        if (new java.io.File(args[2]).exists()) {
            System.err.println("IntakeSeason: " + args[2] + " exists: a season starts from a new workspace");
            System.exit(2);
        }
        try (Workspace ws = new Workspace(args[2], "county-admin")) {
            // the authority (a county operator: its scope is the region 110108)
            ws.setRole("county", "110108");
            ws.setSchool("S1", "第一小学", 110108, "2111000001");
            LoadReport reg = ws.loadRegistry(args[0]);
            System.out.println("registry: " + reg);

            // the school
            ws.setOperator("s1-teacher");
            ws.setRole("school", "S1");
            LoadReport imp = ws.importRoster("S1", args[1]);
            System.out.printf("roster: %d matched, %d pending, %d not found, %d errors%n",
                    imp.matched, imp.pending, imp.notFound, imp.errors);
            for (Map<String, String> row : ws.rows("S1", "pending"))
                ws.declareNone(Long.parseLong(row.get("id"))); // or confirm(id, record id)
            Map<String, String> codes = Map.of("民族码", "01", "国籍/地区码", "CHN", "港澳台侨外码", "00");
            for (Map<String, String> row : ws.rows("S1", null)) {
                long id = Long.parseLong(row.get("id"));
                try {
                    ws.supplement(id, codes, true);
                } catch (XjlinkException e) {
                    System.out.println("row " + id + " stays behind: " + e.getMessage());
                }
            }
            System.out.println(ws.submit("S1") + " rows submitted");

            // the authority approves
            ws.setOperator("county-admin");
            ws.setRole("county", "110108");
            System.out.println("approval: " + ws.approve("S1"));
            for (Map<String, String> row : ws.rows("S1", null))
                if (!row.get("student_number").isEmpty())
                    System.out.println(row.get("name") + " " + row.get("student_number"));
        } catch (XjlinkException e) {
            System.err.println("xjlink error " + e.code() + ": " + e.getMessage());
            System.exit(1);
        }
    }
}

package org.xjlink.tests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.xjlink.Dedup;

/**
 * A Dedup that nothing references once its method has started: the JIT may
 * drop it after the method read its native handle, and a collection then
 * runs its Cleaner.  The methods keep it reachable until their last native
 * call returns; before they did, rows() failed within seconds with "NULL
 * check" (the handle freed under the loop).  Run with -Xcomp
 * -XX:-TieredCompilation (every method compiled at once) and a thread that
 * collects all the time.  Usage: CleanerCheck DATA_DIR ROUNDS.
 */
public final class CleanerCheck {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        // the sample registry 20 times over, ids made unique: rows() long enough to be caught
        List<String> lines = Files.readAllLines(data.resolve("registry_sample.csv"), StandardCharsets.UTF_8);
        List<String> big = new ArrayList<>(List.of(lines.get(0)));
        for (int k = 0; k < 20; k++)
            for (String l : lines.subList(1, lines.size()))
                big.add(l.replaceFirst(",", "-" + k + ","));
        Path tmp = Files.createTempDirectory("xjlink-cleaner");
        Path reg = tmp.resolve("registry.csv");
        Files.write(reg, big, StandardCharsets.UTF_8);
        Thread collector = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        collector.setDaemon(true);
        collector.start();
        List<Dedup.Row> want = null;
        Map<String, Long> wantStats = null;
        for (int i = 0; i < rounds; i++) {
            List<Dedup.Row> rows = Dedup.check(reg.toString(), null, "auto", null, null, 1, null).rows();
            Map<String, Long> stats = Dedup.check(reg.toString(), null, "auto", null, null, 1, null).stats();
            Dedup.check(reg.toString(), null, "auto", null, null, 1, null).writeCsv(tmp.resolve("out.csv").toString(), false);
            if (want == null) {
                want = rows;
                wantStats = stats;
                if (rows.size() != big.size() - 1)
                    throw new AssertionError("rows " + rows.size() + ", records " + (big.size() - 1));
            } else if (!rows.equals(want) || !stats.equals(wantStats)) {
                throw new AssertionError("round " + i + ": the check's rows or figures changed");
            }
        }
        collector.interrupt();
        for (Path p : List.of(reg, tmp.resolve("out.csv"), tmp))
            Files.deleteIfExists(p);
        System.out.println("CleanerCheck: " + rounds + " rounds, " + want.size() + " rows each");
    }
}

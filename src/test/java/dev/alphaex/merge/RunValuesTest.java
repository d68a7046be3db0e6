package dev.alphaex.merge;

import dev.alphaex.sweep.Sweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's values are kept once per run (JSON text for SQL readers, packed doubles for the drawing);
 * the views steps and merged unfold them into tidy rows whose numbers are the doubles the merge
 * parsed, as REAL, whatever digits the job wrote.
 */
class RunValuesTest {
    @TempDir
    Path dir;

    private static String json(String cell) {
        StringBuilder sb = new StringBuilder();
        RunValues.number(sb, cell);
        return sb.toString();
    }

    @Test
    void everyNumberOfTheLogsGrammarBecomesAJsonNumberWithTheSameDigits() {
        assertThat(json("0")).isEqualTo("0");
        assertThat(json("17")).isEqualTo("17");
        assertThat(json("+1")).isEqualTo("1");
        assertThat(json("007")).isEqualTo("7");
        assertThat(json("-007.50")).isEqualTo("-7.50");
        assertThat(json("00.5")).isEqualTo("0.5");
        assertThat(json(".5")).isEqualTo("0.5");
        assertThat(json("-.5e-3")).isEqualTo("-0.5e-3");
        assertThat(json("2.")).isEqualTo("2");
        assertThat(json("1.e5")).isEqualTo("1e5");
        assertThat(json("1E+05")).isEqualTo("1E+05");
        assertThat(json("-0")).isEqualTo("-0");
        assertThat(json("0.1234567890123456789")).isEqualTo("0.1234567890123456789");
    }

    @Test
    void packedValuesReadBackAsMergedAndAWrongLengthIsNoRun() {
        double[] steps = {1, 2, 3};
        double[][] values = {{0.1, -2.5, 1e300}, {0, 1, 0}};
        RunData run = RunValues.unpack(7, RunValues.pack(steps, values), 3, 2);
        assertThat(run.steps()).containsExactly(1, 2, 3);
        assertThat(run.values(0)).containsExactly(0.1, -2.5, 1e300);
        assertThat(run.values(1)).containsExactly(0, 1, 0);
        assertThat(RunValues.unpack(7, RunValues.pack(steps, values), 4, 2)).isNull();
    }

    @Test
    void theViewsGiveTidyRealRowsWithTheDoublesTheMergeParsed() throws Exception {
        Sweep bandit = Sweep.parse(BanditLogs.SWEEP, "bandit-sweep.json", false);
        String log = "step,reward,optimal_action\n+1,.5,0\n002,-1.e2,1\n3,0.1234567890123456789,+0\n4,7,1\n";
        try (MergeStore store = MergeStore.open(dir, bandit, new MergeStore.Options())) {
            assertThat(store.merge("5.csv", log.getBytes(StandardCharsets.UTF_8)).kind()).isEqualTo(MergeResult.Kind.MERGED);
            assertThat(store.merge("2.csv", BanditLogs.bytes(2, 30)).kind()).isEqualTo(MergeResult.Kind.MERGED);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("results.db"))) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = c.createStatement().executeQuery("SELECT \"index\", \"run\", epsilon, typeof(step), "
                        + "step, typeof(reward), reward, optimal_action FROM merged WHERE \"index\" = 5")) {
                    while (rs.next()) {
                        rows.add(rs.getLong(1) + " " + rs.getLong(2) + " " + rs.getDouble(3) + " " + rs.getString(4) + " "
                                + rs.getDouble(5) + " " + rs.getString(6) + " " + rs.getDouble(7) + " " + rs.getDouble(8));
                    }
                }
                assertThat(rows).containsExactly(
                        "5 1 0.1 real 1.0 real 0.5 0.0",
                        "5 1 0.1 real 2.0 real -100.0 1.0",
                        "5 1 0.1 real 3.0 real " + Double.parseDouble("0.1234567890123456789") + " 0.0",
                        "5 1 0.1 real 4.0 real 7.0 1.0");
                RunData run = store.readRun(2);
                try (ResultSet rs = c.createStatement().executeQuery(
                        "SELECT step, reward, optimal_action FROM steps WHERE \"index\" = 2")) {
                    for (int r = 0; r < 30; r++) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getDouble(1)).isEqualTo(run.steps()[r]);
                        assertThat(rs.getDouble(2)).isEqualTo(run.values(0)[r]);
                        assertThat(rs.getDouble(3)).isEqualTo(run.values(1)[r]);
                    }
                    assertThat(rs.next()).isFalse();
                }
                try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM steps")) {
                    assertThat(rs.getLong(1)).isEqualTo(34);
                }
            }
        }
    }
}

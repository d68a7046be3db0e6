package dev.alphaex.bench;

import org.sqlite.SQLiteConfig;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The results store's SQLite layouts and settings side by side, SQLite alone (no CSV, no routes):
 * runs of the example's shape ({@code step, reward, optimal_action}) inserted in transactions of 20
 * runs, WAL, synchronous=NORMAL (no fsync: the inserts' own cost), then every run read back. The
 * baseline in the same run: one row per run and step ({@code steps} keyed by a rowid, a JDBC batch
 * per run: the layout of format 2). Printed per variant: the inserting thread's CPU time per row,
 * the database's size, the time to read every run back, and the ratio of the insert CPU to the
 * baseline's (median of the rounds, each round runs every variant once).
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.alphaex.bench.StoreLayoutBenchmark</pre>
 * Optional arguments: runs, rows per run, rounds (default 1000 1000 5).
 */
public final class StoreLayoutBenchmark {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final int BATCH = 20;

    private StoreLayoutBenchmark() {
    }

    /** One way of keeping the runs. */
    private interface Layout {
        void create(Statement s) throws SQLException;

        void insert(Connection c, long index, double[][] v) throws SQLException;

        double readAll(Connection c, int runs) throws SQLException;
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        double[][][] data = new double[runs][][];
        for (int i = 0; i < runs; i++) {
            data[i] = run(i, rows);
        }
        Map<String, String> pragmas = new LinkedHashMap<>();
        Map<String, Layout> layouts = new LinkedHashMap<>();
        put(layouts, pragmas, "rows, JDBC batch (format 2; baseline)", "", tidy(false));
        put(layouts, pragmas, "rows, 50 rows per INSERT", "", tidyMulti());
        put(layouts, pragmas, "rows, page_size=16384", "PRAGMA page_size=16384", tidy(false));
        put(layouts, pragmas, "rows, cache_size=64 MB", "PRAGMA cache_size=-65536", tidy(false));
        put(layouts, pragmas, "rows, WITHOUT ROWID (index, step)", "", tidy(true));
        put(layouts, pragmas, "one row per run: JSON + packed (format 3)", "", perRun(true));
        put(layouts, pragmas, "one row per run: JSON only", "", perRun(false));
        Map<String, double[]> cpu = new LinkedHashMap<>();
        Map<String, double[]> read = new LinkedHashMap<>();
        Map<String, Long> size = new LinkedHashMap<>();
        for (String k : layouts.keySet()) {
            cpu.put(k, new double[rounds]);
            read.put(k, new double[rounds]);
        }
        System.out.printf("store layout benchmark: %,d runs x %,d rows, transactions of %d runs, %s%n", runs, rows, BATCH,
                System.getProperty("java.vm.name") + " " + Runtime.version());
        for (int r = -1; r < rounds; r++) { // round -1 warms up
            for (Map.Entry<String, Layout> e : layouts.entrySet()) {
                Path dir = Files.createTempDirectory("alphaex-layout-bench");
                try {
                    double[] m = measure(dir.resolve("t.db"), pragmas.get(e.getKey()), e.getValue(), data);
                    if (r >= 0) {
                        cpu.get(e.getKey())[r] = m[0];
                        read.get(e.getKey())[r] = m[1];
                        size.put(e.getKey(), (long) m[2]);
                    }
                } finally {
                    MergeBenchmark.delete(dir);
                }
            }
        }
        double base = median(cpu.values().iterator().next());
        for (String k : layouts.keySet()) {
            double c = median(cpu.get(k));
            System.out.printf("  %-44s insert cpu %6.3f us/row  ratio %.2f  size %6.1f MB  read every run %6.3f s%n", k,
                    c * 1e6 / runs / rows, c / base, size.get(k) / 1e6, median(read.get(k)));
        }
    }

    private static void put(Map<String, Layout> layouts, Map<String, String> pragmas, String name, String pragma,
                            Layout layout) {
        layouts.put(name, layout);
        pragmas.put(name, pragma);
    }

    private static double[][] run(long index, int rows) {
        SplittableRandom rnd = new SplittableRandom(index);
        double[][] v = new double[3][rows];
        for (int i = 0; i < rows; i++) {
            v[0][i] = i + 1;
            v[1][i] = rnd.nextDouble() * 2 - 0.5;
            v[2][i] = rnd.nextInt(2);
        }
        return v;
    }

    /** Insert CPU (s), read-all time (s), size (bytes). */
    private static double[] measure(Path file, String pragma, Layout layout, double[][][] data) throws Exception {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
             Statement s = c.createStatement()) {
            if (!pragma.isEmpty()) {
                s.execute(pragma.contains("page_size") ? "PRAGMA journal_mode=DELETE" : "SELECT 1");
                s.execute(pragma);
                s.execute("PRAGMA journal_mode=WAL");
            }
            layout.create(s);
            long cpu0 = MX.getCurrentThreadCpuTime();
            for (int from = 0; from < data.length; from += BATCH) {
                s.execute("BEGIN IMMEDIATE");
                for (int i = from; i < Math.min(data.length, from + BATCH); i++) {
                    layout.insert(c, i, data[i]);
                }
                s.execute("COMMIT");
            }
            double cpu = (MX.getCurrentThreadCpuTime() - cpu0) / 1e9;
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            long t0 = System.nanoTime();
            double sum = layout.readAll(c, data.length);
            double read = (System.nanoTime() - t0) / 1e9;
            if (Double.isNaN(sum)) {
                throw new IllegalStateException("read back NaN");
            }
            return new double[]{cpu, read, Files.size(file)};
        }
    }

    private static Layout tidy(boolean withoutRowid) {
        return new Layout() {
            private PreparedStatement insert;

            @Override
            public void create(Statement s) throws SQLException {
                insert = null;
                s.execute(withoutRowid
                        ? "CREATE TABLE steps (\"index\" INTEGER NOT NULL, step REAL NOT NULL, reward REAL NOT NULL, "
                        + "optimal_action REAL NOT NULL, PRIMARY KEY (\"index\", step)) WITHOUT ROWID"
                        : "CREATE TABLE steps (_row INTEGER PRIMARY KEY, \"index\" INTEGER NOT NULL, step REAL NOT NULL, "
                        + "reward REAL NOT NULL, optimal_action REAL NOT NULL)");
            }

            @Override
            public void insert(Connection c, long index, double[][] v) throws SQLException {
                if (insert == null || insert.isClosed()) {
                    insert = c.prepareStatement(withoutRowid ? "INSERT INTO steps VALUES (?, ?, ?, ?)"
                            : "INSERT INTO steps VALUES (?, ?, ?, ?, ?)");
                }
                int at = 1;
                for (int r = 0; r < v[0].length; r++) {
                    at = 1;
                    if (!withoutRowid) {
                        insert.setLong(at++, (index << 24) + r);
                    }
                    insert.setLong(at++, index);
                    for (double[] column : v) {
                        insert.setDouble(at++, column[r]);
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }

            @Override
            public double readAll(Connection c, int runs) throws SQLException {
                double sum = 0;
                // a run's rows by their key, as format 2 read them (_row = index << 24 + row)
                try (PreparedStatement q = c.prepareStatement(withoutRowid
                        ? "SELECT step, reward, optimal_action FROM steps WHERE \"index\" = ?"
                        : "SELECT step, reward, optimal_action FROM steps WHERE _row BETWEEN ? AND ? ORDER BY _row")) {
                    for (int i = 0; i < runs; i++) {
                        q.setLong(1, withoutRowid ? i : (long) i << 24);
                        if (!withoutRowid) {
                            q.setLong(2, ((long) i << 24) + (1 << 24) - 1);
                        }
                        try (ResultSet rs = q.executeQuery()) {
                            while (rs.next()) {
                                sum += rs.getDouble(1) + rs.getDouble(2) + rs.getDouble(3);
                            }
                        }
                    }
                }
                return sum;
            }
        };
    }

    private static Layout tidyMulti() {
        int per = 50;
        Layout plain = tidy(false);
        return new Layout() {
            private PreparedStatement insert;

            @Override
            public void create(Statement s) throws SQLException {
                insert = null;
                plain.create(s);
            }

            @Override
            public void insert(Connection c, long index, double[][] v) throws SQLException {
                if (insert == null || insert.isClosed()) {
                    insert = c.prepareStatement("INSERT INTO steps VALUES " + String.join(", ",
                            Collections.nCopies(per, "(?, ?, ?, ?, ?)")));
                }
                int rows = v[0].length;
                if (rows % per != 0) {
                    throw new IllegalArgumentException("rows must be a multiple of " + per);
                }
                for (int r = 0; r < rows; r += per) {
                    int at = 1;
                    for (int k = r; k < r + per; k++) {
                        insert.setLong(at++, (index << 24) + k);
                        insert.setLong(at++, index);
                        for (double[] column : v) {
                            insert.setDouble(at++, column[k]);
                        }
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }

            @Override
            public double readAll(Connection c, int runs) throws SQLException {
                return plain.readAll(c, runs);
            }
        };
    }

    /** One row per run: JSON text of the rows (Double.toString digits, as a job writes them) and optionally packed doubles. */
    private static Layout perRun(boolean packed) {
        return new Layout() {
            private PreparedStatement insert;

            @Override
            public void create(Statement s) throws SQLException {
                insert = null;
                s.execute("CREATE TABLE run_values (\"index\" INTEGER PRIMARY KEY, json TEXT NOT NULL, packed BLOB NOT NULL)");
            }

            @Override
            public void insert(Connection c, long index, double[][] v) throws SQLException {
                if (insert == null || insert.isClosed()) {
                    insert = c.prepareStatement("INSERT INTO run_values VALUES (?, ?, ?)");
                }
                int rows = v[0].length;
                StringBuilder json = new StringBuilder(rows * 30).append('[');
                for (int r = 0; r < rows; r++) {
                    json.append(r == 0 ? "[" : ",[").append((long) v[0][r]).append(',').append(v[1][r]).append(',')
                            .append((long) v[2][r]).append(']');
                }
                ByteBuffer b = ByteBuffer.allocate(packed ? rows * v.length * Double.BYTES : 0).order(ByteOrder.LITTLE_ENDIAN);
                if (packed) {
                    for (double[] column : v) {
                        b.asDoubleBuffer().put(column);
                        b.position(b.position() + rows * Double.BYTES);
                    }
                }
                insert.setLong(1, index);
                insert.setString(2, json.append(']').toString());
                insert.setBytes(3, b.array());
                insert.executeUpdate();
            }

            @Override
            public double readAll(Connection c, int runs) throws SQLException {
                double sum = 0;
                try (PreparedStatement q = c.prepareStatement("SELECT " + (packed ? "packed" : "json")
                        + " FROM run_values WHERE \"index\" = ?")) {
                    for (int i = 0; i < runs; i++) {
                        q.setLong(1, i);
                        try (ResultSet rs = q.executeQuery()) {
                            rs.next();
                            sum += packed ? sumPacked(rs.getBytes(1)) : sumJson(rs.getString(1));
                        }
                    }
                }
                return sum;
            }
        };
    }

    private static double sumPacked(byte[] packed) {
        double[] v = new double[packed.length / Double.BYTES];
        ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
        return Arrays.stream(v).sum();
    }

    /** Parses every number of the JSON rows as the drawing would have to without the packed form. */
    private static double sumJson(String json) {
        double sum = 0;
        List<String> numbers = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < json.length(); i++) {
            char ch = json.charAt(i);
            boolean part = ch == '-' || ch == '.' || ch == 'e' || ch == 'E' || ch == '+' || (ch >= '0' && ch <= '9');
            if (part && start < 0) {
                start = i;
            } else if (!part && start >= 0) {
                numbers.add(json.substring(start, i));
                start = -1;
            }
        }
        for (String n : numbers) {
            sum += com.fasterxml.jackson.core.io.NumberInput.parseDouble(n, true); // FastDoubleParser, as the merge
        }
        return sum;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

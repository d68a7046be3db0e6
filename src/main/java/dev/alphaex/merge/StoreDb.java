package dev.alphaex.merge;

import com.fasterxml.jackson.databind.JsonNode;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The results store's SQLite database ({@code results.db}, WAL mode, so that other processes read
 * it while the merge writes). Tables:
 * <ul>
 *   <li>{@code logs}: one row per merged log, keyed by its index (a second log for an index is
 *       refused by the key): merge order ({@code seq}), file name and where it went in the inbox,
 *       size, SHA-256, rows, time, the configuration as merged (JSON) and the sweep file's SHA-256;</li>
 *   <li>{@code runs}: index, run and the configuration's values, one column per key, as in
 *       merged.csv;</li>
 *   <li>{@code steps}: one row per run and step, {@code index, step, <metrics...>} (its key
 *       {@code _row} keeps a run's rows together in merge order);</li>
 *   <li>the view {@code merged}: the tidy table, the columns of merged.csv;</li>
 *   <li>{@code meta}: the store's shape (schema) and how much of merged.csv is committed.</li>
 * </ul>
 * A writer connection (one transaction per batch, {@code BEGIN IMMEDIATE}) and a read-only one for
 * single runs; each used by one thread at a time (the store's locks).
 */
final class StoreDb implements AutoCloseable {
    static final String FILE = "results.db";
    static final String FORMAT = "alphaex-results 2";
    /** Rows of one run share {@code _row >> ROW_BITS} (its seq): at most 2^24 rows per log. */
    static final int ROW_BITS = 24;

    /** One merged log, as the {@code logs} table holds it. */
    record LogRow(long index, long seq, long combination, long run, String file, String done, long bytes,
                  String sha256, int rows, String mergedAt, String configuration, String sweepSha256) {
    }

    private final Path file;
    private final Connection writer;
    private Connection reader;
    private PreparedStatement insertLog;
    private PreparedStatement insertRun;
    private PreparedStatement insertSteps;
    private PreparedStatement findLog;
    private PreparedStatement readRun;
    private int metrics = -1;

    private StoreDb(Path file, Connection writer) {
        this.file = file;
        this.writer = writer;
    }

    /** Opens (or creates) the database; {@code durable}: every commit is on disk when it returns. */
    static StoreDb open(Path file, boolean durable) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(durable ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(30_000);
        // a checkpoint (WAL into the database, and an fsync) every 32 MB of WAL rather than 4 MB
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "8192");
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        StoreDb db = new StoreDb(file, c);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS logs (\"index\" INTEGER PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, "
                    + "combination INTEGER NOT NULL, run INTEGER NOT NULL, file TEXT NOT NULL, done TEXT, "
                    + "bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, rows INTEGER NOT NULL, merged_at TEXT NOT NULL, "
                    + "configuration TEXT NOT NULL, sweep_sha256 TEXT)");
        } catch (SQLException e) {
            db.close();
            throw e;
        }
        return db;
    }

    Path file() {
        return file;
    }

    /** {@code PRAGMA quick_check}: "ok", or what is wrong. */
    String quickCheck() throws SQLException {
        try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check(5)")) {
            List<String> problems = new ArrayList<>();
            while (rs.next()) {
                problems.add(rs.getString(1));
            }
            return String.join("; ", problems);
        }
    }

    String meta(String key) throws SQLException {
        try (PreparedStatement p = writer.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    void setMeta(String key, String value) throws SQLException {
        try (PreparedStatement p = writer.prepareStatement("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
        }
    }

    void begin() throws SQLException {
        exec("BEGIN IMMEDIATE");
    }

    void commit() throws SQLException {
        exec("COMMIT");
    }

    /** Undoes the open transaction, if one is open (SQLite may have rolled it back itself). */
    void rollback() {
        try {
            exec("ROLLBACK");
        } catch (SQLException e) {
            // no transaction open: nothing to undo
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute(sql);
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Creates the tables of the runs and their steps, and the {@code merged} view, for a schema (once). */
    void createTables(Schema schema) throws SQLException {
        String config = schema.configColumns.stream().map(c -> ", " + quote(c)).collect(Collectors.joining());
        String metricCols = schema.metrics.stream().map(m -> ", " + quote(m) + " REAL NOT NULL").collect(Collectors.joining());
        exec("CREATE TABLE IF NOT EXISTS runs (\"index\" INTEGER PRIMARY KEY, \"run\" INTEGER NOT NULL" + config + ")");
        exec("CREATE TABLE IF NOT EXISTS steps (_row INTEGER PRIMARY KEY, \"index\" INTEGER NOT NULL, "
                + "step REAL NOT NULL" + metricCols + ")");
        exec("CREATE VIEW IF NOT EXISTS merged AS SELECT r.\"index\" AS \"index\", r.\"run\" AS \"run\""
                + schema.configColumns.stream().map(c -> ", r." + quote(c) + " AS " + quote(c)).collect(Collectors.joining())
                + ", s.step AS step" + schema.metrics.stream().map(m -> ", s." + quote(m) + " AS " + quote(m))
                .collect(Collectors.joining())
                + " FROM steps s JOIN runs r ON r.\"index\" = s.\"index\"");
    }

    private void prepareInserts(Schema schema) throws SQLException {
        if (metrics == schema.metrics.size() && insertSteps != null) {
            return;
        }
        metrics = schema.metrics.size();
        insertLog = writer.prepareStatement("INSERT INTO logs (\"index\", seq, combination, run, file, done, bytes, sha256, "
                + "rows, merged_at, configuration, sweep_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insertRun = writer.prepareStatement("INSERT INTO runs VALUES (?, ?" + ", ?".repeat(schema.configColumns.size()) + ")");
        insertSteps = writer.prepareStatement("INSERT INTO steps VALUES (?, ?, ?" + ", ?".repeat(metrics) + ")");
    }

    /** The log merged for an index, or null. */
    LogRow log(long index) throws SQLException {
        if (findLog == null) {
            findLog = writer.prepareStatement("SELECT * FROM logs WHERE \"index\" = ?");
        }
        findLog.setLong(1, index);
        try (ResultSet rs = findLog.executeQuery()) {
            return rs.next() ? row(rs) : null;
        }
    }

    /** Every merged log, in merge order. */
    List<LogRow> logs() throws SQLException {
        List<LogRow> all = new ArrayList<>();
        try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM logs ORDER BY seq")) {
            while (rs.next()) {
                all.add(row(rs));
            }
        }
        return all;
    }

    private static LogRow row(ResultSet rs) throws SQLException {
        return new LogRow(rs.getLong("index"), rs.getLong("seq"), rs.getLong("combination"), rs.getLong("run"),
                rs.getString("file"), rs.getString("done"), rs.getLong("bytes"), rs.getString("sha256"), rs.getInt("rows"),
                rs.getString("merged_at"), rs.getString("configuration"), rs.getString("sweep_sha256"));
    }

    /** One configuration (as merged, JSON) per combination that has runs. */
    Map<Long, String> configurations() throws SQLException {
        Map<Long, String> map = new LinkedHashMap<>();
        try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT combination, configuration FROM logs GROUP BY combination ORDER BY combination")) {
            while (rs.next()) {
                map.put(rs.getLong(1), rs.getString(2));
            }
        }
        return map;
    }

    /**
     * Inserts a merged log (inside a transaction).
     *
     * @return false when the index has a log already (the key refuses the second): nothing was inserted
     */
    boolean insert(Schema schema, LogRow log, List<JsonNode> config, double[] steps, double[][] values) throws SQLException {
        prepareInserts(schema);
        insertLog.setLong(1, log.index());
        insertLog.setLong(2, log.seq());
        insertLog.setLong(3, log.combination());
        insertLog.setLong(4, log.run());
        insertLog.setString(5, log.file());
        insertLog.setString(6, log.done());
        insertLog.setLong(7, log.bytes());
        insertLog.setString(8, log.sha256());
        insertLog.setInt(9, log.rows());
        insertLog.setString(10, log.mergedAt());
        insertLog.setString(11, log.configuration());
        insertLog.setString(12, log.sweepSha256());
        try {
            insertLog.executeUpdate();
        } catch (SQLException e) {
            if (e.getErrorCode() == 19 && log(log.index()) != null) { // SQLITE_CONSTRAINT on the key
                return false;
            }
            throw e;
        }
        insertRun.setLong(1, log.index());
        insertRun.setLong(2, log.run());
        for (int k = 0; k < config.size(); k++) {
            bind(insertRun, 3 + k, config.get(k));
        }
        insertRun.executeUpdate();
        long base = log.seq() << ROW_BITS;
        for (int r = 0; r < steps.length; r++) {
            insertSteps.setLong(1, base + r);
            insertSteps.setLong(2, log.index());
            insertSteps.setDouble(3, steps[r]);
            for (int m = 0; m < values.length; m++) {
                insertSteps.setDouble(4 + m, values[m][r]);
            }
            insertSteps.addBatch();
        }
        insertSteps.executeBatch();
        return true;
    }

    /** A configuration value in its SQL type: integers, reals, text, 1/0 for booleans, JSON text for lists. */
    private static void bind(PreparedStatement p, int at, JsonNode v) throws SQLException {
        if (v == null || v.isNull() || v.isMissingNode()) {
            p.setNull(at, java.sql.Types.NULL);
        } else if (v.isIntegralNumber() && v.canConvertToLong()) {
            p.setLong(at, v.longValue());
        } else if (v.isNumber() && !v.isIntegralNumber()) {
            p.setDouble(at, v.doubleValue());
        } else if (v.isBoolean()) {
            p.setInt(at, v.booleanValue() ? 1 : 0);
        } else {
            p.setString(at, Values.text(v));
        }
    }

    /** The steps and values of one merged run (read-only connection; values never change once merged). */
    synchronized RunData readRun(long index, long seq, int rows, int metrics) throws SQLException {
        if (reader == null) {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(30_000);
            reader = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        }
        if (readRun == null) {
            readRun = reader.prepareStatement("SELECT * FROM steps WHERE _row BETWEEN ? AND ? ORDER BY _row");
        }
        readRun.setLong(1, seq << ROW_BITS);
        readRun.setLong(2, (seq << ROW_BITS) + (1L << ROW_BITS) - 1);
        double[] steps = new double[rows];
        double[][] values = new double[metrics][rows];
        int r = 0;
        try (ResultSet rs = readRun.executeQuery()) {
            while (rs.next()) {
                if (r == rows || rs.getLong(2) != index) {
                    throw new SQLException("the steps of index " + index + " do not match its log (" + rows + " rows)");
                }
                steps[r] = rs.getDouble(3);
                for (int m = 0; m < metrics; m++) {
                    values[m][r] = rs.getDouble(4 + m);
                }
                r++;
            }
        }
        if (r != rows) {
            throw new SQLException("index " + index + " has " + r + " rows in steps, its log " + rows);
        }
        return new RunData(index, steps, values);
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : new AutoCloseable[]{insertLog, insertRun, insertSteps, findLog, readRun, reader, writer}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing: nothing more to do
                }
            }
        }
    }
}

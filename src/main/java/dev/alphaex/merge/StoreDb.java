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
 *   <li>{@code run_values}: one row per run, its values as JSON text for SQL readers and packed
 *       for the drawing ({@link RunValues});</li>
 *   <li>the views {@code steps} ({@code index, step, <metrics...>}, one row per run and step) and
 *       {@code merged} (the tidy table, the columns of merged.csv), which SQLite's {@code json_each}
 *       unfolds from {@code run_values} for any reader;</li>
 *   <li>{@code meta}: the store's shape (schema) and how much of merged.csv is committed.</li>
 * </ul>
 * A writer connection (one transaction per batch, {@code BEGIN IMMEDIATE}) and a read-only one for
 * single runs; each used by one thread at a time (the store's locks).
 */
final class StoreDb implements AutoCloseable {
    static final String FILE = "results.db";
    static final String FORMAT = "alphaex-results 3";
    /** The format before run_values (one row per run and step in a table {@code steps}): rebuilt from done/. */
    static final String FORMAT_2 = "alphaex-results 2";

    /** One merged log, as the {@code logs} table holds it. */
    record LogRow(long index, long seq, long combination, long run, String file, String done, long bytes,
                  String sha256, int rows, String mergedAt, String configuration, String sweepSha256) {
    }

    private final Path file;
    private final Connection writer;
    private Connection reader;
    private PreparedStatement insertLog;
    private PreparedStatement insertRun;
    private PreparedStatement insertValues;
    private PreparedStatement findLog;
    private PreparedStatement readRun;

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

    /** Creates the tables of the runs and their values, and the views {@code steps} and {@code merged}, for a schema (once). */
    void createTables(Schema schema) throws SQLException {
        String config = schema.configColumns.stream().map(c -> ", " + quote(c)).collect(Collectors.joining());
        exec("CREATE TABLE IF NOT EXISTS runs (\"index\" INTEGER PRIMARY KEY, \"run\" INTEGER NOT NULL" + config + ")");
        exec("CREATE TABLE IF NOT EXISTS run_values (\"index\" INTEGER PRIMARY KEY, json TEXT NOT NULL, packed BLOB NOT NULL)");
        // json_extract rather than ->> (SQLite 3.38): older readers' SQLite (Python's, R's) unfold it too;
        // CAST keeps the columns REAL, as numbers written without a point would otherwise come back as integers
        StringBuilder values = new StringBuilder("CAST(json_extract(j.value, '$[0]') AS REAL) AS step");
        for (int m = 0; m < schema.metrics.size(); m++) {
            values.append(", CAST(json_extract(j.value, '$[").append(m + 1).append("]') AS REAL) AS ")
                    .append(quote(schema.metrics.get(m)));
        }
        exec("CREATE VIEW IF NOT EXISTS steps AS SELECT v.\"index\" AS \"index\", " + values
                + " FROM run_values v JOIN json_each(v.json) j");
        exec("CREATE VIEW IF NOT EXISTS merged AS SELECT r.\"index\" AS \"index\", r.\"run\" AS \"run\""
                + schema.configColumns.stream().map(c -> ", r." + quote(c) + " AS " + quote(c)).collect(Collectors.joining())
                + ", " + values + " FROM runs r JOIN run_values v ON v.\"index\" = r.\"index\" JOIN json_each(v.json) j");
    }

    private void prepareInserts(Schema schema) throws SQLException {
        if (insertValues != null) {
            return;
        }
        insertLog = writer.prepareStatement("INSERT INTO logs (\"index\", seq, combination, run, file, done, bytes, sha256, "
                + "rows, merged_at, configuration, sweep_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insertRun = writer.prepareStatement("INSERT INTO runs VALUES (?, ?" + ", ?".repeat(schema.configColumns.size()) + ")");
        insertValues = writer.prepareStatement("INSERT INTO run_values VALUES (?, ?, ?)");
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
    boolean insert(Schema schema, LogRow log, List<JsonNode> config, String json, byte[] packed) throws SQLException {
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
        insertValues.setLong(1, log.index());
        insertValues.setString(2, json);
        insertValues.setBytes(3, packed);
        insertValues.executeUpdate();
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
    synchronized RunData readRun(long index, int rows, int metrics) throws SQLException {
        if (reader == null) {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(30_000);
            reader = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        }
        if (readRun == null) {
            readRun = reader.prepareStatement("SELECT packed FROM run_values WHERE \"index\" = ?");
        }
        readRun.setLong(1, index);
        try (ResultSet rs = readRun.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("index " + index + " has no row in run_values");
            }
            RunData run = RunValues.unpack(index, rs.getBytes(1), rows, metrics);
            if (run == null) {
                throw new SQLException("the values of index " + index + " do not match its log (" + rows + " rows, "
                        + metrics + " metrics)");
            }
            return run;
        }
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : new AutoCloseable[]{insertLog, insertRun, insertValues, findLog, readRun, reader, writer}) {
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

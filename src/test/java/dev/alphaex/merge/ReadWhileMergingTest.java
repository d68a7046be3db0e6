package dev.alphaex.merge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store of record is readable by another process while the campaign writes: Python's own
 * sqlite3 module (no package of ours) reads results.db in a loop while logs merge, and every read
 * sees whole batches (as many steps as the logs it sees have rows, never a torn batch). The
 * README's three lines of Python run as they are written there.
 */
class ReadWhileMergingTest {
    @TempDir
    Path work;

    private static final String READER = String.join("\n",
            "import sqlite3, sys, time",
            "db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True, isolation_level=None)",
            "target, seen, end = int(sys.argv[2]), [], time.time() + 60",
            "while time.time() < end:",
            "    db.execute('BEGIN')",
            "    logs, rows = db.execute('SELECT count(*), coalesce(sum(rows), 0) FROM logs').fetchone()",
            "    steps = db.execute('SELECT count(*) FROM steps').fetchone()[0]",
            "    merged = db.execute('SELECT count(*) FROM merged').fetchone()[0]",
            "    db.execute('COMMIT')",
            "    if steps != rows or merged != rows:",
            "        print('TORN', logs, rows, steps, merged, flush=True)",
            "        sys.exit(1)",
            "    if not seen or seen[-1] != logs:",
            "        seen.append(logs)",
            "        print('SEEN', logs, flush=True)",
            "    if logs >= target:",
            "        break",
            "    time.sleep(0.005)",
            "print('DONE', len(seen), flush=True)",
            "");

    private static void requirePython() throws InterruptedException {
        try {
            if (new ProcessBuilder("python3", "-c", "import sqlite3").start().waitFor() == 0) {
                return;
            }
        } catch (IOException e) {
            // not installed
        }
        String why = "python3 (with its sqlite3 module) is not installed: apt-get install python3";
        if ("required".equals(System.getenv("ALPHAEX_PYTHON_TESTS"))) {
            throw new AssertionError(why);
        }
        org.junit.jupiter.api.Assumptions.abort(why + "; skipped here (ALPHAEX_PYTHON_TESTS=required makes it fail)");
    }

    @Test
    void pythonReadsTheStoreWhileTheMergeWritesAndNeverSeesATornBatch() throws Exception {
        requirePython();
        Files.writeString(work.resolve("sweep.json"), BanditLogs.SWEEP);
        InboxMerger merger = new InboxMerger();
        merger.setSweep(work.resolve("sweep.json").toString());
        merger.setResultsDir(work.resolve("results").toString());
        merger.start();
        Path inbox = work.resolve("inbox");
        merger.merge(BanditLogs.write(inbox, 0, 200).toString());
        int logs = 120;
        Files.writeString(work.resolve("reader.py"), READER);
        Process python = new ProcessBuilder("python3", work.resolve("reader.py").toString(),
                work.resolve("results/results.db").toString(), Integer.toString(logs))
                .redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = python.inputReader(StandardCharsets.UTF_8);
            assertThat(out.readLine()).isEqualTo("SEEN 1"); // it reads before the rest is merged
            for (int i = 1; i < logs; i++) {
                merger.merge(BanditLogs.write(inbox, i, 200).toString());
            }
            merger.flush();
            assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
            List<String> lines = out.lines().toList();
            assertThat(python.exitValue()).as(String.join("\n", lines)).isZero();
            assertThat(lines).last().asString().startsWith("DONE");
            assertThat(lines).filteredOn(l -> l.startsWith("SEEN")).as("reads while the merge wrote").hasSizeGreaterThan(3)
                    .last().isEqualTo("SEEN " + logs);
        } finally {
            python.destroyForcibly();
            merger.close();
        }
    }

    @Test
    void theReadmesThreeLinesOfPythonReadTheStore() throws Exception {
        requirePython();
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("```python\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("a python block in README.md").isTrue();
        String lines = m.group(1).stripIndent(); // the block is indented in a list item
        assertThat(lines.strip().split("\n")).hasSize(3);
        Files.writeString(work.resolve("sweep.json"), BanditLogs.SWEEP);
        InboxMerger merger = new InboxMerger();
        merger.setSweep(work.resolve("sweep.json").toString());
        merger.setResultsDir(work.resolve("work/bandit/results").toString());
        merger.start();
        try {
            for (int i = 0; i < 6; i++) {
                merger.merge(BanditLogs.write(work.resolve("inbox"), i, 50).toString());
            }
            // while the store is open (as during a campaign), from the project folder as the README says
            Files.writeString(work.resolve("readme.py"), lines);
            Process python = new ProcessBuilder("python3", "readme.py").directory(work.toFile())
                    .redirectErrorStream(true).start();
            assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.exitValue()).as(out).isZero();
            assertThat(out).contains("(0, 2, ", "(0.01, 2, ", "(0.1, 2, ");
        } finally {
            merger.close();
        }
    }
}

package dev.alphaex.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterException.Kind;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.SubmitRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlurmSubmitTest {
    /** Values that would run something if they reached the shell unquoted. */
    static final String NASTY = "a b;c,d=e $(touch INJECTED) `touch INJECTED2` \"q\" 'p' \\ $HOME\nline2 %x *";

    private final SlurmProtocol slurm = new SlurmProtocol();

    static SubmitRequest request(Map<String, String> env, Map<String, String> options, List<String> args) {
        return new SubmitRequest("sweep-1", List.of(0L, 1L, 2L, 5L), 0, "0-2,5", "job.sh", args, env, "~/proj x",
            options);
    }

    @Test
    void submitCommandQuotesEveryValueAndPutsVariablesInSbatchsEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LR", "0.1");
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("account", "def-x");
        opts.put("time", "0:10:00");
        opts.put("partition", " ");
        opts.put("extra", "--qos=high  --exclusive");
        String cmd = slurm.submitCommand(request(env, opts, List.of("a b")));
        assertThat(cmd).isEqualTo("cd ~/'proj x' && ALPHAEX_CAMPAIGN='sweep-1' ALPHAEX_BASE='0' LR='0.1'"
            + " sbatch --parsable --array='0-2,5' --job-name='sweep-1' --export=ALL --account='def-x'"
            + " --time='0:10:00' '--qos=high' '--exclusive' 'job.sh' 'a b'");
    }

    @Test
    void badRequestsAreRefusedNamingThePlace() {
        assertThatThrownBy(() -> slurm.submitCommand(request(Map.of("1BAD", "x"), Map.of(), List.of())))
            .hasMessageContaining("\"1BAD\"");
        assertThatThrownBy(() -> slurm.submitCommand(request(Map.of(), Map.of("array", "1-3"), List.of())))
            .hasMessageContaining("'array' is set by the campaign");
        assertThatThrownBy(() -> slurm.submitCommand(request(Map.of(), Map.of("--time", "1"), List.of())))
            .hasMessageContaining("not an sbatch option name: '--time'");
        assertThatThrownBy(() -> slurm.submitCommand(new SubmitRequest("t", List.of(1L), 0, "1;id", "j.sh", List.of(),
            Map.of(), "/w", Map.of()))).hasMessageContaining("'1;id'");
    }

    /**
     * The whole command through a real /bin/sh with a stand-in {@code sbatch} first on PATH that records
     * its arguments and the variables it was given; every nasty value must arrive byte for byte and
     * nothing may be executed. (The same test against the real sbatch: SlurmSubmitIT.)
     */
    @Test
    void nastyValuesReachTheProgramVerbatimThroughARealShell(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = bin.resolve("sbatch");
        Files.writeString(fake, "#!/bin/sh\nprintf '%s\\0' \"$@\" > args.bin\nprintf '%s' \"$NASTY_ENV\" > env.bin\necho 42\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path work = Files.createDirectories(dir.resolve("proj $(touch INJECTED3)"));
        SubmitRequest req = new SubmitRequest("t", List.of(0L), 0, "0", "job.sh", List.of(NASTY, ""),
            Map.of("NASTY_ENV", NASTY), work.toString(), Map.of("comment", NASTY));
        String cmd = slurm.submitCommand(req);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("42\n");
        assertThat(slurm.parseSubmit(req, new CommandResult(0, out, ""))).isEqualTo("42");
        String[] args = Files.readString(work.resolve("args.bin"), StandardCharsets.UTF_8).split("\0", -1);
        assertThat(args).containsExactly("--parsable", "--array=0", "--job-name=t", "--export=ALL",
            "--comment=" + NASTY, "job.sh", NASTY, "", "");
        assertThat(Files.readString(work.resolve("env.bin"), StandardCharsets.UTF_8)).isEqualTo(NASTY);
        try (var files = Files.walk(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("INJECTED"));
        }
    }

    @Test
    void parsableAnswerWithAndWithoutCluster() throws Exception {
        SubmitRequest req = request(Map.of(), Map.of(), List.of());
        assertThat(slurm.parseSubmit(req, new CommandResult(0, "529\n", ""))).isEqualTo("529");
        assertThat(slurm.parseSubmit(req, new CommandResult(0, "14;clusterb\n", ""))).isEqualTo("14");
        assertThatThrownBy(() -> slurm.parseSubmit(req, new CommandResult(0, "Submitted batch job 5\n", "")))
            .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(Kind.BUSY))
            .hasMessageContaining("reconcile");
    }

    @Test
    void sbatchErrorsMapToKinds() {
        SubmitRequest req = request(Map.of(), Map.of(), List.of());
        Map<String, Kind> cases = new LinkedHashMap<>();
        cases.put(SlurmProtocolTest.fixture("sbatch-slurmctld-down.stderr"), Kind.UNREACHABLE);
        cases.put("sbatch: error: Batch job submission failed: Socket timed out on send/recv operation", Kind.BUSY);
        cases.put("sbatch: error: Slurm temporarily unable to accept job, sleeping and retrying", Kind.BUSY);
        cases.put("sbatch: error: AssocMaxSubmitJobLimit", Kind.BUSY);
        cases.put("sbatch: error: QOSMaxSubmitJobPerUserLimit", Kind.BUSY);
        cases.put("sbatch: error: Batch job submission failed: Job violates accounting/QOS policy (job submit limit, "
            + "user's size and/or time limits)", Kind.BUSY);
        // captured on the lab:
        cases.put("sbatch: error: Batch job submission failed: Invalid job array specification", Kind.REJECTED);
        cases.put("sbatch: error: invalid partition specified: nope\n"
            + "sbatch: error: Batch job submission failed: Invalid partition name specified", Kind.REJECTED);
        cases.put("sbatch: unrecognized option '--bogus'\nTry \"sbatch --help\" for more information", Kind.REJECTED);
        cases.put("sbatch: error: Unable to open file nosuchscript.sh", Kind.REJECTED);
        cases.put("sbatch: error: Invalid --time specification", Kind.REJECTED);
        cases.put("bash: line 1: cd: /nope: No such file or directory", Kind.REJECTED);
        cases.forEach((stderr, kind) -> assertThatThrownBy(() -> slurm.parseSubmit(req, new CommandResult(1, "", stderr)))
            .as(stderr)
            .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(kind))
            .hasMessageContaining(stderr.lines().findFirst().orElseThrow()));
    }
}

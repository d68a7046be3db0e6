package dev.alphaex.slurm;

/**
 * What {@link SlurmDoctor} checks on one Slurm cluster: the cluster's parameters from the routes file.
 * Paths other than {@code workDir} are relative to {@code workDir} unless absolute ({@code ~/} is the login's
 * home); null or blank optional values are not checked.
 *
 * @param alias       the ssh alias (only for the messages: "ssh cedar mkdir -p ...")
 * @param workDir     the project folder, relative to the login's home; sbatch runs there
 * @param script      the job script
 * @param results     where jobs write {@code <index>.csv}
 * @param sweep       optional: the sweep file as the jobs see it ({@code ALPHAEX_SWEEP})
 * @param sweepSha256 optional: the SHA-256 (hex) of the campaign's sweep file, to tell a stale copy
 * @param java        optional: the java command the jobs use (e.g. {@code java}, or a path)
 * @param jar         optional: the jar the jobs run ({@code alphaex-sweep.jar}); checked with {@code java}
 * @param jarSha256   optional: the SHA-256 (hex) of the local build of that jar, to tell an older copy
 * @param account     optional: sbatch's {@code --account}, for the submit limit
 * @param qos         optional: sbatch's {@code --qos}
 * @param partition   optional: sbatch's {@code --partition}
 */
public record DoctorRequest(String alias, String workDir, String script, String results, String sweep, String sweepSha256,
                            String java, String jar, String jarSha256, String account, String qos, String partition) {
    public DoctorRequest {
        require(alias, "alias");
        require(workDir, "workDir");
        require(script, "script");
        require(results, "results");
        if (!blank(jar) && blank(java)) {
            throw new IllegalArgumentException("doctor: a jar to check needs the java command that runs it");
        }
    }

    /** The minimum: alias, workDir, script and results folder. */
    public static DoctorRequest of(String alias, String workDir, String script, String results) {
        return new DoctorRequest(alias, workDir, script, results, null, null, null, null, null, null, null, null);
    }

    public DoctorRequest withSweep(String file, String sha256) {
        return new DoctorRequest(alias, workDir, script, results, file, sha256, java, jar, jarSha256, account, qos, partition);
    }

    public DoctorRequest withJava(String command, String jarFile, String sha256) {
        return new DoctorRequest(alias, workDir, script, results, sweep, sweepSha256, command, jarFile, sha256, account, qos,
            partition);
    }

    public DoctorRequest withSbatch(String sbatchAccount, String sbatchQos, String sbatchPartition) {
        return new DoctorRequest(alias, workDir, script, results, sweep, sweepSha256, java, jar, jarSha256, sbatchAccount,
            sbatchQos, sbatchPartition);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void require(String value, String name) {
        if (blank(value)) {
            throw new IllegalArgumentException("doctor: " + name + " is required");
        }
    }
}

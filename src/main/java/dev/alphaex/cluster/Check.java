package dev.alphaex.cluster;

import java.util.Locale;

/**
 * One check of a cluster's preflight ({@code alphaex doctor}, and the campaign before a cluster's first submission):
 * what was looked at, the verdict, what was found and, for a warning or a failure, what to do.
 *
 * @param name   a stable name: alias, hostkey, login, programs, slurmctld, squeue, sacct, limit, workDir, script,
 *               results, sweep, java, code
 * @param status the verdict
 * @param detail what was found, e.g. "Slurm 22.05.8, cluster clustera, MaxArraySize 100001"
 * @param fix    what to do when the status is WARN or FAIL ("" otherwise)
 */
public record Check(String name, Status status, String detail, String fix) {
    /** The verdict of a check. */
    public enum Status {
        /** Fine. */
        OK,
        /** The campaign can run, but read the detail. */
        WARN,
        /** The cluster gets no work until this is fixed. */
        FAIL,
        /** Not configured, or not checkable because an earlier check failed. */
        SKIPPED;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Check {
        detail = detail == null ? "" : detail;
        fix = fix == null ? "" : fix;
    }

    public static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, "");
    }

    public static Check warn(String name, String detail, String fix) {
        return new Check(name, Status.WARN, detail, fix);
    }

    public static Check fail(String name, String detail, String fix) {
        return new Check(name, Status.FAIL, detail, fix);
    }

    public static Check skipped(String name, String detail) {
        return new Check(name, Status.SKIPPED, detail, "");
    }

    /** One line: "FAIL script: jobs/run.sh does not exist in ~/proj; fix: copy it there: scp ...". */
    public String line() {
        return status + " " + name + ": " + detail + (fix.isEmpty() ? "" : "; fix: " + fix);
    }
}

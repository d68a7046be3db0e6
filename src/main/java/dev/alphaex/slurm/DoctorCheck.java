package dev.alphaex.slurm;

/**
 * One check of {@link SlurmDoctor}.
 *
 * @param name   stable name: programs, slurmctld, squeue, sacct, limit, workDir, script, results, sweep, java
 * @param status the verdict
 * @param detail what was found, e.g. "Slurm 22.05.8, cluster clustera, MaxArraySize 100001"
 * @param fix    what to do when the status is WARN or FAIL ("" otherwise)
 */
public record DoctorCheck(String name, Status status, String detail, String fix) {
    /** The verdict of a check. */
    public enum Status {
        /** Fine. */
        OK,
        /** The campaign can run, but read the detail (e.g. a script without the x bit, an unknown submit limit). */
        WARN,
        /** The cluster must get no work until this is fixed. */
        FAIL,
        /** Not configured, or not checkable because an earlier check failed. */
        SKIPPED
    }

    public DoctorCheck {
        detail = detail == null ? "" : detail;
        fix = fix == null ? "" : fix;
    }

    /** One line: "FAIL script: jobs/run.sh does not exist in ~/proj; fix: copy it there: scp ...". */
    public String line() {
        return status + " " + name + ": " + detail + (fix.isEmpty() ? "" : "; fix: " + fix);
    }
}

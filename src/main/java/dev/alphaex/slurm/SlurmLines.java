package dev.alphaex.slurm;

import dev.alphaex.cluster.TaskReport;
import dev.alphaex.cluster.TaskState;

/** Reads one line of squeue ({@code %A|%F|%K|%T|%r}) or sacct ({@code JobID|JobIDRaw|JobName|State|ExitCode|Reason}). */
final class SlurmLines {
    /** The most tasks one compressed sacct row ({@code 529_[2-9%2]}) may stand for. */
    static final long MAX_EXPANSION = 1_000_000;

    private SlurmLines() {
    }

    /**
     * squeue -r -t all: one array task per line, ended ones too (for MinJobAge after they end, with their
     * final state). Six fields {@code JobID|ArrayJobID|ArrayTaskID|State|exit_code|Reason} (SlurmProtocol's
     * --Format): an ended task's exit status is squeue's raw wait status (768: exit 3; 9: signal 9). Five
     * fields ({@code -o %A|%F|%K|%T|%r}, the format of the captured answers in src/test/resources/slurm): no
     * exit status, except that COMPLETED means 0. Non-array jobs (task id N/A) are not the campaign's and
     * are skipped.
     */
    static void squeue(String line, TaskTable table) {
        String[] f = line.split("\\|", 6);
        if (f.length < 4) {
            throw new IllegalArgumentException("expected 6 fields separated by |");
        }
        String jobId = f[1].strip();
        String task = f[2].strip();
        if (task.equals("N/A")) {
            return;
        }
        TaskState state = TaskState.parse(f[3]);
        String reason = f.length > 4 ? reason(f[f.length - 1]) : "";
        Integer exit = state == TaskState.COMPLETED ? Integer.valueOf(0) : null; // COMPLETED means exit status 0
        if (f.length == 6 && state.isFinal()) {
            int status = Integer.parseInt(f[4].strip());
            int signal = status & 0x7f;
            if (signal != 0) {
                exit = null;
                reason = join("signal " + signal, reason);
            } else {
                exit = (status >> 8) & 0xff;
                if (reason.equals("NonZeroExitCode")) {
                    reason = ""; // the exit status says it
                }
            }
        }
        for (long id : taskIds(task)) {
            table.add(new TaskReport(checkJob(jobId), id, state, exit, reason), true);
        }
    }

    /** sacct -X -n -P: "1_4|7|name|TIMEOUT|0:0|None"; the name may hold '|', so the state is read from the right. */
    static void sacct(String line, TaskTable table) {
        String[] f = line.split("\\|", -1);
        if (f.length < 6) {
            throw new IllegalArgumentException("expected 6 fields separated by |");
        }
        String jobField = f[0].strip();
        int n = f.length;
        String stateText = f[n - 3].strip();
        String exit = f[n - 2].strip();
        String sacctReason = reason(f[n - 1]);
        int us = jobField.indexOf('_');
        if (us < 0) {
            return; // not an array job: not one of the campaign's submissions
        }
        String jobId = checkJob(jobField.substring(0, us));
        String task = jobField.substring(us + 1);
        TaskState state = TaskState.parse(stateText);
        Integer exitCode = null;
        String reason = sacctReason;
        int space = stateText.indexOf(' ');
        if (space > 0) {
            reason = join(stateText.substring(space + 1).strip(), reason); // "CANCELLED by 1001" -> "by 1001"
        }
        if (state.isFinal()) {
            int colon = exit.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("exit code is not status:signal: '" + exit + "'");
            }
            int status = Integer.parseInt(exit.substring(0, colon));
            int signal = Integer.parseInt(exit.substring(colon + 1));
            if (signal != 0) {
                reason = join("signal " + signal, reason);
            } else {
                exitCode = status;
            }
        }
        for (long id : taskIds(task)) {
            table.add(new TaskReport(jobId, id, state, exitCode, reason), false);
        }
    }

    /** "7", "[2-9%2]", "[1,3,5-7]" -> the task ids. */
    static long[] taskIds(String text) {
        String t = text.strip();
        if (t.startsWith("[")) {
            if (!t.endsWith("]")) {
                throw new IllegalArgumentException("unclosed task range '" + text + "'");
            }
            t = t.substring(1, t.length() - 1);
        }
        int pct = t.indexOf('%');
        if (pct >= 0) {
            t = t.substring(0, pct);
        }
        java.util.List<Long> ids = new java.util.ArrayList<>();
        for (String part : t.split(",")) {
            String p = part.strip();
            long step = 1;
            int colon = p.indexOf(':');
            if (colon >= 0) {
                step = Long.parseLong(p.substring(colon + 1));
                p = p.substring(0, colon);
            }
            int dash = p.indexOf('-');
            long from = Long.parseLong(dash < 0 ? p : p.substring(0, dash));
            long to = dash < 0 ? from : Long.parseLong(p.substring(dash + 1));
            if (to < from || step < 1 || (to - from) / step + ids.size() > MAX_EXPANSION) {
                throw new IllegalArgumentException("unusable task range '" + text + "'");
            }
            for (long i = from; i <= to; i += step) {
                ids.add(i);
            }
        }
        long[] out = new long[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i);
        }
        return out;
    }

    private static String checkJob(String jobId) {
        if (jobId.isEmpty() || !jobId.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a job id: '" + jobId + "'");
        }
        return jobId;
    }

    private static String reason(String text) {
        String r = text.strip();
        return r.equals("None") || r.equals("(null)") ? "" : r;
    }

    private static String join(String a, String b) {
        return b.isEmpty() ? a : a + "; " + b;
    }
}

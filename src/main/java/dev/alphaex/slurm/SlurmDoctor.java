package dev.alphaex.slurm;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterException.Kind;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.slurm.DoctorCheck.Status;
import dev.alphaex.ssh.Shell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The remote part of {@code doctor} for a Slurm cluster: ONE command (one SSH round trip) that looks at
 * everything a campaign needs there, and the parser of its answer into {@link DoctorCheck}s, each failure with
 * what to do. Pure: no network, no clock. (The SSH side, the alias, host key and login, is the transport's.)
 *
 * <p>The command changes nothing on the cluster, so that {@code plan} (the dry run) can run it: the results
 * folder is not created when missing (the jobs {@code mkdir -p} it; the doctor checks that the nearest existing
 * folder above it is writable); an existing one is tried with a temporary file that is removed at once
 * ({@code test -w} misjudges ACLs and root-squashed network file systems). It asks the scheduler 5 times
 * ({@code scontrol show config}, one {@code squeue} of the user's jobs, one {@code sacct}, two {@code sacctmgr}).
 *
 * <p>Sections of the answer (each ends with {@code @@alphaex:<name>:<rc>}): programs ({@code name=path} from
 * {@code command -v}), config (the keys of {@code scontrol show config} it reads), squeue ({@code uniq -c} of the
 * user's jobs' states), sacct, assoc and qos ({@link SubmitLimitQuery}), files ({@code key=value} lines), java.
 */
public final class SlurmDoctor {
    static final List<String> PROGRAMS = List.of("sbatch", "squeue", "sacct", "scontrol", "scancel", "sacctmgr");
    private static final List<String> NEEDED = List.of("sbatch", "squeue", "sacct", "scontrol");
    private static final List<String> SECTIONS = List.of("programs", "config", "squeue", "sacct", "assoc", "qos", "files", "java");

    private SlurmDoctor() {
    }

    public static String command(DoctorRequest r) {
        StringBuilder c = new StringBuilder();
        c.append("for p in ").append(String.join(" ", PROGRAMS))
            .append("; do printf '%s=%s\\n' \"$p\" \"$(command -v \"$p\")\"; done; ").append(mark("programs", "0"));
        c.append("; c=$(scontrol show config 2>&1); r=$?; if [ $r = 0 ]; then printf '%s\\n' \"$c\" | grep -E")
            .append(" '^(SLURM_VERSION|ClusterName|MaxArraySize|MaxJobCount|MinJobAge|AccountingStorageType) *='; else")
            .append(" printf '%s\\n' \"$c\"; fi; ").append(mark("config", "$r"));
        c.append("; q=$(squeue -h -r -u \"$USER\" -o %T 2>&1); r=$?; if [ $r = 0 ]; then [ -z \"$q\" ] || printf '%s\\n'")
            .append(" \"$q\" | sort | uniq -c; else printf '%s\\n' \"$q\"; fi; ").append(mark("squeue", "$r"));
        c.append("; a=$(sacct -n -X -P -o JobID -j 1 2>&1 >/dev/null); r=$?; [ -z \"$a\" ] || printf '%s\\n' \"$a\"; ")
            .append(mark("sacct", "$r"));
        c.append("; cl=$(printf '%s\\n' \"$c\" | sed -n 's/^ClusterName *= *//p'); ")
            .append(SubmitLimitQuery.commandFor("\"$cl\"", " 2>&1"));
        c.append("; w=0; if cd ").append(Shell.quotePath(r.workDir())).append(" 2>/dev/null; then w=1;")
            .append(" printf 'workdir=%s\\n' \"$(pwd)\"; s=").append(Shell.quotePath(r.script()))
            .append("; if [ -f \"$s\" ]; then echo script=file; [ -r \"$s\" ] && echo script=readable;")
            .append(" [ -x \"$s\" ] && echo script=executable; [ \"$(head -c 2 \"$s\" 2>/dev/null)\" = '#!' ] &&")
            .append(" echo script=shebang; elif [ -e \"$s\" ]; then echo script=not-a-file; else echo script=missing; fi;")
            .append(" d=").append(Shell.quotePath(r.results()))
            .append("; if [ -d \"$d\" ]; then t=$(mktemp \"$d/.alphaex-doctor.XXXXXX\" 2>&1); if [ $? = 0 ]; then")
            .append(" rm -f \"$t\"; echo results=writable; else printf 'results=unwritable %s\\n' \"$t\"; fi;")
            .append(" elif [ -e \"$d\" ]; then echo results=not-a-folder; else p=$d; while [ ! -d \"$p\" ]; do")
            .append(" p=$(dirname \"$p\"); done; if [ -w \"$p\" ] && [ -x \"$p\" ]; then printf 'results=creatable %s\\n'")
            .append(" \"$p\"; else printf 'results=blocked %s\\n' \"$p\"; fi; fi;");
        if (!DoctorRequest.blank(r.sweep())) {
            c.append(" f=").append(Shell.quotePath(r.sweep())).append("; if [ -r \"$f\" ]; then if command -v sha256sum")
                .append(" >/dev/null 2>&1; then printf 'sweep=%s\\n' \"$(sha256sum < \"$f\" | cut -c1-64)\"; else")
                .append(" echo sweep=readable; fi; elif [ -e \"$f\" ]; then echo sweep=unreadable; else echo sweep=missing; fi;");
        }
        c.append(" else echo workdir=missing; fi; ").append(mark("files", "0"));
        c.append("; ");
        if (!DoctorRequest.blank(r.java())) {
            c.append("j=").append(Shell.quotePath(r.java())).append("; if command -v \"$j\" >/dev/null 2>&1; then")
                .append(" printf 'java=%s\\n' \"$(command -v \"$j\")\"; printf 'javaversion=%s\\n' \"$(\"$j\" -version 2>&1 |")
                .append(" head -n 1)\";");
            if (!DoctorRequest.blank(r.jar())) {
                c.append(" x=").append(Shell.quotePath(r.jar())).append("; if [ \"$w\" = 1 ] && [ -r \"$x\" ]; then")
                    .append(" v=$(\"$j\" -jar \"$x\" --version 2>&1); printf 'jarexit=%s\\n' \"$?\"; printf '%s\\n' \"$v\" |")
                    .append(" head -n 3 | sed 's/^/jarsays=/'; if command -v sha256sum >/dev/null 2>&1; then")
                    .append(" printf 'jarsha=%s\\n' \"$(sha256sum < \"$x\" | cut -c1-64)\"; fi; else echo jar=missing; fi;");
            }
            c.append(" else echo java=missing; fi; ");
        }
        c.append(mark("java", "0"));
        return c.toString();
    }

    private static String mark(String section, String rc) {
        return "echo \"" + SlurmProtocol.MARK + section + ":" + rc + "\"";
    }

    /**
     * Reads the answer of {@link #command}.
     *
     * @throws ClusterException UNREACHABLE when the answer is cut short (the connection dropped, a time limit)
     */
    public static DoctorReport parse(DoctorRequest r, CommandResult result) throws ClusterException {
        Map<String, PollAnswer.Section> s = new LinkedHashMap<>();
        for (PollAnswer.Section section : PollAnswer.sections(result)) {
            s.putIfAbsent(section.name(), section);
        }
        if (!s.keySet().containsAll(SECTIONS)) {
            throw new ClusterException(Kind.UNREACHABLE, "doctor on " + r.alias() + ": answer cut short (exit "
                + result.exitCode() + ", sections " + s.keySet() + "): " + SlurmProtocol.firstLines(result.stderr()));
        }
        List<DoctorCheck> checks = new ArrayList<>();
        checks.add(programs(r, values(s.get("programs"))));

        PollAnswer.Section config = s.get("config");
        Map<String, String> cfg = SlurmConfig.parse(String.join("\n", config.lines()));
        String version = config.exitCode() == 0 ? cfg.getOrDefault("SLURM_VERSION", "?") : "";
        String cluster = config.exitCode() == 0 ? cfg.getOrDefault("ClusterName", "") : "";
        long maxArray = 0;
        if (config.exitCode() != 0) {
            checks.add(fail("slurmctld", "scontrol show config failed (exit " + config.exitCode() + "): "
                + joined(config), "the cluster's controller does not answer: try later; if it lasts, ask the site"));
        } else {
            try {
                maxArray = Long.parseLong(cfg.getOrDefault("MaxArraySize", "").strip());
                checks.add(ok("slurmctld", "Slurm " + version + ", cluster " + cluster + ", MaxArraySize " + maxArray
                    + (maxArray <= 1 ? " (job arrays disabled)" : "")));
            } catch (NumberFormatException e) {
                checks.add(fail("slurmctld", "scontrol show config printed no MaxArraySize (is this Slurm?): "
                    + joined(config), "run the doctor against a Slurm login node"));
            }
        }

        PollAnswer.Section squeue = s.get("squeue");
        Map<String, Long> jobs = new TreeMap<>();
        if (squeue.exitCode() != 0) {
            checks.add(fail("squeue", "squeue failed (exit " + squeue.exitCode() + "): " + joined(squeue),
                "the cluster's controller does not answer: try later; if it lasts, ask the site"));
        } else {
            for (String line : squeue.lines()) {
                String[] f = line.strip().split("\\s+", 2);
                if (f.length == 2 && f[0].matches("[0-9]+")) {
                    jobs.merge(f[1], Long.parseLong(f[0]), Long::sum);
                }
            }
            long n = jobs.values().stream().mapToLong(Long::longValue).sum();
            checks.add(ok("squeue", n + " of your jobs (array tasks) queued or running" + (jobs.isEmpty() ? "" : " " + jobs)));
        }

        PollAnswer.Section sacct = s.get("sacct");
        checks.add(sacct.exitCode() == 0 ? ok("sacct", "accounting answers")
            : fail("sacct", "sacct failed (exit " + sacct.exitCode() + "): " + joined(sacct), "the campaign reads ended tasks"
                + " from accounting (sacct); a cluster without it cannot run a campaign: ask the site"));

        SubmitLimit limit = cluster.isEmpty() ? SubmitLimit.unknown("the cluster's name is unknown (scontrol failed)")
            : SubmitLimitQuery.parse(cluster, r.account(), r.qos(), r.partition(), s.get("assoc"), s.get("qos"), "");
        checks.add(limit(limit, jobs.values().stream().mapToLong(Long::longValue).sum()));

        Map<String, List<String>> files = values(s.get("files"));
        DoctorFiles.check(r, files, checks);
        checks.add(DoctorFiles.java(r, values(s.get("java")), files.containsKey("workdir")
            && !files.get("workdir").contains("missing")));
        return new DoctorReport(checks, version, cluster, maxArray, limit, jobs);
    }

    private static DoctorCheck programs(DoctorRequest r, Map<String, List<String>> found) {
        List<String> missing = new ArrayList<>();
        List<String> optional = new ArrayList<>();
        for (String p : PROGRAMS) {
            String path = found.getOrDefault(p, List.of("")).get(0);
            if (path.isBlank()) {
                (NEEDED.contains(p) ? missing : optional).add(p);
            }
        }
        if (!missing.isEmpty()) {
            return fail("programs", String.join(", ", missing) + " not found on the login's PATH", "is " + r.alias()
                + " a Slurm login node? If Slurm comes as a module, load it in ~/.bashrc (commands over ssh do not"
                + " read ~/.bash_profile)");
        }
        String path = found.get("sbatch").get(0);
        if (!optional.isEmpty()) {
            return warn("programs", "sbatch at " + path + "; " + String.join(", ", optional) + " not found",
                "without scancel no work is taken back from this cluster; without sacctmgr its submit limit is unknown");
        }
        return ok("programs", "sbatch at " + path);
    }

    private static DoctorCheck limit(SubmitLimit limit, long userJobs) {
        if (!limit.known()) {
            return warn("limit", limit.describe(), "the campaign plans with the cluster's capacity; set it at or below"
                + " your account's MaxSubmitJobs (ask the site, or: sacctmgr show assoc user=$USER)");
        }
        if (limit.maxSubmit().isPresent() && userJobs >= limit.maxSubmit().getAsLong()) {
            return warn("limit", limit.describe() + "; you have " + userJobs + " jobs queued or running: no room left",
                "nothing more can be queued there until some of your jobs end");
        }
        return ok("limit", limit.describe() + (limit.maxSubmit().isPresent()
            ? "; room for " + limit.room(userJobs).getAsLong() + " more" : ""));
    }

    /** key=value lines as key -> values, in order. */
    static Map<String, List<String>> values(PollAnswer.Section section) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : section.lines()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return out;
    }

    private static String joined(PollAnswer.Section section) {
        return SlurmProtocol.firstLines(String.join(" ", section.lines()));
    }

    static DoctorCheck ok(String name, String detail) {
        return new DoctorCheck(name, Status.OK, detail, "");
    }

    static DoctorCheck warn(String name, String detail, String fix) {
        return new DoctorCheck(name, Status.WARN, detail, fix);
    }

    static DoctorCheck fail(String name, String detail, String fix) {
        return new DoctorCheck(name, Status.FAIL, detail, fix);
    }
}

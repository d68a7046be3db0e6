package dev.alphaex.slurm;

import static dev.alphaex.slurm.SlurmDoctor.fail;
import static dev.alphaex.slurm.SlurmDoctor.ok;
import static dev.alphaex.slurm.SlurmDoctor.warn;

import dev.alphaex.slurm.DoctorCheck.Status;
import dev.alphaex.ssh.Shell;
import java.util.List;
import java.util.Map;

/** The doctor's checks of the project folder on the cluster: workDir, script, results, sweep, java and the jar. */
final class DoctorFiles {
    private DoctorFiles() {
    }

    /** Adds the checks workDir, script, results and sweep from the "files" section's key=value lines. */
    static void check(DoctorRequest r, Map<String, List<String>> f, List<DoctorCheck> checks) {
        String wd = first(f, "workdir");
        String sshCmd = "ssh " + r.alias() + " ";
        if (wd.isEmpty() || wd.equals("missing")) {
            checks.add(fail("workDir", r.workDir() + " does not exist (or is not a folder you may enter)",
                "create it and put your code there: " + sshCmd + Shell.quote("mkdir -p " + Shell.quotePath(r.workDir()))));
            for (String name : List.of("script", "results", "sweep")) {
                checks.add(new DoctorCheck(name, Status.SKIPPED, "not checked: no workDir", ""));
            }
            return;
        }
        checks.add(ok("workDir", wd));
        checks.add(script(r, wd, f.getOrDefault("script", List.of()), sshCmd));
        checks.add(results(r, wd, first(f, "results"), sshCmd));
        checks.add(sweep(r, wd, first(f, "sweep"), sshCmd));
    }

    private static DoctorCheck script(DoctorRequest r, String wd, List<String> facts, String sshCmd) {
        String where = r.script() + " in " + wd;
        String copy = "copy it there: scp <local script> " + r.alias() + ":" + Shell.quote(join(wd, r.script()));
        if (facts.contains("missing")) {
            return fail("script", where + " does not exist", copy);
        }
        if (facts.contains("not-a-file")) {
            return fail("script", where + " is not a file", copy);
        }
        if (!facts.contains("readable")) {
            return fail("script", where + " is not readable", sshCmd + Shell.quote("chmod u+r " + Shell.quotePath(join(wd, r.script()))));
        }
        if (!facts.contains("shebang")) {
            return fail("script", where + " does not start with #! (sbatch refuses it: \"This does not look like a batch"
                + " script\")", "make its first line e.g. #!/bin/bash");
        }
        if (!facts.contains("executable")) {
            // sbatch sends a copy of the file and runs that: a script without the x bit runs (measured on the lab)
            return warn("script", where + " is not executable (sbatch runs it anyway: it sends a copy)",
                sshCmd + Shell.quote("chmod +x " + Shell.quotePath(join(wd, r.script())))
                    + " if anything runs it directly");
        }
        return ok("script", where);
    }

    private static DoctorCheck results(DoctorRequest r, String wd, String fact, String sshCmd) {
        String where = r.results() + " in " + wd;
        if (fact.equals("writable")) {
            return ok("results", where + " (writable)");
        }
        if (fact.startsWith("creatable ")) {
            String parent = fact.substring("creatable ".length());
            return ok("results", where + " does not exist yet; the jobs create it (mkdir -p) and "
                + (parent.equals(".") ? "the workDir" : parent) + " is writable");
        }
        if (fact.startsWith("unwritable")) {
            return fail("results", where + " is not writable: " + fact.substring("unwritable".length()).strip(),
                sshCmd + Shell.quote("chmod u+rwx " + Shell.quotePath(join(wd, r.results()))) + ", or name another results folder");
        }
        if (fact.equals("not-a-folder")) {
            return fail("results", where + " is a file, not a folder", "name another results folder, or move that file");
        }
        if (fact.startsWith("blocked ")) {
            return fail("results", where + " does not exist and cannot be created: " + fact.substring("blocked ".length())
                + " is not writable", "create it: " + sshCmd + Shell.quote("mkdir -p " + Shell.quotePath(join(wd, r.results()))));
        }
        return fail("results", where + ": no answer (" + fact + ")", "run the doctor again");
    }

    private static DoctorCheck sweep(DoctorRequest r, String wd, String fact, String sshCmd) {
        if (DoctorRequest.blank(r.sweep())) {
            return new DoctorCheck("sweep", Status.SKIPPED, "no sweep file for the jobs configured", "");
        }
        String where = r.sweep() + " in " + wd;
        String copy = "copy the campaign's sweep file there: scp <sweep file> " + r.alias() + ":"
            + Shell.quote(join(wd, r.sweep()));
        return switch (fact) {
            case "missing" -> fail("sweep", where + " does not exist: jobs that look their configuration up will fail", copy);
            case "unreadable" -> fail("sweep", where + " is not readable", copy);
            case "readable" -> ok("sweep", where + " (readable; no sha256sum there to compare its content)");
            default -> {
                if (!DoctorRequest.blank(r.sweepSha256()) && !fact.equalsIgnoreCase(r.sweepSha256().strip())) {
                    yield fail("sweep", where + " differs from the campaign's sweep (SHA-256 " + abbreviate(fact) + " there, "
                        + abbreviate(r.sweepSha256()) + " here): jobs would look up other configurations", copy);
                }
                yield ok("sweep", where + (DoctorRequest.blank(r.sweepSha256()) ? "" : " (the same content)"));
            }
        };
    }

    /** The check "java": the java command and the jar the jobs run, from the "java" section. */
    static DoctorCheck java(DoctorRequest r, Map<String, List<String>> f, boolean workDirThere) {
        if (DoctorRequest.blank(r.java())) {
            return new DoctorCheck("java", Status.SKIPPED, "no java for the jobs configured", "");
        }
        if (first(f, "java").isEmpty()) {
            return fail("java", r.java() + " not found on the login's PATH", "load a Java 17 or newer (e.g. module load java/17"
                + " in ~/.bashrc), or give the java command's full path");
        }
        String java = first(f, "java") + " (" + first(f, "javaversion") + ")";
        if (DoctorRequest.blank(r.jar())) {
            return ok("java", java);
        }
        String copy = "copy it there: scp target/alphaex-sweep.jar " + r.alias() + ":" + Shell.quote(r.jar());
        if (!workDirThere) {
            return new DoctorCheck("java", Status.SKIPPED, java + "; the jar is not checked: no workDir", "");
        }
        if (first(f, "jar").equals("missing")) {
            return fail("java", java + "; " + r.jar() + " does not exist (or is not readable)", copy);
        }
        String says = String.join(" ", f.getOrDefault("jarsays", List.of()));
        if (!first(f, "jarexit").equals("0")) {
            String fix = says.contains("UnsupportedClassVersionError") ? "the jar needs Java 17 or newer: load one"
                + " (e.g. module load java/17) or name its java" : copy;
            return fail("java", java + "; java -jar " + r.jar() + " --version failed (exit " + first(f, "jarexit") + "): "
                + SlurmProtocol.firstLines(says), fix);
        }
        String sha = first(f, "jarsha");
        if (!DoctorRequest.blank(r.jarSha256()) && !sha.isEmpty() && !sha.equalsIgnoreCase(r.jarSha256().strip())) {
            return warn("java", java + "; " + r.jar() + " answers '" + says + "' but is another build than the local one"
                + " (SHA-256 " + abbreviate(sha) + " there, " + abbreviate(r.jarSha256()) + " here)", copy);
        }
        return ok("java", java + "; " + r.jar() + " answers '" + says + "'");
    }

    private static String first(Map<String, List<String>> f, String key) {
        List<String> v = f.get(key);
        return v == null || v.isEmpty() ? "" : v.get(0).strip();
    }

    private static String join(String dir, String path) {
        return path.startsWith("/") || path.startsWith("~") ? path : dir + "/" + path;
    }

    private static String abbreviate(String sha) {
        String s = sha.strip();
        return s.length() > 12 ? s.substring(0, 12) + "..." : s;
    }
}

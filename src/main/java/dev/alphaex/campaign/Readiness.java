package dev.alphaex.campaign;

import dev.alphaex.files.Sha256;

import dev.alphaex.cluster.Check;
import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.DoctorInput;
import dev.alphaex.cluster.Preflight;
import dev.alphaex.codesync.CodeSync;
import dev.alphaex.codesync.SyncRefused;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a cluster must pass before its first submission: its code sync ({@link CodeSync}: git or upload, when it has
 * one) and its preflight (the kind's doctor: one command, changing nothing there). The remote work runs outside the
 * campaign's lock; the caller records the {@link Outcome}.
 */
final class Readiness {
    /** How it went: ready (with the code version and the checks), refused (why: which check and what to do), or no answer. */
    record Outcome(boolean ready, String code, Preflight preflight, String refused, ClusterException unanswered, String note) {
    }

    private final DoctorInput input;
    private final Path slimJar;

    Readiness(DoctorInput input, Path slimJar) {
        this.input = input;
        this.slimJar = slimJar;
    }

    /** What the preflight compares with: the sweep file's and the local slim jar's SHA-256, when they exist. */
    static DoctorInput input(Path sweep, Path slimJar) {
        return new DoctorInput(sweep == null ? null : Sha256.ofFileOrNull(sweep), slimJar != null && Files.isRegularFile(slimJar) ? Sha256.ofFileOrNull(slimJar)
                : null);
    }

    Outcome check(ClusterRuntime rt) {
        String code = null;
        String note = null;
        List<Check> syncChecks = new ArrayList<>();
        try {
            CodeSync sync = CodeSync.of(rt.def, rt.paths, rt.line.address(), Files.isRegularFile(slimJar) ? slimJar : null);
            if (sync != null) {
                note = sync.note();
                code = sync.run(rt.line.transport(), rt.line.timeout());
                syncChecks.add(Check.ok("code", sync.description() + ": " + code + (sync.copied() > 0 ? " (" + sync.copied()
                        + " file(s) copied)" : "")));
            }
        } catch (SyncRefused e) {
            return new Outcome(false, null, null, "code sync refused: " + e.getMessage(), null, note);
        } catch (ClusterException e) {
            if (e.kind() == ClusterException.Kind.REJECTED) {
                return new Outcome(false, null, null, "code sync refused: " + e.getMessage(), null, note);
            }
            return new Outcome(false, null, null, null, e, note);
        }
        try {
            String command = rt.kind.doctorCommand(rt.def, rt.paths, input);
            CommandResult answer = command == null ? null : rt.line.transport().exec(rt.line.address(), command, rt.line.timeout());
            Preflight p = rt.kind.doctor(rt.def, rt.paths, input, answer);
            List<Check> all = new ArrayList<>(syncChecks);
            all.addAll(p.checks());
            Preflight checked = new Preflight(all, p.info());
            return checked.ok() ? new Outcome(true, code, checked, null, null, note)
                    : new Outcome(false, code, checked, "checks failed: " + checked.failureLine(), null, note);
        } catch (ClusterException e) {
            return new Outcome(false, code, null, null, e, note);
        }
    }
}

package dev.alphaex.sweep;

import java.nio.file.Path;

/** A one-line description of a sweep file, for routes and logs. */
public final class SweepSummary {
    private SweepSummary() {
    }

    /** "FILE: N combinations over keys [k1, k2]; index 0 = {...}". */
    public static String describe(String file) {
        Sweep sweep = Sweep.load(Path.of(file));
        return file + ": " + sweep.total() + " combinations over keys " + sweep.keys() + "; index 0 = " + sweep.parse(0);
    }
}

package dev.alphaex.cluster;

/**
 * What the preflight compares the cluster's files with, from this machine.
 *
 * @param sweepSha256 the SHA-256 (hex) of the campaign's sweep file, or null without one
 * @param jarSha256   the SHA-256 (hex) of the local slim jar (target/alphaex-sweep.jar), or null when it is not built
 */
public record DoctorInput(String sweepSha256, String jarSha256) {
    public static DoctorInput none() {
        return new DoctorInput(null, null);
    }
}

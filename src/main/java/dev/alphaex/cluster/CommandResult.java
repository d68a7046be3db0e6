package dev.alphaex.cluster;

/** The outcome of one command on a cluster: exit status, standard output and standard error. */
public record CommandResult(int exitCode, String stdout, String stderr) {
    public CommandResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }
}

package dev.alphaex.codesync;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.Transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A "cluster" that is this machine's own shell in a folder standing for the login's home: commands run with
 * {@code sh -c} there (HOME set to it, as a login shell starts), files are copied into it. The code sync's commands are
 * the ones a Slurm login node runs over SSH (the lab runs them that way: OperateCampaignIT); this runs them with the
 * real sh and git, without the network.
 */
final class LocalShell implements Transport {
    final Path home;
    final List<String> commands = new ArrayList<>();
    final List<String> uploaded = new ArrayList<>();

    LocalShell(Path home) {
        this.home = home;
    }

    @Override
    public String name() {
        return "local-shell";
    }

    @Override
    public CommandResult exec(String address, String command, Duration timeout) {
        commands.add(command);
        try {
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).directory(home.toFile());
            pb.environment().put("HOME", home.toString());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return new CommandResult(p.exitValue(), out, err);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void upload(String address, Map<Path, String> files) throws ClusterException {
        try {
            for (Map.Entry<Path, String> f : files.entrySet()) {
                Path target = home.resolve(f.getValue().startsWith("~/") ? f.getValue().substring(2) : f.getValue());
                Files.createDirectories(target.getParent());
                Files.copy(f.getKey(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                uploaded.add(f.getValue());
            }
        } catch (IOException e) {
            throw new ClusterException(ClusterException.Kind.UNREACHABLE, e.getMessage(), e);
        }
    }

    @Override
    public LogFetch fetch(String address, String folder, List<String> names, Path inbox) {
        throw new UnsupportedOperationException();
    }
}

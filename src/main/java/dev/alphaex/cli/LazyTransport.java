package dev.alphaex.cli;

import dev.alphaex.cluster.Check;
import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.Transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A transport made at its first use (the SSH client starts threads, the local runner reads its folders): a command
 * that never reaches a cluster of that transport (status) never makes it.
 */
final class LazyTransport implements Transport {
    private final String name;
    private final Supplier<Transport> make;
    private Transport made;

    LazyTransport(String name, Supplier<Transport> make) {
        this.name = name;
        this.make = make;
    }

    private synchronized Transport t() {
        if (made == null) {
            made = make.get();
        }
        return made;
    }

    synchronized boolean made() {
        return made != null;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void prepare(List<String> addresses) {
        t().prepare(addresses);
    }

    @Override
    public CommandResult exec(String address, String command, Duration timeout) throws ClusterException {
        return t().exec(address, command, timeout);
    }

    @Override
    public LogFetch fetch(String address, String folder, List<String> names, Path inbox) throws ClusterException {
        return t().fetch(address, folder, names, inbox);
    }

    @Override
    public List<Check> doctor(String address) {
        return t().doctor(address);
    }

    @Override
    public void upload(String address, Map<Path, String> files) throws ClusterException {
        t().upload(address, files);
    }
}

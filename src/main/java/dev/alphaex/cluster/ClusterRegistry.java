package dev.alphaex.cluster;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The kinds of cluster and the transports, each by its own name ({@link ClusterKind#name()},
 * {@link Transport#name()}). The engine asks it for what a cluster's {@code kind} and {@code transport}
 * parameters name; a kind or transport is added by putting one more in, never by changing the engine.
 */
public interface ClusterRegistry {
    /**
     * The kind named {@code name}.
     *
     * @throws IllegalArgumentException "unknown kind 'x'; use local or slurm"
     */
    ClusterKind kind(String name);

    /**
     * The transport named {@code name}.
     *
     * @throws IllegalArgumentException "unknown transport 'x'; use local or ssh"
     */
    Transport transport(String name);

    /** A registry of exactly these. */
    static ClusterRegistry of(Collection<? extends ClusterKind> kinds, Collection<? extends Transport> transports) {
        return of(() -> kinds, () -> transports);
    }

    /** A registry over what the suppliers give at each look-up (so it can be filled after it is made). */
    static ClusterRegistry of(Supplier<Collection<? extends ClusterKind>> kinds, Supplier<Collection<? extends Transport>> transports) {
        return new ClusterRegistry() {
            @Override
            public ClusterKind kind(String name) {
                return find("kind", name, byName(kinds.get(), ClusterKind::name));
            }

            @Override
            public Transport transport(String name) {
                return find("transport", name, byName(transports.get(), Transport::name));
            }
        };
    }

    private static <T> Map<String, T> byName(Collection<? extends T> all, Function<T, String> name) {
        Map<String, T> out = new TreeMap<>();
        for (T t : all) {
            out.putIfAbsent(name.apply(t), t);
        }
        return out;
    }

    private static <T> T find(String what, String name, Map<String, T> known) {
        T found = known.get(name);
        if (found == null) {
            String names = String.join(", ", known.keySet());
            int last = names.lastIndexOf(", ");
            throw new IllegalArgumentException("unknown " + what + " '" + name + "'; " + (known.isEmpty() ? "none is registered"
                    : "use " + (last < 0 ? names : names.substring(0, last) + " or " + names.substring(last + 2))));
        }
        return found;
    }
}

package dev.alphaex.camel;

import dev.alphaex.campaign.ClusterFile;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.model.TemplatedRouteParameterDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reloads the campaign routes file's {@code templatedRoute}s (its clusters) while Camel runs.
 * Camel's own route reloader (camel.main.routesReloadEnabled) re-reads plain routes but, in Camel
 * 4.17, skips templated routes ({@code RouteBuilder.updateRoutesToCamelContext} never populates
 * them), so a cluster added to the file would never start. This bean, called every second by the
 * {@code alphaex-clusters-reload} route, compares the file's clusters with the previous version and
 * adds, replaces or removes only the routes that changed; the others keep running untouched.
 * A file that does not parse, or a cluster that is refused, is reported and changes nothing else.
 */
public final class ClusterRoutesReload implements CamelContextAware {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRoutesReload.class);

    private CamelContext context;
    private Path file;
    private long lastModified = -1;
    private long lastSize = -1;
    /** The file as it was when Camel Main loaded it (this bean is created just before). */
    private String loadedText;
    /** The clusters of the last version that was applied, by route id. */
    private Map<String, TemplatedRoute> applied;

    private record TemplatedRoute(String routeId, String template, Map<String, String> parameters) {
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /**
     * The campaign routes file (campaign.routes); its current text is the version the routes start from (the
     * campaign checked it at start, {@link ClusterFile}; an edit is checked here before it is applied).
     */
    public void setFile(String file) throws java.io.IOException {
        this.file = Path.of(file);
        if (Files.isRegularFile(this.file)) {
            lastModified = Files.getLastModifiedTime(this.file).toMillis();
            lastSize = Files.size(this.file);
            loadedText = Files.readString(this.file);
        }
    }

    /** Applies the file's changes since the last call, if it changed. */
    public synchronized void check() throws Exception {
        if (applied == null) {
            applied = loadedText == null ? Map.of() : read(org.apache.camel.support.ResourceHelper.fromString(file.toString(), loadedText));
        }
        if (!Files.isRegularFile(file)) {
            return;
        }
        long modified = Files.getLastModifiedTime(file).toMillis();
        long size = Files.size(file);
        if (modified == lastModified && size == lastSize) {
            return;
        }
        lastModified = modified;
        lastSize = size;
        Map<String, TemplatedRoute> now;
        try {
            ClusterFile.check(file, Files.readString(file));
            now = read(PluginHelper.getResourceLoader(context).resolveResource("file:" + file));
        } catch (Exception e) {
            LOG.error("{}: cannot reload the campaign's clusters: {}; the clusters keep running as they were", file, message(e));
            return;
        }
        for (String id : applied.keySet()) {
            if (!now.containsKey(id)) {
                remove(id, "removed from " + file);
            }
        }
        Map<String, TemplatedRoute> result = new LinkedHashMap<>(applied);
        result.keySet().retainAll(now.keySet());
        for (TemplatedRoute route : now.values()) {
            TemplatedRoute before = applied.get(route.routeId());
            if (route.equals(before)) {
                continue;
            }
            if (before != null) {
                remove(route.routeId(), "changed in " + file);
            }
            try {
                add(route);
                result.put(route.routeId(), route);
                LOG.info("{}: cluster route {} {}", file, route.routeId(), before == null ? "added" : "replaced");
            } catch (Exception e) {
                LOG.error("{}: cluster route {} refused: {}", file, route.routeId(), message(e));
                result.remove(route.routeId());
                if (before != null) {
                    try {
                        add(before);
                        result.put(before.routeId(), before);
                        LOG.info("{}: cluster route {} kept as it was", file, route.routeId());
                    } catch (Exception again) {
                        LOG.error("{}: cluster route {} could not be restored: {}", file, route.routeId(), message(again));
                    }
                }
            }
        }
        applied = result;
    }

    private Map<String, TemplatedRoute> read(Resource resource) throws Exception {
        Map<String, TemplatedRoute> out = new LinkedHashMap<>();
        for (RoutesBuilder b : PluginHelper.getRoutesLoader(context).findRoutesBuilders(List.of(resource))) {
            if (!(b instanceof RouteBuilder rb)) {
                continue;
            }
            rb.setCamelContext(context);
            rb.configureRoutes(context);
            for (TemplatedRouteDefinition t : rb.getTemplatedRouteCollection().getTemplatedRoutes()) {
                Map<String, String> params = new LinkedHashMap<>();
                for (TemplatedRouteParameterDefinition p : t.getParameters()) {
                    params.put(p.getName(), p.getValue());
                }
                String id = t.getRouteId() != null ? t.getRouteId() : "cluster-" + params.get("name");
                if (out.put(id, new TemplatedRoute(id, t.getRouteTemplateRef(), params)) != null) {
                    throw new IllegalArgumentException("two templated routes with id " + id);
                }
            }
        }
        return out;
    }

    private void add(TemplatedRoute route) throws Exception {
        TemplatedRouteBuilder.builder(context, route.template()).routeId(route.routeId())
                .parameters(new LinkedHashMap<>(route.parameters())).add();
        context.getRouteController().startRoute(route.routeId());
    }

    private void remove(String routeId, String why) throws Exception {
        if (context.getRoute(routeId) != null) {
            context.getRouteController().stopRoute(routeId);
            context.removeRoute(routeId);
            LOG.info("cluster route {} stopped and removed ({})", routeId, why);
        }
    }

    /** The innermost cause's message: the one that says what is wrong (Camel's wrappers only say where). */
    private static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return Objects.toString(t.getMessage(), t.toString());
    }
}

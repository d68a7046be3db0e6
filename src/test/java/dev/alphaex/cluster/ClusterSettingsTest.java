package dev.alphaex.cluster;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cluster's template parameters bound in one go; errors name the routes file and the cluster. */
class ClusterSettingsTest {
    private static Map<String, Object> gpu(String... more) {
        Map<String, Object> p = new LinkedHashMap<>(Map.of("name", "gpu", "kind", "slurm", "capacity", "8",
                "file", "routes/campaign.yaml"));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    @Test
    void textBecomesTypedValuesWithTheTemplatesDefaults() {
        ClusterSettings s = ClusterSettings.bind(gpu("account", "def-me", "partition", " ", "extra", "--qos=high"), "routes");
        assertThat(s.capacity()).isEqualTo(8);
        assertThat(s.period()).as("the kind's default").isNull();
        assertThat(s.periodOr(30_000)).isEqualTo(30_000L);
        assertThat(s.running()).isNull();
        assertThat(s.runningBudget()).as("running defaults to the capacity").isEqualTo(8);
        assertThat(ClusterSettings.bind(gpu("running", "3", "period", "500"), "routes").runningBudget()).isEqualTo(3);
        assertThat(s.maxTasks()).isEqualTo(1000);
        assertThat(s.timeout()).isEqualTo(60_000L);
        assertThat(s.alias()).isEqualTo("gpu");
        assertThat(s.options()).containsExactly(Map.entry("account", "def-me"), Map.entry("extra", "--qos=high"));
        assertThat(s.where()).isEqualTo("routes/campaign.yaml, cluster 'gpu'");
    }

    @Test
    void badValuesNameTheFileTheClusterAndTheParameter() {
        assertThatThrownBy(() -> ClusterSettings.bind(gpu("capacity", "0"), "routes"))
                .hasMessage("routes/campaign.yaml, cluster 'gpu': capacity must be 1 or more, got 0");
        assertThatThrownBy(() -> ClusterSettings.bind(gpu("period", "soon"), "routes"))
                .hasMessage("routes/campaign.yaml, cluster 'gpu': period must be a whole number, got 'soon'");
        assertThatThrownBy(() -> ClusterSettings.bind(gpu("running", "9"), "routes"))
                .hasMessageStartingWith("routes/campaign.yaml, cluster 'gpu': running must be at most capacity (8), got 9");
        assertThatThrownBy(() -> ClusterSettings.bind(gpu("running", "0"), "routes"))
                .hasMessage("routes/campaign.yaml, cluster 'gpu': running must be 1 or more, got 0");
        assertThatThrownBy(() -> ClusterSettings.bind(gpu("name", "my gpu"), "routes"))
                .hasMessageContaining("cluster 'my gpu': name must be letters, digits");
        assertThatThrownBy(() -> ClusterSettings.bind(gpu("capacityy", "4"), "routes"))
                .hasMessageContaining("cluster 'gpu': unknown parameter 'capacityy'");
    }

    @Test
    void kindsAndTransportsAreFoundByNameOrNamed() {
        ClusterRegistry registry = ClusterRegistry.of(java.util.List.of(new dev.alphaex.slurm.SlurmKind(),
                new dev.alphaex.local.LocalKind()), java.util.List.of());
        assertThat(registry.kind("slurm").defaultTransport()).isEqualTo("ssh");
        assertThatThrownBy(() -> registry.kind("cloud")).hasMessage("unknown kind 'cloud'; use local or slurm");
        assertThatThrownBy(() -> registry.transport("rsh")).hasMessage("unknown transport 'rsh'; none is registered");
    }
}

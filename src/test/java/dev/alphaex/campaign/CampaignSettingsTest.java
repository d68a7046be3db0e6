package dev.alphaex.campaign;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The campaign's properties bound into typed values with the README's defaults; errors name the property. */
class CampaignSettingsTest {
    private static final CampaignProperties WHERE = new CampaignProperties("config/application.properties");

    private static CampaignSettings bind(String... keyValues) {
        Map<String, String> p = new HashMap<>(Map.of("campaign.name", "bandit", "campaign.script", "jobs/run.sh"));
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return CampaignSettings.bind(p::get, WHERE);
    }

    @Test
    void unsetPropertiesTakeTheReadmesDefaults() {
        CampaignSettings s = bind();
        assertThat(s.runs()).isEqualTo(1);
        assertThat(s.maxJobs()).isEqualTo(1_000_000L);
        assertThat(s.maxAttempts()).isEqualTo(3);
        assertThat(s.retryOn()).isEqualTo("FAILED,NODE_FAIL,PREEMPTED,BOOT_FAIL,VANISHED");
        assertThat(s.exitWhenDone()).isFalse();
        assertThat(s.exitGraceSeconds()).isEqualTo(3);
        assertThat(s.vanishAfterPolls()).isEqualTo(3);
        assertThat(s.vanishAfterSeconds()).isEqualTo(30);
        assertThat(s.routes()).isEqualTo("routes/campaign.yaml");
        assertThat(bind("campaign.runs", " 20 ", "campaign.exitWhenDone", "true").runs()).isEqualTo(20);
    }

    @Test
    void aValueOfTheWrongKindNamesThePropertyAndWhatItGot() {
        assertThatThrownBy(() -> bind("campaign.runs", "abc"))
                .hasMessage("config/application.properties: campaign.runs: must be a whole number, got 'abc'");
        assertThatThrownBy(() -> bind("campaign.exitWhenDone", "maybe"))
                .hasMessage("config/application.properties: campaign.exitWhenDone: must be true or false, got 'maybe'");
        assertThatThrownBy(() -> bind("campaign.maxAttempts", "0"))
                .hasMessage("config/application.properties: campaign.maxAttempts: must be 1 or more, got 0");
        assertThatThrownBy(() -> bind("campaign.name", "my campaign"))
                .hasMessage("config/application.properties: campaign.name: must be letters, digits, '_', '-' or '.', got 'my campaign'");
        assertThatThrownBy(() -> bind("campaign.script", " "))
                .hasMessage("config/application.properties: campaign.script: give the job script");
    }
}

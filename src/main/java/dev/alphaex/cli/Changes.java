package dev.alphaex.cli;

import dev.alphaex.campaign.Campaign;
import dev.alphaex.campaign.CampaignHeldException;
import dev.alphaex.campaign.OperatorAnswer;
import dev.alphaex.campaign.OperatorRequest;
import dev.alphaex.campaign.OperatorView;
import dev.alphaex.campaign.RequestFiles;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How an operator command changes a campaign: through the running controller (a request file its route takes, and the
 * answer it writes), or, when no controller runs, by itself with a campaign engine of its own that takes the
 * controller lock for as long as it works ({@link OperatorView#headless}). Either way the campaign's own code checks
 * and records the change.
 */
final class Changes {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How it went: the campaign's answer (null: the controller did not answer in time), and who did it. */
    record Outcome(OperatorAnswer answer, boolean byController) {
    }

    private Changes() {
    }

    /**
     * Sends {@code request}; with no controller, applies it with a headless engine and then runs {@code afterwards}
     * on that engine (cancel: drive its clusters until their jobs are cancelled).
     */
    static Outcome apply(OperatorView view, OperatorRequest request, Duration wait, Consumer<Campaign> afterwards)
            throws InterruptedException, IOException {
        while (true) {
            try (Campaign c = view.headless()) {
                OperatorAnswer a = JSON.readValue(c.request(JSON.writeValueAsString(request)), OperatorAnswer.class);
                if (a.ok()) {
                    afterwards.accept(c);
                }
                return new Outcome(a, false);
            } catch (CampaignHeldException held) {
                RequestFiles files = new RequestFiles(view.dir());
                files.put(request);
                Optional<OperatorAnswer> a = files.await(request, wait);
                if (a.isPresent()) {
                    return new Outcome(a.get(), true);
                }
                if (view.controller().isPresent() || !files.withdraw(request)) {
                    return new Outcome(files.await(request, Duration.ofSeconds(1)).orElse(null), true);
                }
                // the controller stopped before it took the request: do it here
            }
        }
    }
}

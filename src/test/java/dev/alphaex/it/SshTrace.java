package dev.alphaex.it;

import dev.alphaex.campaign.Answer;
import dev.alphaex.campaign.ClusterCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.ssh.SshConstants;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Every exchange the campaign's routes send to a cluster (an {@code alphaex-cluster:} endpoint, carrying a
 * {@link ClusterCall} out and its {@link Answer} back; or an {@code alphaex-ssh:} endpoint), as seen by a
 * Camel event notifier: when it was sent, to which cluster, what it was (info, poll, submit, other, from
 * the command text), how long it took and whether it was answered (a poll: every section of it, squeue and
 * sacct, exited 0, as SlurmProtocol reads it). Read-only: it watches, it changes nothing.
 */
public final class SshTrace extends EventNotifierSupport {
    /** What a command was. */
    public enum Kind { INFO, POLL, SUBMIT, OTHER }

    /**
     * One exchange with a cluster.
     *
     * @param startMillis epoch ms when it was sent
     * @param endMillis   epoch ms when the answer (or failure) came
     * @param ok          no exception and exit status 0
     * @param stdout      the answer (for a submission: the job id)
     */
    public record Call(String cluster, Kind kind, long startMillis, long endMillis, boolean ok, String stdout) {
    }

    private final Map<String, Object[]> inflight = new ConcurrentHashMap<>();
    private final List<Call> calls = new ArrayList<>();

    /** Adds a trace to the context (call before its routes start, e.g. from a Main listener). */
    public static SshTrace on(CamelContext context) {
        SshTrace t = new SshTrace();
        context.getManagementStrategy().addEventNotifier(t);
        return t;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeSendingEvent || event instanceof CamelEvent.ExchangeSentEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeSendingEvent e) {
            String uri = e.getEndpoint().getEndpointUri();
            Object body = e.getExchange().getIn().getBody();
            if (body instanceof ClusterCall.Command call) {
                Kind kind = call instanceof ClusterCall.Poll ? Kind.POLL : call instanceof ClusterCall.Submit ? Kind.SUBMIT : Kind.OTHER;
                inflight.put(e.getExchange().getExchangeId(), new Object[] {call.cluster(), kind, System.currentTimeMillis()});
            } else if (uri.startsWith("alphaex-ssh:")) {
                String text = e.getExchange().getIn().getBody(String.class);
                inflight.put(e.getExchange().getExchangeId(),
                    new Object[] {cluster(uri), kind(text == null ? "" : text), System.currentTimeMillis()});
            }
        } else if (event instanceof CamelEvent.ExchangeSentEvent e) {
            Object[] start = inflight.remove(e.getExchange().getExchangeId());
            if (start != null) {
                Exchange x = e.getExchange();
                Answer answer = x.getMessage().getBody() instanceof Answer a && a.result() != null ? a : null;
                Integer rc = answer != null ? Integer.valueOf(answer.result().exitCode())
                    : x.getMessage().getHeader(SshConstants.EXIT_VALUE, Integer.class);
                String out = x.getException() != null ? x.getException().getMessage()
                    : answer != null ? answer.result().stdout() : x.getMessage().getBody(String.class);
                boolean ok = x.getException() == null && rc != null && rc == 0;
                if (start[1] == Kind.POLL) { // a poll is answered when each of its sections (squeue, sacct) exited 0
                    ok &= out != null && out.contains("@@alphaex:squeue:0") && !out.matches("(?s).*@@alphaex:\\w+:[1-9].*");
                }
                synchronized (calls) {
                    calls.add(new Call((String) start[0], (Kind) start[1], (Long) start[2], System.currentTimeMillis(), ok,
                        out == null ? "" : out.strip()));
                }
            }
        }
    }

    private static String cluster(String uri) {
        String rest = uri.substring("alphaex-ssh:".length());
        int q = rest.indexOf('?');
        return (q < 0 ? rest : rest.substring(0, q)).replace("//", "");
    }

    static Kind kind(String command) {
        if (command.startsWith("squeue ") || command.contains("scontrol show config") && command.contains("; squeue ")) {
            return Kind.POLL; // the first poll reads the cluster's facts (scontrol, sacctmgr) in the same round trip
        }
        if (command.startsWith("scontrol show config")) {
            return Kind.INFO;
        }
        if (command.contains(" sbatch --parsable ")) {
            return Kind.SUBMIT;
        }
        return Kind.OTHER;
    }

    /** The calls so far, in the order they ended. */
    public List<Call> calls() {
        synchronized (calls) {
            return new ArrayList<>(calls);
        }
    }

    /** The calls to one cluster, in the order they ended. */
    public List<Call> calls(String cluster) {
        return calls().stream().filter(c -> c.cluster().equals(cluster)).toList();
    }
}

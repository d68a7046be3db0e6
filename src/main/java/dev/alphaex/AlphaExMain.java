package dev.alphaex;

import dev.alphaex.campaign.Campaign;
import dev.alphaex.campaign.CampaignHeldException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Camel Main on the YAML routes under {@code routes/}, with its properties read from
 * {@code config/application.properties} (another file with {@code -Dalphaex.config=PATH}).
 * {@code -Dcamel.main.*} and {@code -Dcampaign.*} system properties override the file.
 *
 * <p>The exit code says how the campaign ended: 0 every job completed; 3 every job ended and some
 * failed for good (the summary lists them); 5 stopped before every job ended (start again to go
 * on); 6 the campaign was cancelled (alphaex cancel; alphaex resume goes on). A campaign that cannot start ends with one message that says what is wrong and where: exit
 * code 2 for a definition it cannot use (a bad sweep file, cluster definition or routes file), 4
 * when another controller runs the campaign; {@code -Dalphaex.verbose=true} adds the stack trace.
 */
public final class AlphaExMain {
    /** Exit code for a definition the campaign cannot use. */
    public static final int BAD_INPUT = 2;
    /** Exit code when every job ended and some failed for good. */
    public static final int TASKS_FAILED = 3;
    /** Exit code when another controller (process) runs the campaign. */
    public static final int CAMPAIGN_HELD = 4;
    /** Exit code when the controller stopped before every job ended. */
    public static final int UNFINISHED = 5;
    /** Exit code when the campaign was cancelled (alphaex cancel) and nothing of it runs any more. */
    public static final int CANCELLED = 6;

    private AlphaExMain() {
    }

    public static void main(String[] args) throws Exception {
        Main main = controller();
        AtomicReference<Campaign> campaign = new AtomicReference<>();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport m) {
                campaign.set(m.getCamelContext().getRegistry().lookupByNameAndType("campaign", Campaign.class));
            }
        });
        try {
            main.run(args);
        } catch (Exception e) {
            System.err.println("alphaex: cannot start: " + reason(e));
            if (Boolean.getBoolean("alphaex.verbose")) {
                e.printStackTrace();
            } else {
                System.err.println("alphaex: (-Dalphaex.verbose=true prints the stack trace)");
            }
            System.exit(held(e) ? CAMPAIGN_HELD : BAD_INPUT);
        }
        int code = exitCode(campaign.get());
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Camel Main as the controller runs it: the routes are the YAML files of camel.main.routesIncludePattern, and only
     * those. No class argument: with one, Main scans that class's package for RouteBuilder classes, and it found a
     * test's RouteBuilder on the test classpath (f48ec2b: CampaignRestartTest's child JVM died of it).
     */
    static Main controller() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:" + System.getProperty("alphaex.config", "config/application.properties"));
        return main;
    }

    /** The exit code for how the campaign ended (0 without a campaign bean: routes of other kinds). */
    static int exitCode(Campaign campaign) {
        if (campaign == null) {
            return 0;
        }
        switch (campaign.outcome()) {
            case COMPLETED:
                return 0;
            case FAILED:
                return TASKS_FAILED;
            case CANCELLED:
                return CANCELLED;
            default:
                return UNFINISHED;
        }
    }

    private static boolean held(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CampaignHeldException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The message that says what is wrong: the innermost exception raised by AlphaEx's own code
     * (it names the file and the place), else the innermost message of the chain.
     */
    static String reason(Throwable e) {
        String ours = null;
        String innermost = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvocationTargetException || t.getMessage() == null) {
                continue;
            }
            innermost = t.getMessage();
            StackTraceElement[] st = t.getStackTrace();
            if (t.getClass().getName().startsWith("dev.alphaex.")
                    || (st.length > 0 && st[0].getClassName().startsWith("dev.alphaex."))) {
                ours = t.getMessage();
            }
        }
        return ours != null ? ours : innermost != null ? innermost : e.toString();
    }
}

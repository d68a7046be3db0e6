package dev.alphaex;

import org.apache.camel.main.Main;

import java.lang.reflect.InvocationTargetException;

/**
 * Camel Main on the YAML routes under {@code routes/}, with its properties read from
 * {@code config/application.properties} (another file with {@code -Dalphaex.config=PATH}).
 * {@code -Dcamel.main.*} and {@code -Dcampaign.*} system properties override the file.
 *
 * <p>A campaign that cannot start (a bad sweep file, cluster definition or routes file) ends with
 * one message that says what is wrong and where, and exit code 2; {@code -Dalphaex.verbose=true}
 * adds the stack trace.
 */
public final class AlphaExMain {
    /** Exit code for a definition the campaign cannot use. */
    public static final int BAD_INPUT = 2;

    private AlphaExMain() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(); // no class argument: that would scan our packages for RouteBuilder classes
        main.setPropertyPlaceholderLocations("file:" + System.getProperty("alphaex.config", "config/application.properties"));
        try {
            main.run(args);
        } catch (Exception e) {
            System.err.println("alphaex: cannot start: " + reason(e));
            if (Boolean.getBoolean("alphaex.verbose")) {
                e.printStackTrace();
            } else {
                System.err.println("alphaex: (-Dalphaex.verbose=true prints the stack trace)");
            }
            System.exit(BAD_INPUT);
        }
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

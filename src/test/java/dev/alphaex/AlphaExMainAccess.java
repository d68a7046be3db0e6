package dev.alphaex;

import org.apache.camel.main.Main;

/** The controller's Camel Main for tests in other packages (AlphaExMain keeps it package-private). */
public final class AlphaExMainAccess {
    private AlphaExMainAccess() {
    }

    public static Main controller() {
        return AlphaExMain.controller();
    }
}

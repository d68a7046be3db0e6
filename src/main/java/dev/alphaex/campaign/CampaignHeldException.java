package dev.alphaex.campaign;

/** Another controller (process) runs the campaign: this one must not start. The message names the holder. */
public final class CampaignHeldException extends IllegalStateException {
    CampaignHeldException(String message) {
        super(message);
    }
}

package dev.alphaex.campaign;

/**
 * A campaign's answer to an {@link OperatorRequest}: done or refused, with the message for the operator.
 *
 * @param id      the request's id
 * @param ok      true when it was done
 * @param message what was done, or why not and what to do
 * @param indices the indices it changed, as ranges ("" when none)
 * @param count   how many indices it changed
 */
public record OperatorAnswer(String id, boolean ok, String message, String indices, long count) {
    static OperatorAnswer refused(String id, String message) {
        return new OperatorAnswer(id, false, message, "", 0);
    }
}

package dev.alphaex.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alphaex.campaign.OperatorAnswer;
import dev.alphaex.campaign.OperatorView;

/** How cancel, retry and resume report: the campaign's answer, in text or JSON, and their exit codes. */
final class Report {
    private Report() {
    }

    static ObjectNode answer(String op, Changes.Outcome o) {
        OperatorAnswer a = o.answer();
        return new ObjectMapper().createObjectNode().put("op", op).put("ok", a.ok()).put("message", a.message())
                .put("indices", a.indices()).put("count", a.count()).put("by", o.byController() ? "controller" : "command");
    }

    /** The campaign refused (exit 2): why and what to do. */
    static int refused(boolean json, String op, OperatorAnswer a) {
        if (json) {
            JsonLines.print(new ObjectMapper().createObjectNode().put("op", op).put("ok", false).put("message", a.message()));
        } else {
            System.err.println("alphaex " + op + ": " + a.message());
        }
        return CommandRunner.BAD_INPUT;
    }

    /** The running controller did not answer in time (exit 1): the request stays for it. */
    static int noAnswer(boolean json, String op, OperatorView view) {
        String m = "the controller (" + view.controller().orElse("?") + ") has not answered yet; the request is in " + view.dir()
                .resolve("requests") + " and it takes it at its next look (alphaex status shows when it did)";
        if (json) {
            JsonLines.print(new ObjectMapper().createObjectNode().put("op", op).put("ok", false).put("message", m));
        } else {
            System.err.println("alphaex " + op + ": " + m);
        }
        return 1;
    }

    /** Done (exit 0). */
    static int done(boolean json, String op, Changes.Outcome o, String campaign) {
        if (json) {
            JsonLines.print(answer(op, o));
        } else {
            System.out.println("campaign " + campaign + " " + o.answer().message() + (o.byController()
                    ? " (by the running controller, which picks them up at its next polls)" : ""));
        }
        return 0;
    }
}

package io.reefline.andon.service;

import io.reefline.andon.persistence.CordEntity;
import java.util.ArrayList;
import java.util.List;

/**
 * A Slack-compatible message ({@code text} plus Block Kit {@code blocks}): Slack incoming webhooks, and most chat
 * tools that copy their format, show it as it is.
 */
public record SlackMessage(String text, List<Block> blocks) {

    /** A Block Kit block: a {@code section} with text, or a {@code context} line with elements. */
    public record Block(String type, Text text, List<Text> elements) {}

    /** A {@code mrkdwn} text object. */
    public record Text(String type, String text) {
        static Text markdown(String text) {
            return new Text("mrkdwn", text);
        }
    }

    static SlackMessage pulled(CordEntity cord) {
        String headline = "Andon cord #" + cord.id + " pulled by " + cord.pulledBy + ": the release pipeline is"
                + " stopped (" + cord.scope + ")";
        String body = ":rotating_light: *" + escape(headline) + "*\n>" + escape(cord.reason);
        return message(headline, body, cord);
    }

    static SlackMessage resolved(CordEntity cord) {
        String headline = "Andon cord #" + cord.id + " resolved by " + cord.resolvedBy
                + (cord.fixVersion == null ? "" : " (fix in " + cord.fixVersion + ")");
        String body = ":white_check_mark: *" + escape(headline) + "*\n>" + escape(cord.resolution);
        return message(headline, body, cord);
    }

    private static SlackMessage message(String headline, String body, CordEntity cord) {
        List<Text> context = new ArrayList<>();
        context.add(Text.markdown("*Severity:* " + cord.severity.label()));
        context.add(Text.markdown("*Category:* " + escape(cord.category.description())));
        context.add(Text.markdown("*Scope:* `" + escape(cord.scope) + "`"));
        if (cord.suspectedRelease != null) {
            context.add(Text.markdown("*Suspected release:* " + escape(cord.suspectedRelease)));
        }
        return new SlackMessage(
                headline,
                List.of(
                        new Block("section", Text.markdown(body), null),
                        new Block("context", null, List.copyOf(context))));
    }

    /** Slack's three control characters in mrkdwn; everything else is shown literally. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

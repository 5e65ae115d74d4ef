package io.reefline.andon.ui;

import io.quarkus.qute.TemplateData;
import io.reefline.andon.domain.Category;
import io.reefline.andon.domain.CellSilence;
import io.reefline.andon.domain.Severity;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.rest.CordView;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/** Everything the andon page shows: the line's state, the pull form, open problems and the history. */
@TemplateData
public record AndonPage(
        String user,
        boolean operator,
        long openCount,
        long historyCount,
        List<Row> open,
        List<Row> history,
        List<CellRow> cells,
        List<Choice> categories,
        List<Choice> severities,
        Form form,
        String error) {

    /** How many resolved and closed cords the page lists; the heading always shows the full count. */
    static final int HISTORY_SHOWN = 50;

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** One replica of a reef's cell as the hub hears it (shown when the fleet has cells). */
    @TemplateData
    public record CellRow(
            String reef, String replica, String lastHeardAt, int queuedCords, String state, String reason) {
        static CellRow of(CellSilence.Verdict verdict) {
            return new CellRow(
                    verdict.heartbeat().reef(),
                    verdict.heartbeat().replica(),
                    WHEN.format(verdict.heartbeat().lastHeardAt()),
                    verdict.heartbeat().queuedCords(),
                    verdict.state().code(),
                    verdict.reason() == null ? "" : verdict.reason());
        }
    }

    /** One option of a select. */
    @TemplateData
    public record Choice(String value, String label) {}

    /** What the person typed, kept when the pull is refused so nothing has to be typed twice. */
    @TemplateData
    public record Form(String reason, String category, String severity, String scope) {
        static final Form EMPTY = new Form("", Category.DOESNT_LOOK_RIGHT.code(), Severity.DEFAULT.label(), "global");
    }

    /** One cord as a row of the page. */
    @TemplateData
    public record Row(
            long id,
            String state,
            String reason,
            String category,
            String severity,
            String severityClass,
            String scope,
            String pulledBy,
            String pulledAt,
            String pulledInReef,
            String detection,
            List<CordEvidence.Field> evidence,
            String resolvedBy,
            String resolvedAt,
            String resolution,
            String fixVersion,
            String etag) {

        static Row of(CordEntity cord) {
            return new Row(
                    cord.id,
                    cord.state.code(),
                    cord.reason,
                    cord.category.description(),
                    cord.severity.label(),
                    cord.severity.name().replace("_", "").toLowerCase(),
                    cord.scope,
                    cord.pulledBy,
                    when(cord.pulledAt),
                    cord.pulledInReef,
                    AndonPage.detection(cord),
                    CordEvidence.of(CordView.evidenceOf(cord)),
                    cord.resolvedBy,
                    when(cord.resolvedAt),
                    cord.resolution,
                    cord.fixVersion,
                    cord.etagValue());
        }
    }

    private static final DateTimeFormatter EXACT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /**
     * The detection line of a cord that says more than its pull (an automatic pull): "impact since X, detected at Y
     * (N later), ring Z"; null for a person's pull detected when it was pulled.
     */
    static String detection(CordEntity cord) {
        boolean detectedEarlier = cord.detectedAt != null && !cord.detectedAt.equals(cord.pulledAt);
        if (cord.impactStartedAt == null && cord.ring == null && !detectedEarlier) {
            return null;
        }
        List<String> parts = new java.util.ArrayList<>();
        if (cord.impactStartedAt != null) {
            parts.add("impact since " + EXACT.format(cord.impactStartedAt));
        }
        String detected = "detected at " + EXACT.format(cord.detectedAt);
        if (cord.impactStartedAt != null) {
            detected += " (" + span(Duration.between(cord.impactStartedAt, cord.detectedAt)) + " later)";
        }
        parts.add(detected);
        if (cord.ring != null) {
            parts.add("ring " + cord.ring);
        }
        return String.join(", ", parts);
    }

    /** A duration in the largest two units that matter: {@code 45 s}, {@code 6 min 5 s}, {@code 2 h 5 min}, {@code 3 d 4 h}. */
    static String span(Duration duration) {
        long s = duration.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        if (s < 86_400) {
            return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
        }
        return s / 86_400 + " d" + (s % 86_400 / 3600 == 0 ? "" : " " + s % 86_400 / 3600 + " h");
    }

    public boolean stopped() {
        return openCount > 0;
    }

    static List<Choice> categoryChoices() {
        return Arrays.stream(Category.values())
                .map(c -> new Choice(c.code(), c.description()))
                .toList();
    }

    static List<Choice> severityChoices() {
        return Arrays.stream(Severity.values())
                .map(s -> new Choice(s.label(), s.label()))
                .toList();
    }

    private static String when(Instant instant) {
        return instant == null ? null : WHEN.format(instant);
    }
}

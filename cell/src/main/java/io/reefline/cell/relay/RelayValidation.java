package io.reefline.cell.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cheap checks the relay makes before it promises to deliver something, the same rules the hub applies (andon's
 * {@code PullRequest}, metrics' {@code DowntimeEvent}, rollout's signal sample): a message the hub would refuse is answered 400 here, while the
 * sender is still listening, instead of being found in {@code rejected/} later. Strict: a value of the wrong JSON type,
 * an unknown field or a NUL character is a violation, never coerced.
 */
final class RelayValidation {

    /** One rejected field, as the services' problem answers name them. */
    record Violation(String field, String message) {}

    static final Set<String> CATEGORIES = Set.of(
            "cant-deploy",
            "cant-edit-deployment-process",
            "cant-edit-releases",
            "cant-run-runbook",
            "cant-edit-users",
            "doesnt-look-right",
            "other");
    static final Set<String> SEVERITIES = Set.of("SEV-0", "SEV-1", "SEV-2", "SEV-3");
    private static final Pattern SCOPE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,99}");
    private static final Pattern LINK = Pattern.compile("https?://\\S+");
    private static final Pattern RING = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    private static final Pattern UTC_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    private static final Set<String> PULL_FIELDS =
            Set.of("reason", "category", "severity", "scope", "suspectedRelease", "links", "allowRings", "instanceId");
    private static final Set<String> DOWNTIME_FIELDS =
            Set.of("id", "instanceId", "service", "start", "end", "planned", "source", "reef");
    private static final Set<String> SIGNAL_FIELDS = Set.of(
            "instanceId",
            "reef",
            "version",
            "from",
            "to",
            "requests",
            "errors",
            "latencyMs",
            "healthChecks",
            "healthFailures",
            "restarts");
    static final Duration LONGEST_WINDOW = Duration.ofHours(1);
    static final Duration FUTURE_SKEW = Duration.ofMinutes(5);
    static final int MAX_EVENTS = 1000;
    static final int MAX_KEY_LENGTH = 100;

    private RelayValidation() {}

    /** What is wrong with a cord pull's body (andon's {@code PullRequest} rules). */
    static List<Violation> pull(JsonNode body) {
        List<Violation> violations = new ArrayList<>();
        if (body == null || !body.isObject()) {
            violations.add(new Violation("body", "must be a JSON object"));
            return violations;
        }
        unknownFields(body, PULL_FIELDS, "", violations);
        text(body, "reason", "", true, 2000, violations);
        String category = text(body, "category", "", true, 100, violations);
        if (category != null && !category.isBlank() && !CATEGORIES.contains(category)) {
            violations.add(new Violation("category", "must be one of " + String.join(", ", sorted(CATEGORIES))));
        }
        String severity = text(body, "severity", "", false, 10, violations);
        if (severity != null && !SEVERITIES.contains(severity)) {
            violations.add(new Violation("severity", "must be one of SEV-0, SEV-1, SEV-2, SEV-3"));
        }
        String scope = text(body, "scope", "", true, 200, violations);
        if (scope != null && !scope.isBlank() && !validScope(scope)) {
            violations.add(new Violation("scope", "must be global, reef:<name> or release:<version>"));
        }
        text(body, "suspectedRelease", "", false, 100, violations);
        // The instance a sidecar pulls for: checked against its pod token by the routes, never forwarded.
        text(body, "instanceId", "", false, 100, violations);
        list(body, "links", 20, violations, (item, field) -> {
            if (!item.isTextual()) {
                return "must be a string";
            }
            String link = item.textValue();
            if (link.isBlank()) {
                return "must not be blank";
            }
            if (link.length() > 500) {
                return "size must be between 0 and 500";
            }
            return LINK.matcher(link).matches() ? null : "must be an http(s) URL";
        });
        list(body, "allowRings", 10, violations, (item, field) -> {
            if (!item.isTextual()) {
                return "must be a string";
            }
            return RING.matcher(item.textValue()).matches() ? null : "must be a ring name";
        });
        return sorted(violations);
    }

    /** What is wrong with a downtime report: one event or an array of them (metrics' {@code DowntimeEvent}). */
    static List<Violation> downtime(JsonNode body) {
        List<Violation> violations = new ArrayList<>();
        if (body == null || !(body.isObject() || body.isArray())) {
            violations.add(new Violation("body", "must be an event or an array of events"));
            return violations;
        }
        if (body.isArray()) {
            if (body.isEmpty()) {
                violations.add(new Violation("body", "must hold at least one event"));
            } else if (body.size() > MAX_EVENTS) {
                violations.add(new Violation("body", "must hold at most " + MAX_EVENTS + " events"));
            } else {
                for (int i = 0; i < body.size(); i++) {
                    downtimeEvent(body.get(i), "[" + i + "].", violations);
                }
            }
        } else {
            downtimeEvent(body, "", violations);
        }
        return sorted(violations);
    }

    /**
     * What is wrong with a signal sample (rollout-service's {@code POST /api/signals}): an instance, a version, a window
     * {@code from < to} of at most an hour ending at most five minutes after {@code now}, and counts that add up
     * ({@code errors} given exactly when {@code requests} is, and at most that; {@code healthFailures} at most {@code
     * healthChecks}). Absent counts of health checks and restarts are zero.
     */
    static List<Violation> signal(JsonNode body, Instant now) {
        List<Violation> violations = new ArrayList<>();
        if (body == null || !body.isObject()) {
            violations.add(new Violation("body", "must be a JSON object"));
            return violations;
        }
        unknownFields(body, SIGNAL_FIELDS, "", violations);
        text(body, "instanceId", "", true, 253, violations);
        text(body, "version", "", true, 100, violations);
        String reef = text(body, "reef", "", false, 100, violations);
        if (reef != null && !SCOPE_NAME.matcher(reef).matches()) {
            violations.add(new Violation("reef", "must be a reef name"));
        }
        Instant from = time(body, "from", "", violations);
        Instant to = time(body, "to", "", violations);
        if (from != null && to != null) {
            if (!to.isAfter(from)) {
                violations.add(new Violation("to", "must be after from"));
            } else if (Duration.between(from, to).compareTo(LONGEST_WINDOW) > 0) {
                violations.add(new Violation("to", "must be at most " + LONGEST_WINDOW + " after from"));
            }
        }
        if (to != null && to.isAfter(now.plus(FUTURE_SKEW))) {
            violations.add(new Violation("to", "must not be more than " + FUTURE_SKEW + " in the future"));
        }
        Long requests = count(body, "requests", false, violations);
        Long errors = count(body, "errors", false, violations);
        boolean requestsGiven = body.hasNonNull("requests");
        boolean errorsGiven = body.hasNonNull("errors");
        if (requestsGiven != errorsGiven) {
            violations.add(new Violation("errors", "must be given exactly when requests is (null when it is null)"));
        } else if (requests != null && errors != null && errors > requests) {
            violations.add(new Violation("errors", "must be at most requests"));
        }
        JsonNode latency = body.get("latencyMs");
        if (latency != null && !latency.isNull()) {
            if (!latency.isNumber() || !Double.isFinite(latency.doubleValue())) {
                violations.add(new Violation("latencyMs", "must be a number"));
            } else if (latency.doubleValue() < 0) {
                violations.add(new Violation("latencyMs", "must be at least 0"));
            }
        }
        Long checks = count(body, "healthChecks", true, violations);
        Long failures = count(body, "healthFailures", true, violations);
        if (checks != null && failures != null && failures > checks) {
            violations.add(new Violation("healthFailures", "must be at most healthChecks"));
        }
        count(body, "restarts", true, violations);
        return sorted(violations);
    }

    /**
     * A whole number of at least 0: the value, or null when absent, null (allowed unless {@code absentIsZero}: then
     * absent is 0 and null a violation) or not one (a violation).
     */
    private static Long count(JsonNode node, String field, boolean absentIsZero, List<Violation> violations) {
        JsonNode value = node.get(field);
        if (value == null) {
            return absentIsZero ? 0L : null;
        }
        if (value.isNull()) {
            if (absentIsZero) {
                violations.add(new Violation(field, "must be a whole number"));
            }
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            violations.add(new Violation(field, "must be a whole number"));
            return null;
        }
        long count = value.longValue();
        if (count < 0) {
            violations.add(new Violation(field, "must be at least 0"));
            return null;
        }
        if (absentIsZero && count > Integer.MAX_VALUE) {
            violations.add(new Violation(field, "must be at most " + Integer.MAX_VALUE));
            return null;
        }
        return count;
    }

    /** What is wrong with an {@code Idempotency-Key} header, if anything; none at all is fine. */
    static List<Violation> idempotencyKey(String key) {
        if (key == null) {
            return List.of();
        }
        if (key.isBlank()) {
            return List.of(new Violation("Idempotency-Key", "must not be blank"));
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return List.of(new Violation("Idempotency-Key", "must be at most " + MAX_KEY_LENGTH + " characters"));
        }
        if (key.indexOf('\0') >= 0) {
            return List.of(new Violation("Idempotency-Key", "must not contain NUL"));
        }
        return List.of();
    }

    private static void downtimeEvent(JsonNode event, String prefix, List<Violation> violations) {
        if (!event.isObject()) {
            violations.add(new Violation(
                    prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1), "must be a JSON object"));
            return;
        }
        unknownFields(event, DOWNTIME_FIELDS, prefix, violations);
        text(event, "id", prefix, true, 100, violations);
        String instance = optionalName(event, "instanceId", prefix, violations);
        String service = optionalName(event, "service", prefix, violations);
        if (instance == null && service == null && !event.has("instanceId") && !event.has("service")) {
            violations.add(new Violation(prefix + "instanceId", "give exactly one of instanceId and service"));
        } else if (instance != null && service != null) {
            violations.add(new Violation(prefix + "instanceId", "give exactly one of instanceId and service"));
        }
        Instant start = time(event, "start", prefix, violations);
        Instant end = time(event, "end", prefix, violations);
        if (start != null && end != null && !end.isAfter(start)) {
            violations.add(new Violation(prefix + "end", "must be after start"));
        }
        JsonNode planned = event.get("planned");
        if (planned != null && !planned.isNull() && !planned.isBoolean()) {
            violations.add(new Violation(prefix + "planned", "must be true or false"));
        }
        text(event, "source", prefix, true, 40, violations);
        String reef = text(event, "reef", prefix, false, 100, violations);
        if (reef != null && !SCOPE_NAME.matcher(reef).matches()) {
            violations.add(new Violation(prefix + "reef", "must be a reef name"));
        }
    }

    private static String optionalName(JsonNode node, String field, String prefix, List<Violation> violations) {
        String value = text(node, field, prefix, false, 100, violations);
        if (value != null && value.isEmpty()) {
            violations.add(new Violation(prefix + field, "size must be between 1 and 100"));
        }
        return value;
    }

    private static Instant time(JsonNode node, String field, String prefix, List<Violation> violations) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            violations.add(new Violation(prefix + field, "must not be null"));
            return null;
        }
        if (!value.isTextual() || !UTC_TIME.matcher(value.textValue()).matches()) {
            violations.add(new Violation(prefix + field, "must be an ISO-8601 UTC time ending in Z"));
            return null;
        }
        try {
            return Instant.parse(value.textValue());
        } catch (DateTimeParseException e) {
            violations.add(new Violation(prefix + field, "must be an ISO-8601 UTC time ending in Z"));
            return null;
        }
    }

    /** A string field: the value, or null when absent, null or of another type (the last two are violations). */
    private static String text(
            JsonNode node, String field, String prefix, boolean required, int max, List<Violation> violations) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(new Violation(prefix + field, "must not be blank"));
            }
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(prefix + field, "must be a string"));
            return null;
        }
        String text = value.textValue();
        if (required && text.isBlank()) {
            violations.add(new Violation(prefix + field, "must not be blank"));
        } else if (text.length() > max) {
            violations.add(new Violation(prefix + field, "size must be between 0 and " + max));
        } else if (text.indexOf('\0') >= 0) {
            violations.add(new Violation(prefix + field, "must not contain NUL"));
        }
        return text;
    }

    private interface ItemRule {
        /** The message for a bad item, or null when it is fine. */
        String check(JsonNode item, String field);
    }

    private static void list(JsonNode node, String field, int max, List<Violation> violations, ItemRule rule) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isArray()) {
            violations.add(new Violation(field, "must be an array"));
            return;
        }
        if (value.size() > max) {
            violations.add(new Violation(field, "size must be between 0 and " + max));
        }
        for (int i = 0; i < value.size(); i++) {
            String message = rule.check(value.get(i), field);
            if (message == null
                    && value.get(i).isTextual()
                    && value.get(i).textValue().indexOf('\0') >= 0) {
                message = "must not contain NUL";
            }
            if (message != null) {
                violations.add(new Violation(field + "[" + i + "]", message));
            }
        }
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix, List<Violation> violations) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                violations.add(new Violation(prefix + name, "is not a known field"));
            }
        }
    }

    private static boolean validScope(String scope) {
        if (scope.equals("global")) {
            return true;
        }
        int colon = scope.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String kind = scope.substring(0, colon);
        return (kind.equals("reef") || kind.equals("release"))
                && SCOPE_NAME.matcher(scope.substring(colon + 1)).matches();
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    private static List<Violation> sorted(List<Violation> violations) {
        violations.sort(Comparator.comparing(Violation::field));
        return violations;
    }
}

package io.reefline.flag.ui;

import io.quarkus.qute.TemplateData;
import io.reefline.flag.persistence.AuditEntryEntity;
import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import io.reefline.flag.persistence.ReleasePlanEntity;
import io.reefline.flag.service.StructuredTargetingForm;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the flag pages show. */
public final class FlagPages {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private FlagPages() {}

    /**
     * The flags list: one row per flag, one status cell per environment (the talk's table), filtered and paged on
     * the server so a thousand flags stay quick; plus the create form.
     */
    @TemplateData
    public record ListPage(
            List<String> environments,
            List<FlagRow> flags,
            Filter filter,
            int total,
            int matching,
            int page,
            int pages,
            String previousUrl,
            String nextUrl,
            boolean operator,
            NewFlag form,
            String error) {}

    /**
     * What the list is narrowed to: text in key, name or owner; a status in one environment (or any); a type; only
     * flags with warnings.
     */
    @TemplateData
    public record Filter(String q, String env, String status, String type, boolean warnings, int size) {

        public static final List<String> STATUSES = List.of("ON", "OFF", "TARGETED");

        boolean matches(FlagRow row) {
            if (!q.isEmpty()) {
                String needle = q.toLowerCase(Locale.ROOT);
                if (!(row.key().toLowerCase(Locale.ROOT).contains(needle)
                        || row.name().toLowerCase(Locale.ROOT).contains(needle)
                        || row.owner().toLowerCase(Locale.ROOT).contains(needle))) {
                    return false;
                }
            }
            if (!type.isEmpty() && !type.equals(row.type())) {
                return false;
            }
            if (warnings && row.warnings() == 0) {
                return false;
            }
            if (!status.isEmpty()) {
                return row.statuses().stream()
                        .filter(s -> env.isEmpty() || env.equals(s.environment()))
                        .anyMatch(s -> status.equals(s.label()));
            }
            return true;
        }

        /** The list's URL with this filter on another page. */
        String url(int page) {
            StringBuilder url = new StringBuilder("/ui/flags?page=").append(page);
            append(url, "q", q);
            append(url, "env", env);
            append(url, "status", status);
            append(url, "type", type);
            if (warnings) {
                url.append("&warnings=on");
            }
            url.append("&size=").append(size);
            return url.toString();
        }

        private static void append(StringBuilder url, String name, String value) {
            if (!value.isEmpty()) {
                url.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }

        public List<String> statuses() {
            return STATUSES;
        }

        public List<String> types() {
            return List.of("boolean", "string", "number", "object");
        }
    }

    /** The create form as last submitted (or its defaults). */
    @TemplateData
    public record NewFlag(String key, String name, String type, String variants, String defaultVariant) {
        static final NewFlag EMPTY = new NewFlag("", "", "boolean", "{\"on\": true, \"off\": false}", "off");
    }

    @TemplateData
    public record FlagRow(String key, String name, String owner, String type, List<Status> statuses, int warnings) {}

    /** ON, OFF or TARGETED, with the CSS class that colours it. */
    @TemplateData
    public record Status(String environment, String label, String cssClass) {
        static Status of(FlagEnvironmentEntity config) {
            if (config == null || !config.enabled) {
                return new Status(config == null ? "" : config.environmentKey, "OFF", "off");
            }
            if (FlagEnvironmentEntity.NO_TARGETING.equals(config.targetingKind)) {
                return new Status(config.environmentKey, "ON", "on");
            }
            return new Status(config.environmentKey, "TARGETED", "targeted");
        }
    }

    /** One flag: its description, an editor per environment, and its audit log. */
    @TemplateData
    public record FlagPage(
            String key,
            String name,
            String notes,
            String type,
            String owner,
            String expectedRemoval,
            List<String> variants,
            boolean operator,
            List<Editor> editors,
            List<AuditRow> audit,
            String error) {}

    /** One warning: where in the flag (as flagd writes it), and what. */
    @TemplateData
    public record Warning(String path, String message) {}

    /** Where a release plan stands in one environment, and what an operator may do with it now. */
    @TemplateData
    public record Plan(
            String status,
            String phaseName,
            int phaseNumber,
            int phaseCount,
            String nextPhase,
            String nextStepAt,
            String pauseReason,
            String variant,
            boolean canPause,
            boolean canResume,
            boolean canStop) {

        static Plan of(ReleasePlanEntity plan, List<String> phases) {
            boolean paused = ReleasePlanEntity.PAUSED.equals(plan.status);
            int phase = Math.min(plan.phase, phases.size() - 1);
            boolean last = phase + 1 >= phases.size();
            Object variant = plan.definition == null ? null : plan.definition.get("variant");
            return new Plan(
                    plan.status,
                    phases.get(phase),
                    phase + 1,
                    phases.size(),
                    last ? "" : phases.get(phase + 1),
                    when(plan.nextStepAt),
                    plan.pauseReason == null ? "" : plan.pauseReason,
                    variant == null ? "" : variant.toString(),
                    plan.running(),
                    paused,
                    plan.running() || paused);
        }
    }

    /** The structured-targeting editor of one environment, filled with what is stored. */
    @TemplateData
    public record Editor(
            String environment,
            List<String> variants,
            List<Warning> warnings,
            Plan plan,
            boolean enabled,
            String defaultVariant,
            String mode,
            String tenants,
            String percent,
            String excludedTenants,
            String includedVariant,
            String jsonLogic,
            String rules,
            String status,
            String etag) {

        static Editor of(FlagEnvironmentEntity config, StructuredTargetingForm form, String jsonLogic, Plan plan) {
            String mode = FlagEnvironmentEntity.JSON_LOGIC.equals(config.targetingKind) ? "json-logic" : "none";
            String tenants = "";
            String percent = "";
            String excluded = "";
            String includedVariant = "";
            String rules = "";
            if (form != null) {
                mode = form.included() == null
                        ? StructuredTargetingForm.Inclusion.ALL
                        : form.included().mode();
                if (form.included() != null && form.included().tenants() != null) {
                    tenants = String.join(", ", form.included().tenants());
                }
                if (form.included() != null && form.included().percent() != null) {
                    percent = String.valueOf(form.included().percent());
                }
                excluded = form.excludedTenants() == null ? "" : String.join(", ", form.excludedTenants());
                includedVariant = form.includedVariant();
                rules = form.rules() == null || form.rules().isEmpty()
                        ? ""
                        : form.rules().size() + " segment rule(s), kept when saving";
            }
            return new Editor(
                    config.environmentKey,
                    List.copyOf(config.variants.keySet()),
                    config.warnings.stream()
                            .map(w -> new Warning(w.get("path"), w.get("message")))
                            .toList(),
                    plan,
                    config.enabled,
                    config.defaultVariant,
                    mode,
                    tenants,
                    percent,
                    excluded,
                    includedVariant,
                    jsonLogic,
                    rules,
                    Status.of(config).label(),
                    config.etagValue());
        }
    }

    @TemplateData
    public record AuditRow(String at, String actor, String environment, String action, String before, String after) {
        static AuditRow of(AuditEntryEntity entry, Map<String, Object> before, String beforeText, String afterText) {
            return new AuditRow(
                    when(entry.at),
                    entry.actor,
                    entry.environmentKey == null ? "(flag)" : entry.environmentKey,
                    entry.action,
                    before == null ? "" : beforeText,
                    afterText);
        }
    }

    static String when(Instant instant) {
        return instant == null ? "" : WHEN.format(instant);
    }

    static FlagRow row(FlagEntity flag, List<String> environments, Map<String, FlagEnvironmentEntity> configs) {
        return new FlagRow(
                flag.key,
                flag.name,
                flag.owner,
                flag.type,
                environments.stream()
                        .map(env -> {
                            Status status = Status.of(configs.get(env));
                            return new Status(env, status.label(), status.cssClass());
                        })
                        .toList(),
                configs.values().stream().mapToInt(c -> c.warnings.size()).sum());
    }
}

package io.reefline.flag.ui;

import io.quarkus.qute.TemplateData;
import io.reefline.flag.persistence.AuditEntryEntity;
import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import io.reefline.flag.service.StructuredTargetingForm;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** What the flag pages show. */
public final class FlagPages {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private FlagPages() {}

    /** The flags list: one row per flag, one status cell per environment (the talk's table). */
    @TemplateData
    public record ListPage(List<String> environments, List<FlagRow> flags) {}

    @TemplateData
    public record FlagRow(String key, String name, String owner, String type, List<Status> statuses) {}

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

    /** The structured-targeting editor of one environment, filled with what is stored. */
    @TemplateData
    public record Editor(
            String environment,
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

        static Editor of(FlagEnvironmentEntity config, StructuredTargetingForm form, String jsonLogic) {
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
                        .toList());
    }
}

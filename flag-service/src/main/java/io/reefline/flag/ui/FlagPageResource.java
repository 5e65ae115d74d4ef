package io.reefline.flag.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.flag.persistence.AuditEntryEntity;
import io.reefline.flag.persistence.EnvironmentEntity;
import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import io.reefline.flag.persistence.ReleasePlanEntity;
import io.reefline.flag.rest.EnvironmentConfigRequest;
import io.reefline.flag.rest.FlagRequest;
import io.reefline.flag.service.FlagCompilation;
import io.reefline.flag.service.FlagService;
import io.reefline.flag.service.ReleasePlans;
import io.reefline.flag.service.StructuredTargetingForm;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.rest.PageRequest;
import io.reefline.platform.security.Caller;
import io.reefline.platform.security.Roles;
import io.reefline.platform.ui.PageUser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flag pages: the list with each environment's status (searchable, filterable, paged; operators create flags
 * there), and per flag an editor per environment with its variants, import warnings and release plan (pause, resume,
 * stop), and the audit log. Forms post back here and go through the same {@link FlagService} calls, role checks, ETag checks and
 * audit as the API; the sign-in cookie is SameSite=Strict, so another site cannot post them in the person's name.
 */
@Path("/ui/flags")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class FlagPageResource {

    private static final int AUDIT_SHOWN = 50;
    private static final int DEFAULT_PAGE = 50;

    private final Template list;
    private final Template flagPage;
    private final FlagService flags;
    private final FlagCompilation compilation;
    private final ReleasePlans plans;
    private final ObjectMapper mapper;
    private final SecurityIdentity identity;

    FlagPageResource(
            @Location("flags/list.html") Template list,
            @Location("flags/flag.html") Template flagPage,
            FlagService flags,
            FlagCompilation compilation,
            ReleasePlans plans,
            ObjectMapper mapper,
            SecurityIdentity identity) {
        this.list = list;
        this.flagPage = flagPage;
        this.flags = flags;
        this.compilation = compilation;
        this.plans = plans;
        this.mapper = mapper;
        this.identity = identity;
    }

    @GET
    public Response show(
            @QueryParam("q") String q,
            @QueryParam("env") String env,
            @QueryParam("status") String status,
            @QueryParam("type") String type,
            @QueryParam("warnings") String warnings,
            @QueryParam("page") String page,
            @QueryParam("size") String size) {
        FlagPages.Filter filter = new FlagPages.Filter(
                text(q),
                text(env),
                text(status),
                text(type),
                "on".equals(warnings),
                bounded(size, DEFAULT_PAGE, 1, 500));
        return renderList(filter, bounded(page, 0, 0, Integer.MAX_VALUE), FlagPages.NewFlag.EMPTY, 200, null);
    }

    /** Creates a flag from the table's form through {@link FlagService#create}, the call {@code POST /api/flags} makes. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.OPERATOR)
    public Response create(
            @FormParam("key") String key,
            @FormParam("name") String name,
            @FormParam("type") String type,
            @FormParam("variants") String variants,
            @FormParam("defaultVariant") String defaultVariant) {
        FlagPages.NewFlag form =
                new FlagPages.NewFlag(text(key), text(name), text(type), text(variants), text(defaultVariant));
        try {
            JsonNode variantsJson;
            try {
                variantsJson = mapper.readTree(form.variants().isEmpty() ? "null" : form.variants());
            } catch (JsonProcessingException e) {
                throw ProblemException.badRequest(
                        "variants",
                        "must be a JSON object of variant values by name, e.g. {\"on\": true, \"off\": false}");
            }
            FlagRequest request = new FlagRequest(
                    form.key(),
                    form.name().isEmpty() ? form.key() : form.name(),
                    null,
                    form.type(),
                    variantsJson == null || variantsJson.isNull() ? null : variantsJson,
                    form.defaultVariant(),
                    null,
                    null,
                    null);
            flags.create(request, Caller.name(identity));
            return Response.seeOther(URI.create("/ui/flags/" + form.key())).build();
        } catch (ProblemException refused) {
            return renderList(
                    new FlagPages.Filter("", "", "", "", false, DEFAULT_PAGE),
                    0,
                    form,
                    refused.problem().status(),
                    refused.problem().detail());
        }
    }

    /** Pauses, resumes or stops a flag's release plan in one environment, as the plan API does. */
    @POST
    @Path("{key}/environments/{env}/plan/{action}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.OPERATOR)
    public Response plan(
            @PathParam("key") String key,
            @PathParam("env") String env,
            @PathParam("action") String action,
            @FormParam("reason") String reason) {
        try {
            String actor = Caller.name(identity);
            switch (action) {
                case "pause" -> plans.pause(key, env, reason, actor);
                case "resume" -> plans.resume(key, env, actor);
                case "stop" -> plans.stop(key, env, actor);
                default -> throw ProblemException.notFound("Release plan action", action);
            }
            return Response.seeOther(URI.create("/ui/flags/" + key + "#env-" + env))
                    .build();
        } catch (ProblemException refused) {
            return render(key, refused.problem().status(), refused.problem().detail());
        }
    }

    private Response renderList(FlagPages.Filter filter, int page, FlagPages.NewFlag form, int status, String error) {
        FlagPages.ListPage listPage = QuarkusTransaction.requiringNew().call(() -> {
            List<String> environments =
                    EnvironmentEntity.allByKey().stream().map(e -> e.key).toList();
            Map<String, Map<String, FlagEnvironmentEntity>> byFlag = new HashMap<>();
            for (FlagEnvironmentEntity config : FlagEnvironmentEntity.<FlagEnvironmentEntity>listAll()) {
                byFlag.computeIfAbsent(config.flagKey, k -> new HashMap<>()).put(config.environmentKey, config);
            }
            List<FlagPages.FlagRow> all = FlagEntity.allByKey().stream()
                    .map(flag -> FlagPages.row(flag, environments, byFlag.getOrDefault(flag.key, Map.of())))
                    .toList();
            List<FlagPages.FlagRow> matching =
                    all.stream().filter(filter::matches).toList();
            int pages = Math.max(1, (matching.size() + filter.size() - 1) / filter.size());
            int shown = Math.min(page, pages - 1);
            List<FlagPages.FlagRow> rows =
                    matching.subList(shown * filter.size(), Math.min(matching.size(), (shown + 1) * filter.size()));
            return new FlagPages.ListPage(
                    environments,
                    rows,
                    filter,
                    all.size(),
                    matching.size(),
                    shown + 1,
                    pages,
                    shown > 0 ? filter.url(shown - 1) : null,
                    shown + 1 < pages ? filter.url(shown + 1) : null,
                    identity.hasRole(Roles.OPERATOR),
                    form,
                    error);
        });
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE)
                .entity(list.data("page", listPage)
                        .data("user", PageUser.of(identity))
                        .render())
                .build();
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    private static int bounded(String value, int fallback, int min, int max) {
        try {
            return value == null || value.isBlank() ? fallback : Math.max(min, Math.min(max, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @GET
    @Path("{key}")
    public Response flag(@PathParam("key") String key) {
        return render(key, 200, null);
    }

    /**
     * Saves one environment's editor form through {@link FlagService#configure}, the call {@code PUT
     * /api/flags/{key}/environments/{env}} makes, with its validation; a refused change shows the page again with the
     * reason and its status, and stores nothing.
     */
    @POST
    @Path("{key}/environments/{env}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.OPERATOR)
    public Response save(
            @PathParam("key") String key,
            @PathParam("env") String env,
            @FormParam("enabled") String enabled,
            @FormParam("defaultVariant") String defaultVariant,
            @FormParam("mode") String mode,
            @FormParam("tenants") String tenants,
            @FormParam("percent") String percent,
            @FormParam("excludedTenants") String excludedTenants,
            @FormParam("includedVariant") String includedVariant,
            @FormParam("etag") String etag) {
        try {
            StructuredTargetingForm structured = null;
            JsonNode jsonLogic = null;
            if ("json-logic".equals(mode)) {
                jsonLogic = compilation.tree(
                        QuarkusTransaction.requiringNew().call(() -> flags.config(key, env).targeting));
            } else if (mode != null && !mode.isBlank() && !"none".equals(mode)) {
                List<StructuredTargetingForm.Rule> rules = QuarkusTransaction.requiringNew()
                        .call(() -> {
                            FlagEnvironmentEntity config = flags.config(key, env);
                            return FlagEnvironmentEntity.STRUCTURED.equals(config.targetingKind)
                                    ? compilation.structured(config).rules()
                                    : null;
                        });
                structured = new StructuredTargetingForm(
                        new StructuredTargetingForm.Inclusion(mode, list(tenants), number(percent)),
                        includedVariant,
                        list(excludedTenants),
                        rules);
            }
            EnvironmentConfigRequest request =
                    new EnvironmentConfigRequest("on".equals(enabled), defaultVariant, structured, jsonLogic);
            flags.configure(key, env, request, expected(etag), Caller.name(identity));
            return Response.seeOther(URI.create("/ui/flags/" + key)).build();
        } catch (ProblemException refused) {
            return render(key, refused.problem().status(), refused.problem().detail());
        }
    }

    private Response render(String key, int status, String error) {
        FlagPages.FlagPage page = QuarkusTransaction.requiringNew().call(() -> {
            FlagEntity flag = flags.flag(key);
            List<FlagPages.Editor> editors = new ArrayList<>();
            for (FlagEnvironmentEntity config : FlagEnvironmentEntity.ofFlag(key)) {
                StructuredTargetingForm form = FlagEnvironmentEntity.STRUCTURED.equals(config.targetingKind)
                        ? compilation.structured(config)
                        : null;
                String jsonLogic =
                        FlagEnvironmentEntity.JSON_LOGIC.equals(config.targetingKind) ? json(config.targeting) : null;
                FlagPages.Plan plan = ReleasePlanEntity.find(key, config.environmentKey)
                        .map(p -> FlagPages.Plan.of(p, plans.phaseNames(p)))
                        .orElse(null);
                editors.add(FlagPages.Editor.of(config, form, jsonLogic, plan));
            }
            List<FlagPages.AuditRow> audit = AuditEntryEntity.ofFlag(key, new PageRequest(0, AUDIT_SHOWN)).stream()
                    .map(entry -> FlagPages.AuditRow.of(entry, entry.before, json(entry.before), json(entry.after)))
                    .toList();
            return new FlagPages.FlagPage(
                    flag.key,
                    flag.name,
                    flag.notes,
                    flag.type,
                    flag.owner,
                    flag.expectedRemoval == null ? "" : flag.expectedRemoval.toString(),
                    List.copyOf(flag.variants.keySet()),
                    identity.hasRole(Roles.OPERATOR),
                    editors,
                    audit,
                    error);
        });
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE)
                .entity(flagPage.data("page", page)
                        .data("user", PageUser.of(identity))
                        .render())
                .build();
    }

    private String json(Object value) {
        if (value == null) {
            return "";
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private static List<String> list(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split("[,\\s]+")).filter(t -> !t.isBlank()).toList();
    }

    private static Integer number(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("percent", "must be a whole number from 0 to 100");
        }
    }

    /** The page sends the ETag it showed, so a change made meanwhile by someone else is refused, not overwritten. */
    private static Set<String> expected(String etag) {
        return etag == null || etag.isBlank() ? Set.of() : Set.of(etag.strip());
    }
}

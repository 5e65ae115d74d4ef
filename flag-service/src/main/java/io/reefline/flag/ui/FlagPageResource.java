package io.reefline.flag.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.flag.persistence.AuditEntryEntity;
import io.reefline.flag.persistence.EnvironmentEntity;
import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import io.reefline.flag.rest.EnvironmentConfigRequest;
import io.reefline.flag.service.FlagCompilation;
import io.reefline.flag.service.FlagService;
import io.reefline.flag.service.StructuredTargetingForm;
import io.reefline.platform.problem.ProblemException;
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
 * The flag pages: the list with each environment's status, and per flag an editor for structured targeting and the
 * audit log. Forms post back here and go through the same {@link FlagService} calls, role checks, ETag checks and
 * audit as the API; the sign-in cookie is SameSite=Strict, so another site cannot post them in the person's name.
 */
@Path("/ui/flags")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class FlagPageResource {

    private static final int AUDIT_SHOWN = 50;

    private final Template list;
    private final Template flagPage;
    private final FlagService flags;
    private final FlagCompilation compilation;
    private final ObjectMapper mapper;
    private final SecurityIdentity identity;

    FlagPageResource(
            @Location("flags/list.html") Template list,
            @Location("flags/flag.html") Template flagPage,
            FlagService flags,
            FlagCompilation compilation,
            ObjectMapper mapper,
            SecurityIdentity identity) {
        this.list = list;
        this.flagPage = flagPage;
        this.flags = flags;
        this.compilation = compilation;
        this.mapper = mapper;
        this.identity = identity;
    }

    @GET
    public String show() {
        FlagPages.ListPage page = QuarkusTransaction.requiringNew().call(() -> {
            List<String> environments =
                    EnvironmentEntity.allByKey().stream().map(e -> e.key).toList();
            Map<String, Map<String, FlagEnvironmentEntity>> byFlag = new HashMap<>();
            for (FlagEnvironmentEntity config : FlagEnvironmentEntity.<FlagEnvironmentEntity>listAll()) {
                byFlag.computeIfAbsent(config.flagKey, k -> new HashMap<>()).put(config.environmentKey, config);
            }
            return new FlagPages.ListPage(
                    environments,
                    FlagEntity.allByKey().stream()
                            .map(flag -> FlagPages.row(flag, environments, byFlag.getOrDefault(flag.key, Map.of())))
                            .toList());
        });
        return list.data("page", page).data("user", PageUser.of(identity)).render();
    }

    @GET
    @Path("{key}")
    public Response flag(@PathParam("key") String key) {
        return render(key, 200, null);
    }

    /** Saves one environment's editor form; a refused change shows the page again with the reason. */
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
            com.fasterxml.jackson.databind.JsonNode jsonLogic = null;
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
                editors.add(FlagPages.Editor.of(config, form, jsonLogic));
            }
            List<FlagPages.AuditRow> audit = AuditEntryEntity.ofFlag(key, 0, AUDIT_SHOWN).stream()
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

package io.reefline.andon.ui;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.andon.domain.CordState;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.rest.PullRequest;
import io.reefline.andon.rest.ResolveRequest;
import io.reefline.andon.service.CellService;
import io.reefline.andon.service.CordService;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The andon page: is the line moving, who may stop it and when, and the cords. Its forms post back here and call the
 * same {@link CordService} methods, with the same role checks, as the API; the sign-in cookie is SameSite=Strict, so
 * another site cannot post them in the person's name. No transaction spans a request here: each service call has its
 * own, so a refused change rolls back alone and the page still renders.
 */
@Path("/ui/andon")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class AndonPageResource {

    private static final URI SELF = URI.create("/ui/andon");

    private final Template page;
    private final CordService cords;
    private final CellService cells;
    private final SecurityIdentity identity;

    AndonPageResource(
            @Location("andon/page.html") Template page,
            CordService cords,
            CellService cells,
            SecurityIdentity identity) {
        this.page = page;
        this.cords = cords;
        this.cells = cells;
        this.identity = identity;
    }

    @GET
    public Response show() {
        return render(200, AndonPage.Form.EMPTY, null);
    }

    @POST
    @Path("pull")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response pull(
            @FormParam("reason") String reason,
            @FormParam("category") String category,
            @FormParam("severity") String severity,
            @FormParam("scope") String scope) {
        PullRequest request = new PullRequest(
                reason, category, blankToNull(severity), scope == null ? null : scope.strip(), null, null, null);
        return afterChange(
                () -> cords.pull(request, Caller.name(identity)),
                new AndonPage.Form(orEmpty(reason), orEmpty(category), orEmpty(severity), orEmpty(scope)));
    }

    @POST
    @Path("cords/{id}/resolve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resolve(
            @PathParam("id") long id,
            @FormParam("resolution") String resolution,
            @FormParam("fixVersion") String fixVersion,
            @FormParam("etag") String etag) {
        return afterChange(
                () -> cords.resolve(
                        id,
                        new ResolveRequest(resolution, blankToNull(fixVersion)),
                        Caller.name(identity),
                        expected(etag)),
                AndonPage.Form.EMPTY);
    }

    @POST
    @Path("cords/{id}/close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response close(@PathParam("id") long id, @FormParam("etag") String etag) {
        return afterChange(() -> cords.close(id, Caller.name(identity), expected(etag)), AndonPage.Form.EMPTY);
    }

    @POST
    @Path("cords/{id}/reopen")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reopen(@PathParam("id") long id, @FormParam("etag") String etag) {
        return afterChange(() -> cords.reopen(id, Caller.name(identity), expected(etag)), AndonPage.Form.EMPTY);
    }

    /** Post, then redirect: a reload never pulls twice. A refused change shows the page again with the reason. */
    private Response afterChange(Supplier<CordEntity> change, AndonPage.Form form) {
        try {
            change.get();
            return Response.seeOther(SELF).build();
        } catch (ProblemException refused) {
            return render(refused.problem().status(), form, refused.problem().detail());
        }
    }

    private Response render(int status, AndonPage.Form form, String error) {
        Map<CordState, Long> counts = cords.counts();
        List<AndonPage.Row> open =
                cords.openCords().stream().map(AndonPage.Row::of).toList();
        List<AndonPage.Row> history = cords.history(AndonPage.HISTORY_SHOWN).stream()
                .map(AndonPage.Row::of)
                .toList();
        AndonPage data = new AndonPage(
                PageUser.of(identity),
                identity.hasRole(Roles.OPERATOR),
                counts.get(CordState.OPEN),
                counts.get(CordState.RESOLVED) + counts.get(CordState.CLOSED),
                open,
                history,
                cells.cells().stream().map(AndonPage.CellRow::of).toList(),
                AndonPage.categoryChoices(),
                AndonPage.severityChoices(),
                form,
                error);
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE)
                .entity(page.data("page", data).data("user", data.user()).render())
                .build();
    }

    /** The page sends the ETag it showed, so a change made meanwhile by someone else is refused, not overwritten. */
    private static Set<String> expected(String etag) {
        return etag == null || etag.isBlank() ? Set.of() : Set.of(etag.strip());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}

package io.reefline.rollout.ui;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.platform.security.Roles;
import io.reefline.platform.ui.PageUser;
import io.reefline.rollout.kubernetes.Reefs;
import io.reefline.rollout.rest.ReefResource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The rollout console's page: the reefs this service drives and whether their Kubernetes APIs answer. */
@Path("/ui/releases")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class ReefsPageResource {

    private final Template page;
    private final Reefs reefs;
    private final SecurityIdentity identity;

    ReefsPageResource(@Location("rollout/reefs.html") Template page, Reefs reefs, SecurityIdentity identity) {
        this.page = page;
        this.reefs = reefs;
        this.identity = identity;
    }

    @GET
    public TemplateInstance show() {
        return page.data("user", PageUser.of(identity))
                .data("reefs", reefs.probeAll().stream().map(ReefResource::view).toList());
    }
}

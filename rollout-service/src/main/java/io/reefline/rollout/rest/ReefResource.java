package io.reefline.rollout.rest;

import io.reefline.platform.security.Roles;
import io.reefline.rollout.kubernetes.Reef;
import io.reefline.rollout.kubernetes.Reefs;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** The reefs this service drives and whether their Kubernetes APIs answer. */
@Path("/api/reefs")
@Produces(MediaType.APPLICATION_JSON)
public class ReefResource {

    /**
     * A reef as the API shows it. {@code state}: {@code reachable} or {@code unreachable} (its upgrades wait; the other
     * reefs go on); {@code unreachableSince}: the first probe of the current outage; {@code lastContact}: when its API
     * last answered (null: not since this service started).
     */
    public record ReefView(
            String name,
            String region,
            String apiServer,
            String state,
            Instant checkedAt,
            String error,
            Instant unreachableSince,
            Instant lastContact,
            UpgradeResource.ReefCalls upgrades) {}

    private final Reefs reefs;

    ReefResource(Reefs reefs) {
        this.reefs = reefs;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public List<ReefView> list() {
        return reefs.probed().stream().map(ReefResource::view).toList();
    }

    public static ReefView view(Reef reef) {
        Reef.Reachability reachability = reef.reachability();
        Reef.Probe probe = reachability.lastProbe();
        return new ReefView(
                reef.name(),
                reef.region(),
                reef.apiServer(),
                reachability.state(),
                probe.at(),
                probe.error(),
                reachability.unreachableSince(),
                reachability.lastContact(),
                UpgradeResource.calls(reef));
    }
}

package io.reefline.flag.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.flag.persistence.SdkKeyEntity;
import io.reefline.flag.service.SdkKeys;
import io.reefline.platform.security.Caller;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/** SDK keys for OFREP (admin). A new key is in the creation answer only; afterwards only its prefix is shown. */
@Path("/api/sdk-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class SdkKeyResource {

    public record SdkKeyRequest(String environment) {}

    /** A key as listed; {@code key} is set only in the answer that created it. */
    public record SdkKeyView(
            long id,
            String environment,
            String prefix,
            String key,
            String createdBy,
            Instant createdAt,
            Instant revokedAt) {
        static SdkKeyView of(SdkKeyEntity stored, String key) {
            return new SdkKeyView(
                    stored.id,
                    stored.environmentKey,
                    stored.prefix,
                    key,
                    stored.createdBy,
                    stored.createdAt,
                    stored.revokedAt);
        }
    }

    private final SdkKeys keys;
    private final SecurityIdentity identity;

    SdkKeyResource(SdkKeys keys, SecurityIdentity identity) {
        this.keys = keys;
        this.identity = identity;
    }

    @POST
    public Response issue(@NotNull SdkKeyRequest request) {
        SdkKeys.IssuedKey issued = keys.issue(request.environment(), Caller.name(identity));
        return Response.status(201)
                .entity(SdkKeyView.of(issued.stored(), issued.key()))
                .build();
    }

    @GET
    @Transactional
    public List<SdkKeyView> list() {
        return SdkKeyEntity.<SdkKeyEntity>list("order by id").stream()
                .map(k -> SdkKeyView.of(k, null))
                .toList();
    }

    /** A revoked key is refused with 403 by every replica within the snapshot refresh interval. */
    @DELETE
    @Path("{id}")
    public SdkKeyView revoke(@PathParam("id") long id) {
        return SdkKeyView.of(keys.revoke(id), null);
    }
}

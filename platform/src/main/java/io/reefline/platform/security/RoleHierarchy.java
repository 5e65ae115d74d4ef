package io.reefline.platform.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Set;

/**
 * Expands a token's roles along the hierarchy, so an identity provider only has to grant the highest one: an admin is
 * also an operator and a viewer, an operator is also a viewer, and a service may read.
 */
@ApplicationScoped
public class RoleHierarchy implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Set<String> expanded = expand(identity.getRoles());
        if (expanded.equals(identity.getRoles())) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder(identity)
                        .addRoles(expanded)
                        .build());
    }

    static Set<String> expand(Set<String> roles) {
        Set<String> expanded = new HashSet<>(roles);
        if (roles.contains(Roles.ADMIN)) {
            expanded.add(Roles.OPERATOR);
        }
        if (expanded.contains(Roles.OPERATOR) || roles.contains(Roles.SERVICE)) {
            expanded.add(Roles.VIEWER);
        }
        return expanded;
    }
}

package io.reefline.platform.security;

import io.reefline.platform.config.ReeflineConfig;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The bearer token this service presents to the others: a configured one, or one it signs itself. */
@ApplicationScoped
public class ServiceCredentials {

    private final ReeflineConfig config;
    private final Optional<String> signingKey;
    private final Clock clock;
    private volatile String cachedToken;
    private volatile Instant renewAt = Instant.MIN;

    ServiceCredentials(
            ReeflineConfig config,
            @ConfigProperty(name = "smallrye.jwt.sign.key.location") Optional<String> signingKey,
            Clock clock) {
        this.config = config;
        this.signingKey = signingKey;
        this.clock = clock;
    }

    /** The value of an {@code Authorization} header, or empty when this service has no credentials. */
    public Optional<String> authorization() {
        Optional<String> fixed = config.auth().serviceToken().filter(t -> !t.isBlank());
        if (fixed.isPresent()) {
            return Optional.of("Bearer " + fixed.get());
        }
        if (signingKey.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (cachedToken == null || now.isAfter(renewAt)) {
            var lifetime = config.auth().serviceTokenLifetime();
            cachedToken = Jwt.upn(config.serviceName() + "-service")
                    .groups(Roles.SERVICE)
                    .issuedAt(now)
                    .expiresAt(now.plus(lifetime))
                    .sign();
            renewAt = now.plus(lifetime.dividedBy(2));
        }
        return Optional.of("Bearer " + cachedToken);
    }
}

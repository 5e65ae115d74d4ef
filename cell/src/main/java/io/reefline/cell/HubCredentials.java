package io.reefline.cell;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * The bearer token the cell presents to the hub (role {@code cell}: forward cords and reports, send heartbeats, read
 * the flag snapshot, and nothing else), as the services get theirs: a configured token ({@code
 * reefline.auth.service-token}, e.g. from a Secret), or one it signs itself with the fleet's key ({@code
 * smallrye.jwt.sign.key.location}, as {@code ./suite} runs it), renewed at half its lifetime.
 */
@Singleton
public class HubCredentials {

    private static final Duration LIFETIME = Duration.ofHours(1);
    /** The hub's role for a cell (platform's {@code Roles.CELL}). */
    static final String CELL_ROLE = "cell";
    /** The claim naming the reef the cell acts for: the hub takes its reef's work only (platform's CellIdentity). */
    static final String REEF_CLAIM = "reefline_reef";

    private final Optional<String> fixedToken;
    private final Optional<String> signingKeyLocation;
    private final String issuer;
    private final List<String> audiences;
    private final String subject;
    private final String reef;
    private final Clock clock = Clock.systemUTC();
    private PrivateKey signingKey;
    private String cachedToken;
    private Instant renewAt = Instant.MIN;

    public HubCredentials(
            @ConfigProperty(name = "reefline.auth.service-token") Optional<String> fixedToken,
            @ConfigProperty(name = "smallrye.jwt.sign.key.location") Optional<String> signingKeyLocation,
            @ConfigProperty(name = "mp.jwt.verify.issuer", defaultValue = "https://reefline.local/sandbox")
                    String issuer,
            @ConfigProperty(name = "mp.jwt.verify.audiences") Optional<List<String>> audiences,
            CellConfig cell) {
        this.fixedToken = fixedToken.filter(t -> !t.isBlank());
        this.signingKeyLocation = signingKeyLocation.filter(t -> !t.isBlank());
        this.issuer = issuer;
        this.audiences = audiences.orElse(List.of());
        this.subject = "cell-" + cell.reef();
        this.reef = cell.reef();
    }

    /** The value of an {@code Authorization} header, or empty when the cell has no credentials configured. */
    public synchronized Optional<String> authorization() {
        if (fixedToken.isPresent()) {
            return Optional.of("Bearer " + fixedToken.get());
        }
        if (signingKeyLocation.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (cachedToken == null || now.isAfter(renewAt)) {
            cachedToken = sign(now);
            renewAt = now.plus(LIFETIME.dividedBy(2));
        }
        return Optional.of("Bearer " + cachedToken);
    }

    private String sign(Instant now) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        if (!audiences.isEmpty()) {
            claims.setAudience(audiences);
        }
        claims.setClaim("upn", subject);
        claims.setStringListClaim("groups", List.of(CELL_ROLE));
        claims.setClaim(REEF_CLAIM, reef);
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(LIFETIME).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signingKey());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("the cell cannot sign its service token: " + e.getMessage(), e);
        }
    }

    private PrivateKey signingKey() {
        if (signingKey == null) {
            String location = signingKeyLocation.orElseThrow();
            Path file = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
            try {
                String pem = Files.readString(file)
                        .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                        .replaceAll("\\s", "");
                signingKey = KeyFactory.getInstance("RSA")
                        .generatePrivate(
                                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            } catch (IOException e) {
                throw new UncheckedIOException("smallrye.jwt.sign.key.location " + location + " cannot be read", e);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalStateException(
                        "smallrye.jwt.sign.key.location " + location + " is not a PKCS#8 RSA private key in PEM", e);
            }
        }
        return signingKey;
    }
}

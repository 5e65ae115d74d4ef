package io.reefline.cell.relay;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;

/**
 * Verifies a bearer JWT the way the hub's services do (MicroProfile JWT's settings): signed by the configured key
 * ({@code mp.jwt.verify.publickey.location}: a PEM public key or a JWK set, as a file, a {@code file:} or
 * {@code classpath:} location, or an http(s) JWKS URL; or the key itself in {@code mp.jwt.verify.publickey}), issued
 * by {@code mp.jwt.verify.issuer}, for one of {@code mp.jwt.verify.audiences} when set, not expired. The caller's
 * name is {@code upn}, else {@code preferred_username}, else {@code sub}; the roles are the {@code groups} claim,
 * expanded along the hierarchy (admin ⊇ operator ⊇ viewer; service may read). The signature checks are jose4j's.
 */
public final class TokenVerifier {

    /** Who a verified token names and what they may do. */
    public record Caller(String name, Set<String> roles) {

        public boolean hasAny(Set<String> wanted) {
            return wanted.stream().anyMatch(roles::contains);
        }
    }

    /** Why a token was refused: no or a bad token is a 401. */
    public static final class InvalidTokenException extends Exception {
        InvalidTokenException(String message) {
            super(message);
        }
    }

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";

    private final VerificationKeyResolver keys;
    private final Optional<String> issuer;
    private final List<String> audiences;
    private final int clockSkewSeconds;
    private final Clock clock;

    TokenVerifier(
            VerificationKeyResolver keys,
            Optional<String> issuer,
            List<String> audiences,
            int clockSkewSeconds,
            Clock clock) {
        this.keys = keys;
        this.issuer = issuer.filter(i -> !i.isBlank());
        this.audiences = audiences;
        this.clockSkewSeconds = clockSkewSeconds;
        this.clock = clock;
    }

    /**
     * A verifier for the key at {@code location} (or the inline {@code key}); empty when neither is configured, so
     * every token is refused.
     */
    public static Optional<TokenVerifier> configured(
            Optional<String> location,
            Optional<String> key,
            Optional<String> issuer,
            List<String> audiences,
            int clockSkewSeconds,
            Clock clock)
            throws IOException {
        VerificationKeyResolver resolver;
        if (key.filter(k -> !k.isBlank()).isPresent()) {
            resolver = resolverOf(key.get());
        } else if (location.filter(l -> !l.isBlank()).isPresent()) {
            String where = location.get().strip();
            if (where.startsWith("https://") || where.startsWith("http://")) {
                resolver = new HttpsJwksVerificationKeyResolver(new HttpsJwks(where));
            } else {
                resolver = resolverOf(read(where));
            }
        } else {
            return Optional.empty();
        }
        return Optional.of(new TokenVerifier(resolver, issuer, audiences, clockSkewSeconds, clock));
    }

    /** The caller a valid {@code Authorization} header names. */
    public Caller verify(String authorization) throws InvalidTokenException {
        if (authorization == null || authorization.isBlank()) {
            throw new InvalidTokenException("This call needs Authorization: Bearer <JWT>");
        }
        String[] parts = authorization.strip().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            throw new InvalidTokenException("The Authorization header must be Bearer <JWT>");
        }
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(clockSkewSeconds)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .setVerificationKeyResolver(keys)
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256,
                        AlgorithmIdentifiers.RSA_USING_SHA384,
                        AlgorithmIdentifiers.RSA_USING_SHA512,
                        AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                        AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384));
        issuer.ifPresent(builder::setExpectedIssuer);
        if (audiences.isEmpty()) {
            builder.setSkipDefaultAudienceValidation();
        } else {
            builder.setExpectedAudience(audiences.toArray(String[]::new));
        }
        JwtConsumer consumer = builder.build();
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(parts[1].strip());
        } catch (InvalidJwtException e) {
            throw new InvalidTokenException("The bearer token is not valid here: " + reason(e));
        }
        return new Caller(nameOf(claims), expand(groupsOf(claims)));
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "it has expired";
        }
        if (!e.getErrorDetails().isEmpty()) {
            String detail = e.getErrorDetails().get(0).getErrorMessage();
            // jose4j's details name the whole token; keep the first sentence.
            int cut = detail.indexOf(". ");
            return cut > 0 ? detail.substring(0, cut) : detail;
        }
        return "it cannot be verified";
    }

    private static String nameOf(JwtClaims claims) throws InvalidTokenException {
        for (String claim : List.of("upn", "preferred_username", "sub")) {
            try {
                String value = claims.getStringClaimValue(claim);
                if (value != null && !value.isBlank()) {
                    return value;
                }
            } catch (MalformedClaimException e) {
                throw new InvalidTokenException("The token's " + claim + " claim is not a string");
            }
        }
        throw new InvalidTokenException("The token names nobody (no upn, preferred_username or sub)");
    }

    private static Set<String> groupsOf(JwtClaims claims) throws InvalidTokenException {
        if (!claims.hasClaim("groups")) {
            return Set.of();
        }
        try {
            if (claims.isClaimValueString("groups")) {
                return Set.of(claims.getStringClaimValue("groups"));
            }
            return Set.copyOf(claims.getStringListClaimValue("groups"));
        } catch (MalformedClaimException e) {
            throw new InvalidTokenException("The token's groups claim is not a list of strings");
        }
    }

    /** The role hierarchy of the hub's services (platform's RoleHierarchy). */
    static Set<String> expand(Set<String> roles) {
        Set<String> expanded = new HashSet<>(roles);
        if (roles.contains(ADMIN)) {
            expanded.add(OPERATOR);
        }
        if (expanded.contains(OPERATOR) || roles.contains(SERVICE)) {
            expanded.add(VIEWER);
        }
        return Set.copyOf(expanded);
    }

    private static String read(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("No public key at " + location);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        Path file = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        return Files.readString(file);
    }

    /** A PEM public key (RSA or EC) or a JWK set. */
    private static VerificationKeyResolver resolverOf(String content) throws IOException {
        String text = content.strip();
        if (text.startsWith("{")) {
            try {
                return new JwksVerificationKeyResolver(new JsonWebKeySet(text).getJsonWebKeys());
            } catch (org.jose4j.lang.JoseException e) {
                throw new IOException("Not a JWK set: " + e.getMessage(), e);
            }
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder()
                    .decode(text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
                            .replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IOException("Not a PEM public key", e);
        }
        PublicKey key = null;
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                break;
            } catch (GeneralSecurityException e) {
                // try the next kind
            }
        }
        if (key == null) {
            throw new IOException("Not an RSA or EC public key");
        }
        PublicKey verificationKey = key;
        return (jws, nestingContext) -> verificationKey;
    }
}

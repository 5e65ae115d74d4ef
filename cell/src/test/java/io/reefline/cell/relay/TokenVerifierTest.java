package io.reefline.cell.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.sandbox.LocalKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay checks tokens as the hub's services do: key, issuer, audience, expiry, and the role hierarchy. */
class TokenVerifierTest {

    private static final String ISSUER = "https://reefline.local/sandbox";
    private static final Instant NOW = Instant.parse("2026-12-02T09:00:00Z");
    private static final KeyPair KEYS = LocalKeys.generate();

    @TempDir
    Path dir;

    @Test
    void shouldNameTheCallerAndExpandTheirRoles() throws Exception {
        TokenVerifier verifier = verifier(List.of());

        TokenVerifier.Caller admin = verifier.verify("Bearer " + token("ada", List.of("admin"), null, NOW));
        assertEquals("ada", admin.name());
        assertEquals(Set.of("admin", "operator", "viewer"), admin.roles());
        assertEquals(
                Set.of("service", "viewer"),
                verifier.verify("Bearer " + token("cell", List.of("service"), null, NOW))
                        .roles());
        assertEquals(
                Set.of(),
                verifier.verify("Bearer " + token("guest", List.of(), null, NOW))
                        .roles());
    }

    @Test
    void shouldRefuseExpiredForeignAndMalformedTokens() throws Exception {
        TokenVerifier verifier = verifier(List.of());

        assertRefused(verifier, "Bearer " + token("ada", List.of("viewer"), null, NOW.minus(Duration.ofHours(2))));
        String foreign = LocalKeys.signToken(
                LocalKeys.generate().getPrivate(), ISSUER, "mallory", List.of("admin"), Duration.ofHours(1));
        assertRefused(verifier, "Bearer " + foreign);
        String otherIssuer = LocalKeys.signToken(
                KEYS.getPrivate(), "https://elsewhere", "ada", List.of("admin"), Duration.ofHours(1));
        assertRefused(verifier, "Bearer " + otherIssuer);
        assertRefused(verifier, "Bearer not.a.token");
        assertRefused(verifier, "Basic YWRhOnNlY3JldA==");
        assertRefused(verifier, null);
        // An unsigned token ("alg":"none") never passes.
        String header =
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String payload = token("ada", List.of("admin"), null, NOW).split("\\.")[1];
        assertRefused(verifier, "Bearer " + header + "." + payload + ".");
    }

    @Test
    void shouldRequireTheConfiguredAudience() throws Exception {
        TokenVerifier verifier = verifier(List.of("reefline"));

        assertEquals(
                "ada",
                verifier.verify("Bearer " + token("ada", List.of("viewer"), "reefline", NOW))
                        .name());
        assertRefused(verifier, "Bearer " + token("ada", List.of("viewer"), "someone-else", NOW));
        assertRefused(verifier, "Bearer " + token("ada", List.of("viewer"), null, NOW));
    }

    @Test
    void shouldBeUnconfiguredWithoutAKey() throws Exception {
        assertTrue(TokenVerifier.configured(
                        Optional.empty(), Optional.empty(), Optional.of(ISSUER), List.of(), 60, Clock.systemUTC())
                .isEmpty());
    }

    private TokenVerifier verifier(List<String> audiences) throws Exception {
        Path pem = dir.resolve("public-key.pem");
        Files.writeString(pem, LocalKeys.pem("PUBLIC KEY", KEYS.getPublic().getEncoded()));
        return TokenVerifier.configured(
                        Optional.of(pem.toUri().toString()),
                        Optional.empty(),
                        Optional.of(ISSUER),
                        audiences,
                        60,
                        Clock.fixed(NOW.plusSeconds(5), ZoneOffset.UTC))
                .orElseThrow();
    }

    private static String token(String subject, List<String> groups, String audience, Instant issuedAt)
            throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(subject);
        claims.setStringListClaim("groups", groups);
        if (audience != null) {
            claims.setAudience(audience);
        }
        claims.setIssuedAt(NumericDate.fromMilliseconds(issuedAt.toEpochMilli()));
        claims.setExpirationTime(
                NumericDate.fromMilliseconds(issuedAt.plus(Duration.ofHours(1)).toEpochMilli()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(KEYS.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static void assertRefused(TokenVerifier verifier, String authorization) {
        assertThrows(TokenVerifier.InvalidTokenException.class, () -> verifier.verify(authorization));
    }
}

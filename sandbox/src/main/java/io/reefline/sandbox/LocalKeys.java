package io.reefline.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The local signing key of a sandbox suite and the tokens signed with it.
 *
 * <p>Production verifies tokens against an OIDC provider's keys; locally {@code ./suite} creates one RSA key pair on
 * first start and every service verifies against its public half. Plain JDK crypto keeps this usable from the suite
 * script and from tests alike.
 */
public final class LocalKeys {

    public static final String PRIVATE_KEY_FILE = "private-key.pem";
    public static final String PUBLIC_KEY_FILE = "public-key.pem";
    public static final String DEFAULT_ISSUER = "https://reefline.local/sandbox";
    /** The audience every Reefline service requires by default ({@code mp.jwt.verify.audiences}). */
    public static final String DEFAULT_AUDIENCE = "reefline";

    private LocalKeys() {}

    /** Creates a fresh 2048-bit RSA key pair. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available in this JDK", e);
        }
    }

    /** Writes both halves as PEM files into {@code dir} unless a key pair is already there. */
    public static void ensureKeyPair(Path dir) throws IOException {
        Path privateKey = dir.resolve(PRIVATE_KEY_FILE);
        if (Files.exists(privateKey) && Files.exists(dir.resolve(PUBLIC_KEY_FILE))) {
            return;
        }
        Files.createDirectories(dir);
        KeyPair pair = generate();
        Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        privateKey.toFile().setReadable(false, false);
        privateKey.toFile().setReadable(true, true);
        Files.writeString(
                dir.resolve(PUBLIC_KEY_FILE), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    public static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** Reads a PKCS#8 PEM private key as written by {@link #ensureKeyPair(Path)}. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        String pem = Files.readString(file);
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("Not a PKCS#8 RSA private key: " + file, e);
        }
    }

    /**
     * Signs an RS256 JWT for {@code subject} carrying {@code roles} in the {@code groups} claim and the default
     * audience, as the services expect.
     */
    public static String signToken(
            PrivateKey key, String issuer, String subject, Collection<String> roles, Duration lifetime) {
        return signToken(key, issuer, DEFAULT_AUDIENCE, subject, roles, lifetime, Map.of());
    }

    /** As {@link #signToken(PrivateKey, String, String, Collection, Duration)}, with more string claims. */
    public static String signToken(
            PrivateKey key,
            String issuer,
            String subject,
            Collection<String> roles,
            Duration lifetime,
            Map<String, String> claims) {
        return signToken(key, issuer, DEFAULT_AUDIENCE, subject, roles, lifetime, claims);
    }

    /** Signs an RS256 JWT as {@link #signToken(PrivateKey, String, String, Collection, Duration)}, for {@code audience}. */
    public static String signToken(
            PrivateKey key,
            String issuer,
            String audience,
            String subject,
            Collection<String> roles,
            Duration lifetime) {
        return signToken(key, issuer, audience, subject, roles, lifetime, Map.of());
    }

    /** The JWT itself: {@code audience}, the roles as {@code groups}, and {@code claims} as further string claims. */
    public static String signToken(
            PrivateKey key,
            String issuer,
            String audience,
            String subject,
            Collection<String> roles,
            Duration lifetime,
            Map<String, String> claims) {
        Instant now = Instant.now();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String groups = roles.stream().map(r -> "\"" + jsonEscape(r) + "\"").collect(Collectors.joining(","));
        String payload = "{\"iss\":\"" + jsonEscape(issuer) + "\",\"aud\":\"" + jsonEscape(audience) + "\",\"sub\":\""
                + jsonEscape(subject) + "\",\"upn\":\""
                + jsonEscape(subject) + "\",\"groups\":[" + groups + "],\"iat\":" + now.getEpochSecond() + ",\"exp\":"
                + now.plus(lifetime).getEpochSecond() + ",\"jti\":\"" + UUID.randomUUID() + "\"" + more(claims) + "}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign token", e);
        }
    }

    /** Cell tokens name their reef in this claim (platform's {@code CellIdentity.REEF_CLAIM}). */
    public static final String REEF_CLAIM = "reefline_reef";

    /** The claims of a reef's cell: {@value #REEF_CLAIM} names the reef it may act for. */
    public static Map<String, String> cellClaims(String reef) {
        return Map.of(REEF_CLAIM, reef);
    }

    private static String more(Map<String, String> claims) {
        return claims.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(c -> ",\"" + jsonEscape(c.getKey()) + "\":\"" + jsonEscape(c.getValue()) + "\"")
                .collect(Collectors.joining());
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String jsonEscape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}

package io.reefline.testing;

import io.reefline.sandbox.LocalKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;

/** Tokens signed with a key pair generated once per test JVM, which the service under test trusts. */
public final class TestTokens {

    private static final String KEYS_PROPERTY = "reefline-test.key-directory";
    private static Path keyDirectory;
    private static PrivateKey privateKey;

    private TestTokens() {}

    /**
     * The key folder, shared through a system property: the test resource and the tests run in different class
     * loaders, so a static field alone would give each its own key pair.
     */
    static synchronized Path keyDirectory() {
        if (keyDirectory == null) {
            try {
                String shared = System.getProperty(KEYS_PROPERTY);
                if (shared == null) {
                    shared = Files.createTempDirectory("reefline-test-keys").toString();
                    System.setProperty(KEYS_PROPERTY, shared);
                }
                keyDirectory = Path.of(shared);
                LocalKeys.ensureKeyPair(keyDirectory);
                privateKey = LocalKeys.readPrivateKey(keyDirectory.resolve(LocalKeys.PRIVATE_KEY_FILE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keyDirectory;
    }

    /** A token for {@code subject} with the given roles. */
    public static String token(String subject, String... roles) {
        keyDirectory();
        return LocalKeys.signToken(privateKey, LocalKeys.DEFAULT_ISSUER, subject, List.of(roles), Duration.ofHours(1));
    }

    /** A token like {@link #token(String, String...)}, but issued for {@code audience} instead of Reefline's. */
    public static String forAudience(String audience, String subject, String... roles) {
        keyDirectory();
        return LocalKeys.signToken(
                privateKey, LocalKeys.DEFAULT_ISSUER, audience, subject, List.of(roles), Duration.ofHours(1));
    }

    public static String viewer() {
        return token("vera.viewer", "viewer");
    }

    public static String operator() {
        return token("otto.operator", "operator");
    }

    public static String admin() {
        return token("ada.admin", "admin");
    }

    public static String service() {
        return token("test-service", "service");
    }

    /** The cell of {@code reef}, as it calls the hub: it may act for that reef only. */
    public static String cell(String reef) {
        keyDirectory();
        return LocalKeys.signToken(
                privateKey,
                LocalKeys.DEFAULT_ISSUER,
                "cell-" + reef,
                List.of("cell"),
                Duration.ofHours(1),
                LocalKeys.cellClaims(reef));
    }

    /** A token with role {@code cell} that names no reef (as cells' tokens were minted before they had to). */
    public static String cellWithoutReef() {
        return token("cell-unnamed", "cell");
    }

    /** A CI job publishing releases. */
    public static String publisher() {
        return token("ci-publisher", "publisher");
    }

    /** The {@code Authorization} header value for a token. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }
}

package io.reefline.system;

import io.reefline.sandbox.LocalKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The signing keys the services of one scenario share, and tokens signed with them. */
final class ServiceKeys {

    private final Path dir;

    private ServiceKeys(Path dir) {
        this.dir = dir;
    }

    /** Creates a key pair in {@code dir}. */
    static ServiceKeys create(Path dir) {
        try {
            LocalKeys.ensureKeyPair(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServiceKeys(dir);
    }

    /** {@code properties} plus the settings that make a service verify and sign tokens with these keys. */
    Map<String, String> withKeys(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put(
                "mp.jwt.verify.publickey.location",
                dir.resolve(LocalKeys.PUBLIC_KEY_FILE).toUri().toString());
        all.put(
                "smallrye.jwt.sign.key.location",
                dir.resolve(LocalKeys.PRIVATE_KEY_FILE).toUri().toString());
        return all;
    }

    /** The token of {@code reef}'s cell (role cell, its reef named in the token), valid for an hour. */
    String cellToken(String reef) {
        try {
            return LocalKeys.signToken(
                    LocalKeys.readPrivateKey(dir.resolve(LocalKeys.PRIVATE_KEY_FILE)),
                    LocalKeys.DEFAULT_ISSUER,
                    "cell-" + reef,
                    List.of("cell"),
                    Duration.ofHours(1),
                    LocalKeys.cellClaims(reef));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token for {@code role} (viewer, operator, admin, publisher, service), valid for an hour. */
    String token(String role) {
        try {
            return LocalKeys.signToken(
                    LocalKeys.readPrivateKey(dir.resolve(LocalKeys.PRIVATE_KEY_FILE)),
                    LocalKeys.DEFAULT_ISSUER,
                    "system-test-" + role,
                    List.of(role),
                    Duration.ofHours(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

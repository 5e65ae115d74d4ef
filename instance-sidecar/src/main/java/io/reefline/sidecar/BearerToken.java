package io.reefline.sidecar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * The bearer token the sidecar sends: none, a fixed one ({@code SIDECAR_TOKEN}), or its pod's projected
 * service-account token read from a file ({@code SIDECAR_TOKEN_FILE}). Kubelet replaces that file before the token
 * expires, so it is read again whenever it changed since the last read.
 */
final class BearerToken {

    private final Optional<String> fixed;
    private final Path file;
    private FileTime readAt;
    private String fromFile;

    private BearerToken(Optional<String> fixed, Path file) {
        this.fixed = fixed;
        this.file = file;
    }

    static BearerToken of(SidecarConfig config) {
        return new BearerToken(config.token(), config.tokenFile().orElse(null));
    }

    /** The token to send now; empty when there is none (or the file cannot be read: the receiver then says 401). */
    synchronized Optional<String> current() {
        if (file == null) {
            return fixed;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (fromFile == null || !modified.equals(readAt)) {
                fromFile = Files.readString(file).strip();
                readAt = modified;
            }
        } catch (IOException e) {
            Log.warn("Cannot read the token file " + file + ": " + e);
            if (fromFile == null) {
                return Optional.empty();
            }
        }
        return fromFile.isEmpty() ? Optional.empty() : Optional.of(fromFile);
    }
}

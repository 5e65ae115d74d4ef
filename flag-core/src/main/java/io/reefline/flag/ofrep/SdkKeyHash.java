package io.reefline.flag.ofrep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** How an SDK key is stored and replicated: never as itself, only as the hex SHA-256 of its UTF-8 bytes. */
public final class SdkKeyHash {

    private SdkKeyHash() {}

    public static String of(String sdkKey) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(sdkKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

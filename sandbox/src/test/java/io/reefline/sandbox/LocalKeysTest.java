package io.reefline.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeysTest {

    @Test
    void tokensVerifyAgainstThePublicKeyAndCarryTheRoles(@TempDir Path dir) throws Exception {
        LocalKeys.ensureKeyPair(dir);
        String publicPem = Files.readString(dir.resolve(LocalKeys.PUBLIC_KEY_FILE));
        LocalKeys.ensureKeyPair(dir);
        assertEquals(publicPem, Files.readString(dir.resolve(LocalKeys.PUBLIC_KEY_FILE)), "an existing pair is kept");

        String token = LocalKeys.signToken(
                LocalKeys.readPrivateKey(dir.resolve(LocalKeys.PRIVATE_KEY_FILE)),
                LocalKeys.DEFAULT_ISSUER,
                "dana \"ops\"",
                List.of("operator"),
                Duration.ofMinutes(5));

        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey(publicPem));
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(Base64.getUrlDecoder().decode(parts[2])));
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(payload.contains("\"groups\":[\"operator\"]"), payload);
        assertTrue(payload.contains("\"sub\":\"dana \\\"ops\\\"\""), payload);
        assertTrue(payload.contains("\"aud\":\"reefline\""), "the audience every service requires: " + payload);
    }

    private static PublicKey publicKey(String pem) throws Exception {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}

package io.reefline.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.sandbox.LocalKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token a cell signs for itself names the reef it acts for, as the hub requires of every cell's token. */
class HubCredentialsTest {

    @Test
    void theCellsOwnTokenNamesItsReef(@TempDir Path keys) throws Exception {
        LocalKeys.ensureKeyPair(keys);
        HubCredentials credentials = new HubCredentials(
                Optional.empty(),
                Optional.of(keys.resolve(LocalKeys.PRIVATE_KEY_FILE).toUri().toString()),
                LocalKeys.DEFAULT_ISSUER,
                Optional.of(List.of("reefline")),
                cell("reef-eu-1"));

        String authorization = credentials.authorization().orElseThrow();
        assertTrue(authorization.startsWith("Bearer "), authorization);
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        JsonNode claims = new ObjectMapper()
                .readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        assertEquals("reef-eu-1", claims.path("reefline_reef").asText(), claims.toString());
        assertEquals("cell-reef-eu-1", claims.path("sub").asText());
        assertEquals("cell", claims.path("groups").path(0).asText());
        assertEquals(
                "reefline",
                claims.path("aud").isArray()
                        ? claims.path("aud").path(0).asText()
                        : claims.path("aud").asText());
    }

    private static CellConfig cell(String reef) {
        return new CellConfig() {
            @Override
            public String reef() {
                return reef;
            }

            @Override
            public String replica() {
                return "cell-0";
            }

            @Override
            public Path dataDir() {
                return Path.of("unused");
            }
        };
    }
}

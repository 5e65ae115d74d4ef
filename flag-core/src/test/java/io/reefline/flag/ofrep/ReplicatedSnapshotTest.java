package io.reefline.flag.ofrep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.flag.domain.Evaluator;
import io.reefline.flag.domain.FlagSnapshot;
import io.reefline.flag.domain.Json;
import io.reefline.flag.domain.flagd.FlagdDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A follower answers exactly as its primary: what the primary encodes, a follower decodes into a catalog whose OFREP
 * answers are the same bytes, ETags included.
 */
class ReplicatedSnapshotTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    private static final String KEY = "sdk-key-production";
    private static final String REVOKED = "sdk-key-revoked";

    @Test
    void aFollowerAnswersEveryOfrepQuestionWithThePrimarysBytes() throws Exception {
        Catalog primary = catalog(42);
        TenantAttributes tenants = TenantAttributes.of(Map.of(
                "acme", Map.of("reef", "reef-eu-1", "region", "eu", "active", true),
                "globex", Map.of("reef", "reef-au-1", "ring", "staff", "active", false)));
        ReplicatedSnapshot.Replica replica =
                ReplicatedSnapshot.decode(ReplicatedSnapshot.encode(primary, tenants), CLOCK);

        assertEquals(42, replica.catalog().version());
        assertEquals(tenants, replica.tenants());
        assertEquals(ReplicatedSnapshot.tag(primary, tenants), replica.tag());

        Ofrep atPrimary = new Ofrep(source(primary, tenants));
        Ofrep atFollower = new Ofrep(source(replica.catalog(), replica.tenants()));
        List<String> contexts = List.of(
                "",
                "{}",
                "{\"context\":{\"targetingKey\":\"user-1\",\"email\":\"ada@faas.com\"}}",
                "{\"context\":{\"targetingKey\":\"user-2\",\"email\":\"bob@example.com\",\"version\":\"1.2.0\"}}",
                "{\"context\":{\"tenant\":\"acme\",\"user\":{\"name\":\"ada\"}}}",
                "{\"context\":{\"targetingKey\":\"globex\",\"locale\":\"de\"}}",
                "{\"context\":[1]}",
                "{\"context\":{}} trailing");
        for (String context : contexts) {
            byte[] body = context.getBytes(StandardCharsets.UTF_8);
            same(atPrimary.evaluateAll(KEY, null, null, body), atFollower.evaluateAll(KEY, null, null, body));
            for (String flag : primary.environments()
                    .get("production")
                    .snapshot()
                    .flagSet()
                    .flags()
                    .keySet()) {
                same(atPrimary.evaluate(flag, KEY, null, body), atFollower.evaluate(flag, KEY, null, body));
            }
            same(
                    atPrimary.evaluate("no-such-flag", KEY, null, body),
                    atFollower.evaluate("no-such-flag", KEY, null, body));
        }
        same(
                atPrimary.evaluateAll(REVOKED, null, null, new byte[0]),
                atFollower.evaluateAll(REVOKED, null, null, new byte[0]));
        assertEquals(
                403, atFollower.evaluateAll(REVOKED, null, null, new byte[0]).status());
        assertEquals(
                401,
                atFollower
                        .evaluateAll(null, "Bearer unknown", null, new byte[0])
                        .status());
    }

    @Test
    void theBulkEtagAnswers304AndChangesWithTheCatalogAndTheTenantAttributes() throws Exception {
        TenantAttributes before = TenantAttributes.of(Map.of("acme", Map.of("reef", "reef-eu-1")));
        Ofrep ofrep = new Ofrep(source(catalog(7), before));
        byte[] body = "{\"context\":{\"tenant\":\"acme\"}}".getBytes(StandardCharsets.UTF_8);
        Ofrep.Answer first = ofrep.evaluateAll(KEY, null, null, body);
        assertEquals(200, first.status());
        Ofrep.Answer again = ofrep.evaluateAll(KEY, null, "W/" + first.etag(), body);
        assertEquals(304, again.status());
        assertEquals(0, again.body().length);

        Ofrep.Answer newerFlags = new Ofrep(source(catalog(8), before)).evaluateAll(KEY, null, first.etag(), body);
        assertEquals(200, newerFlags.status());
        TenantAttributes moved = TenantAttributes.of(Map.of("acme", Map.of("reef", "reef-au-1")));
        Ofrep.Answer newerTenant = new Ofrep(source(catalog(7), moved)).evaluateAll(KEY, null, first.etag(), body);
        assertEquals(200, newerTenant.status());
        assertNotEquals(ReplicatedSnapshot.tag(catalog(7), before), ReplicatedSnapshot.tag(catalog(7), moved));
    }

    @Test
    void whatIsNotASnapshotIsRefusedWhole() {
        for (String bad : List.of(
                "not json",
                "[]",
                "{\"format\":2,\"catalogVersion\":1}",
                "{\"format\":1}",
                "{\"format\":1,\"catalogVersion\":1,\"environments\":{\"p\":{\"flagd\":{\"flags\":7}}}}",
                "{\"format\":1,\"catalogVersion\":1,\"keys\":{\"abc\":{\"revoked\":false}}}")) {
            assertThrows(
                    ReplicatedSnapshot.InvalidSnapshotException.class,
                    () -> ReplicatedSnapshot.decode(bad.getBytes(StandardCharsets.UTF_8), CLOCK),
                    bad);
        }
    }

    @Test
    void anEmptyCatalogRoundTrips() throws Exception {
        ReplicatedSnapshot.Replica replica = ReplicatedSnapshot.decode(
                ReplicatedSnapshot.encode(new Catalog(0, Map.of(), Map.of()), TenantAttributes.NONE), CLOCK);
        assertTrue(replica.catalog().environments().isEmpty());
        assertArrayEquals(
                ReplicatedSnapshot.encode(replica.catalog(), replica.tenants()),
                ReplicatedSnapshot.encode(new Catalog(0, Map.of(), Map.of()), TenantAttributes.NONE));
    }

    private static void same(Ofrep.Answer expected, Ofrep.Answer actual) {
        assertEquals(expected.status(), actual.status());
        assertEquals(expected.etag(), actual.etag());
        assertEquals(expected.contentType(), actual.contentType());
        assertEquals(
                new String(expected.body(), StandardCharsets.UTF_8), new String(actual.body(), StandardCharsets.UTF_8));
    }

    static Catalog catalog(long version) throws IOException {
        try (InputStream in = ReplicatedSnapshotTest.class.getResourceAsStream("/flagd/documented-flags.json")) {
            var flagSet = FlagdDocument.load(Json.tree(new String(in.readAllBytes(), StandardCharsets.UTF_8)))
                    .flagSet();
            FlagSnapshot snapshot = FlagSnapshot.of(flagSet, version);
            EnvironmentFlags production = new EnvironmentFlags(
                    "production", snapshot, Evaluator.over(snapshot, CLOCK), Set.of("fractional-flag"));
            return new Catalog(
                    version,
                    Map.of("production", production),
                    Map.of(
                            SdkKeyHash.of(KEY), new KeyBinding("production", false),
                            SdkKeyHash.of(REVOKED), new KeyBinding("production", true)));
        } catch (io.reefline.flag.domain.flagd.InvalidFlagdDocumentException e) {
            throw new IllegalStateException(e);
        }
    }

    static OfrepSource source(Catalog catalog, TenantAttributes tenants) {
        return new OfrepSource() {
            @Override
            public KeyBinding binding(String sdkKey) {
                return catalog.keys().get(SdkKeyHash.of(sdkKey));
            }

            @Override
            public Catalog catalog() {
                return catalog;
            }

            @Override
            public TenantAttributes tenants() {
                return tenants;
            }
        };
    }
}

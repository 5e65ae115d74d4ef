package io.reefline.flag;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.flag.ofrep.Ofrep;
import io.reefline.flag.ofrep.OfrepSource;
import io.reefline.flag.ofrep.ReplicatedSnapshot;
import io.reefline.flag.ofrep.SdkKeyHash;
import io.reefline.testing.TestTokens;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The primary's side of replication: what a cell's follower fetches, who may fetch it, and that it answers alike. */
@QuarkusTest
class ReplicationTest {

    private static final String PATH = "/api/replication/snapshot";
    private static final String TARGETED = """
            {"enabled":true,"defaultVariant":"off",
             "jsonLogic":{"if":[{"==":[{"var":"plan"},"gold"]},"on","off"]}}
            """;

    private String sdkKey;

    @BeforeEach
    void setUp() {
        TestData.clear();
        TestData.environment("production", "Production");
        TestData.flag("gold-only", "boolean", "{\"on\":true,\"off\":false}", "off");
        TestData.configure("gold-only", "production", TARGETED);
        sdkKey = TestData.sdkKey("production");
        TestData.sync();
    }

    @AfterEach
    void tearDown() {
        TestData.clear();
    }

    @Test
    void onlyTheCellsReadTheSnapshot() {
        given().get(PATH).then().statusCode(401);
        for (String token : new String[] {TestTokens.admin(), TestTokens.service(), TestTokens.publisher()}) {
            given().header("Authorization", TestTokens.bearer(token))
                    .get(PATH)
                    .then()
                    .statusCode(403);
        }
        given().header("Authorization", TestTokens.bearer(TestTokens.cell("reef-test")))
                .get(PATH)
                .then()
                .statusCode(200);
    }

    @Test
    void aFollowerOfTheSnapshotAnswersOfrepAsThePrimaryDoesAndA304UntilSomethingChanges() throws Exception {
        Response first = snapshot(null);
        first.then().statusCode(200).body("format", equalTo(1));
        String tag = first.header("ETag");
        ReplicatedSnapshot.Replica replica = ReplicatedSnapshot.decode(first.asByteArray(), Clock.systemUTC());
        assertTrue(replica.catalog().keys().containsKey(SdkKeyHash.of(sdkKey)));
        assertEquals(tag, replica.tag(), "the follower's tag is the primary's ETag");
        assertTrue(!first.asString().contains(sdkKey), "SDK keys travel as hashes only");

        Ofrep follower = new Ofrep(new OfrepSource() {
            @Override
            public io.reefline.flag.ofrep.KeyBinding binding(String key) {
                return replica.catalog().keys().get(SdkKeyHash.of(key));
            }

            @Override
            public io.reefline.flag.ofrep.Catalog catalog() {
                return replica.catalog();
            }

            @Override
            public io.reefline.flag.ofrep.TenantAttributes tenants() {
                return replica.tenants();
            }
        });
        for (String context : new String[] {"{\"context\":{\"plan\":\"gold\"}}", "{\"context\":{\"plan\":\"tin\"}}"}) {
            Response atPrimary = TestData.ofrep(sdkKey).body(context).post("/ofrep/v1/evaluate/flags/gold-only");
            Ofrep.Answer atFollower =
                    follower.evaluate("gold-only", sdkKey, null, context.getBytes(StandardCharsets.UTF_8));
            assertEquals(atPrimary.statusCode(), atFollower.status());
            assertEquals(atPrimary.asString(), new String(atFollower.body(), StandardCharsets.UTF_8));
            Response bulkAtPrimary = TestData.ofrep(sdkKey).body(context).post("/ofrep/v1/evaluate/flags");
            Ofrep.Answer bulkAtFollower =
                    follower.evaluateAll(sdkKey, null, null, context.getBytes(StandardCharsets.UTF_8));
            assertEquals(bulkAtPrimary.header("ETag"), bulkAtFollower.etag());
            assertEquals(bulkAtPrimary.asString(), new String(bulkAtFollower.body(), StandardCharsets.UTF_8));
        }

        snapshot(tag).then().statusCode(304).header("ETag", tag);
        TestData.configure("gold-only", "production", TARGETED.replace("gold", "platinum"));
        TestData.sync();
        Response changed = snapshot(tag);
        changed.then().statusCode(200);
        assertNotEquals(tag, changed.header("ETag"));
    }

    private static Response snapshot(String ifNoneMatch) {
        var request = given().header("Authorization", TestTokens.bearer(TestTokens.cell("reef-test")));
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return request.get(PATH);
    }
}

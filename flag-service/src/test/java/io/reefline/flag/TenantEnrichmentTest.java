package io.reefline.flag;

import static io.reefline.flag.TestData.ofrep;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.flag.service.TenantDirectory;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TenantEnrichmentTest {

    private static final String STAFF_ONLY = """
            {"enabled":true,"defaultVariant":"off",
             "jsonLogic":{"if":[{"==":[{"var":"ring"},"staff"]},"on","off"]}}
            """;
    private static final String BY_REEF = """
            {"enabled":true,"defaultVariant":"other",
             "jsonLogic":{"if":[{"and":[{"==":[{"var":"reef"},"coral"]},{"==":[{"var":"active"},true]}]},
                               "coral","other"]}}
            """;

    @Inject
    TenantDirectory directory;

    /** Tenant names no other test uses, so the directory this boot keeps cannot change their answers. */
    private final FakeRollout rollout = new FakeRollout(List.of("""
            {"id":"coral/enrich-staff","reef":"coral","region":"eu-west","tenant":"enrich-staff","active":true,
             "ring":"staff","pinSource":"override","optedOut":false,"valid":true,"errors":[]}""", """
            {"id":"coral/enrich-plain","reef":"coral","region":"eu-west","tenant":"enrich-plain","active":true,
             "ring":null,"pinSource":null,"optedOut":false,"valid":true,"errors":[]}""", """
            {"id":"atoll/enrich-plain","reef":"atoll","region":"us-east","tenant":"enrich-plain","active":false,
             "ring":"laggard","pinSource":"annotation","optedOut":true,"valid":true,"errors":[]}"""));

    private String sdkKey;

    @BeforeEach
    void setUp() {
        TestData.clear();
        TestData.environment("production", "Production");
        TestData.flag("staff-preview", "boolean", "{\"on\":true,\"off\":false}", "off");
        TestData.configure("staff-preview", "production", STAFF_ONLY);
        TestData.flag("reef-banner", "string", "{\"coral\":\"coral\",\"other\":\"other\"}", "other");
        TestData.configure("reef-banner", "production", BY_REEF);
        sdkKey = TestData.sdkKey("production");
        TestData.sync();
        rollout.start();
    }

    @AfterEach
    void tearDown() {
        rollout.stop();
        TestData.clear();
    }

    @Test
    void shouldTargetTenantsByTheirRolloutAttributesAndKeepAnsweringFromTheCacheWhenRolloutIsDown() {
        directory.refresh();
        assertFalse(rollout.authorizations().isEmpty());
        assertTrue(
                rollout.authorizations().get(0).startsWith("Bearer "),
                rollout.authorizations().get(0));

        // The staff pin comes from rollout, not from the request; the tenant attribute names the tenant.
        assertEquals(true, value("staff-preview", "{\"tenant\":\"enrich-staff\",\"targetingKey\":\"user-1\"}"));
        // Without a tenant attribute the targeting key is taken as the tenant.
        assertEquals(true, value("staff-preview", "{\"targetingKey\":\"enrich-staff\"}"));
        // What the caller says wins over the directory.
        assertEquals(false, value("staff-preview", "{\"tenant\":\"enrich-staff\",\"ring\":\"laggard\"}"));
        // An unpinned tenant has no ring; of its two instances the active one gives the reef.
        assertEquals(false, value("staff-preview", "{\"tenant\":\"enrich-plain\"}"));
        assertEquals("coral", value("reef-banner", "{\"tenant\":\"enrich-plain\"}"));
        // An unknown tenant is evaluated with the context as given.
        assertEquals(false, value("staff-preview", "{\"tenant\":\"enrich-unknown\"}"));
        assertEquals(
                "coral", value("reef-banner", "{\"tenant\":\"enrich-unknown\",\"reef\":\"coral\",\"active\":true}"));
        assertEquals("other", value("reef-banner", "{\"tenant\":\"enrich-unknown\",\"reef\":\"coral\"}"));

        // Bulk evaluation: the ETag covers the added attributes, so a tenant's answer and tag differ from a stranger's.
        Response staff = bulk("{\"tenant\":\"enrich-staff\"}", null);
        staff.then().statusCode(200).body("flags.find { it.key == 'staff-preview' }.value", equalTo(true));
        String staffTag = staff.header("ETag");
        assertNotEquals(staffTag, bulk("{\"tenant\":\"enrich-unknown\"}", null).header("ETag"));
        bulk("{\"tenant\":\"enrich-staff\"}", staffTag).then().statusCode(304);

        // rollout goes away: the refresh fails quietly and evaluation keeps the last good attributes.
        rollout.stop();
        directory.refresh();
        assertEquals(true, value("staff-preview", "{\"tenant\":\"enrich-staff\"}"));
        assertEquals("coral", value("reef-banner", "{\"tenant\":\"enrich-plain\"}"));
        bulk("{\"tenant\":\"enrich-staff\"}", staffTag).then().statusCode(304);
    }

    private Object value(String flag, String context) {
        return ofrep(sdkKey)
                .body("{\"context\":" + context + "}")
                .post("/ofrep/v1/evaluate/flags/" + flag)
                .then()
                .statusCode(200)
                .extract()
                .path("value");
    }

    private Response bulk(String context, String ifNoneMatch) {
        var request = ofrep(sdkKey).body("{\"context\":" + context + "}");
        if (ifNoneMatch != null) {
            request = request.header("If-None-Match", ifNoneMatch);
        }
        return request.post("/ofrep/v1/evaluate/flags");
    }
}

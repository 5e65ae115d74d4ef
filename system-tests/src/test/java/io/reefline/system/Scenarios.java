package io.reefline.system;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;

/** Steps several scenarios share: storing a ring policy, stopping what a scenario started. */
final class Scenarios {

    private Scenarios() {}

    /** Replaces rollout-service's default ring policy with {@code policy} (as an admin, over the defaults' ETag). */
    static void storePolicy(ServiceProcess rollout, ServiceKeys keys, String policy) {
        given().auth()
                .oauth2(keys.token("admin"))
                .contentType(ContentType.JSON)
                .header("If-Match", "\"defaults\"")
                .body(policy)
                .when()
                .put(rollout.url() + "/api/policy")
                .then()
                .statusCode(200);
    }

    /** Stops every part that was started, in the order given; parts never started are null and skipped. */
    static void stop(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("could not stop " + part + ": " + e);
            }
        }
    }
}

package io.reefline.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.reefline.testing.BadInputWalk;
import io.restassured.RestAssured;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every operation of rollout-service's OpenAPI document, sent bad input: never a 5xx, always a problem, no change. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class BadInputWalkTest {

    @Test
    void shouldRefuseEveryBadInputWithAProblemAndChangeNothing() {
        BadInputWalk.Report report = BadInputWalk.walk("rollout-service", RestAssured.port);
        assertTrue(report.operations() > 20, report.summary());
        assertEquals(List.of(), report.findings(), report.summary());
    }
}

package io.reefline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.BadInputWalk;
import io.restassured.RestAssured;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every operation of metrics-service's OpenAPI document, sent bad input: never a 5xx, always a problem, no change. */
@QuarkusTest
class BadInputWalkTest {

    @Test
    void shouldRefuseEveryBadInputWithAProblemAndChangeNothing() {
        BadInputWalk.Report report = BadInputWalk.walk("metrics-service", RestAssured.port);
        assertTrue(report.operations() > 10, report.summary());
        assertEquals(List.of(), report.findings(), report.summary());
    }
}

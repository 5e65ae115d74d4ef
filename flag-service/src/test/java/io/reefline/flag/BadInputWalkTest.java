package io.reefline.flag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.BadInputWalk;
import io.restassured.RestAssured;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every operation of flag-service's OpenAPI document, sent bad input: never a 5xx, always a problem, no change. */
@QuarkusTest
class BadInputWalkTest {

    @BeforeEach
    void someData() {
        TestData.clear();
        TestData.environment("production", "Production");
        TestData.flag("dark-mode", "boolean", "{\"on\":true,\"off\":false}", "off");
    }

    @Test
    void shouldRefuseEveryBadInputWithAProblemAndChangeNothing() {
        BadInputWalk.Report report = BadInputWalk.walk("flag-service", RestAssured.port);
        assertTrue(report.operations() > 20, report.summary());
        assertEquals(List.of(), report.findings(), report.summary());
    }
}

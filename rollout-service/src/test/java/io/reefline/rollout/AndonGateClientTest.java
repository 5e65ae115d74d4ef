package io.reefline.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.reefline.platform.andon.AndonGateClient;
import io.reefline.platform.andon.GateAnswer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * platform's andon gate client, the one rollout- and flag-service share, against a fake andon-service: only a clear
 * "allowed" opens the gate; every other answer closes it with a reason, and it never throws.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class AndonGateClientTest {

    @Inject
    AndonGateClient gate;

    @Inject
    FakeAndon andon;

    @BeforeEach
    @AfterEach
    void openAgain() {
        andon.open(true);
        andon.start();
        // Failures below opened the circuit breaker; the next test starts behind a gate that answers again.
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .until(() -> gate.ask("2026.3.1", null, null).allowed());
    }

    @Test
    void shouldOpenOnlyOnAClearAllowedAndNameTheCordsOtherwise() {
        assertEquals(GateAnswer.open(), gate.ask("2026.3.1", "reef-eu-1", "staff"));
        assertTrue(andon.lastQuery().contains("release=2026.3.1"), andon.lastQuery());
        assertTrue(andon.lastQuery().contains("reef=reef-eu-1")
                && andon.lastQuery().contains("ring=staff"));

        andon.open(false);
        assertEquals(GateAnswer.closed("open cords [#7 checkout errors]"), gate.ask("2026.3.1", null, "canary"));
        assertFalse(andon.lastQuery().contains("reef="), "an absent reef is left out: " + andon.lastQuery());
    }

    @Test
    void shouldShowAndonsReasonWhenTheGateHoldsWithoutACord() {
        andon.answer(
                423,
                "application/json",
                "{\"allowed\":false,\"cords\":[],\"reason\":\"the cell of reef-eu-1 is silent since 09:00\"}");

        assertEquals(
                GateAnswer.closed("the cell of reef-eu-1 is silent since 09:00"),
                gate.ask("2026.3.1", "reef-eu-1", null));
    }

    @Test
    void shouldStayClosedUnlessAllowedIsTheBooleanTrue() {
        andon.answer(200, "application/json", "{\"allowed\":\"true\"}");

        assertEquals(
                GateAnswer.closed("andon-service answered without allowing the move"),
                gate.ask("2026.3.1", null, null));
    }

    // Each failure below is a test of its own: three failed attempts open the circuit breaker, which @AfterEach waits
    // out, so every test sees its own failure and not the open circuit.

    @Test
    void shouldFailSafeOnAGarbledAnswer() {
        andon.answer(200, "application/json", "{\"allowed\":tr");

        GateAnswer garbled = gate.ask("2026.3.1", null, null);

        assertFalse(garbled.allowed());
        assertTrue(
                garbled.reason().startsWith("andon-service could not be asked (its answer could not be read: "),
                garbled.reason());
        assertTrue(garbled.reason().endsWith("); failing safe"), garbled.reason());
    }

    @Test
    void shouldFailSafeOnAServerError() {
        andon.answer(503, "text/plain", "down for maintenance");

        assertEquals(
                GateAnswer.closed("andon-service could not be asked (answered 503); failing safe"),
                gate.ask("2026.3.1", null, null));
    }

    @Test
    void shouldFailSafeWhenAndonServiceIsUnreachable() {
        andon.stop();

        GateAnswer unreachable = gate.ask("2026.3.1", null, null);

        assertFalse(unreachable.allowed());
        assertTrue(
                unreachable.reason().startsWith("andon-service could not be asked (unreachable: "),
                unreachable.reason());
    }
}

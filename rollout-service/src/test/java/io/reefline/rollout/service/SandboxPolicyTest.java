package io.reefline.rollout.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.rollout.domain.analysis.AnalysisSpec;
import io.reefline.rollout.domain.policy.RingPolicy;
import java.io.File;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy {@code ./suite up} stores must stay one the service accepts. */
class SandboxPolicyTest {

    @Test
    void shouldJudgeCanaryAndStableWithTheDefaultMetricsAtDemoPace() throws Exception {
        PolicyDocument document = new ObjectMapper()
                .findAndRegisterModules()
                .readValue(new File("../sandbox/sandbox-policy.json"), PolicyDocument.class);

        PolicyDocument.Parsed parsed = document.parse();

        assertEquals(List.of(), parsed.violations());
        RingPolicy policy = parsed.policy();
        AnalysisSpec demo = new AnalysisSpec(
                Duration.ofSeconds(30),
                Duration.ofMinutes(4),
                false,
                false,
                AnalysisSpec.defaults().metrics());
        assertNull(policy.rings().get(0).analysis());
        assertEquals(demo, policy.rings().get(1).analysis());
        assertEquals(demo, policy.rings().get(2).analysis());
        assertNull(policy.rings().get(3).analysis());
    }
}

package io.reefline.rollout.persistence;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.reefline.rollout.domain.canary.CanarySelection;
import io.reefline.rollout.service.PolicyDocument;
import io.reefline.rollout.service.ReleaseService;

/**
 * Types written to and read from JSON text columns and outbox payloads with the ObjectMapper directly; REST bodies are
 * registered by Quarkus itself, these are not, and a native image needs them.
 */
@RegisterForReflection(
        targets = {
            CanarySelection.class,
            CanarySelection.Choice.class,
            CanarySelection.Exclusion.class,
            PolicyDocument.class,
            PolicyDocument.RingDocument.class,
            PolicyDocument.SelectorDocument.class,
            ReleaseService.ReleaseRegistered.class
        })
final class JsonColumns {

    private JsonColumns() {}
}

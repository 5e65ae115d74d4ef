package io.reefline.rollout;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.reefline.testing.EmbeddedPostgresResource;

/**
 * One embedded PostgreSQL for every test class of this module. Every {@code @QuarkusTest} class here also carries
 * {@code @WithKubernetesTestServer(crud = true)} (restricted to the annotated class), so all share one Quarkus boot.
 */
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeAndonPort.class, scope = TestResourceScope.GLOBAL)
public final class TestDatabase {

    private TestDatabase() {}
}

package io.reefline.flag;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.reefline.testing.EmbeddedPostgresResource;

/** One embedded PostgreSQL, one pair of fake-service ports and one Quarkus boot for every test class of this module. */
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeServicePorts.class, scope = TestResourceScope.GLOBAL)
public final class TestDatabase {

    private TestDatabase() {}
}

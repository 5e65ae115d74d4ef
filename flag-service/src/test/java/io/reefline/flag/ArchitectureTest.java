package io.reefline.flag;

import io.reefline.testing.DomainPurity;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void domainPackagesImportNoFramework() {
        DomainPurity.DOMAIN_IS_FRAMEWORK_FREE.check(DomainPurity.productionClasses("io.reefline.flag"));
    }
}

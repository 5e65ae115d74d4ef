package io.reefline.flag;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import io.reefline.testing.DomainPurity;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void domainPackagesImportNoFramework() {
        DomainPurity.DOMAIN_IS_FRAMEWORK_FREE.check(DomainPurity.productionClasses("io.reefline.flag"));
    }

    /** The whole module, not only its domain packages: the cell's followers run it without a service stack. */
    @Test
    void flagCoreNeedsOnlyTheJdkAndJackson() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("java..", "javax.crypto..", "io.reefline.flag..", "com.fasterxml.jackson..")
                .because("flag-core is shared by the primary and the lean followers")
                .check(DomainPurity.productionClasses("io.reefline.flag"));
    }
}

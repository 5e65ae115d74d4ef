package io.reefline.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The rule each service's ArchitectureTest applies really fails on a framework import in a domain package. */
class DomainPurityTest {

    @Test
    void shouldFailWhenDomainClassImportsQuarkus() {
        JavaClasses leaky = new ClassFileImporter().importPackages("io.reefline.testing.fixture.domain");
        AssertionError error =
                assertThrows(AssertionError.class, () -> DomainPurity.DOMAIN_IS_FRAMEWORK_FREE.check(leaky));
        assertTrue(error.getMessage().contains("LeakyWindow"), error.getMessage());
        assertTrue(error.getMessage().contains("io.quarkus.runtime.StartupEvent"), error.getMessage());
    }

    @Test
    void shouldPassForPlainJavaDomainClass() {
        JavaClasses clean = new ClassFileImporter().importPackages("io.reefline.testing.fixture.clean.domain");
        assertDoesNotThrow(() -> DomainPurity.DOMAIN_IS_FRAMEWORK_FREE.check(clean));
    }
}

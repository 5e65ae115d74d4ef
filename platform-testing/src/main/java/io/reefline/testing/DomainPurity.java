package io.reefline.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rule that keeps each service's {@code domain} packages plain Java: no Quarkus, JAX-RS, Jakarta Persistence,
 * Hibernate, Vert.x or fabric8. Domain logic stays testable and benchmarkable without a running framework.
 */
public final class DomainPurity {

    private DomainPurity() {}

    public static final ArchRule DOMAIN_IS_FRAMEWORK_FREE = noClasses()
            .that()
            .resideInAPackage("..domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.quarkus..",
                    "jakarta.ws.rs..",
                    "jakarta.persistence..",
                    "jakarta.transaction..",
                    "jakarta.enterprise..",
                    "jakarta.inject..",
                    "org.hibernate..",
                    "io.vertx..",
                    "io.smallrye..",
                    "io.fabric8..",
                    "org.eclipse.microprofile..")
            .because("domain packages hold pure logic (see DESIGN.md, 'Layering inside a service')");

    /** The production classes of the packages under {@code basePackage}. */
    public static JavaClasses productionClasses(String basePackage) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(basePackage);
    }
}

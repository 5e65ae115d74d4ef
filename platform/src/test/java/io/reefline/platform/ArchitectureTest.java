package io.reefline.platform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    /** The rules the domain packages and the rollout reconcile loop share must stay as plain as those packages. */
    @Test
    void sharedRulesImportNoFramework() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.reefline.platform.backoff..",
                        "io.reefline.platform.version..",
                        "io.reefline.platform.csv..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quarkus..",
                        "jakarta..",
                        "org.hibernate..",
                        "io.vertx..",
                        "io.smallrye..",
                        "io.fabric8..",
                        "org.eclipse.microprofile..",
                        "com.fasterxml..")
                .because("domain packages and the reconcile loop use them (DESIGN.md, 'Layering inside a service')")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.reefline.platform"));
    }
}

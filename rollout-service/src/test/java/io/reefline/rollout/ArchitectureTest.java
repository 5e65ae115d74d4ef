package io.reefline.rollout;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import io.reefline.testing.DomainPurity;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void domainPackagesImportNoFramework() {
        DomainPurity.DOMAIN_IS_FRAMEWORK_FREE.check(DomainPurity.productionClasses("io.reefline.rollout"));
    }

    /** The reconcile loop runs in the service and in the fault simulation alike: it sees only its own interfaces. */
    @Test
    void reconcileLoopImportsNoFrameworkAndNoAdapter() {
        noClasses()
                .that()
                .resideInAPackage("io.reefline.rollout.upgrade.reconcile..")
                .should()
                .dependOnClassesThat(resideInAnyPackage(
                                "io.quarkus..",
                                "jakarta..",
                                "org.hibernate..",
                                "io.vertx..",
                                "io.smallrye..",
                                "io.fabric8..",
                                "org.eclipse.microprofile..",
                                "io.reefline.platform..",
                                "io.reefline.rollout.persistence..",
                                "io.reefline.rollout.kubernetes..",
                                "io.reefline.rollout.service..",
                                "io.reefline.rollout.client..",
                                "io.reefline.rollout.rest..")
                        // The shared plain rules (backoff, versions) are as free of frameworks as the loop itself.
                        .and(not(resideInAnyPackage(
                                "io.reefline.platform.backoff..", "io.reefline.platform.version.."))))
                .because("the fault simulation drives the same loop with simulated parts")
                .check(DomainPurity.productionClasses("io.reefline.rollout"));
    }
}

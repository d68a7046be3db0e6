package dev.alphaex.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of DESIGN.md's layout, checked on the compiled main classes: no package cycle anywhere
 * (each package is its own slice, so ssh.camel -> ssh -> ssh.camel would count), and the arrows of the sketch:
 * the cluster SPI imports only the sweep; the kinds and transports never import the engine; the engine never
 * names a kind or a transport (it finds them by name in the cluster registry).
 */
class PackageDependenciesTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(Path.of("target/classes"));
    }

    /** Every package of ours is a slice of its own. */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            return c.getPackageName().startsWith("dev.alphaex") ? SliceIdentifier.of(c.getPackageName()) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "every package of dev.alphaex";
        }
    };

    @Test
    void noPackageCycleAnywhere() {
        slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(main);
    }

    @Test
    void theClusterSpiImportsOnlyTheSweep() {
        noClasses().that().resideInAPackage("dev.alphaex.cluster..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.alphaex.campaign..", "dev.alphaex.local..", "dev.alphaex.slurm..", "dev.alphaex.ssh..",
                        "dev.alphaex.openssh..", "dev.alphaex.camel..", "dev.alphaex.cli..", "dev.alphaex.merge..",
                        "dev.alphaex.plot..", "dev.alphaex.report..")
                .check(main);
    }

    @Test
    void kindsAndTransportsNeverImportTheEngine() {
        noClasses().that().resideInAnyPackage("dev.alphaex.local..", "dev.alphaex.slurm..", "dev.alphaex.ssh..", "dev.alphaex.openssh..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.alphaex.campaign..", "dev.alphaex.camel..")
                .check(main);
    }

    @Test
    void theEngineNeverNamesAKindOrATransport() {
        noClasses().that().resideInAPackage("dev.alphaex.campaign..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.alphaex.local..", "dev.alphaex.slurm..", "dev.alphaex.ssh..", "dev.alphaex.openssh..",
                        "org.apache.camel..")
                .check(main);
    }
}

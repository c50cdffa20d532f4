package io.unwind.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import io.unwind.app.Main;
import io.unwind.chain.planted.PlantedLayerViolation;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/ARCHITECTURE.md, checked on the compiled main classes: every edge between Unwind's packages, and
 * which layers may use which libraries.
 */
@Tag("pure")
class LayersTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.unwind");
        assertThat(main.containPackage("io.unwind.domain")).isTrue();
        assertThat(main.containPackage("io.unwind.engine")).isTrue();
    }

    /** Who may use whom among Unwind's own packages; {@code io.unwind.contracts} holds the generated wrappers. */
    static LayeredArchitecture layers() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("domain")
                .definedBy("io.unwind.domain..")
                .layer("wrappers")
                .definedBy("io.unwind.contracts..")
                .layer("chain")
                .definedBy("io.unwind.chain..")
                .layer("route")
                .definedBy("io.unwind.route..")
                .layer("store")
                .definedBy("io.unwind.store..")
                .layer("tx")
                .definedBy("io.unwind.tx..")
                .layer("engine")
                .definedBy("io.unwind.engine..")
                .layer("local")
                .definedBy("io.unwind.local..")
                .layer("app")
                .definedBy("io.unwind.app..")
                .whereLayer("app")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("local")
                .mayOnlyBeAccessedByLayers("app")
                .whereLayer("engine")
                .mayOnlyBeAccessedByLayers("local", "app")
                .whereLayer("tx")
                .mayOnlyBeAccessedByLayers("engine", "local", "app")
                .whereLayer("store")
                .mayOnlyBeAccessedByLayers("tx", "engine", "local", "app")
                .whereLayer("route")
                .mayOnlyBeAccessedByLayers("engine", "local", "app")
                .whereLayer("chain")
                .mayOnlyBeAccessedByLayers("tx", "engine", "local", "app")
                .whereLayer("wrappers")
                .mayOnlyBeAccessedByLayers("chain", "local")
                .whereLayer("domain")
                .mayOnlyBeAccessedByLayers("chain", "route", "store", "tx", "engine", "local", "app");
    }

    /** Which libraries each layer may know: the ones its job needs, so each library has one home. */
    static List<ArchRule> libraries() {
        return List.of(
                classes()
                        .that()
                        .resideInAPackage("io.unwind.domain..")
                        .should()
                        .onlyDependOnClassesThat()
                        .resideInAnyPackage("java..", "io.unwind.domain..")
                        .because("the domain is pure: money, positions, plans and rules, with the JDK only"),
                noClasses()
                        .that()
                        .resideOutsideOfPackages(
                                "io.unwind.chain..", "io.unwind.route..", "io.unwind.local..", "io.unwind.contracts..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage("org.web3j.abi..")
                        .because("one package owns each contract's ABI: its calls, events and errors"),
                noClasses()
                        .that()
                        .resideOutsideOfPackage("io.unwind.app..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage("picocli..", "org.quartz..")
                        .because("commands and scheduling are the application's wiring"),
                noClasses()
                        .that()
                        .resideOutsideOfPackages("io.unwind.app..", "io.unwind.local..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage("com.sun.net.httpserver..")
                        .because("only the status server and the devnet's emulators serve HTTP"),
                noClasses()
                        .that()
                        .resideOutsideOfPackages("io.unwind.store..", "io.unwind.app..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage("java.sql..", "javax.sql..", "org.flywaydb..")
                        .because("the journal owns the database; app only hands Quartz its data source"));
    }

    @Test
    void everyLayerEdgePointsInwards() {
        layers().check(main);
    }

    @Test
    void eachLibraryIsUsedOnlyByTheLayersWhoseJobItIs() {
        for (ArchRule rule : libraries()) rule.check(main);
    }

    @Test
    void aPlantedViolationIsRefusedAndNamed() {
        JavaClasses plant = new ClassFileImporter().importClasses(PlantedLayerViolation.class, Main.class);
        assertThatThrownBy(() -> layers().withOptionalLayers(true).check(plant))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("was violated (1 times)")
                .hasMessageContaining("PlantedLayerViolation.entryPointFromTheWrongLayer()")
                .hasMessageContaining("io.unwind.app.Main");
    }
}

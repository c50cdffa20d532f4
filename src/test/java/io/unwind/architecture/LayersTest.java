package io.unwind.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * The layers of docs/ARCHITECTURE.md, checked on the compiled main classes: every edge, not only the domain's.
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
    }

    /** Who may use whom among Unwind's own packages. */
    static LayeredArchitecture layers() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("domain").definedBy("io.unwind.domain..")
                .layer("wrappers").definedBy("io.unwind.contracts..")
                .layer("chain").definedBy("io.unwind.chain..")
                .layer("route").definedBy("io.unwind.route..")
                .layer("store").definedBy("io.unwind.store..")
                .layer("tx").definedBy("io.unwind.tx..")
                .layer("engine").definedBy("io.unwind.engine..")
                .layer("local").definedBy("io.unwind.local..")
                .layer("app").definedBy("io.unwind.app..")
                .whereLayer("app").mayNotBeAccessedByAnyLayer()
                .whereLayer("local").mayOnlyBeAccessedByLayers("app")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("app", "local")
                .whereLayer("tx").mayOnlyBeAccessedByLayers("engine", "local", "app")
                .whereLayer("store").mayOnlyBeAccessedByLayers("tx", "engine", "local", "app")
                .whereLayer("route").mayOnlyBeAccessedByLayers("engine", "local", "app")
                .whereLayer("chain").mayOnlyBeAccessedByLayers("tx", "engine", "local", "app")
                .whereLayer("wrappers").mayOnlyBeAccessedByLayers("chain", "local")
                .whereLayer("domain").mayOnlyBeAccessedByLayers(
                        "chain", "route", "store", "tx", "engine", "local", "app");
    }

    @Test
    void everyLayerEdgePointsInwards() {
        layers().check(main);
    }
}

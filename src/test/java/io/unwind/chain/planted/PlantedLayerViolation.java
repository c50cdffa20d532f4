package io.unwind.chain.planted;

import io.unwind.app.Main;

/**
 * A chain adapter reaching up into the application: the edge the layer test must refuse. It lives in the test sources
 * only, and only {@code LayersTest#aPlantedViolationIsRefusedAndNamed} imports it.
 */
public final class PlantedLayerViolation {
    private PlantedLayerViolation() {}

    public static String entryPointFromTheWrongLayer() {
        return Main.class.getName();
    }
}

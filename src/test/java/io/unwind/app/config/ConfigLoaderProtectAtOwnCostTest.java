package io.unwind.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * strategy.protectAtOwnCost: unset, the listed vaults are the operator's own and keep today's protection whatever their
 * gas costs; set, exactly those; [] leaves every vault to pay its way.
 */
@Tag("pure")
class ConfigLoaderProtectAtOwnCostTest {
    private static final Address LISTED = Address.of("0x0000000000000000000000000000000000000003");
    private static final Address OTHER = Address.of("0x00000000000000000000000000000000000000aa");

    @TempDir
    Path dir;

    @Test
    void unsetItIsTheListedVaults() throws Exception {
        assertThat(MinimalConfig.load(dir, MinimalConfig.YAML, Map.of()).protectedAtOwnCost())
                .containsExactly(LISTED);
    }

    @Test
    void setItIsExactlyThoseAndAnEmptyListProtectsNone() throws Exception {
        assertThat(MinimalConfig.load(
                                dir,
                                MinimalConfig.YAML + "strategy: {protectAtOwnCost: [\"" + OTHER.hex() + "\"]}\n",
                                Map.of())
                        .protectedAtOwnCost())
                .containsExactly(OTHER);
        assertThat(MinimalConfig.load(dir, MinimalConfig.YAML + "strategy: {protectAtOwnCost: []}\n", Map.of())
                        .protectedAtOwnCost())
                .isEmpty();
    }
}

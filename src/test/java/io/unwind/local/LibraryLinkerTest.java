package io.unwind.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.contracts.AavePool;
import io.unwind.domain.chain.Address;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class LibraryLinkerTest {
    private static final Map<String, Address> LIBRARIES = libraries();

    @Test
    void putsEachLibraryAtEveryOffsetOfItsReferencesAndLeavesNoPlaceholder() {
        String linked = LibraryLinker.link(AavePool.BINARY, AavePool.LINK_REFERENCES, LIBRARIES);
        assertThat(linked).hasSameSizeAs(AavePool.BINARY).doesNotContain("__$").startsWith("0x");
        AavePool.LINK_REFERENCES.forEach((name, offsets) -> {
            String lib = name.substring(name.lastIndexOf(':') + 1);
            for (int start : offsets) {
                assertThat(linked.substring(2 + 2 * start, 2 + 2 * start + 40))
                        .isEqualTo(LIBRARIES.get(lib).digits());
            }
        });
        // Everything else is untouched.
        assertThat(linked.substring(0, 2 + 2 * 2718)).isEqualTo(AavePool.BINARY.substring(0, 2 + 2 * 2718));
    }

    @Test
    void refusesAMissingLibraryAnOffsetWithoutAPlaceholderAndALeftOverOne() {
        Map<String, Address> missing = new HashMap<>(LIBRARIES);
        missing.remove("SupplyLogic");
        assertThatThrownBy(() -> LibraryLinker.link(AavePool.BINARY, AavePool.LINK_REFERENCES, missing))
                .hasMessageContaining("SupplyLogic");
        assertThatThrownBy(() -> LibraryLinker.link(
                        AavePool.BINARY, Map.of("x.sol:BorrowLogic", java.util.List.of(0)), LIBRARIES))
                .hasMessageContaining("no placeholder");
        assertThatThrownBy(() -> LibraryLinker.link(AavePool.BINARY, Map.of(), LIBRARIES))
                .hasMessageContaining("unlinked placeholder");
    }

    private static Map<String, Address> libraries() {
        Map<String, Address> m = new HashMap<>();
        int i = 1;
        for (String lib : new String[] {
            "BorrowLogic", "BridgeLogic", "EModeLogic", "FlashLoanLogic", "LiquidationLogic", "PoolLogic", "SupplyLogic"
        }) {
            m.put(lib, Address.of(String.format("0x%040x", 0xabc000 + i++)));
        }
        return m;
    }
}

package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;

/**
 * The world most fault tests share: {@link Gauntlet#standard()} with one vault of 10 WETH at 70% LTV (trigger 75%,
 * target 65%, the market liquidating at 86%), built once per class and put back to that checkpoint before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
abstract class OneVaultWorld {
    Gauntlet g;
    Address vault;

    @BeforeAll
    void world() {
        g = Gauntlet.standard();
        vault = g.openVault("10", "0.70", policy());
        g.checkpoint();
    }

    /** The vault's policy: trigger 75%, target 65%, the gauntlet's slippage and fee caps. */
    io.unwind.domain.position.Policy policy() {
        return Gauntlet.policy(7500, 6500);
    }

    @AfterAll
    void end() {
        g.close();
    }

    @BeforeEach
    void clean() {
        g.reset();
    }

    /**
     * The price falls so that the vault is over its trigger (LTV 70% at 3000 becomes 77.8% at 2700); returns the block.
     */
    long crash() {
        g.f.movePrice("2700");
        assertThat(g.overTrigger(vault)).isTrue();
        return g.f.chain.blockNumber();
    }
}

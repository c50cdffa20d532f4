package io.unwind.domain.portfolio;

import static io.unwind.domain.testing.Fixtures.DAI;
import static io.unwind.domain.testing.Fixtures.OWNER;
import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WBTC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.units;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.chain.Address;
import io.unwind.domain.position.LendingProtocol;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class PortfolioTest {
    private static final Address A = Address.of("0x" + "a1".repeat(20));
    private static final Address B = Address.of("0x" + "a2".repeat(20));
    private static final Address C = Address.of("0x" + "a3".repeat(20));
    private static final Address OTHER = Address.of("0x" + "ee".repeat(20));

    /** 10 WETH at 2,000 USDC, 12,000 USDC debt: LTV 60%, LLTV 86%. */
    private static VaultHealth morphoWeth() {
        return vault(WETH, USDC)
                .address(A)
                .collateral("10")
                .price("2000")
                .debt("12000")
                .reserve("500")
                .build();
    }

    /** 5 WETH at 2,000 USDC on Aave, 8,000 USDC debt: LTV 80%, LLTV (liquidation threshold) 82.5%. */
    private static VaultHealth aaveWeth() {
        return vault(WETH, USDC)
                .address(B)
                .collateral("5")
                .price("2000")
                .debt("8000")
                .lltvBps(8250)
                .protocol(LendingProtocol.AAVE_V3)
                .market("0x" + "ae".repeat(32))
                .build();
    }

    @Test
    void addsEachAssetAcrossProtocolsAndValuesTheTotalsInTheQuoteToken() {
        Portfolio p = Portfolio.of(OWNER, List.of(morphoWeth(), aaveWeth()), Map.of(USDC, units("1000", USDC)));

        assertThat(p.protocols()).containsExactly(LendingProtocol.MORPHO_BLUE, LendingProtocol.AAVE_V3);
        assertThat(p.assets()).hasSize(2);
        Portfolio.AssetExposure weth = p.assets().get(0);
        assertThat(weth.token()).isEqualTo(WETH);
        assertThat(weth.collateral()).isEqualTo(units("15", WETH));
        assertThat(weth.vaults()).isEqualTo(2);
        Portfolio.AssetExposure usdc = p.assets().get(1);
        assertThat(usdc.debt()).isEqualTo(units("20000", USDC));
        assertThat(usdc.reserve()).isEqualTo(units("500", USDC));
        assertThat(usdc.net()).isEqualTo(units("19500", USDC).negate());

        assertThat(p.totals()).singleElement().satisfies(t -> {
            assertThat(t.quote()).isEqualTo(USDC);
            assertThat(t.collateralValue()).isEqualTo(units("30000", USDC));
            assertThat(t.debt()).isEqualTo(units("20000", USDC));
            assertThat(t.sharedReserve()).isEqualTo(units("1000", USDC));
            // 30,000 + 500 + 1,000 - 20,000
            assertThat(t.equity()).isEqualTo(units("11500", USDC));
            assertThat(t.vaults()).isEqualTo(2);
            assertThat(t.unpriced()).isZero();
        });
        assertThat(p.positions().get(1).equity()).contains(units("2000", USDC));
    }

    @Test
    void theWorstPositionIsTheClosestToItsOwnLltvNotTheHighestLtv() {
        // Morpho at 78% of an 86% LLTV (ratio 0.907) vs Aave at 76% of 82.5% (ratio 0.921): Aave is closer.
        VaultHealth morpho = vault(WETH, USDC)
                .address(A)
                .collateral("10")
                .price("2000")
                .debt("15600")
                .build();
        VaultHealth aave = vault(WETH, USDC)
                .address(B)
                .collateral("10")
                .price("2000")
                .debt("15200")
                .lltvBps(8250)
                .protocol(LendingProtocol.AAVE_V3)
                .build();

        Portfolio p = Portfolio.of(OWNER, List.of(morpho, aave));

        assertThat(p.worst()).get().extracting(Portfolio.Position::vault).isEqualTo(B);
    }

    @Test
    void keepsQuoteTokensApartAndLeavesUnpricedVaultsOutOfTheTotals() {
        VaultHealth dai = vault(WBTC, DAI)
                .address(C)
                .collateral("1")
                .price("60000")
                .debt("30000")
                .build();
        VaultHealth blind =
                vault(WETH, USDC).address(A).collateral("10").debt("5000").build(); // oracle failed

        Portfolio p = Portfolio.of(OWNER, List.of(dai, blind, aaveWeth()));

        assertThat(p.totals()).extracting(t -> t.quote().symbol()).containsExactly("DAI", "USDC");
        Portfolio.Total usdc = p.totals().get(1);
        assertThat(usdc.unpriced()).isEqualTo(1);
        assertThat(usdc.vaults()).isEqualTo(1);
        assertThat(usdc.debt()).isEqualTo(units("8000", USDC));
        assertThat(p.positions().get(1).equity()).isEmpty();
        assertThat(p.worst()).get().extracting(Portfolio.Position::vault).isEqualTo(B);
        assertThat(p.totals().get(0).equity()).isEqualTo(units("30000", DAI));
    }

    @Test
    void refusesAnotherOwnersVaultAndSplitsAMixedListByOwner() {
        VaultHealth foreign =
                vault(WETH, USDC).address(C).owner(OTHER).collateral("1").build();

        assertThatThrownBy(() -> Portfolio.of(OWNER, List.of(morphoWeth(), foreign)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not " + OWNER);
        List<Portfolio> split = Portfolio.byOwner(List.of(morphoWeth(), foreign, aaveWeth()), Map.of());
        assertThat(split).extracting(Portfolio::owner).containsExactly(OWNER, OTHER);
        assertThat(split.get(0).positions()).hasSize(2);
        assertThat(split.get(1).totals().get(0).equity()).isEqualTo(BigInteger.ZERO);
    }
}

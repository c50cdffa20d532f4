package io.unwind.chain.market;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.vault.VaultCalls;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.risk.BorrowerPosition;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketSpec;
import io.unwind.local.VaultSetup;
import io.unwind.testing.MarketFixture;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.crypto.Credentials;

/**
 * The borrowers of a real Morpho Blue market, found from its events and read from its storage with extSloads: the
 * positions are those the lens reads, later refreshes re-read only the borrowers a new log touched, and a borrower who
 * repaid and withdrew everything drops out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
class MarketBorrowersOnAnvilTest {
    private MarketFixture f;

    @BeforeAll
    void start() {
        f = new MarketFixture(MarketSpec.wethUsdc());
    }

    @AfterAll
    void stop() {
        f.close();
    }

    private Address open(Credentials owner, String collateral, String ltv) {
        return f.vaults.open(VaultSetup.Request.of(owner, collateral, ltv), f.price());
    }

    private static Map<Address, BorrowerPosition> byBorrower(MarketBorrowers.MarketPositions p) {
        return p.positions().stream().collect(Collectors.toMap(BorrowerPosition::borrower, Function.identity()));
    }

    @Test
    void findsTheBorrowersReadsTheirPositionsAndFollowsOnlyWhatChanged() {
        Credentials a = LocalChain.devAccount(2);
        Credentials b = LocalChain.devAccount(4);
        Credentials c = LocalChain.devAccount(5);
        Address va = open(a, "10", "0.5");
        Address vb = open(b, "6", "0.7");
        VaultHealth ha = f.health(va);
        String market = ha.marketId();
        // Small log chunks and extSloads batches, so that both are exercised; no re-org overlap, so that what each
        // refresh re-reads is exactly what the blocks since the last one touched.
        var reader = new MarketBorrowers(f.client, f.market.morpho(), new MarketBorrowers.Settings(0, 25, 0, 2));

        var head = f.head();
        var first = reader.refresh(Set.of(market), head);
        assertThat(first).hasSize(1);
        Map<Address, BorrowerPosition> found = byBorrower(first.get(0));
        assertThat(found.keySet()).containsExactlyInAnyOrder(va, vb);
        for (Address v : List.of(va, vb)) {
            VaultHealth h = f.health(v);
            assertThat(found.get(v).collateral()).isEqualTo(h.collateral());
            // The lens accrues interest up to now, the storage up to the market's last interaction: never more.
            assertThat(found.get(v).debt()).isLessThanOrEqualTo(h.debt());
            assertThat(found.get(v).debt())
                    .isGreaterThanOrEqualTo(h.debt().subtract(h.debt().divide(BigInteger.valueOf(100_000))));
        }
        assertThat(reader.lastCost().getLogs()).isEqualTo((int) ((head.number() + 25) / 25));
        assertThat(reader.lastCost().touched()).isEqualTo(2);
        assertThat(reader.lastCost().extSloads()).isEqualTo(2); // totals + 2 positions in batches of 2

        // Nothing new: one eth_getLogs, the totals alone (interest), no position re-read.
        reader.refresh(Set.of(market), f.head());
        assertThat(reader.lastCost().touched()).isZero();
        assertThat(reader.lastCost().extSloads()).isEqualTo(1);

        // A new borrower: only it is read.
        Address vc = open(c, "4", "0.6");
        var third = reader.refresh(Set.of(market), f.head());
        assertThat(byBorrower(third.get(0)).keySet()).containsExactlyInAnyOrder(va, vb, vc);
        assertThat(byBorrower(third.get(0)).get(vc).collateral())
                .isEqualTo(f.health(vc).collateral());
        assertThat(reader.lastCost().touched()).isEqualTo(1);

        // A repays everything and withdraws its collateral: it drops out.
        var owner = f.wallet(a);
        Address usdc = f.market.loan().address();
        owner.mint(usdc, owner.address(), f.health(va).debt().add(BigInteger.TEN.pow(9)));
        owner.call(usdc, VaultCalls.approve(usdc, va, VaultCalls.ALL).hex());
        owner.call(va, VaultCalls.repay(va, VaultCalls.ALL).hex());
        owner.call(
                va,
                VaultCalls.withdrawCollateral(va, ha.collateral(), owner.address())
                        .hex());
        owner.flush();
        var fourth = reader.refresh(Set.of(market), f.head());
        assertThat(byBorrower(fourth.get(0)).keySet()).containsExactlyInAnyOrder(vb, vc);
        assertThat(reader.lastCost().touched()).isEqualTo(1);
        assertThat(reader.sizes()).isEqualTo(Map.of(market, 2));
    }
}

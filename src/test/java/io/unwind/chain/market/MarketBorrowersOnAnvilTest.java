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
        String snapshot = f.chain.snapshot();
        try {
            findsAndFollows();
        } finally {
            f.chain.revert(snapshot);
        }
    }

    private void findsAndFollows() {
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

    /**
     * A provider that refuses log ranges over {@code max} blocks, as hosted nodes do; everything else passes through.
     */
    static final class CappedLogs implements io.unwind.chain.ChainClient {
        final io.unwind.chain.ChainClient d;
        final long max;
        int refused;

        CappedLogs(io.unwind.chain.ChainClient d, long max) {
            this.d = d;
            this.max = max;
        }

        @Override
        public List<io.unwind.chain.Receipt.LogEntry> logs(List<Address> a, List<String> t, long from, long to) {
            if (to - from + 1 > max) {
                refused++;
                throw new io.unwind.chain.ChainException("eth_getLogs failed on every endpoint: range over " + max);
            }
            return d.logs(a, t, from, to);
        }

        @Override
        public long chainId() {
            return d.chainId();
        }

        @Override
        public io.unwind.domain.chain.BlockRef latestBlock() {
            return d.latestBlock();
        }

        @Override
        public java.util.Optional<io.unwind.domain.chain.BlockRef> blockByNumber(long n) {
            return d.blockByNumber(n);
        }

        @Override
        public java.util.Optional<io.unwind.domain.chain.BlockRef> finalizedBlock() {
            return d.finalizedBlock();
        }

        @Override
        public io.unwind.chain.CallResult call(
                Address from, Address to, byte[] data, io.unwind.domain.chain.TxHash block) {
            return d.call(from, to, data, block);
        }

        @Override
        public io.unwind.chain.CallResult callLatest(Address from, Address to, byte[] data) {
            return d.callLatest(from, to, data);
        }

        @Override
        public EstimateResult estimateGas(Address from, Address to, byte[] data) {
            return d.estimateGas(from, to, data);
        }

        @Override
        public io.unwind.chain.FeeHistoryData feeHistory(int blocks, List<Double> p) {
            return d.feeHistory(blocks, p);
        }

        @Override
        public BigInteger nonce(Address account, boolean pending) {
            return d.nonce(account, pending);
        }

        @Override
        public io.unwind.domain.money.Wei balance(Address account) {
            return d.balance(account);
        }

        @Override
        public List<io.unwind.chain.SendResult> broadcast(byte[] tx) {
            return d.broadcast(tx);
        }

        @Override
        public java.util.Optional<io.unwind.chain.Receipt> receipt(io.unwind.domain.chain.TxHash h) {
            return d.receipt(h);
        }

        @Override
        public java.util.Optional<io.unwind.chain.TxInfo> transaction(io.unwind.domain.chain.TxHash h) {
            return d.transaction(h);
        }

        @Override
        public void close() {}
    }

    @Test
    void aProviderThatCapsLogRangesCostsOneRefusedRequestARefreshUntilTheRangeFits() {
        // Its vault is gone again afterwards, whichever test runs first.
        String snapshot = f.chain.snapshot();
        try {
            capped(open(LocalChain.devAccount(6), "3", "0.5"));
        } finally {
            f.chain.revert(snapshot);
        }
    }

    private void capped(Address v) {
        String market = f.health(v).marketId();
        var capped = new CappedLogs(f.client, 10);
        var reader = new MarketBorrowers(capped, f.market.morpho(), new MarketBorrowers.Settings(0, 1000, 0, 500));
        int failed = 0;
        List<MarketBorrowers.MarketPositions> found = null;
        for (int i = 0; i < 20 && found == null; i++) {
            try {
                found = reader.refresh(Set.of(market), f.head());
            } catch (io.unwind.chain.ChainException e) {
                failed++;
                assertThat(capped.refused)
                        .as("one refused request per failed refresh")
                        .isEqualTo(failed);
            }
        }
        // 1000, 500, 250, 125, 62, 31 and 15 blocks refused; 7 fits.
        assertThat(failed).isEqualTo(7);
        assertThat(reader.logRange()).isEqualTo(7);
        assertThat(found).isNotNull();
        assertThat(byBorrower(found.get(0))).containsKey(v);
    }
}

package io.unwind.integration;

import static io.unwind.testing.MarketFixture.KEEPER;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.vault.SequenceSimulator;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.chain.vault.VaultSimulator;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.risk.Urgency;
import io.unwind.domain.route.Simulation;
import io.unwind.domain.tx.TxKind;
import io.unwind.engine.BookProbe;
import io.unwind.local.MarketSpec;
import io.unwind.route.UniswapCalldata;
import io.unwind.testing.MarketFixture;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Five vaults cross their trigger in the same block and each sells 3 WETH into one Uniswap V3 pool that takes about two
 * such sales within the vaults' 1% oracle floor. Each sale alone passes; in one block the later ones fall under their
 * floor. The sequence simulation must predict exactly which, and what the book sends must all succeed when it is mined,
 * in one block, in the book's order.
 */
@Tag("chain")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BookOnAnvilTest {
    private static final BigInteger SALE = BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(3));
    private MarketFixture f;
    private final List<Address> vaults = new ArrayList<>();
    private final Address keeper = Address.of(KEEPER.getAddress());

    @BeforeAll
    void fiveVaultsOverTheirTrigger() {
        f = new MarketFixture(MarketSpec.wethUsdc()
                .withPools(
                        List.of(new MarketSpec.PoolSpec(MarketSpec.Dex.UNISWAP_V3, 500, new BigDecimal("2000000")))));
        Policy policy = new Policy(8000, 7000, 500, 100, 50, 10_000, java.time.Duration.ZERO, Wei.gwei(1000));
        for (int i = 0; i < 5; i++) vaults.add(f.openProtected("10", "0.75", policy));
        f.movePrice("2800");
        for (Address v : vaults) assertThat(f.health(v).ltv()).isGreaterThan(Ltv.bpsToWad(8000));
    }

    @AfterAll
    void stop() {
        if (f != null) {
            f.close();
            f.chain.close();
        }
    }

    private byte[] sale(Address vault) {
        var m = f.market;
        BigInteger deadline = f.now().add(BigInteger.valueOf(600));
        byte[] swap = UniswapCalldata.v3ExactInputSingle(
                m.collateral().address(), m.loan().address(), 500, vault, deadline, SALE, BigInteger.ZERO);
        return VaultCalls.deleverage(SALE, m.swapRouter(), swap, BigInteger.ZERO, deadline, BigInteger.ZERO);
    }

    @Test
    void theSequencePredictsWhichSalesOfOneBlockRevertAndTheBookSendsOnlyTheOthers() throws Exception {
        BlockRef head = f.head();
        VaultSimulator alone = new VaultSimulator(f.client, keeper);
        List<SequenceSimulator.Call> calls = new ArrayList<>();
        for (Address v : vaults) {
            byte[] call = sale(v);
            assertThat(alone.deleverage(v, call, head.hash(), 0))
                    .as("each sale alone passes")
                    .isInstanceOf(Simulation.Succeeded.class);
            calls.add(new SequenceSimulator.Call(v, call));
        }

        List<SequenceSimulator.Step> steps = new SequenceSimulator(f.client, keeper).run(calls, head.hash());

        // The first sale sees the same state alone and in the sequence: the same return data, word for word.
        var first = (Simulation.Succeeded)
                alone.deleverage(vaults.get(0), calls.get(0).data(), head.hash(), 0);
        assertThat(steps.get(0).ok()).isTrue();
        assertThat(new BigInteger(1, java.util.Arrays.copyOfRange(steps.get(0).returned(), 32, 64)))
                .isEqualTo(first.proceeds());
        long passing = steps.stream().filter(SequenceSimulator.Step::ok).count();
        assertThat(passing).as("the pool takes some of the sales, not all").isBetween(1L, 4L);
        assertThat(steps.get(steps.size() - 1).ok()).isFalse();
        assertThat(steps.get(steps.size() - 1).why()).isNotBlank();

        // Sent as the keeper's transactions in that order and mined in one block: the chain agrees with the sequence.
        List<Boolean> mined = sendInOneBlock(calls);
        assertThat(mined)
                .containsExactlyElementsOf(
                        steps.stream().map(SequenceSimulator.Step::ok).toList());
    }

    @Test
    void whatTheBookSendsAllSucceedsOnChain() throws Exception {
        String snapshot = f.chain.snapshot();
        try {
            BlockRef head = f.head();
            SequenceSimulator sequence = new SequenceSimulator(f.client, keeper);
            List<BookProbe.Action> actions = new ArrayList<>();
            for (Address v : vaults) {
                actions.add(new BookProbe.Action(f.health(v), "uniswap-v3-500", sale(v), OptionalLong.of(400_000)));
            }
            BookProbe.Settled book = BookProbe.settle(
                    actions,
                    new Eip1559Fees(Wei.gwei(10), Wei.gwei(1)),
                    Urgency.NONE,
                    TxKind.DELEVERAGE,
                    30_000_000,
                    calls -> sequence.run(calls, head.hash()));

            assertThat(book.sent()).isNotEmpty();
            assertThat(book.waiting()).isNotEmpty();
            List<Boolean> mined = sendInOneBlock(book.sent());
            assertThat(mined).as("every sale the book sends succeeds").containsOnly(true);
        } finally {
            f.chain.revert(snapshot);
        }
    }

    /** Sends the calls from the keeper in order, mines one block, and returns each receipt's success. */
    private List<Boolean> sendInOneBlock(List<SequenceSimulator.Call> calls) throws Exception {
        var wallet = f.wallet(KEEPER);
        f.chain.setAutomine(false);
        List<String> hashes = new ArrayList<>();
        try {
            for (SequenceSimulator.Call c : calls) {
                hashes.add(wallet.send(
                        c.target(), Numeric.toHexString(c.data()), BigInteger.ZERO, BigInteger.valueOf(1_000_000)));
            }
            f.chain.mine(1);
        } finally {
            f.chain.setAutomine(true);
        }
        List<Boolean> ok = new ArrayList<>();
        long block = -1;
        for (String h : hashes) {
            TransactionReceipt r = f.web3j
                    .ethGetTransactionReceipt(h)
                    .send()
                    .getTransactionReceipt()
                    .orElseThrow();
            if (block < 0) block = r.getBlockNumber().longValueExact();
            assertThat(r.getBlockNumber().longValueExact()).as("one block").isEqualTo(block);
            ok.add(r.isStatusOK());
        }
        return ok;
    }
}

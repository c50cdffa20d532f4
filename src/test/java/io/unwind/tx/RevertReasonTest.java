package io.unwind.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.domain.chain.Address;
import io.unwind.domain.fee.FeeCaps;
import io.unwind.domain.money.Wei;
import io.unwind.domain.risk.Urgency;
import io.unwind.domain.tx.TxKind;
import io.unwind.domain.tx.TxState;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketSpec;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import io.unwind.store.TxRecord;
import io.unwind.testing.MarketFixture;
import java.math.BigInteger;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A keeper action that is mined but reverts: a receipt says only "failed", so the journal's error must say why, with
 * the vault's custom error decoded, for {@code tx show} and the status page.
 */
@Tag("chain")
class RevertReasonTest {
    @Test
    void aRevertedActionHasItsDecodedReasonInTheJournal() {
        try (MarketFixture f = new MarketFixture(MarketSpec.wethUsdc());
                Database db = Database.open(Database.inMemoryUrl("revert-" + UUID.randomUUID()), "sa", "")) {
            Address vault = f.openProtected("10", "0.75", MarketFixture.policy(8000, 7000));
            Journal journal = new Journal(db.dataSource(), Clock.systemUTC());
            Signer keeper = LocalChain.devSigner(3, f.chain.chainId());
            TxManager m = new TxManager(
                    f.client,
                    journal,
                    keeper,
                    TxSettings.defaults(f.chain.chainId(), new FeeCaps(Wei.gwei(200), Wei.gwei(500))),
                    new TxMetrics(new SimpleMeterRegistry()),
                    ReorgHook.ALWAYS_REBROADCAST);

            // Over its trigger (the vault checks the trigger before the reserve), then a top-up of 1 USDC from a
            // reserve
            // that holds nothing, sent without a simulation (a fixed gas limit): the node takes it, and the vault
            // reverts it in its block.
            f.movePrice("2700");
            byte[] topUp = VaultCalls.topUp(
                    BigInteger.valueOf(1_000_000), f.now().add(BigInteger.valueOf(600)), BigInteger.ZERO);
            TxRequest r = new TxRequest(
                    "topup-empty-reserve",
                    vault,
                    vault,
                    topUp,
                    Wei.ZERO,
                    200_000,
                    new io.unwind.domain.fee.Eip1559Fees(Wei.gwei(50), Wei.gwei(1)),
                    TxKind.TOP_UP,
                    Urgency.NONE,
                    "top-up 1 USDC");
            long id = ((SubmitResult.Accepted) m.submit(r)).tx().tx().id();
            TxHarness.await(
                    "the top-up to be mined",
                    () -> f.client.nonce(keeper.address(), false).signum() > 0);
            m.onHead(f.head());

            TxRecord t = journal.find(id).orElseThrow();
            assertThat(t.state()).isEqualTo(TxState.CONFIRMED);
            assertThat(t.confirmation().orElseThrow().succeeded()).isFalse();
            assertThat(t.error())
                    .hasValue("reverted on chain: the reserve holds less than the top-up and its fee "
                            + "[InsufficientReserve(0, 1000000)]");
        }
    }
}

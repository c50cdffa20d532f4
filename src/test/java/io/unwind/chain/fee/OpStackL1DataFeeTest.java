package io.unwind.chain.fee;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.Web3jChainClient;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Wei;
import io.unwind.local.LocalChain;
import io.unwind.local.LocalOpStack;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The L1 data fee as an OP-stack chain computes it, read from Optimism's own GasPriceOracle and L1Block (Fjord) placed
 * on a local chain: it follows the L1 base fee the sequencer last reported and the transaction's compressed size.
 */
@Tag("chain")
class OpStackL1DataFeeTest {
    private static final Address VAULT = Address.of("0x" + "7a".repeat(20));
    /** Base's Ecotone scalars. */
    private static final long BASE_FEE_SCALAR = 2269;

    private static final long BLOB_BASE_FEE_SCALAR = 1_055_762;

    @Test
    void theFeeFollowsTheL1BaseFeeAndTheCompressedSizeOfTheTransaction() {
        try (LocalChain chain = LocalChain.start();
                Web3jChainClient client = Web3jChainClient.single(chain.chainId(), chain.httpUrl())) {
            LocalOpStack.install(
                    chain, new LocalOpStack.L1Values(Wei.gwei(20), Wei.of(1), BASE_FEE_SCALAR, BLOB_BASE_FEE_SCALAR));
            OpStackL1DataFee fee = new OpStackL1DataFee(client);
            byte[] small = random(300);
            byte[] large = random(3_000);
            Wei s = fee.of(VAULT, small);
            Wei l = fee.of(VAULT, large);
            assertThat(s.value()).isPositive();
            // Fjord prices the compressed size: random bytes do not compress, so ten times the bytes cost about ten
            // times as much; as many zero bytes compress to almost nothing (the 100-byte minimum).
            assertThat(l.value()).isGreaterThan(s.value().multiply(BigInteger.valueOf(8)));
            Wei zeros = fee.of(VAULT, new byte[3_000]);
            assertThat(zeros.value()).isLessThan(s.value());

            // The sequencer reports an L1 base fee twice as high: the fee about doubles (the blob part is tiny).
            LocalOpStack.update(
                    chain, new LocalOpStack.L1Values(Wei.gwei(40), Wei.of(1), BASE_FEE_SCALAR, BLOB_BASE_FEE_SCALAR));
            Wei doubled = fee.of(VAULT, small);
            System.out.printf(
                    "L1 data fee (Fjord, Base's scalars), L1 base fee 20 gwei: 300 random bytes %s wei, 3,000 random"
                            + " bytes %s wei, 3,000 zero bytes %s wei; at 40 gwei, 300 random bytes %s wei%n",
                    s.value(), l.value(), zeros.value(), doubled.value());
            assertThat(doubled.value())
                    .isBetween(
                            s.value().multiply(BigInteger.valueOf(19)).divide(BigInteger.TEN),
                            s.value().multiply(BigInteger.TWO));
        }
    }

    @Test
    void aChainWithoutTheOracleCostsTheBytesAtTheLastFeeReadNeverAsFree() {
        try (LocalChain chain = LocalChain.start();
                Web3jChainClient client = Web3jChainClient.single(chain.chainId(), chain.httpUrl())) {
            OpStackL1DataFee fee = new OpStackL1DataFee(client);
            // Nothing read yet and no oracle: nothing to go on.
            assertThat(fee.of(VAULT, random(300))).isEqualTo(Wei.ZERO);
            LocalOpStack.install(
                    chain, new LocalOpStack.L1Values(Wei.gwei(20), Wei.of(1), BASE_FEE_SCALAR, BLOB_BASE_FEE_SCALAR));
            Wei read = fee.of(VAULT, random(300));
            assertThat(read.value()).isPositive();
            // The oracle goes away (a node that answers empty): the last fee read, scaled to the calldata's length.
            chain.rpc("anvil_setCode", LocalOpStack.GAS_PRICE_ORACLE.hex(), "0x");
            assertThat(fee.of(VAULT, random(600)).value())
                    .isEqualTo(read.value().multiply(BigInteger.TWO));
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}

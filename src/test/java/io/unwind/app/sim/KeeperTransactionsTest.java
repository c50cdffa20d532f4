package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.vault.VaultCalls;
import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

/** A mined keeper transaction is named by its calldata: the report's kind of a reverted action comes from here. */
@Tag("pure")
class KeeperTransactionsTest {

    @Test
    void namesTheVaultCallsByTheirSelector() {
        String sale = Numeric.toHexString(VaultCalls.deleverage(
                BigInteger.ONE, Address.ZERO, new byte[] {1, 2}, BigInteger.TWO, BigInteger.TEN, BigInteger.ZERO));
        String topUp = Numeric.toHexString(VaultCalls.topUp(BigInteger.ONE, BigInteger.TEN, BigInteger.ZERO));
        assertThat(KeeperTransactions.kind(sale)).isEqualTo("sell");
        assertThat(KeeperTransactions.kind(sale.toUpperCase().replace("0X", "0x")))
                .isEqualTo("sell");
        assertThat(KeeperTransactions.kind(topUp)).isEqualTo("topup");
        assertThat(KeeperTransactions.kind("0xa9059cbb" + "00".repeat(64))).isEqualTo("other");
        assertThat(KeeperTransactions.kind("0x")).isEqualTo("other");
        assertThat(KeeperTransactions.kind(null)).isEqualTo("other");
    }

    @Test
    void namesTheHedgeCallsByTheirSelector() {
        assertThat(KeeperTransactions.kind(Numeric.toHexString(io.unwind.chain.vault.HedgeCalls.open(
                        BigInteger.ONE, Address.ZERO, new byte[] {1}, BigInteger.TEN, BigInteger.ZERO))))
                .isEqualTo("hedge");
        assertThat(KeeperTransactions.kind(Numeric.toHexString(io.unwind.chain.vault.HedgeCalls.close(
                        BigInteger.ONE, Address.ZERO, new byte[] {1}, BigInteger.TEN, BigInteger.ZERO))))
                .isEqualTo("unhedge");
        assertThat(KeeperTransactions.kind(Numeric.toHexString(
                        io.unwind.chain.vault.HedgeCalls.releaseProfit(BigInteger.ONE, BigInteger.TEN))))
                .isEqualTo("release");
    }
}

package io.unwind.local;

import io.unwind.contracts.OpGasPriceOracle;
import io.unwind.contracts.OpL1Block;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Wei;
import java.math.BigInteger;
import java.util.Map;
import org.web3j.utils.Numeric;

/**
 * An OP-stack chain's fee predeploys on a local anvil: Optimism's own {@code GasPriceOracle} and {@code L1Block} (from
 * {@code @eth-optimism/contracts-bedrock}) placed at their addresses, given the L1 values a sequencer's deposit would
 * give them (L1 base fee, blob base fee, the chain's scalars) and upgraded to Ecotone and Fjord the way the chain did
 * it: by calls from the depositor account. The chain then prices a transaction's bytes as Base or Optimism does, with
 * Fjord's compressed-size estimate.
 */
public final class LocalOpStack {
    public static final Address GAS_PRICE_ORACLE = Address.of("0x420000000000000000000000000000000000000F");
    public static final Address L1_BLOCK = Address.of("0x4200000000000000000000000000000000000015");
    /** The system account deposits come from; the only sender the predeploys take their values from. */
    public static final Address DEPOSITOR = Address.of("0xDeaDDEaDDeAdDeAdDEAdDEaddeAddEAdDEAd0001");

    /**
     * What the sequencer last told the chain about L1.
     *
     * @param baseFeeScalar and {@code blobBaseFeeScalar}: the chain's Ecotone scalars (x 1e6)
     */
    public record L1Values(Wei l1BaseFee, Wei blobBaseFee, long baseFeeScalar, long blobBaseFeeScalar) {}

    private LocalOpStack() {}

    /** Places the predeploys on {@code chain} (which must automine) and gives them {@code v}. */
    public static void install(LocalChain chain, L1Values v) {
        chain.rpc("anvil_setCode", GAS_PRICE_ORACLE.hex(), OpGasPriceOracle.RUNTIME_BINARY);
        chain.rpc("anvil_setCode", L1_BLOCK.hex(), OpL1Block.RUNTIME_BINARY);
        chain.rpc("anvil_impersonateAccount", DEPOSITOR.hex());
        chain.setBalance(DEPOSITOR.hex(), Wei.of(BigInteger.TEN.pow(18)));
        try {
            setL1Values(chain, v);
            fromDepositor(chain, GAS_PRICE_ORACLE, "0x" + selector("setEcotone()"));
            fromDepositor(chain, GAS_PRICE_ORACLE, "0x" + selector("setFjord()"));
        } finally {
            chain.rpc("anvil_stopImpersonatingAccount", DEPOSITOR.hex());
        }
    }

    /** A new L1 block's values, as the sequencer's first transaction of each L2 block sets them. */
    public static void update(LocalChain chain, L1Values v) {
        chain.rpc("anvil_impersonateAccount", DEPOSITOR.hex());
        try {
            setL1Values(chain, v);
        } finally {
            chain.rpc("anvil_stopImpersonatingAccount", DEPOSITOR.hex());
        }
    }

    /**
     * {@code L1Block.setL1BlockValuesEcotone()}, whose arguments are packed after the selector: baseFeeScalar (4
     * bytes), blobBaseFeeScalar (4), sequenceNumber (8), timestamp (8), number (8), basefee (32), blobBaseFee (32),
     * hash (32), batcherHash (32).
     */
    private static void setL1Values(LocalChain chain, L1Values v) {
        StringBuilder data = new StringBuilder("0x").append(selector("setL1BlockValuesEcotone()"));
        data.append(hex(BigInteger.valueOf(v.baseFeeScalar()), 4))
                .append(hex(BigInteger.valueOf(v.blobBaseFeeScalar()), 4))
                .append(hex(BigInteger.ZERO, 8))
                .append(hex(BigInteger.valueOf(System.currentTimeMillis() / 1000), 8))
                .append(hex(BigInteger.valueOf(chain.blockNumber() + 1), 8))
                .append(hex(v.l1BaseFee().value(), 32))
                .append(hex(v.blobBaseFee().value(), 32))
                .append(hex(BigInteger.ONE, 32))
                .append(hex(BigInteger.ZERO, 32));
        fromDepositor(chain, L1_BLOCK, data.toString());
    }

    private static void fromDepositor(LocalChain chain, Address to, String data) {
        String hash = chain.rpc(
                        "eth_sendTransaction",
                        Map.of("from", DEPOSITOR.hex(), "to", to.hex(), "data", data, "gas", "0x100000"))
                .asText();
        for (int i = 0; i < 200; i++) {
            var receipt = chain.rpc("eth_getTransactionReceipt", hash);
            if (receipt != null && !receipt.isNull()) {
                if (!"0x1".equals(receipt.get("status").asText()))
                    throw new IllegalStateException(
                            "the depositor's call to " + to + " reverted (" + data.substring(0, 10) + ")");
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("the depositor's call to " + to + " was not mined: does the chain automine?");
    }

    private static String selector(String signature) {
        return org.web3j.crypto.Hash.sha3String(signature).substring(2, 10);
    }

    private static String hex(BigInteger v, int bytes) {
        return Numeric.toHexStringNoPrefixZeroPadded(v, bytes * 2);
    }
}

package io.unwind.app.sim;

import io.unwind.chain.vault.VaultCalls;
import io.unwind.domain.chain.Address;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.utils.Numeric;

/**
 * The keeper's transactions in the blocks the simulator mined, read from each block and its receipts: what the chain
 * saw, whatever the keeper meant, so a reverted sale (which emits no event) is counted too. Reads the block's
 * transactions with their calldata, which the keeper's own chain client does not carry.
 */
final class KeeperTransactions {
    private static final String DELEVERAGE = selector(VaultCalls.deleverage(
            BigInteger.ZERO, Address.ZERO, new byte[0], BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO));
    private static final String TOP_UP = selector(VaultCalls.topUp(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO));
    private static final String MOVE = selector(io.unwind.chain.vault.PortfolioCalls.moveCollateral(
            io.unwind.domain.chain.Address.ZERO, BigInteger.ZERO, BigInteger.ZERO));
    private static final String HEDGE = selector(io.unwind.chain.vault.HedgeCalls.open(
            BigInteger.ZERO, Address.ZERO, new byte[0], BigInteger.ZERO, BigInteger.ZERO));
    private static final String UNHEDGE = selector(io.unwind.chain.vault.HedgeCalls.close(
            BigInteger.ZERO, Address.ZERO, new byte[0], BigInteger.ZERO, BigInteger.ZERO));
    private static final String RELEASE =
            selector(io.unwind.chain.vault.HedgeCalls.releaseProfit(BigInteger.ZERO, BigInteger.ZERO));

    /**
     * One mined keeper transaction.
     *
     * @param to the vault the action was for: the contract it called (a vault, for a sale or a top-up), the destination
     *     for a move (which is sent to its source), or null for a deployment
     * @param kind "sell" for a vault's deleverage, "topup" for its topUp, "move" for its moveCollateral, "hedge",
     *     "unhedge" or "release" for a hedge's open, close or releaseProfit (to: the hedge), else "other"
     */
    record Mined(String hash, long chainBlock, Address to, String kind, boolean reverted, long gasUsed) {}

    private final Web3j web3j;
    private final Address keeper;

    KeeperTransactions(Web3j web3j, Address keeper) {
        this.web3j = web3j;
        this.keeper = keeper;
    }

    /** The keeper's transactions in blocks {@code from} to {@code to}, inclusive, in block order. */
    List<Mined> scan(long from, long to) {
        List<Mined> out = new ArrayList<>();
        try {
            for (long n = from; n <= to; n++) {
                EthBlock.Block b = web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), true)
                        .send()
                        .getBlock();
                if (b == null) continue;
                for (EthBlock.TransactionResult<?> r : b.getTransactions()) {
                    if (!(r.get() instanceof Transaction tx) || !keeper.equals(Address.of(tx.getFrom()))) continue;
                    var receipt = web3j.ethGetTransactionReceipt(tx.getHash())
                            .send()
                            .getTransactionReceipt()
                            .orElseThrow(() -> new IllegalStateException("no receipt for mined " + tx.getHash()));
                    out.add(new Mined(
                            tx.getHash(),
                            n,
                            forVault(tx.getTo(), tx.getInput()),
                            kind(tx.getInput()),
                            !receipt.isStatusOK(),
                            receipt.getGasUsed().longValueExact()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read blocks " + from + " to " + to + ": " + e.getMessage(), e);
        }
        return out;
    }

    static String kind(String input) {
        if (input == null || input.length() < 10) return "other";
        String sel = input.substring(0, 10).toLowerCase(java.util.Locale.ROOT);
        if (sel.equals(DELEVERAGE)) return "sell";
        if (sel.equals(TOP_UP)) return "topup";
        if (sel.equals(MOVE)) return "move";
        if (sel.equals(HEDGE)) return "hedge";
        if (sel.equals(UNHEDGE)) return "unhedge";
        if (sel.equals(RELEASE)) return "release";
        return "other";
    }

    /** The vault an action was for: the one it calls, or a move's destination (its first argument). */
    static Address forVault(String to, String input) {
        if (to == null) return null;
        if (kind(input).equals("move") && input.length() >= 10 + 64) {
            return Address.of("0x" + input.substring(10 + 24, 10 + 64));
        }
        return Address.of(to);
    }

    private static String selector(byte[] calldata) {
        return Numeric.toHexString(calldata, 0, 4, true);
    }
}

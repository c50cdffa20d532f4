package io.unwind.chain.market;

import io.unwind.chain.Receipt;
import io.unwind.domain.chain.Address;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.web3j.crypto.Hash;

/**
 * The Morpho Blue events that change a borrower's position (EventsLib.sol), and which indexed topic names the borrower:
 * every one has the market id as topic 1.
 */
public final class MorphoEvents {
    static final String BORROW = topic("Borrow(bytes32,address,address,address,uint256,uint256)");
    static final String REPAY = topic("Repay(bytes32,address,address,uint256,uint256)");
    static final String SUPPLY_COLLATERAL = topic("SupplyCollateral(bytes32,address,address,uint256)");
    static final String WITHDRAW_COLLATERAL = topic("WithdrawCollateral(bytes32,address,address,address,uint256)");
    static final String LIQUIDATE = topic("Liquidate(bytes32,address,address,uint256,uint256,uint256,uint256,uint256)");

    /** topic0 → the index of the topic holding the borrower ({@code onBehalf}, or {@code borrower} for Liquidate). */
    static final Map<String, Integer> BORROWER_TOPIC = Map.of(
            BORROW, 2, // Borrow(id, caller, onBehalf indexed, receiver indexed, ...): id, onBehalf, receiver
            REPAY, 3, // Repay(id, caller indexed, onBehalf indexed, ...)
            SUPPLY_COLLATERAL, 3, // SupplyCollateral(id, caller indexed, onBehalf indexed, ...)
            WITHDRAW_COLLATERAL, 2, // WithdrawCollateral(id, caller, onBehalf indexed, receiver indexed, ...)
            LIQUIDATE, 3); // Liquidate(id, caller indexed, borrower indexed, ...)

    static final List<String> TOPIC0S = List.of(BORROW, REPAY, SUPPLY_COLLATERAL, WITHDRAW_COLLATERAL, LIQUIDATE);

    private MorphoEvents() {}

    /** The market id (0x + 64 lower-case hex) of one of these logs, or empty for any other log. */
    static Optional<String> market(Receipt.LogEntry log) {
        if (log.topics().size() < 2
                || !BORROWER_TOPIC.containsKey(lower(log.topics().get(0)))) return Optional.empty();
        return Optional.of(lower(log.topics().get(1)));
    }

    /** The borrower whose position the log changed, or empty for any other log. */
    static Optional<Address> borrower(Receipt.LogEntry log) {
        if (log.topics().isEmpty()) return Optional.empty();
        Integer i = BORROWER_TOPIC.get(lower(log.topics().get(0)));
        if (i == null || log.topics().size() <= i) return Optional.empty();
        String t = log.topics().get(i);
        return Optional.of(Address.of("0x" + t.substring(t.length() - 40)));
    }

    private static String topic(String signature) {
        return Hash.sha3String(signature).toLowerCase(Locale.ROOT);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}

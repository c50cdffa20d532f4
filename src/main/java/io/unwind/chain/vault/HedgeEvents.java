package io.unwind.chain.vault;

import io.unwind.chain.Receipt;
import io.unwind.contracts.UnwindHedge;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;

/** The keeper's actions as an UnwindHedge reports them: Opened, Closed and ProfitReleased. */
public final class HedgeEvents {
    private static final String OPENED = EventEncoder.encode(UnwindHedge.OPENED_EVENT);
    private static final String CLOSED = EventEncoder.encode(UnwindHedge.CLOSED_EVENT);
    private static final String RELEASED = EventEncoder.encode(UnwindHedge.PROFITRELEASED_EVENT);

    private HedgeEvents() {}

    /**
     * One keeper action on a hedge. {@code assets}: C borrowed and sold (opened) or bought back (closed), 0 for a
     * release; {@code quote}: L the sale brought (opened), L sold for the buy-back (closed) or L released;
     * {@code repaid}: C repaid (closed); {@code keeperFee} in L; {@code debtAfter} in C; {@code ltvAfter} as a WAD.
     */
    public record HedgeAction(
            Receipt.LogEntry log,
            String kind,
            BigInteger assets,
            BigInteger quote,
            BigInteger repaid,
            BigInteger keeperFee,
            BigInteger debtAfter,
            BigInteger ltvAfter) {}

    public static List<String> topics() {
        return List.of(OPENED, CLOSED, RELEASED);
    }

    /** The action {@code log} reports, if it is one of the hedge's keeper events. */
    public static Optional<HedgeAction> decode(Receipt.LogEntry log) {
        if (log.topics().isEmpty()) return Optional.empty();
        String topic = log.topics().get(0).toLowerCase(Locale.ROOT);
        if (topic.equals(OPENED)) {
            List<BigInteger> v = values(log, UnwindHedge.OPENED_EVENT);
            // borrowed, proceeds, keeperFee, debtAfter, ltvAfter
            return Optional.of(
                    new HedgeAction(log, "hedge", v.get(0), v.get(1), BigInteger.ZERO, v.get(2), v.get(3), v.get(4)));
        }
        if (topic.equals(CLOSED)) {
            List<BigInteger> v = values(log, UnwindHedge.CLOSED_EVENT);
            // quoteSold, bought, repaid, keeperFee, debtAfter, ltvAfter
            return Optional.of(
                    new HedgeAction(log, "unhedge", v.get(1), v.get(0), v.get(2), v.get(3), v.get(4), v.get(5)));
        }
        if (topic.equals(RELEASED)) {
            List<BigInteger> v = values(log, UnwindHedge.PROFITRELEASED_EVENT);
            // amount, ltvAfter
            return Optional.of(new HedgeAction(
                    log, "release", BigInteger.ZERO, v.get(0), BigInteger.ZERO, BigInteger.ZERO, null, v.get(1)));
        }
        return Optional.empty();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<BigInteger> values(Receipt.LogEntry log, Event e) {
        List<Type> data = FunctionReturnDecoder.decode(log.data(), (List) e.getNonIndexedParameters());
        return data.stream().map(t -> (BigInteger) t.getValue()).toList();
    }
}

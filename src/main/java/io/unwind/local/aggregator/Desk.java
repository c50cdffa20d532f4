package io.unwind.local.aggregator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.domain.chain.Address;
import io.unwind.route.aggregator.Vendor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the vendor APIs share: the local venues, and the shaping of an answer by the vendor's current misbehaviour (what
 * amount to report, which router and recipient to put in the calldata) and by the number forms (documented, or
 * deliberately swapped to test that clients read both).
 */
final class Desk {
    static final ObjectMapper JSON = new ObjectMapper();

    final LocalVenues venues;
    final AggregatorEmulator emulator;
    final Clock clock;

    Desk(LocalVenues venues, AggregatorEmulator emulator, Clock clock) {
        this.venues = venues;
        this.emulator = emulator;
        this.clock = clock;
    }

    Misbehaviour behaviour(Vendor v) {
        return emulator.behaviour(v);
    }

    long chainId() {
        return venues.market().chainId();
    }

    /** The amount to report for a route that really delivers {@code real}. */
    BigInteger reported(Vendor v, BigInteger real) {
        if (behaviour(v) != Misbehaviour.OVERSTATED_QUOTE) return real;
        return new BigDecimal(real)
                .multiply(BigDecimal.valueOf(emulator.overstatement()))
                .toBigInteger();
    }

    Address router(Vendor v, LocalVenues.Route r) {
        return behaviour(v) == Misbehaviour.FOREIGN_TARGET ? venues.market().positionManager() : venues.router(r);
    }

    Address recipient(Vendor v, Address asked) {
        return behaviour(v) == Misbehaviour.WRONG_RECIPIENT ? AggregatorEmulator.THIEF : asked;
    }

    /** Calldata for {@code r} as vendor {@code v} currently builds it. */
    byte[] calldata(Vendor v, LocalVenues.Route r, Address recipient, int slippageBps) {
        return venues.calldata(r, recipient(v, recipient), slippageBps, BigInteger.valueOf(venues.timestamp() + 1200));
    }

    boolean noRoute(Vendor v) {
        return behaviour(v) == Misbehaviour.NO_ROUTE;
    }

    /** Writes an amount as a decimal string, or as a JSON number when forms are swapped. */
    void string(ObjectNode n, String field, BigInteger v) {
        if (emulator.swapNumberForms()) n.put(field, v);
        else n.put(field, v.toString());
    }

    /** Writes an amount as a JSON number, or as a decimal string when forms are swapped. */
    void number(ObjectNode n, String field, BigInteger v) {
        if (emulator.swapNumberForms()) n.put(field, v.toString());
        else n.put(field, v);
    }

    static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return hex(b);
    }

    /** Gas price the emulator reports (1 gwei): informational only, clients do not use it. */
    static final BigInteger GAS_PRICE = BigInteger.valueOf(1_000_000_000L);

    static Address address(Call c, String value, String field) {
        try {
            return Address.of(value);
        } catch (IllegalArgumentException e) {
            throw new Call.ApiError(400, field + " is not an address", field);
        }
    }

    static BigInteger amount(String value, String field) {
        if (value == null || !value.matches("[0-9]{1,78}"))
            throw new Call.ApiError(400, field + " must be a whole number", field);
        return new BigInteger(value);
    }

    static int bps(String value, String field, int max) {
        try {
            int v = Integer.parseInt(value);
            if (v < 0 || v > max) throw new Call.ApiError(400, field + " out of range", field);
            return v;
        } catch (NumberFormatException e) {
            throw new Call.ApiError(400, field + " must be an integer", field);
        }
    }

    /** Basis points from a percentage ("0.2" is 20 bps). */
    static int percentToBps(String value, String field) {
        try {
            BigDecimal p = new BigDecimal(value);
            if (p.signum() < 0 || p.compareTo(BigDecimal.valueOf(50)) > 0)
                throw new Call.ApiError(400, field + " out of range", field);
            return p.movePointRight(2).intValue();
        } catch (NumberFormatException e) {
            throw new Call.ApiError(400, field + " must be a number", field);
        }
    }
}

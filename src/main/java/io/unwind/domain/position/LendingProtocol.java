package io.unwind.domain.position;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The lending protocol a vault's position lives in. The vaults normalise each protocol to one keeper interface (the
 * same actions, a price on Morpho's 1e36 scale, the liquidation LTV as a WAD), so the domain needs the protocol only to
 * name it, to read a market's other borrowers, and to price what differs per protocol (a flash loan's premium).
 */
public enum LendingProtocol {
    /** Morpho Blue: one isolated market per (loan, collateral, oracle, IRM, LLTV). */
    MORPHO_BLUE("morpho-blue", 0),
    /**
     * Aave V3: a pool of reserves; the vault holds one collateral reserve and variable debt in one loan reserve, and
     * its LLTV is the collateral's liquidation threshold (the e-mode category's when the vault is in one).
     */
    AAVE_V3("aave-v3", 1);

    private final String id;
    private final int code;

    LendingProtocol(String id, int code) {
        this.id = id;
        this.code = code;
    }

    /** The name used in configuration, scenario files, the CLI and JSON ({@code morpho-blue}, {@code aave-v3}). */
    public String id() {
        return id;
    }

    /** The value VaultLens reports in a vault's {@code protocol} word. */
    public int code() {
        return code;
    }

    public static Optional<LendingProtocol> ofCode(int code) {
        return Arrays.stream(values()).filter(p -> p.code == code).findFirst();
    }

    /** Parses a configuration name; the message lists the valid ones. */
    public static LendingProtocol parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(p -> p.id.equals(n))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown protocol '" + name + "': use one of "
                        + String.join(
                                ", ",
                                Arrays.stream(values()).map(LendingProtocol::id).toList())));
    }

    @Override
    public String toString() {
        return id;
    }
}

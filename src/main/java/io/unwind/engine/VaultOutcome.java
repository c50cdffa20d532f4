package io.unwind.engine;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import java.math.BigInteger;
import java.util.Optional;

/**
 * What one tick did about one vault. Expected failures are values here; exceptions are for bugs.
 *
 * @param ltv the vault's LTV (WAD) at the tick's block, when it was read
 * @param route the chosen route source for a submitted sale
 */
public record VaultOutcome(
        Address vault,
        Kind kind,
        String detail,
        Optional<BigInteger> ltv,
        Optional<TxHash> tx,
        Optional<String> route) {

    public enum Kind {
        /** Under the trigger, nothing to do. */
        HEALTHY("healthy"),
        /** Over the trigger but the plan says hold (cooldown, paused, price unknown...): see detail. */
        HELD("held"),
        /** An earlier action for this vault is still in flight. */
        IN_FLIGHT("waiting for its transaction"),
        /** A transaction was signed, journaled and broadcast. */
        SUBMITTED("action sent"),
        /**
         * Planned and checked alone, but not sent this block: the block's book put more urgent vaults first and this
         * action would revert after them, or the keeper's share of the block was taken. It is planned again next block.
         */
        WAITING_IN_BOOK("waiting in the block's book"),
        /** No route passed the checks and the simulation. */
        NO_ROUTE("no route"),
        /** Gas is above the applicable cap and the vault is not urgent: waiting. */
        WAITING_FOR_GAS("waiting for gas"),
        /** The exact vault call reverted in simulation: nothing was signed. */
        SIMULATION_REVERTED("would revert"),
        /** The lens could not read this vault. */
        UNREADABLE("unreadable"),
        /** Something failed that should not have (chain unreachable mid-tick, a bug): see detail. */
        ERROR("error");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        /** In lower-case words, for the status page. */
        public String describe() {
            return words;
        }
    }

    public static VaultOutcome of(Address vault, Kind kind, String detail, BigInteger ltv) {
        return new VaultOutcome(vault, kind, detail, Optional.ofNullable(ltv), Optional.empty(), Optional.empty());
    }
}

package io.unwind.domain.plan;

import io.unwind.domain.money.TokenAmount;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * How to deleverage a vault. LTVs are WADs (1e18 = 100%) computed with the contract's own rounding ({@code Ltv.ltv});
 * "predicted" means at the oracle price the plan was made at, which is the price the contract judges an action by.
 */
public sealed interface Plan {

    BigInteger ltvBefore();

    BigInteger predictedLtvAfter();

    BigInteger targetLtv();

    /**
     * Repay {@code amount} from the vault's reserve: the cheapest action (no swap, no slippage). The arguments of the
     * vault's {@code topUp(amount, deadline, keeperFee)}.
     *
     * @param amount loan tokens to repay
     * @param keeperFee loan tokens paid to the keeper from the reserve; {@code amount + keeperFee <= reserve}
     * @param coverage whether this reaches the target or only uses up the reserve
     * @param deadline the contract refuses the call after this
     */
    record TopUp(
            TokenAmount amount,
            TokenAmount keeperFee,
            Coverage coverage,
            BigInteger ltvBefore,
            BigInteger predictedLtvAfter,
            BigInteger targetLtv,
            Instant deadline)
            implements Plan {
        public TopUp {
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(keeperFee, "keeperFee");
            Objects.requireNonNull(coverage, "coverage");
            Objects.requireNonNull(ltvBefore, "ltvBefore");
            Objects.requireNonNull(predictedLtvAfter, "predictedLtvAfter");
            Objects.requireNonNull(targetLtv, "targetLtv");
            Objects.requireNonNull(deadline, "deadline");
        }

        /**
         * The same top-up without a fee: what to send when the gas price may exceed the vault's maxGasPrice. Dropping
         * the fee never makes a valid top-up invalid.
         */
        public TopUp withoutKeeperFee() {
            return new TopUp(
                    amount,
                    TokenAmount.zero(keeperFee.token()),
                    coverage,
                    ltvBefore,
                    predictedLtvAfter,
                    targetLtv,
                    deadline);
        }
    }

    /**
     * Move {@code amount} of collateral from another vault of the same owner into this one: the source's
     * {@code moveCollateral(to, amount, deadline)}. Nothing is swapped and no fee is paid, so the owner's equity does
     * not change; the cheapest action there is, when a source can give enough to reach the target.
     *
     * @param source the vault the collateral comes from (the transaction goes to it)
     * @param amount collateral to move, base units of the shared collateral token
     * @param sourceLtvBefore the source's LTV now
     * @param sourceLtvAfter the source's LTV after the move (at most its target)
     * @param alternatives what the other actions would have cost the owner, for the decision's words
     */
    record Move(
            io.unwind.domain.chain.Address source,
            TokenAmount amount,
            BigInteger ltvBefore,
            BigInteger predictedLtvAfter,
            BigInteger targetLtv,
            BigInteger sourceLtvBefore,
            BigInteger sourceLtvAfter,
            String alternatives,
            Instant deadline)
            implements Plan {
        public Move {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(ltvBefore, "ltvBefore");
            Objects.requireNonNull(predictedLtvAfter, "predictedLtvAfter");
            Objects.requireNonNull(targetLtv, "targetLtv");
            Objects.requireNonNull(sourceLtvBefore, "sourceLtvBefore");
            Objects.requireNonNull(sourceLtvAfter, "sourceLtvAfter");
            Objects.requireNonNull(alternatives, "alternatives");
            Objects.requireNonNull(deadline, "deadline");
        }
    }

    /** Whether a top-up reaches the target. */
    enum Coverage {
        /** The reserve covers the repayment to the target. */
        FULL("to the target"),
        /**
         * The reserve covers part of the repayment: it is used up first, and a sale planned at a later block does the
         * rest if LTV is still at or over the trigger.
         */
        RESERVE_FIRST(
                "the whole reserve first, short of the target; a sale follows if the vault is still over its trigger"),
        /** A sale cannot help and the reserve falls short: repay what the reserve holds. */
        PARTIAL_RESERVE("the whole reserve, short of the target: no sale can help");

        private final String words;

        Coverage(String words) {
            this.words = words;
        }

        public String describe() {
            return words;
        }
    }

    /**
     * Sell {@code collateral} and repay debt with the proceeds. Not yet executable: routes are quoted for this size and
     * each quote goes through {@link SaleSizer}, which fixes {@code minRepaid} and the fee from what the route actually
     * delivers. The figures here are the plan's expectation at the assumed slippage.
     *
     * @param collateral collateral to sell, base units
     * @param maxCollateral the most a sale may sell for this target: the collateral needed plus
     *     {@code oversellToleranceBps} of it plus rounding slack (a few loan-token base units' worth); quotes that need
     *     less are re-sized down
     * @param expectedProceeds loan tokens the sale should bring at the assumed slippage (rounded down)
     * @param oracleFloor the least the vault accepts for this sale (the contract's {@code oracleFloor}, rounded up)
     * @param expectedRepaid debt this sale is expected to repay: {@code max(minRepaid, oracleFloor)}, at most the debt
     * @param expectedKeeperFee the fee expected at the assumed slippage and gas price
     * @param assumedSlippageBps the slippage the size was computed for
     * @param sizing whether this reaches the target or is one chunk
     */
    record Sell(
            TokenAmount collateral,
            TokenAmount maxCollateral,
            TokenAmount expectedProceeds,
            TokenAmount oracleFloor,
            TokenAmount expectedRepaid,
            TokenAmount expectedKeeperFee,
            int assumedSlippageBps,
            Sizing sizing,
            BigInteger ltvBefore,
            BigInteger predictedLtvAfter,
            BigInteger targetLtv)
            implements Plan {
        public Sell {
            Objects.requireNonNull(collateral, "collateral");
            Objects.requireNonNull(maxCollateral, "maxCollateral");
            Objects.requireNonNull(expectedProceeds, "expectedProceeds");
            Objects.requireNonNull(oracleFloor, "oracleFloor");
            Objects.requireNonNull(expectedRepaid, "expectedRepaid");
            Objects.requireNonNull(expectedKeeperFee, "expectedKeeperFee");
            Objects.requireNonNull(sizing, "sizing");
            Objects.requireNonNull(ltvBefore, "ltvBefore");
            Objects.requireNonNull(predictedLtvAfter, "predictedLtvAfter");
            Objects.requireNonNull(targetLtv, "targetLtv");
        }

        public boolean isChunk() {
            return sizing instanceof Sizing.Chunk;
        }
    }
}

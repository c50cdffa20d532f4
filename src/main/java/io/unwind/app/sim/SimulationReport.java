package io.unwind.app.sim;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What a simulation did, in the shape {@code unwind simulate --json} prints. Amounts are in base units of their token
 * as strings (exact), LTVs as fractions (0.75 = 75%), equity in loan-token units.
 *
 * @param blocks blocks played: all of them, or those played before the run stopped on {@code error}
 * @param error why the run stopped before its last block (the rest of the report is what was recorded until then), or
 *     null when it played to the end
 */
public record SimulationReport(
        String scenario,
        long blocks,
        String collateral,
        String loan,
        List<Vault> vaults,
        Keeper keeper,
        List<PriceStep> prices,
        String error) {

    public record Vault(
            String name,
            String address,
            boolean keeper,
            boolean liquidated,
            Long liquidatedAtBlock,
            BigDecimal maxLtv,
            BigDecimal finalLtv,
            BigDecimal equityStart,
            BigDecimal equityEnd,
            Long triggerCrossedAtBlock,
            List<Action> actions,
            Map<String, Integer> holds) {}

    /**
     * @param kind "sell" or "topup"
     * @param route the route source of a sale ("uniswap-v3-3000"), or "reserve" for a top-up
     * @param collateralSold base units of collateral sold (0 for a top-up)
     * @param debtRepaid base units of debt repaid
     * @param reverted the keeper's transaction was mined and reverted: nothing sold or repaid, and the LTVs are the
     *     vault's at the end of that block
     */
    public record Action(
            long block,
            String kind,
            String route,
            String collateralSold,
            String debtRepaid,
            long gasUsed,
            String txHash,
            BigDecimal ltvBefore,
            BigDecimal ltvAfter,
            boolean reverted) {}

    /**
     * Reaction: blocks from a vault crossing its trigger to the block that included its first action.
     *
     * @param actions the keeper's actions that were mined and did not revert
     * @param sends transactions the keeper broadcast (each replacement counts), mined or not
     * @param reverted of the keeper's transactions, those mined and reverted
     * @param gasUsed gas used by all the keeper's mined transactions, reverted ones included
     * @param gasPerProtectedVault {@code gasUsed} over the protected vaults with at least one action, or null when none
     *     had one
     */
    public record Keeper(
            String address,
            ReactionBlocks reactionBlocks,
            int actions,
            int protectedVaults,
            int protectedLiquidated,
            int unprotectedLiquidated,
            int sends,
            int reverted,
            long gasUsed,
            Long gasPerProtectedVault) {}

    public record ReactionBlocks(Long max, Long p50, int samples) {}

    public record PriceStep(long block, BigDecimal price) {}
}

package io.unwind.app.sim;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What a simulation did, in the shape {@code unwind simulate --json} prints. Amounts are in base units of their token
 * as strings (exact), LTVs as fractions (0.75 = 75%), equity in loan-token units.
 */
public record SimulationReport(
        String scenario,
        long blocks,
        String collateral,
        String loan,
        List<Vault> vaults,
        Keeper keeper,
        List<PriceStep> prices) {

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
            BigDecimal ltvAfter) {}

    /** Reaction: blocks from a vault crossing its trigger to the block that included its first action. */
    public record Keeper(
            String address,
            ReactionBlocks reactionBlocks,
            int actions,
            int protectedVaults,
            int protectedLiquidated,
            int unprotectedLiquidated) {}

    public record ReactionBlocks(Long max, Long p50, int samples) {}

    public record PriceStep(long block, BigDecimal price) {}
}

package io.unwind.app.sim;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What a simulation did, in the shape {@code unwind simulate --json} prints. Amounts are in base units of their token
 * as strings (exact), LTVs as fractions (0.75 = 75%), equity in loan-token units.
 *
 * @param blocks blocks played: all of them, or those played before the run stopped on {@code error}
 * @param collateral the first market's collateral symbol ({@code markets} has every market's)
 * @param prices the first market's oracle price at each block played
 * @param error why the run stopped before its last block (the rest of the report is what was recorded until then), or
 *     null when it played to the end
 * @param markets every market of the scenario, in its order, with its own price path
 */
public record SimulationReport(
        String scenario,
        long blocks,
        String collateral,
        String loan,
        List<Vault> vaults,
        Keeper keeper,
        List<PriceStep> prices,
        String error,
        List<Market> markets,
        List<Portfolio> portfolios,

        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
        List<ChainRun> chains) {

    public SimulationReport {
        markets = markets == null ? List.of() : List.copyOf(markets);
        portfolios = portfolios == null ? List.of() : List.copyOf(portfolios);
        chains = chains == null ? List.of() : List.copyOf(chains);
    }

    public SimulationReport(
            String scenario,
            long blocks,
            String collateral,
            String loan,
            List<Vault> vaults,
            Keeper keeper,
            List<PriceStep> prices,
            String error,
            List<Market> markets,
            List<Portfolio> portfolios) {
        this(scenario, blocks, collateral, loan, vaults, keeper, prices, error, markets, portfolios, List.of());
    }

    /**
     * One chain of a scenario whose markets name several: its local chain and what the keeper did there.
     *
     * @param name the chain's name in the scenario
     * @param chainId the local chain's id
     * @param keeper the keeper's summary on that chain alone
     */
    public record ChainRun(String name, long chainId, Keeper keeper) {}

    public SimulationReport(
            String scenario,
            long blocks,
            String collateral,
            String loan,
            List<Vault> vaults,
            Keeper keeper,
            List<PriceStep> prices,
            String error,
            List<Market> markets) {
        this(scenario, blocks, collateral, loan, vaults, keeper, prices, error, markets, List.of());
    }

    /**
     * One owner's vaults whose debt is in one loan token, as one book.
     *
     * @param owner the owner's name in the scenario ({@code owner} for vaults that name none)
     * @param address the owner's account on the local chain
     * @param quote the loan token's symbol the equities are in
     * @param equityStart the sum of its vaults' {@code equityStart}, plus its shared reserve's balance at the start
     * @param equityEnd the sum of its vaults' {@code equityEnd}, plus its shared reserve's balance at the end
     * @param vaults its vaults' names
     * @param liquidated those of them that were liquidated
     * @param sharedReserve the owner's shared reserve ({@code owners:} in the file), absent when none
     * @param sharedReserveStart its balance at the start, in loan tokens
     * @param sharedReserveEnd its balance at the end: what the vaults' top-ups did not draw
     */
    public record Portfolio(
            String owner,
            String address,
            String quote,
            BigDecimal equityStart,
            BigDecimal equityEnd,
            List<String> vaults,
            List<String> liquidated,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            String sharedReserve,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            BigDecimal sharedReserveStart,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            BigDecimal sharedReserveEnd) {}

    public SimulationReport(
            String scenario,
            long blocks,
            String collateral,
            String loan,
            List<Vault> vaults,
            Keeper keeper,
            List<PriceStep> prices,
            String error) {
        this(scenario, blocks, collateral, loan, vaults, keeper, prices, error, List.of());
    }

    /**
     * One market as played.
     *
     * @param name its name in the scenario ({@code market} for a file with a single {@code market:})
     * @param prices its oracle price at each block played
     */
    public record Market(String name, String collateral, String loan, List<PriceStep> prices, String protocol) {
        public Market(String name, String collateral, String loan, List<PriceStep> prices) {
            this(name, collateral, loan, prices, "morpho-blue");
        }
    }

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
            Map<String, Integer> holds,
            String market,
            String protocol,
            String owner,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            String chain,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            Hedge hedge) {

        public Vault(
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
                Map<String, Integer> holds,
                String market,
                String protocol,
                String owner,
                String chain) {
            this(
                    name,
                    address,
                    keeper,
                    liquidated,
                    liquidatedAtBlock,
                    maxLtv,
                    finalLtv,
                    equityStart,
                    equityEnd,
                    triggerCrossedAtBlock,
                    actions,
                    holds,
                    market,
                    protocol,
                    owner,
                    chain,
                    null);
        }

        /** The same vault with its hedge's figures. */
        public Vault withHedge(Hedge h) {
            return new Vault(
                    name,
                    address,
                    keeper,
                    liquidated,
                    liquidatedAtBlock,
                    maxLtv,
                    finalLtv,
                    equityStart,
                    equityEnd,
                    triggerCrossedAtBlock,
                    actions,
                    holds,
                    market,
                    protocol,
                    owner,
                    chain,
                    h);
        }

        public Vault(
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
                Map<String, Integer> holds,
                String market,
                String protocol,
                String owner) {
            this(
                    name,
                    address,
                    keeper,
                    liquidated,
                    liquidatedAtBlock,
                    maxLtv,
                    finalLtv,
                    equityStart,
                    equityEnd,
                    triggerCrossedAtBlock,
                    actions,
                    holds,
                    market,
                    protocol,
                    owner,
                    null);
        }

        /** The same vault, reported on {@code chain}. */
        public Vault onChain(String chain) {
            return new Vault(
                    name,
                    address,
                    keeper,
                    liquidated,
                    liquidatedAtBlock,
                    maxLtv,
                    finalLtv,
                    equityStart,
                    equityEnd,
                    triggerCrossedAtBlock,
                    actions,
                    holds,
                    market,
                    protocol,
                    owner,
                    chain,
                    hedge);
        }

        public Vault(
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
                Map<String, Integer> holds,
                String market) {
            this(
                    name,
                    address,
                    keeper,
                    liquidated,
                    liquidatedAtBlock,
                    maxLtv,
                    finalLtv,
                    equityStart,
                    equityEnd,
                    triggerCrossedAtBlock,
                    actions,
                    holds,
                    market,
                    "morpho-blue",
                    "owner");
        }

        public Vault(
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
                Map<String, Integer> holds) {
            this(
                    name,
                    address,
                    keeper,
                    liquidated,
                    liquidatedAtBlock,
                    maxLtv,
                    finalLtv,
                    equityStart,
                    equityEnd,
                    triggerCrossedAtBlock,
                    actions,
                    holds,
                    null);
        }
    }

    /**
     * A vault's hedge over the run, in loan-token units (docs/HEDGE.md). Its equity is the margin plus any collateral
     * token held loose, less the short, at the oracle price; the vault's own equityStart/equityEnd count it.
     *
     * @param margin L the owner deposited
     * @param maxNotional the short's largest value over the run, at the price of its block
     * @param maxRatio the short's largest share of the vault's collateral
     * @param released L the hedge sent to the vault's reserve (its profit)
     * @param pnl {@code equityEnd + released - equityStart}: what the hedge made, all its costs included
     * @param fundingCost interest on the short, at the last price
     * @param finalNotional the short's value at the end
     * @param maxLtv the hedge's highest LTV over the run (its short's value over its margin): the reverse market
     *     liquidates it at its LLTV
     */
    public record Hedge(
            String address,
            BigDecimal margin,
            BigDecimal maxNotional,
            BigDecimal maxRatio,
            BigDecimal maxLtv,
            BigDecimal equityStart,
            BigDecimal equityEnd,
            BigDecimal released,
            BigDecimal pnl,
            BigDecimal fundingCost,
            BigDecimal finalNotional) {}

    /**
     * What a hedge action moved: {@code assets} of the collateral token shorted (hedge) or bought back (unhedge),
     * {@code quote} of the loan token the short's sale brought, the buy-back spent, or the release sent; the keeper's
     * fee in the loan token; the hedge's LTV after.
     */
    public record HedgeMove(String assets, String quote, String keeperFee, BigDecimal hedgeLtvAfter) {}

    /**
     * @param kind "sell", "topup", "move", or for the vault's hedge "hedge", "unhedge" or "release"
     * @param route the route source of a sale ("uniswap-v3-3000"), "reserve" for a top-up, "move" for a move, "hedge"
     *     for a hedge action
     * @param collateralSold base units of collateral sold (0 for a top-up)
     * @param debtRepaid base units of debt repaid
     * @param reverted the keeper's transaction was mined and reverted: nothing sold or repaid, and the LTVs are the
     *     vault's at the end of that block
     * @param from for a move, the name of the owner's vault the collateral came from (absent otherwise)
     * @param collateralMoved for a move, base units of collateral received (absent otherwise)
     * @param hedge for a hedge action, what it moved (absent otherwise)
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
            boolean reverted,
            String reason,
            Double probability,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            String from,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            String collateralMoved,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            HedgeMove hedge) {

        public Action(
                long block,
                String kind,
                String route,
                String collateralSold,
                String debtRepaid,
                long gasUsed,
                String txHash,
                BigDecimal ltvBefore,
                BigDecimal ltvAfter,
                boolean reverted,
                String reason,
                Double probability,
                String from,
                String collateralMoved) {
            this(
                    block,
                    kind,
                    route,
                    collateralSold,
                    debtRepaid,
                    gasUsed,
                    txHash,
                    ltvBefore,
                    ltvAfter,
                    reverted,
                    reason,
                    probability,
                    from,
                    collateralMoved,
                    null);
        }

        /** A keeper action on the vault's hedge ({@code kind} hedge, unhedge or release), at the vault's LTV. */
        public static Action hedge(
                long block,
                String kind,
                HedgeMove move,
                long gasUsed,
                String txHash,
                BigDecimal vaultLtv,
                String reason) {
            return new Action(
                    block, kind, "hedge", "0", "0", gasUsed, txHash, vaultLtv, vaultLtv, false, reason, null, null,
                    null, move);
        }

        public Action(
                long block,
                String kind,
                String route,
                String collateralSold,
                String debtRepaid,
                long gasUsed,
                String txHash,
                BigDecimal ltvBefore,
                BigDecimal ltvAfter,
                boolean reverted,
                String reason,
                Double probability) {
            this(
                    block,
                    kind,
                    route,
                    collateralSold,
                    debtRepaid,
                    gasUsed,
                    txHash,
                    ltvBefore,
                    ltvAfter,
                    reverted,
                    reason,
                    probability,
                    null,
                    null);
        }

        /** A move into the vault: {@code collateral} base units from the owner's vault named {@code from}. */
        public static Action move(
                long block,
                String from,
                String collateral,
                long gasUsed,
                String txHash,
                BigDecimal ltvBefore,
                BigDecimal ltvAfter) {
            return new Action(
                    block,
                    "move",
                    "move",
                    "0",
                    "0",
                    gasUsed,
                    txHash,
                    ltvBefore,
                    ltvAfter,
                    false,
                    "trigger",
                    null,
                    from,
                    collateral);
        }

        /** An action at the hard trigger. */
        public Action(
                long block,
                String kind,
                String route,
                String collateralSold,
                String debtRepaid,
                long gasUsed,
                String txHash,
                BigDecimal ltvBefore,
                BigDecimal ltvAfter,
                boolean reverted) {
            this(
                    block,
                    kind,
                    route,
                    collateralSold,
                    debtRepaid,
                    gasUsed,
                    txHash,
                    ltvBefore,
                    ltvAfter,
                    reverted,
                    "trigger",
                    null);
        }

        /** The same action, taken for {@code why}. */
        public Action because(io.unwind.domain.plan.ActReason why) {
            return new Action(
                    block,
                    kind,
                    route,
                    collateralSold,
                    debtRepaid,
                    gasUsed,
                    txHash,
                    ltvBefore,
                    ltvAfter,
                    reverted,
                    why.kind().label(),
                    why.prediction()
                            .filter(x -> why.kind() == io.unwind.domain.plan.ActReason.Kind.PREDICTED)
                            .map(x -> x.probability())
                            .orElse(null),
                    from,
                    collateralMoved,
                    hedge);
        }
    }

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

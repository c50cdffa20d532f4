package io.unwind.app.http;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The shapes {@code /api/status} answers with (the status page draws from them; scripts may read them too), written by
 * Jackson in the order declared here and documented in docs/JSON.md.
 */
public final class StatusJson {
    private StatusJson() {}

    /** The whole answer. {@code head} is absent until the keeper has seen a block. */
    public record PageStatus(
            String keeper,
            long chainId,
            long now,
            @JsonInclude(JsonInclude.Include.NON_NULL) PageHead head,
            Map<String, StatusServer.Check> ready,
            @JsonInclude(JsonInclude.Include.NON_NULL) PageCluster cluster,
            List<PageVault> vaults,
            List<PagePortfolio> portfolios,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<PageHedge> hedges,
            List<PageAction> actions,
            List<PageTx> transactions,
            List<PageMarketMap> markets) {}

    public record PageHead(long block, long time) {}

    /**
     * This node of a cluster and the nodes it saw in the registry at its last check-in ({@code readAt} 0 before the
     * first).
     */
    public record PageCluster(String nodeId, int partitions, List<Integer> ticked, long readAt, List<PageNode> nodes) {}

    /** A node of the cluster as the registry has it. */
    public record PageNode(
            String nodeId, String keeper, long lastSeen, boolean alive, Long lastBlock, List<Integer> partitions) {}

    /** Rounded text for people and exact base units: the page shows the text, scripts may use the units. */
    public record PageAmount(String text, String symbol, String units) {}

    /** One point of a vault's LTV history, written as an array {@code [block, time, ltv, trigger, target]}. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"block", "time", "ltv", "trigger", "target"})
    public record PagePoint(long block, long time, double ltv, double trigger, double target) {}

    public record PageVault(
            String vault,
            String owner,
            String pair,
            String protocol,
            long block,
            Double ltv,
            double trigger,
            double target,
            double lltv,
            Double distance,
            PageAmount collateral,
            PageAmount debt,
            PageAmount reserve,
            boolean policySet,
            boolean paused,
            boolean keeperAllowed,
            long lastActionAt,
            String outcome,
            String detail,
            List<PagePoint> history,
            String ltvText) {}

    /**
     * One owner's vaults among those shown, as one book: totals per quote token and the vault closest to liquidation
     * ({@code worst*} null when no vault has debt and a price).
     */
    public record PagePortfolio(
            String owner,
            int vaults,
            List<String> protocols,
            List<PagePortfolioTotal> totals,
            String worst,
            String worstProtocol,
            String worstPair,
            Double worstLtvOfLltv) {}

    /** An owner's vaults whose debt is in one quote token, valued in it. */
    public record PagePortfolioTotal(String quote, String text, PageAmount equity, int vaults, int unpriced) {}

    /**
     * A hedge as the keeper last read it, with the vault it protects read at the same block: the short in the vault's
     * collateral token, the rest in its loan token at the vault's price ({@code null} when that price is unknown).
     */
    public record PageHedge(
            String hedge,
            String vault,
            String pair,
            long block,
            PageAmount shorted,
            PageAmount notional,
            double ratio,
            double maxRatio,
            Double ltv,
            double trigger,
            double target,
            PageAmount margin,
            PageAmount equity,
            PageAmount pnl,
            double fundingRate,
            PageAmount fundingPerYear,
            String decision) {}

    public record PageAction(long block, String vault, String kind, String route, String tx) {}

    public record PageTx(
            long id,
            String state,
            String stateText,
            String kind,
            String kindText,
            String vault,
            String from,
            Long nonce,
            int attempts,
            String hash,
            Long block,
            Boolean succeeded,
            String feePaidWei,
            String plan,
            String error,
            long created) {}

    /** One watched market's liquidation map, for the status page's chart. */
    public record PageMarketMap(
            String market,
            String label,
            String symbol,
            long block,
            String priceText,
            double step,
            double range,
            int borrowers,
            double alreadyLiquidatable,
            List<PageBucket> buckets,
            List<PageDepth> depth,
            double volatilityMultiplier,
            String explanation,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double volatility,
            @JsonInclude(JsonInclude.Include.NON_NULL) String volatilityText) {}

    /**
     * One price step below the current price, written as an array {@code [upper, lower, collateral, cumulative,
     * positions]}.
     */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"upper", "lower", "collateral", "cumulative", "positions"})
    public record PageBucket(double upper, double lower, double collateral, double cumulative, int positions) {}

    /** The collateral liquidatable and the pools' depth within one fall. */
    public record PageDepth(double drop, double liquidatable, Double depth, Double ratio) {}
}

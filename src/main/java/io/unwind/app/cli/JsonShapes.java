package io.unwind.app.cli;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.position.Policy;
import java.util.List;
import java.util.Map;

/**
 * The shapes of the CLI's {@code --json} answers, serialised by Jackson in component order. Each is documented once, in
 * docs/JSON.md (JsonDocTest fails when a component has no line there). A component that is sometimes absent (not null)
 * carries {@code @JsonInclude(NON_NULL)}; every other null is written as null.
 */
final class JsonShapes {
    private JsonShapes() {}

    /** An amount: base units as a string (exact in every JSON reader), with its token. */
    record Amount(String units, int decimals, String symbol, String token, String text) {
        static Amount of(TokenAmount a) {
            return new Amount(
                    a.units().toString(),
                    a.token().decimals(),
                    a.token().symbol(),
                    a.token().address().hex(),
                    a.toDecimal().stripTrailingZeros().toPlainString());
        }
    }

    /** A vault's policy as stored on chain. */
    record PolicyJson(
            boolean set,
            int triggerLtvBps,
            int targetLtvBps,
            int bandBps,
            int maxSlippageBps,
            int maxFeeBps,
            int maxSellBps,
            long cooldownSeconds,
            String maxGasPriceWei) {
        static PolicyJson of(Policy p) {
            return new PolicyJson(
                    p.isSet(),
                    p.triggerLtvBps(),
                    p.targetLtvBps(),
                    p.bandBps(),
                    p.maxSlippageBps(),
                    p.maxFeeBps(),
                    p.maxSellBps(),
                    p.cooldown().toSeconds(),
                    p.maxGasPrice().value().toString());
        }
    }

    /** A vault's health, as status, vault show and every owner action (vaultAfter) show it. */
    record Vault(
            String vault,
            String owner,
            String marketId,
            String protocol,
            String state,
            Amount collateral,
            Amount debt,
            Amount reserve,
            String price,
            String ltv,
            String lltv,
            String dropToLiquidation,
            PolicyJson policy,
            String lastActionAt,
            boolean paused,
            boolean keeperAllowed,
            GuardJson guard,
            String priceStatus,
            String feedUpdatedAt,
            int windowSellLeftBps,
            String softTrigger,
            String maxLiquidationProbability) {}

    /** A vault's guard as stored on chain (all zero, feed null, without one). */
    record GuardJson(
            String priceFeed,
            long maxPriceAgeSeconds,
            int maxPriceDeviationBps,
            long sellWindowSeconds,
            int maxWindowSellBps) {}

    /** guard show: the guard, then where the vault stands against it now. */
    record GuardShown(
            @JsonUnwrapped GuardJson guard,
            String vault,
            String priceStatus,
            String feedUpdatedAt,
            int windowSellLeftBps) {}

    /** The extra fields of guard set/clear. */
    record GuardExtra(GuardJson guard) {}

    /** keeper list. */
    record KeepersListed(String vault, List<String> keepers) {}

    /** router list: each route the vault allows, named when it is a known router's. */
    record RoutesListed(String vault, List<ListedRoute> routes) {}

    record ListedRoute(String router, String selector, String name) {}

    /** The extra fields of vault transfer. */
    record TransferExtra(String newOwner) {}

    /** The extra fields of vault accept: the previous owner, the choice, and the keepers and routes left. */
    record AcceptExtra(
            String previousOwner,
            boolean keptAccess,
            List<String> keepers,
            List<ListedRoute> routes,
            int keepersRemoved,
            int routesRemoved) {}

    /** A transaction an owner command sent and saw mined. */
    record SentTx(String action, String hash, long block, long gasUsed, String effectiveGasPriceWei) {}

    /** What an owner action (fund, borrow, repay, withdraw, pause, reserve, policy set, keeper, router) did. */
    record OwnerAnswer(
            String action,
            String vault,
            @JsonInclude(JsonInclude.Include.NON_NULL) Amount amount,
            @JsonUnwrapped Object extra,
            List<SentTx> transactions,
            Vault vaultAfter) {}

    /** The extra fields of keeper add/remove. */
    record KeeperExtra(String keeper) {}

    /** The extra fields of router allow/deny. */
    record RouterExtra(List<String> routes) {}

    /** The extra fields of policy set. */
    record PolicyExtra(PolicyJson policy, List<String> warnings) {}

    /** vault create. */
    record VaultCreated(
            String vault, String owner, String marketId, List<String> ownersOtherVaults, List<SentTx> transactions) {}

    /** vault show: the vault's health, the configured keeper (absent without one) and the known routes. */
    record VaultShown(
            @JsonUnwrapped Vault health,
            @JsonInclude(JsonInclude.Include.NON_NULL) ConfiguredKeeper configuredKeeper,
            Map<String, Boolean> routes,
            PortfolioLinksJson portfolio) {}

    /** deploy. */
    record Deployed(
            long chainId,
            String from,
            String create2Deployer,
            String salt,
            List<DeployedContract> contracts,
            List<SentTx> transactions,
            String file,
            boolean dryRun) {}

    /** One contract of deploy's plan. */
    record DeployedContract(String name, String address, String state, Long gas, String args) {}

    /** The extra fields of reserve shared create/link/unlink/withdraw. */
    record SharedReserveExtra(
            String sharedReserve,
            @JsonInclude(JsonInclude.Include.NON_NULL) Amount limit) {}

    /** A hedge's policy as UnwindHedge stores it. */
    record HedgePolicyJson(
            int maxRatioBps,
            int openLtvBps,
            int triggerLtvBps,
            int targetLtvBps,
            int maxSlippageBps,
            int maxFeeBps,
            long cooldownSeconds) {
        static HedgePolicyJson of(io.unwind.domain.hedge.HedgePolicy p) {
            return new HedgePolicyJson(
                    p.maxRatioBps(),
                    p.openLtvBps(),
                    p.triggerLtvBps(),
                    p.targetLtvBps(),
                    p.maxSlippageBps(),
                    p.maxFeeBps(),
                    p.cooldown().toSeconds());
        }
    }

    /** The extra fields of hedge market: the vault market's reverse market. */
    record HedgeMarketExtra(
            String reverseMarketId,
            String loanToken,
            String collateralToken,
            String oracle,
            String baseOracle,
            String irm,
            String lltv,
            boolean created) {}

    /** The extra fields of hedge create. */
    record HedgeCreatedExtra(String hedge, String reverseMarketId, HedgePolicyJson policy, String config) {}

    /** unwind hedge show --json, and each hedge action's hedgeAfter. */
    record HedgeShown(
            String hedge,
            String vault,
            String owner,
            HedgePolicyJson policy,
            Amount margin,
            Amount shorted,
            Amount assetHeld,
            Amount shortValue,
            int ratioBps,
            String ltv,
            String reverseLltv,
            SignedAmount equity,
            Amount principal,
            SignedAmount pnl,
            double fundingRate,
            Amount fundingPerYear,
            String lastActionAt) {}

    /** What an owner action on a hedge (deposit, withdraw, policy, close) did. */
    record HedgeAnswer(
            String action,
            String hedge,
            String vault,
            @JsonInclude(JsonInclude.Include.NON_NULL) Amount amount,
            List<SentTx> transactions,
            HedgeShown hedgeAfter) {}

    /** The extra fields of vault move-peer and vault move-cap. */
    record MoveExtra(
            @JsonInclude(JsonInclude.Include.NON_NULL) String peer,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean allowed,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxMoveBps) {}

    /** vault show: what joins the vault to the owner's other vaults. */
    record PortfolioLinksJson(
            String sharedReserve, Amount topUpAvailable, int maxMoveBps, java.util.List<String> movePeers) {}

    record ConfiguredKeeper(String address, boolean allowed) {}

    /** policy show. */
    record PolicyShown(
            @JsonUnwrapped PolicyJson policy,
            String vault,
            int lltvBps,
            String softTrigger,
            String maxLiquidationProbability) {}

    /** The extra fields of policy soft-trigger. */
    record SoftTriggerExtra(String softTrigger, String maxLiquidationProbability) {}

    /** devnet price. */
    record PriceMoved(String price, long block, int pools) {}

    /** One decoded event (events --json, one per line). */
    record Event(long block, String tx, long logIndex, String contract, String event, Map<String, Object> args) {}

    /** One transaction of the keeper's journal (tx list --json gives a list, tx show --json one). */
    record Tx(
            long id,
            String state,
            String kind,
            long chainId,
            String vault,
            String from,
            String to,
            Long nonce,
            double urgency,
            String plan,
            long gasLimit,
            String createdAt,
            String updatedAt,
            String error,
            boolean cancelled,
            TxConfirmation confirmation,
            List<TxAttempt> attempts) {}

    record TxConfirmation(
            long block,
            String blockHash,
            boolean succeeded,
            long gasUsed,
            String effectiveGasPriceWei,
            String feePaidWei) {}

    /** One signed attempt; signedRaw only with tx show --raw. */
    record TxAttempt(
            int number,
            String purpose,
            String hash,
            String maxFeePerGasWei,
            String maxPriorityFeePerGasWei,
            long gasLimit,
            String signedAt,
            String outcome,
            String firstSentAt,
            int broadcastCount,
            Long lastSentBlock,
            Object endpointResults,
            @JsonInclude(JsonInclude.Include.NON_NULL) String signedRaw) {}

    /** market map: each market's liquidation map at one block. */
    record MarketMapsShown(long chainId, long block, List<MarketMapShown> markets) {}

    /** One market's liquidation map. */
    record MarketMapShown(
            String market,
            String label,
            long block,
            String price,
            String priceText,
            String lltv,
            int stepBps,
            int rangeBps,
            int borrowers,
            LiqTotals liquidatableNow,
            LiqTotals beyondRange,
            List<LiqBucket> buckets,
            List<LiqLevel> levels,
            Long depthBlock,
            double volatilityMultiplier,
            String explanation) {}

    /** Collateral, debt and count of some positions. */
    record LiqTotals(Amount collateral, Amount debt, int positions) {}

    /** One price step below the oracle price. */
    record LiqBucket(
            int upperDropBps,
            int lowerDropBps,
            double upper,
            double lower,
            String upperPrice,
            String lowerPrice,
            Amount collateral,
            Amount debt,
            int positions,
            Amount cumulative) {}

    /** The collateral liquidatable within one fall against the pools' depth within it. */
    record LiqLevel(int dropBps, double drop, Amount liquidatable, Amount depth, Double cascadeRatio) {}

    /** status: the chain head, the keeper (absent without one), the cluster (absent unless enabled), the vaults. */
    record Status(
            long chainId,
            long block,
            String blockTime,
            @JsonInclude(JsonInclude.Include.NON_NULL) StatusKeeper keeper,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<ClusterNode> cluster,
            @JsonInclude(JsonInclude.Include.NON_NULL) String clusterUnavailable,
            List<StatusVault> vaults,
            List<Unreadable> unreadable,
            List<MarketRisk> markets,
            @JsonInclude(JsonInclude.Include.NON_NULL) String marketsUnavailable) {}

    /**
     * A watched market's volatility as the keeper keeps it (fractions a year: 0.8 = 80%).
     *
     * @param volatility what the keeper predicts with, before the liquidation queue's multiplier
     * @param pool the pool price's estimate, or null when the pool has not been read
     */
    record MarketRisk(
            String marketId,
            double volatility,
            double oracleFast,
            double oracleSlow,
            Double pool,
            double floor,
            long block) {}

    record StatusKeeper(String address, String balanceWei, String node) {}

    record ClusterNode(
            String nodeId,
            String keeper,
            String lastHeartbeat,
            boolean alive,
            Long lastBlock,
            List<Integer> partitions) {}

    /** A signed amount (an equity can be negative): base units as a string, with its token. */
    record SignedAmount(String units, int decimals, String symbol, String token, String text) {
        static SignedAmount of(io.unwind.domain.money.Token t, java.math.BigInteger units) {
            String text = (units.signum() < 0 ? "-" : "") + Units.amount(t.amount(units.abs()));
            return new SignedAmount(
                    units.toString(), t.decimals(), t.symbol(), t.address().hex(), text);
        }
    }

    /** unwind portfolio --json. */
    record Portfolios(long chainId, long block, List<PortfolioJson> portfolios, List<Unreadable> unreadable) {}

    /** One owner's book (see docs/JSON.md). */
    record PortfolioJson(
            String owner,
            List<String> protocols,
            List<PortfolioVault> vaults,
            List<PortfolioAsset> assets,
            List<PortfolioTotal> totals,
            PortfolioVault worst) {}

    record PortfolioVault(
            String vault,
            String protocol,
            String marketId,
            String state,
            Amount collateral,
            Amount debt,
            Amount reserve,
            Amount collateralValue,
            SignedAmount equity,
            String ltv,
            String lltv,
            String ltvOfLltv) {}

    record PortfolioAsset(
            String token,
            String symbol,
            Amount collateral,
            Amount debt,
            Amount reserve,
            SignedAmount net,
            int vaults) {}

    record PortfolioTotal(
            String quote,
            Amount collateralValue,
            Amount debt,
            Amount reserve,
            Amount sharedReserve,
            SignedAmount equity,
            int vaults,
            int unpriced) {}

    /** A vault in status: its health, then what the local keeper says of it (absent if it says nothing). */
    record StatusVault(
            @JsonUnwrapped Vault health,
            @JsonInclude(JsonInclude.Include.NON_NULL) String keeperSays) {}

    record Unreadable(String vault, String reason) {}

    /**
     * config check: what the configuration says (secrets redacted), what --online found (each absent without --online
     * or when it could not be found), and the problems.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ConfigChecked(
            String file,
            long chainId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String preset,
            List<String> endpoints,
            String privateRelay,
            ConfigContracts contracts,
            String watching,
            String keeperKey,
            String keeperAddress,
            String journal,
            String http,
            @JsonInclude(JsonInclude.Include.NON_NULL) ConfigCluster cluster,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> hedges,
            GasCaps gasCapsGwei,
            Map<String, String> endpointStatus,
            String keeperBalance,
            String journalStatus,
            String keeperKeyStatus,
            List<String> problems) {}

    /** The configured contracts; the optional ones absent when not configured. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ConfigContracts(
            String morpho,
            String lens,
            String factory,
            String uniswapV3Router,
            String uniswapV3Router02,
            String uniswapV3Quoter,
            String uniswapV2Router) {}

    record GasCaps(String normal, String emergency) {}

    /** The cluster section as the node runs it (config check); durations as written in a config ("1s", "500ms"). */
    record ConfigCluster(
            String nodeId, int partitions, String tickInterval, String checkinInterval, String deadAfter) {}

    /** keystore inspect: what the file says, whether `unwind run` accepts it, and (with a password) if it unlocks. */
    record KeystoreInspected(
            String file,
            String address,
            int version,
            String cipher,
            String kdf,
            @JsonInclude(JsonInclude.Include.NON_NULL) KdfParams kdfParams,
            String verdict,
            String permissions,
            @JsonInclude(JsonInclude.Include.NON_NULL) String passwordCheck) {}

    record KdfParams(int n, int r, int p) {}

    /** keystore new/import: the address the keystore states ("?" if none) and where it was written. */
    record KeystoreWritten(String address, String file) {}

    /**
     * network show (and each of network list): a network preset, every address with the package export it came from.
     */
    record NetworkPresetJson(
            String name, long chainId, String kind, List<PresetAddress> addresses, Map<String, String> notListed) {}

    /** network check: what was checked and what differs (exit 2 when {@code mismatches} is not empty). */
    record NetworkChecked(
            String network, long chainId, int checked, List<String> unreachable, List<String> mismatches) {}

    /** One address of a preset; {@code note} is absent when the preset has none for it. */
    record PresetAddress(
            String name,
            String address,
            String source,
            @JsonInclude(JsonInclude.Include.NON_NULL) String note) {}

    /**
     * bench gas: each measured call of the committed Foundry snapshot by its name (gas, as an integer), then the two
     * ratios the README quotes.
     */
    record GasBench(@JsonAnyGetter Map<String, Long> gas, double deleverageV3OverBare, double topUpOverBare) {}
}

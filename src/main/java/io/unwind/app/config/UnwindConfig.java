package io.unwind.app.config;

import io.unwind.domain.chain.Address;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keeper's configuration, one YAML file (see keystore-template/unwind.example.yaml). Every field has a
 * default except the chain's endpoints and the contracts; {@link ConfigLoader} validates and names the field of
 * any mistake.
 */
public record UnwindConfig(
        Chain chain,
        Contracts contracts,
        List<Address> vaults,
        Key keeper,
        Strategy strategy,
        Routing routing,
        Gas gas,
        Journal journal,
        Scheduler scheduler,
        Http http) {

    /** @param privateRelay optional endpoint that only receives transactions (a Flashbots Protect style relay) */
    public record Chain(long id, List<Endpoint> endpoints, Optional<Endpoint> privateRelay, Duration pollInterval,
            Duration callTimeout, int callAttempts, int confirmations) {}

    public record Endpoint(String name, URI url, Optional<URI> ws) {}

    /**
     * @param deployment a deployment.json (as written by {@code unwind devnet}) to take unset addresses from
     * @param factory watch every vault this factory created
     * @param nativeToken the chain's wrapped native token (prices gas when it is a vault's collateral)
     */
    public record Contracts(Optional<Path> deployment, Address morpho, Address lens, Optional<Address> factory,
            Optional<Address> uniswapV3Quoter, Optional<Address> uniswapV3Router, Optional<Address> uniswapV2Router,
            Optional<Address> nativeToken) {}

    /**
     * The key the keeper signs with: a Web3 Secret Storage keystore with its password from a file or an environment
     * variable, or (local chains only) one of anvil's development accounts.
     */
    public record Key(Optional<Path> keystore, Optional<Path> passwordFile, Optional<String> passwordEnv,
            Optional<Integer> devAccount, boolean allowWeakKdf) {}

    /**
     * @param keeperFeeBps fee asked of the vault, of the debt repaid (the vault's policy caps it)
     * @param expectedSlippageBps slippage a sale is first sized for
     * @param routeSlippageBps how far under its quote a swap's own minimum is set
     */
    public record Strategy(int keeperFeeBps, int expectedSlippageBps, int routeSlippageBps, int oversellToleranceBps,
            int targetToleranceBps, Duration txDeadline, int volatilityHorizonBlocks) {}

    public record Routing(List<Integer> uniswapV3FeeTiers, Duration roundTimeout, int lensChunk) {}

    /**
     * @param normalCap the most per gas while vaults are healthy (gwei)
     * @param emergencyCap the most per gas when a vault nears liquidation (gwei)
     * @param nativePrices loan tokens per whole native token, by loan-token address, where gas cannot be priced
     *     from a market's oracle
     */
    public record Gas(BigDecimal normalCapGwei, BigDecimal emergencyCapGwei, int feeHistoryBlocks, int stuckAfterBlocks,
            Map<Address, BigDecimal> nativePrices) {}

    public record Journal(String url, Optional<String> user, Optional<String> passwordEnv) {}

    public record Scheduler(Duration intervalFallback, int factoryRefreshBlocks) {}

    public record Http(boolean enabled, String host, int port) {}
}

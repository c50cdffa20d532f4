package io.unwind.route.aggregator;

import io.unwind.domain.chain.Address;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one aggregator and how hard to lean on it.
 *
 * @param baseUrl scheme, host and optional path prefix; the vendor's paths are appended to it
 * @param apiKey the key, already read from the environment variable the config names (never from the file)
 * @param timeout the most one quote (both legs of a two-step vendor) may take; the HTTP timeout of each request
 * @param requestsPerSecond the client-side rate limit (free tiers allow about 1-5 per second)
 * @param retries extra attempts after a transport failure or a 5xx (never after a 4xx, a 429 or a timeout)
 * @param chainId the chain the keeper runs on
 * @param chainSlug KyberSwap's name for the chain ("ethereum", "base", ...)
 * @param origin the keeper's own address: 1inch's {@code origin}, the EOA that will send the transaction
 */
public record AggregatorSettings(
        Vendor vendor,
        URI baseUrl,
        Optional<ApiKey> apiKey,
        Duration timeout,
        double requestsPerSecond,
        int retries,
        long chainId,
        String chainSlug,
        Address origin) {

    public AggregatorSettings {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(chainSlug, "chainSlug");
        Objects.requireNonNull(origin, "origin");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be > 0");
        if (!(requestsPerSecond > 0)) throw new IllegalArgumentException("requestsPerSecond must be > 0");
        if (retries < 0 || retries > 3) throw new IllegalArgumentException("retries must be in [0, 3]");
        String s = baseUrl.toString();
        if (s.endsWith("/")) baseUrl = URI.create(s.substring(0, s.length() - 1));
    }

    /** KyberSwap's chain names for the chains it serves; other chains need {@code chainSlug} set. */
    public static Optional<String> kyberSlug(long chainId) {
        return Optional.ofNullable(
                switch ((int) chainId) {
                    case 1 -> "ethereum";
                    case 10 -> "optimism";
                    case 56 -> "bsc";
                    case 137 -> "polygon";
                    case 8453 -> "base";
                    case 42161 -> "arbitrum";
                    case 43114 -> "avalanche";
                    case 59144 -> "linea";
                    default -> null;
                });
    }
}

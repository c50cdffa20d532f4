package io.unwind.ops;

import org.slf4j.LoggerFactory;

/** Logs one line as the engine does when it sends an action; run in a child JVM by {@link LogFormatTest}. */
public final class LogProbe {
    private LogProbe() {}

    public static void main(String[] args) {
        LoggerFactory.getLogger("io.unwind.engine.Keeper")
                .info(
                        "vault {} LTV {}: {} tx {}",
                        "0x8acd85898458400f7db866d53fcff6f0d49741ff",
                        "84.00%",
                        "sell 2.38 WETH via uniswap-v3-3000",
                        org.web3j.crypto.Hash.sha3String("a transaction"));
    }
}

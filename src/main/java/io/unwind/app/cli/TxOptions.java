package io.unwind.app.cli;

import picocli.CommandLine.Option;

/** How an owner's transaction is sent: its fee cap and how long to wait for it to be mined. */
public final class TxOptions {
    @Option(
            names = "--max-fee-gwei",
            paramLabel = "GWEI",
            description = "Refuse to send if the fee per gas would have to exceed this (default: no cap).")
    java.math.BigDecimal maxFeeGwei;

    @Option(
            names = "--wait",
            paramLabel = "SECONDS",
            defaultValue = "180",
            description =
                    "How long to wait for the receipt (default: ${DEFAULT-VALUE} s). The transaction may still be mined later.")
    int waitSeconds;
}

package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketSpec;
import io.unwind.testing.MarketFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@code unwind run} process protecting vaults on two chains ({@code chains:} in its config), each chain with its
 * own market, endpoints, keeper and status page. One chain's node dies; the other chain's vault, crossing its trigger
 * after that, is still saved in the next block.
 */
@Tag("chain")
class SeveralChainsRunTest {
    @TempDir
    Path dir;

    @Test
    void whenOneChainsRpcDiesTheOtherChainsVaultIsStillSavedInTheNextBlock() throws Exception {
        MarketFixture alpha = new MarketFixture(LocalChain.start(), MarketSpec.wethUsdc());
        MarketFixture beta = new MarketFixture(
                LocalChain.start(LocalChain.Options.defaults().withChainId(1337)), MarketSpec.wethUsdc());
        Thread keeper = null;
        StringWriter err = new StringWriter();
        try {
            Address alphaVault = alpha.openProtected("10", "0.75", MarketFixture.policy(8000, 7000));
            Address betaVault = beta.openProtected("10", "0.75", MarketFixture.policy(8000, 7000));
            DeploymentFile.write(dir.resolve("alpha.json"), alpha.market);
            DeploymentFile.write(dir.resolve("beta.json"), beta.market);
            int port = Devnet.freePortPair();
            int betaPort = port + 1;
            Path config = Files.writeString(dir.resolve("unwind.yaml"), """
                    # Two chains, one keeper process: the journal and the keeper's settings are shared.
                    keeper: {devAccount: 3}
                    http: {port: %d}
                    chains:
                      - name: alpha
                        chain:
                          id: 31337
                          endpoints: [{name: alpha-node, url: "%s"}]
                          confirmations: 1
                          pollInterval: 200ms
                          callTimeout: 1s
                          callAttempts: 1
                        contracts: {deployment: alpha.json, nativeToken: "%s"}
                        vaults: ["%s"]
                      - name: beta
                        chain:
                          id: 1337
                          endpoints: [{name: beta-node, url: "%s"}]
                          confirmations: 1
                          pollInterval: 200ms
                        contracts: {deployment: beta.json, nativeToken: "%s"}
                        vaults: ["%s"]
                    """.formatted(
                            port,
                            alpha.chain.httpUrl(),
                            alpha.market.collateral().address(),
                            alphaVault,
                            beta.chain.httpUrl(),
                            beta.market.collateral().address(),
                            betaVault));
            // The config names two chains: a one-chain command must be told which.
            Unwind.Run ambiguous = Unwind.run("status", "--config", config.toString());
            assertThat(ambiguous.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(ambiguous.err()).contains("this config has 2 chains (alpha, beta): name one with --chain NAME");

            keeper = new Thread(
                    () -> io.unwind.app.Main.execute(
                            new PrintWriter(new StringWriter(), true),
                            new PrintWriter(err, true),
                            "run",
                            "--config",
                            config.toString()),
                    "test-two-chain-keeper");
            keeper.setDaemon(true);
            keeper.start();
            for (int p : new int[] {port, betaPort}) {
                String[] last = {""};
                try {
                    DevnetCommandsTest.waitFor(
                            () -> (last[0] = DevnetCommandsTest.get("http://127.0.0.1:" + p + "/ready"))
                                    .contains("\"vaults\""),
                            "both chains' status pages");
                } catch (AssertionError e) {
                    // Which page, what it last answered, and where the keeper's threads are: a start that hangs says
                    // where.
                    throw new AssertionError(e.getMessage() + " (port " + p + ", alpha " + port + ", beta " + betaPort
                            + "); last answer: " + last[0] + "\n" + err + "\n" + keeperThreads());
                }
            }
            assertThat(DevnetCommandsTest.get("http://127.0.0.1:" + betaPort + "/metrics"))
                    .contains("chain=\"beta\"")
                    .doesNotContain("chain=\"alpha\"");
            assertThat(DevnetCommandsTest.get("http://127.0.0.1:" + port + "/metrics"))
                    .contains("chain=\"alpha\"");

            // Alpha's node dies. Then beta's price falls in one block (feed and pools together), and from there on
            // beta mines a block every 2 seconds: the keeper has one block's time to act.
            alpha.chain.close();
            Thread.sleep(1_500);
            beta.chain.setAutomine(false);
            beta.prices.noWait();
            // 75% x 3,000 / 2,700 = 83.3%: over the 80% trigger.
            beta.prices.moveTo(new BigDecimal("2700"));
            beta.chain.mine(1);
            beta.prices.settle();
            long crossed = beta.chain.blockNumber();
            beta.chain.setIntervalMining(2);
            assertThat(ltv(beta, betaVault)).isGreaterThan(new BigDecimal("0.80"));
            DevnetCommandsTest.waitFor(
                    () -> ltv(beta, betaVault).compareTo(new BigDecimal("0.80")) < 0,
                    "beta's keeper to deleverage its vault while alpha is down: " + err);
            long saved = firstBlockUnder(beta, betaVault, crossed, new BigDecimal("0.80"));
            System.out.printf(
                    "two chains in one keeper, alpha's node dead: beta's vault crossed at block %d and was saved in"
                            + " block %d%n",
                    crossed, saved);
            assertThat(saved).as("saved in the next block after the crossing").isLessThanOrEqualTo(crossed + 1);
            assertThat(err.toString()).doesNotContain("Exception in thread");
            // The shared journal, by chain: beta's sale is beta's; alpha, down since before the crash, has none.
            Unwind.Run betaTxs = Unwind.run("tx", "list", "--config", config.toString(), "--chain", "beta", "--json");
            assertThat(betaTxs.exit()).as("%s", betaTxs).isZero();
            assertThat(betaTxs.json()).isNotEmpty().allSatisfy(t -> {
                assertThat(t.get("chainId").asLong()).isEqualTo(1337);
                assertThat(t.get("kind").asText()).isEqualTo("DELEVERAGE");
            });
            Unwind.Run alphaTxs = Unwind.run("tx", "list", "--config", config.toString(), "--chain", "alpha", "--json");
            assertThat(alphaTxs.json()).isEmpty();
            Unwind.Run status = Unwind.run("status", betaVault.hex(), "--config", config.toString(), "--chain", "beta");
            assertThat(status.exit()).as("%s", status).isZero();
            assertThat(status.out()).contains(betaVault.hex());
        } finally {
            if (keeper != null) {
                keeper.interrupt();
                keeper.join(20_000);
            }
            beta.close();
            try {
                alpha.close();
            } catch (RuntimeException e) {
                // its chain was closed by the test
            }
        }
    }

    private static BigDecimal ltv(MarketFixture f, Address vault) {
        return io.unwind.domain.position.Ltv.fraction(f.health(vault).ltv());
    }

    /** The first block after {@code from} at which the vault's LTV is under {@code level}, read at each block. */
    private static long firstBlockUnder(MarketFixture f, Address vault, long from, BigDecimal level) {
        long head = f.chain.blockNumber();
        for (long b = from; b <= head; b++) {
            var at = f.client.blockByNumber(b).orElseThrow();
            var scan = f.lens.read(java.util.List.of(vault), at);
            if (io.unwind.domain.position.Ltv.fraction(scan.vaults().get(0).ltv())
                            .compareTo(level)
                    < 0) return b;
        }
        throw new AssertionError("the vault is not under " + level + " at any block from " + from + " to " + head);
    }

    /** The stacks of this JVM's keeper threads (unwind-*, the test's keeper, HTTP and head polling). */
    private static String keeperThreads() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            String n = t.getName();
            if (!(n.startsWith("unwind") || n.startsWith("test-two-chain") || n.contains("head") || n.contains("http")))
                return;
            b.append("--- ").append(n).append(" (").append(t.getState()).append(")\n");
            for (int k = 0; k < Math.min(stack.length, 25); k++)
                b.append("    at ").append(stack[k]).append('\n');
        });
        return b.toString();
    }
}

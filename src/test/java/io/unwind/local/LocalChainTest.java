package io.unwind.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("chain")
@Tag("process")
class LocalChainTest {

    @Test
    void startsOnAFreePortAndLeavesNoProcessBehind() {
        long pid;
        try (LocalChain a = LocalChain.start();
                LocalChain b = LocalChain.start()) {
            assertThat(a.httpUrl()).isNotEqualTo(b.httpUrl());
            assertThat(a.rpc("eth_chainId").asText()).isEqualTo("0x7a69");
            a.mine(3);
            assertThat(a.blockNumber()).isEqualTo(3);
            assertThat(b.blockNumber()).isZero();
            pid = a.pid();
            assertThat(ProcessHandle.of(pid)).isPresent();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
    }

    @Test
    void devAccountsAreAnvilsFundedAccounts() {
        try (LocalChain c = LocalChain.start()) {
            var accounts = c.rpc("eth_accounts");
            for (int i = 0; i < 10; i++) {
                assertThat(LocalChain.devAccount(i).getAddress())
                        .isEqualToIgnoringCase(accounts.get(i).asText());
            }
            assertThat(c.output()).noneMatch(l -> l.matches(".*0x[0-9a-fA-F]{64}.*"));
        }
    }

    @Test
    void anvilDiesWithTheJvmThatStartedIt() throws Exception {
        // A child JVM starts anvil and is then killed with SIGKILL: the watchdog must take anvil down with it.
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dunwind.contracts.dir=" + Toolchain.locate().contractsDir(),
                        StartAnvilAndWait.class.getName())
                .redirectErrorStream(true)
                .start();
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()));
        String line;
        long anvilPid = -1;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("anvil ")) {
                anvilPid = Long.parseLong(line.substring(6).trim());
                break;
            }
        }
        assertThat(anvilPid).as("child reported anvil's pid").isPositive();
        assertThat(ProcessHandle.of(anvilPid).map(ProcessHandle::isAlive)).contains(true);
        child.destroyForcibly().waitFor();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ProcessHandle.of(anvilPid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ProcessHandle.of(anvilPid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
    }

    /** Run in a child JVM by the test above. */
    public static final class StartAnvilAndWait {
        public static void main(String[] args) throws Exception {
            LocalChain chain = LocalChain.start();
            System.out.println("anvil " + chain.pid());
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}

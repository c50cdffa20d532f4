package io.unwind.app;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.unwind.app.config.UnwindConfig;
import io.unwind.chain.RpcOutageLog;
import io.unwind.chain.Web3jChainClient;
import io.unwind.store.Database;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * How every entry point (the daemon, the CLI's commands, simulate and the benchmarks) reaches the chain and the
 * journal: one chain client built from the config's {@code chain} section with the keeper's circuit breakers, and one
 * way to open the journal. A command that talks to the chain behaves as the daemon does when a node fails.
 */
public final class Wiring {
    private Wiring() {}

    /** The chain client for the config's {@code chain} section: its endpoints, call timeout and attempts. */
    public static Web3jChainClient chainClient(
            UnwindConfig.Chain c, CircuitBreakerRegistry breakers, RpcOutageLog outages) {
        return new Web3jChainClient(c.id(), endpoints(c), c.callTimeout(), c.callAttempts(), breakers, outages);
    }

    /** The same, for a command that keeps no outage log and no breaker metrics. */
    public static Web3jChainClient chainClient(UnwindConfig.Chain c) {
        return chainClient(c, Web3jChainClient.breakers(), RpcOutageLog.silent());
    }

    public static List<Web3jChainClient.EndpointConfig> endpoints(UnwindConfig.Chain c) {
        return c.endpoints().stream()
                .map(e -> new Web3jChainClient.EndpointConfig(e.name(), e.url()))
                .toList();
    }

    /** Opens (and migrates) the journal the config names; its password is read from the environment variable named. */
    public static Database openJournal(UnwindConfig.Journal j) {
        try {
            return Database.open(j.url(), j.user().orElse(""), journalPassword(j, System.getenv()));
        } catch (io.unwind.store.DatabaseException e) {
            // PostgreSQL asked for a password and the config names no variable for it: say which setting is missing.
            if (j.passwordEnv().isEmpty()
                    && e.getMessage() != null
                    && (e.getMessage().contains("but no password was provided")
                            || e.getMessage().contains("but the password is an empty string"))) {
                throw new io.unwind.app.config.ConfigException(
                        "journal.passwordEnv",
                        "the journal's database asks for a password and the config gives none (" + e.getMessage()
                                + "). Name the environment variable that holds it, e.g. passwordEnv: JOURNAL_PASSWORD");
            }
            throw e;
        }
    }

    /**
     * The journal's password from the environment variable {@code journal.passwordEnv} names (empty when it names
     * none). A variable named but not set is a configuration error that names it: the database would otherwise refuse
     * the empty password with its own words (PostgreSQL: "The server requested SCRAM-based authentication, but no
     * password was provided"), which say nothing of the variable.
     */
    public static String journalPassword(UnwindConfig.Journal j, java.util.Map<String, String> env) {
        if (j.passwordEnv().isEmpty()) return "";
        String name = j.passwordEnv().get();
        String v = env.get(name);
        if (v == null || v.isEmpty()) {
            throw new io.unwind.app.config.ConfigException(
                    "journal.passwordEnv",
                    "the environment variable " + name + " is not set: the journal's database password is read from"
                            + " it. Set it for this process (e.g. " + name + "=\"$(cat journal.pass)\" unwind ...); the"
                            + " password itself never goes in the config file");
        }
        return v;
    }

    /**
     * What a start has opened so far, closed in reverse order if a later step fails: a keeper that cannot start leaves
     * no pool, port or thread behind.
     */
    public static final class Opened {
        private final Deque<AutoCloseable> opened = new ArrayDeque<>();

        public <T extends AutoCloseable> T add(T resource) {
            opened.push(resource);
            return resource;
        }

        /**
         * Closes everything added, last first, and returns {@code failure} with any close failures suppressed in it.
         */
        public <E extends Throwable> E closeAfter(E failure) {
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception | Error e) {
                    failure.addSuppressed(e);
                }
            }
            return failure;
        }
    }
}

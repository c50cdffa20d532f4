package io.unwind.faults;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.filter.Filter;
import io.unwind.local.LocalChain;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * Reads every log line written while it is open and remembers the ones that carry a secret: the private key of any of
 * anvil's development accounts (the keeper's and everyone else's the tests sign with), as hex with or without 0x or as
 * a decimal number, the mnemonic they come from, or a password it was told of (the keystore the keeper is unlocked
 * from). The formatted message, the MDC, and the message of every exception in the chain (causes and suppressed) are
 * read.
 *
 * <p>While open, {@code io.unwind} logs at DEBUG, so lines an operator sees only when debugging (the RPC client's
 * "failed on endpoint" lines among them) are read too; the console appender is held at INFO, so the output of the tests
 * does not change. A leak is reported by where it was and which secret it was, never by the secret itself.
 */
final class LogSecrets extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private static final int DEV_ACCOUNTS = 20;
    private static final String CONSOLE = "OUT";

    /** What it looks for: name -> the lower-case forms it may take. */
    private final Map<String, List<String>> secrets = new LinkedHashMap<>();

    private final List<String> leaks = new CopyOnWriteArrayList<>();
    private final AtomicInteger seen = new AtomicInteger();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger unwind = (Logger) LoggerFactory.getLogger("io.unwind");
    private final Level unwindLevel;
    private final Appender<ILoggingEvent> console;
    private final List<Filter<ILoggingEvent>> consoleFilters;

    /** Starts reading; {@code passwords} are named by their key in a report. */
    LogSecrets(Map<String, String> passwords) {
        for (int i = 0; i < DEV_ACCOUNTS; i++) {
            BigInteger key = LocalChain.devAccount(i).getEcKeyPair().getPrivateKey();
            secrets.put(
                    "the private key of development account " + i,
                    List.of(Numeric.toHexStringNoPrefixZeroPadded(key, 64), key.toString()));
        }
        secrets.put("the development mnemonic", List.of(LocalChain.DEV_MNEMONIC));
        passwords.forEach((name, pw) -> secrets.put(name, List.of(pw.toLowerCase(Locale.ROOT))));

        setName("log-secrets");
        setContext(root.getLoggerContext());
        start();
        unwindLevel = unwind.getLevel();
        console = root.getAppender(CONSOLE);
        consoleFilters = console == null ? List.of() : console.getCopyOfAttachedFiltersList();
        if (console != null) {
            ThresholdFilter info = new ThresholdFilter();
            info.setLevel(Level.INFO.toString());
            info.start();
            console.addFilter(info);
        }
        unwind.setLevel(Level.DEBUG);
        root.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent e) {
        seen.incrementAndGet();
        StringBuilder text = new StringBuilder(e.getFormattedMessage() == null ? "" : e.getFormattedMessage());
        e.getMDCPropertyMap()
                .forEach((k, v) -> text.append(' ').append(k).append('=').append(v));
        List<IThrowableProxy> pending = new ArrayList<>();
        if (e.getThrowableProxy() != null) pending.add(e.getThrowableProxy());
        // A chain that refers back to itself is cut at 64 links.
        for (int i = 0; i < pending.size() && i < 64; i++) {
            IThrowableProxy t = pending.get(i);
            text.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
            if (t.getCause() != null) pending.add(t.getCause());
            if (t.getSuppressed() != null) pending.addAll(List.of(t.getSuppressed()));
        }
        String lower = text.toString().toLowerCase(Locale.ROOT);
        secrets.forEach((name, forms) -> {
            if (forms.stream().anyMatch(lower::contains)) {
                leaks.add(e.getLevel() + " " + e.getLoggerName() + ": " + name + " (thread " + e.getThreadName() + ")");
            }
        });
    }

    /** Log events read so far. */
    int seen() {
        return seen.get();
    }

    /** Where a secret was logged, and which, so far. */
    List<String> leaks() {
        return List.copyOf(leaks);
    }

    /** Fails, naming each line's logger and the secret it carried, if any line carried one. */
    void assertNone() {
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " log line(s) carried a secret:\n  " + String.join("\n  ", leaks));
        }
    }

    /** Stops reading and puts the log levels and the console as they were. */
    @Override
    public void close() {
        root.detachAppender(this);
        unwind.setLevel(unwindLevel);
        if (console != null) {
            console.clearAllFilters();
            consoleFilters.forEach(console::addFilter);
        }
        stop();
    }
}

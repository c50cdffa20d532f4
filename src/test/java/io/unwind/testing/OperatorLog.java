package io.unwind.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * The lines an operator would see in the keeper's log while it is open: every event at INFO or above (the default level
 * of {@code io.unwind}; libraries log at WARN and above), each as the lines it prints, its stack trace included. Debug
 * lines are left out even when a test turned them on.
 */
public final class OperatorLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

    private OperatorLog() {
        setName("operator-log");
        setContext(root.getLoggerContext());
        start();
        root.addAppender(this);
    }

    public static OperatorLog capture() {
        return new OperatorLog();
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (e.getLevel().isGreaterOrEqual(Level.INFO)) events.add(e);
    }

    /** Each event's message with its level and logger, one entry per event. */
    public List<String> messages() {
        return events.stream()
                .map(e -> e.getLevel() + " " + shortName(e.getLoggerName()) + " - " + e.getFormattedMessage())
                .toList();
    }

    /** The lines printed, as the text format writes them: one per message line and one per stack trace line. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : events) {
            out.addAll((e.getLevel() + " " + shortName(e.getLoggerName()) + " - " + e.getFormattedMessage())
                    .lines()
                    .toList());
            if (e.getThrowableProxy() != null)
                out.addAll(ThrowableProxyUtil.asString(e.getThrowableProxy())
                        .lines()
                        .toList());
        }
        return out;
    }

    /** Events that carry a stack trace. */
    public List<String> withStackTraces() {
        return events.stream()
                .filter(e -> e.getThrowableProxy() != null)
                .map(e -> e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage())
                .toList();
    }

    private static String shortName(String logger) {
        return logger.substring(logger.lastIndexOf('.') + 1);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}

package io.unwind.app.cli;

import io.unwind.domain.chain.Address;
import io.unwind.domain.time.DurationText;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for what people type: an option typed {@code Address}, {@code Duration}, {@link Bps} or
 * {@link AmountText} is read and checked by picocli, and a mistake is a usage error naming the option (see
 * {@link UsageErrors}). Registered once on the root command, so every command gets them.
 */
final class Converters {
    private Converters() {}

    static CommandLine register(CommandLine cmd) {
        return cmd.registerConverter(Address.class, Converters::address)
                .registerConverter(Duration.class, Converters::duration)
                .registerConverter(Bps.class, Converters::bps)
                .registerConverter(AmountText.class, Converters::amountText)
                .registerConverter(io.unwind.domain.tx.TxState.class, TxCommand::state);
    }

    static Address address(String text) {
        try {
            return Address.of(text.trim());
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** The grammar config files use too ({@link DurationText}). */
    static Duration duration(String text) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    static Bps bps(String text) {
        return new Bps(converted(() -> Units.bps(text, "")));
    }

    static AmountText amountText(String text) {
        return converted(() -> AmountText.of(text));
    }

    /** A {@link Units} rule's UserError as picocli's conversion error (its "option: " prefix is picocli's to add). */
    private static <T> T converted(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ExitCodes.UserError e) {
            String m = e.getMessage();
            throw new TypeConversionException(m.startsWith(": ") ? m.substring(2) : m);
        }
    }

    /** A gas price in gwei ("50", "0.5"), as Wei. */
    static io.unwind.domain.money.Wei gwei(String text) {
        try {
            return io.unwind.domain.money.Wei.parseGwei(text.trim());
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + text + "' is not an amount of gwei (" + e.getMessage() + ")");
        }
    }

    /** The gas price converter, named by the options that take GWEI (a Wei elsewhere need not be gwei). */
    static final class Gwei implements ITypeConverter<io.unwind.domain.money.Wei> {
        @Override
        public io.unwind.domain.money.Wei convert(String value) {
            return gwei(value);
        }
    }

    /** A count that must be at least 1 (vaults, blocks, a chunk size). */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
            if (n < 1) throw new TypeConversionException("must be at least 1, not " + n);
            return n;
        }
    }

    /** A share in basis points, typed as "80%", "0.5%" or "8000bps" (a bare number is refused: see Units.bps). */
    record Bps(int value) {}

    /** Converts with picocli's interface, for an option that names its converter itself. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return duration(value);
        }
    }
}

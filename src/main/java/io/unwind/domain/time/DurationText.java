package io.unwind.domain.time;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar for durations, in the config file and on the command line: a whole number and a unit, ms, s, m, h or
 * d ("500ms", "12s", "2m", "1h", "1d"); a bare number is seconds. Case and a space before the unit are ignored.
 */
public final class DurationText {
    /** How a duration is written, for error messages. */
    public static final String EXAMPLES = "500ms, 90s, 10m, 2h or 1d";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)?");

    private DurationText() {}

    /** The duration {@code text} says; {@link IllegalArgumentException} with the grammar when it says none. */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (write it like " + EXAMPLES + ")");
        }
        long v = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(v);
            case "m" -> Duration.ofMinutes(v);
            case "h" -> Duration.ofHours(v);
            case "d" -> Duration.ofDays(v);
            default -> Duration.ofSeconds(v);
        };
    }

    /** The shortest way this grammar writes {@code d} ("2h", "90s", "1500ms"). */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) return ms + "ms";
        long s = d.toSeconds();
        if (s == 0) return "0s";
        if (s % 86_400 == 0) return s / 86_400 + "d";
        if (s % 3_600 == 0) return s / 3_600 + "h";
        if (s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}

package io.unwind.domain.time;

import java.time.Duration;

/** A duration for people in its largest whole unit: "7d", "2h", "10m", "45s" (as the CLI reads them back). */
public final class CompactDuration {
    private CompactDuration() {}

    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s == 0) return "0s";
        if (s % 86_400 == 0) return s / 86_400 + "d";
        if (s % 3_600 == 0) return s / 3_600 + "h";
        if (s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}

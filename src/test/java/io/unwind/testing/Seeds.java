package io.unwind.testing;

/**
 * Seeds for randomised tests: a fresh one every run (so that runs explore different cases), or the one given with
 * {@code -Dunwind.test.seed=<seed>} to replay a failure. Tests print the seed and put {@link #replay} in every failure
 * message.
 */
public final class Seeds {
    public static final String PROPERTY = "unwind.test.seed";

    private Seeds() {}

    public static long seed() {
        return Long.getLong(PROPERTY, System.nanoTime());
    }

    public static String replay(long seed) {
        return "seed " + seed + ", replay with -D" + PROPERTY + "=" + seed;
    }
}

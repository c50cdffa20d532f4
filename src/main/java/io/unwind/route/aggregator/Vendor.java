package io.unwind.route.aggregator;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The DEX aggregators Unwind can ask for routes, with the name each goes by in config, metrics and reports. */
public enum Vendor {
    ONE_INCH("1inch", "https://api.1inch.dev", true),
    ZERO_X("0x", "https://api.0x.org", true),
    PARASWAP("paraswap", "https://api.paraswap.io", false),
    ODOS("odos", "https://api.odos.xyz", false),
    KYBERSWAP("kyberswap", "https://aggregator-api.kyberswap.com", false);

    private final String id;
    private final URI defaultBaseUrl;
    private final boolean needsKey;

    Vendor(String id, String defaultBaseUrl, boolean needsKey) {
        this.id = id;
        this.defaultBaseUrl = URI.create(defaultBaseUrl);
        this.needsKey = needsKey;
    }

    /** The route source name ("1inch", "0x", "paraswap", "odos", "kyberswap"). */
    public String id() {
        return id;
    }

    public URI defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** Whether the vendor refuses requests without an API key (1inch and 0x do; the others have a public tier). */
    public boolean needsKey() {
        return needsKey;
    }

    public static Vendor parse(String s) {
        for (Vendor v : values()) if (v.id.equals(s.trim().toLowerCase(Locale.ROOT))) return v;
        throw new IllegalArgumentException("unknown aggregator '" + s + "' (known: " + known() + ")");
    }

    public static String known() {
        return Arrays.stream(values()).map(Vendor::id).collect(Collectors.joining(", "));
    }
}

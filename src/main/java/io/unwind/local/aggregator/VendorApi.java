package io.unwind.local.aggregator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.route.aggregator.Vendor;

/** One vendor's wire format, served by the emulator below the path prefix {@code /<vendor id>}. */
interface VendorApi {
    Vendor vendor();

    /** Answers a request honestly, or with the quote-level lies its desk's misbehaviour asks for. */
    Reply handle(Call call);

    /** The vendor's error body for {@code status} (also 429 and 5xx). */
    ObjectNode error(int status, String message, String field);

    /** Extra headers the vendor sends with a 429. */
    default java.util.Map<String, String> rateLimitHeaders() {
        return java.util.Map.of("Retry-After", "1");
    }
}

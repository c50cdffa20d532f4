package io.unwind.domain.route;

import io.unwind.domain.chain.Address;
import java.util.Objects;

/** A (router, selector) pair the vault's owner allowed for deleverage swaps ({@code isRouteAllowed}). */
public record AllowedRoute(Address router, Selector selector) {
    public AllowedRoute {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(selector, "selector");
    }
}

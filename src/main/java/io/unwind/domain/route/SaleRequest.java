package io.unwind.domain.route;

import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Set;

/**
 * What a quote must match to be worth simulating: the vault's sale, its allow-list, and the targets the vault never
 * calls (its tokens, itself, the market, the oracle, the zero address).
 *
 * @param forbiddenTargets addresses besides the tokens, the vault and zero that the vault refuses as routers (the
 *     Morpho contract and the market's oracle)
 */
public record SaleRequest(
        Address vault,
        Address collateralToken,
        Address loanToken,
        BigInteger collateralAmount,
        Set<AllowedRoute> allowedRoutes,
        Set<Address> forbiddenTargets) {

    public SaleRequest {
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(collateralToken, "collateralToken");
        Objects.requireNonNull(loanToken, "loanToken");
        Objects.requireNonNull(collateralAmount, "collateralAmount");
        allowedRoutes = Set.copyOf(allowedRoutes);
        forbiddenTargets = Set.copyOf(forbiddenTargets);
    }

    /** True if the vault's {@code _checkTarget} would refuse {@code router}. */
    public boolean isForbiddenTarget(Address router) {
        return router.isZero()
                || router.equals(vault)
                || router.equals(collateralToken)
                || router.equals(loanToken)
                || forbiddenTargets.contains(router);
    }
}

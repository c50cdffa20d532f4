package io.unwind.domain.route;

import java.util.Optional;

/**
 * The checks a quote must pass before it is worth simulating. They repeat what the vault enforces (allow-listed router
 * and selector, forbidden targets) and catch what the vault would only notice by reverting (proceeds sent elsewhere,
 * wrong tokens, wrong amount), so that no gas is spent on them and a lying source is named.
 */
public final class QuoteCheck {
    private QuoteCheck() {}

    /** Empty when the quote matches the request; otherwise the first problem found. */
    public static Optional<Rejection> check(Quote q, SaleRequest req) {
        if (req.isForbiddenTarget(q.router())) {
            return reject(RejectReason.TARGET_NOT_ALLOWED, "router " + q.router() + " is a target the vault refuses");
        }
        Selector selector = q.calldata().selector();
        if (!req.allowedRoutes().contains(new AllowedRoute(q.router(), selector))) {
            return reject(
                    RejectReason.TARGET_NOT_ALLOWED, "(" + q.router() + ", " + selector + ") is not allow-listed");
        }
        if (!q.sellToken().equals(req.collateralToken())) {
            return reject(
                    RejectReason.WRONG_TOKEN,
                    "sells " + q.sellToken() + ", not the collateral " + req.collateralToken());
        }
        if (!q.buyToken().equals(req.loanToken())) {
            return reject(RejectReason.WRONG_TOKEN, "buys " + q.buyToken() + ", not the loan token " + req.loanToken());
        }
        if (!q.recipient().equals(req.vault())) {
            return reject(RejectReason.WRONG_RECIPIENT, "pays " + q.recipient() + ", not the vault " + req.vault());
        }
        if (!q.amountIn().equals(req.collateralAmount())) {
            return reject(
                    RejectReason.WRONG_AMOUNT,
                    "sells " + q.amountIn() + ", the order is for " + req.collateralAmount());
        }
        if (q.minOut().compareTo(q.expectedOut()) > 0) {
            return reject(RejectReason.SOURCE_ERROR, "minimum " + q.minOut() + " above expected " + q.expectedOut());
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(RejectReason reason, String detail) {
        return Optional.of(new Rejection(reason, detail));
    }
}

package io.unwind.domain.route;

import static io.unwind.domain.testing.Fixtures.NOW;
import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.VAULT;
import static io.unwind.domain.testing.Fixtures.WETH;

import io.unwind.domain.chain.Address;
import io.unwind.domain.plan.SaleOrder;
import io.unwind.domain.plan.Sizing;
import java.math.BigInteger;
import java.util.Set;

/** Quotes and orders for route tests: selling WETH for USDC from {@link io.unwind.domain.testing.Fixtures#VAULT}. */
final class RouteFixtures {
    static final Address ROUTER_A = Address.of("0x" + "1a".repeat(20));
    static final Address ROUTER_B = Address.of("0x" + "1b".repeat(20));
    static final Selector SWAP = Selector.of("0x12aa3caf");
    static final Calldata CALLDATA = Calldata.ofHex("0x12aa3caf" + "00".repeat(31) + "01");
    static final Address MORPHO = Address.of("0x" + "4d".repeat(20));
    static final BigInteger ONE_WETH = BigInteger.TEN.pow(18);

    private RouteFixtures() {}

    static SaleRequest request(BigInteger amount) {
        return new SaleRequest(
                VAULT,
                WETH.address(),
                USDC.address(),
                amount,
                Set.of(new AllowedRoute(ROUTER_A, SWAP), new AllowedRoute(ROUTER_B, SWAP)),
                Set.of(MORPHO));
    }

    static Quote quote(String source, Address router, BigInteger amountIn, long out, long gas) {
        return new Quote(
                source,
                router,
                CALLDATA,
                WETH.address(),
                USDC.address(),
                amountIn,
                BigInteger.valueOf(out),
                BigInteger.valueOf(out),
                gas,
                VAULT);
    }

    /** An order selling {@code amountIn} WETH that requires {@code required} USDC and pays no fee. */
    static SaleOrder order(BigInteger amountIn, long required, long guaranteed) {
        var req = USDC.amount(BigInteger.valueOf(required));
        return new SaleOrder(
                WETH.amount(amountIn),
                req,
                req,
                req,
                USDC.amount(BigInteger.ZERO),
                USDC.amount(BigInteger.ZERO),
                req,
                USDC.amount(BigInteger.valueOf(guaranteed)),
                USDC.amount(BigInteger.valueOf(guaranteed)),
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                new Sizing.Full(),
                NOW);
    }

    static Candidate viable(String source, Address router, BigInteger amountIn, long proceeds, long gasUsed) {
        Quote q = quote(source, router, amountIn, proceeds, 0);
        return Candidate.simulated(
                q,
                order(amountIn, proceeds / 2, proceeds),
                new Simulation.Succeeded(BigInteger.valueOf(proceeds / 2), BigInteger.valueOf(proceeds), gasUsed));
    }
}

package io.unwind.domain.route;

import static io.unwind.domain.route.RouteFixtures.CALLDATA;
import static io.unwind.domain.route.RouteFixtures.MORPHO;
import static io.unwind.domain.route.RouteFixtures.ONE_WETH;
import static io.unwind.domain.route.RouteFixtures.ROUTER_A;
import static io.unwind.domain.route.RouteFixtures.quote;
import static io.unwind.domain.route.RouteFixtures.request;
import static io.unwind.domain.testing.Fixtures.OWNER;
import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.VAULT;
import static io.unwind.domain.testing.Fixtures.WETH;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class QuoteCheckTest {
    static final SaleRequest REQ = request(ONE_WETH);
    static final Quote GOOD = quote("1inch", ROUTER_A, ONE_WETH, 3_000_000_000L, 200_000);

    static Optional<RejectReason> check(Quote q) {
        return QuoteCheck.check(q, REQ).map(Rejection::reason);
    }

    static Quote with(
            Address router, Calldata data, Address sell, Address buy, BigInteger in, long out, long min, Address to) {
        return new Quote("x", router, data, sell, buy, in, BigInteger.valueOf(out), BigInteger.valueOf(min), 0, to);
    }

    @Test
    void aMatchingQuotePasses() {
        assertThat(check(GOOD)).isEmpty();
    }

    @Test
    void theRouterAndSelectorMustBeAllowListed() {
        Address other = Address.of("0x" + "77".repeat(20));
        assertThat(check(with(other, CALLDATA, WETH.address(), USDC.address(), ONE_WETH, 1, 1, VAULT)))
                .contains(RejectReason.TARGET_NOT_ALLOWED);
        Calldata otherSelector = Calldata.ofHex("0xdeadbeef00");
        assertThat(check(with(ROUTER_A, otherSelector, WETH.address(), USDC.address(), ONE_WETH, 1, 1, VAULT)))
                .contains(RejectReason.TARGET_NOT_ALLOWED);
        Calldata tooShort = Calldata.ofHex("0x12aa");
        assertThat(tooShort.selector()).isEqualTo(Selector.ZERO);
        assertThat(check(with(ROUTER_A, tooShort, WETH.address(), USDC.address(), ONE_WETH, 1, 1, VAULT)))
                .contains(RejectReason.TARGET_NOT_ALLOWED);
    }

    @Test
    void targetsTheVaultRefusesAreRefusedEvenIfListed() {
        for (Address forbidden : new Address[] {VAULT, WETH.address(), USDC.address(), MORPHO, Address.ZERO}) {
            var req = new SaleRequest(
                    VAULT,
                    WETH.address(),
                    USDC.address(),
                    ONE_WETH,
                    java.util.Set.of(new AllowedRoute(forbidden, RouteFixtures.SWAP)),
                    java.util.Set.of(MORPHO));
            var q = with(forbidden, CALLDATA, WETH.address(), USDC.address(), ONE_WETH, 1, 1, VAULT);
            assertThat(QuoteCheck.check(q, req).map(Rejection::reason)).contains(RejectReason.TARGET_NOT_ALLOWED);
        }
    }

    @Test
    void tokensRecipientAndAmountMustMatch() {
        assertThat(check(with(ROUTER_A, CALLDATA, USDC.address(), USDC.address(), ONE_WETH, 1, 1, VAULT)))
                .contains(RejectReason.WRONG_TOKEN);
        assertThat(check(with(ROUTER_A, CALLDATA, WETH.address(), WETH.address(), ONE_WETH, 1, 1, VAULT)))
                .contains(RejectReason.WRONG_TOKEN);
        assertThat(check(with(ROUTER_A, CALLDATA, WETH.address(), USDC.address(), ONE_WETH, 1, 1, OWNER)))
                .contains(RejectReason.WRONG_RECIPIENT);
        BigInteger more = ONE_WETH.add(BigInteger.ONE);
        assertThat(check(with(ROUTER_A, CALLDATA, WETH.address(), USDC.address(), more, 1, 1, VAULT)))
                .contains(RejectReason.WRONG_AMOUNT);
    }

    @Test
    void aMinimumAboveTheExpectationIsNonsense() {
        assertThat(check(with(ROUTER_A, CALLDATA, WETH.address(), USDC.address(), ONE_WETH, 10, 11, VAULT)))
                .contains(RejectReason.SOURCE_ERROR);
    }

    @Test
    void calldataIsImmutableAndComparedByContent() {
        byte[] raw = {0x12, (byte) 0xaa, 0x3c, (byte) 0xaf, 0x01};
        Calldata c = new Calldata(raw);
        raw[4] = 0x02;
        assertThat(c.bytes()[4]).isEqualTo((byte) 0x01);
        c.bytes()[4] = 0x03;
        assertThat(c).isEqualTo(Calldata.ofHex("0x12aa3caf01")).hasSameHashCodeAs(Calldata.ofHex("12AA3CAF01"));
        assertThat(c.selector()).isEqualTo(RouteFixtures.SWAP);
    }
}

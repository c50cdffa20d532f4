package io.unwind.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Ltv;
import io.unwind.local.DevWallet;
import io.unwind.local.LocalChain;
import io.unwind.local.Toolchain;
import io.unwind.testing.Seeds;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SequencedSet;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The keeper's LTV arithmetic ({@link Ltv}) against the contracts' own ({@code LtvMath.sol}), evaluated by the EVM on
 * anvil through {@code contracts/test/utils/LtvMathHarness.sol}: every function, every pairing of 6, 8 and 18 decimals,
 * amounts from one base unit to 10^12 whole tokens, prices across the oracle's 1e36-scaled range, the rounding
 * boundaries either side, zero and the uint256 maximum. The answers must be equal to the unit, and the contract must
 * revert exactly where a quantity it computes does not fit in a uint256.
 *
 * <p>The planner and the test emulator of the vault both call {@link Ltv}; a rounding slip there would be made
 * identically by both, and only the chain would notice (every sale reverting in simulation). This is the check that
 * does not share the keeper's code. Random cases come from a seed printed in every failure; replay one with
 * {@code -Dunwind.test.seed=<seed>}.
 */
@Tag("chain")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LtvAgainstLtvMathTest {
    private static final BigInteger MAX = Ltv.UINT256_MAX;

    /** LtvMathHarness.Fn, in its order, with the name of the Java counterpart. */
    private enum Fn {
        COLLATERAL_VALUE("collateralValue"),
        LTV("ltv"),
        ORACLE_FLOOR("oracleFloor"),
        BPS_TO_WAD("bpsToWad"),
        CEIL_DIV("divUp");

        private final String java;

        Fn(String java) {
            this.java = java;
        }

        @Override
        public String toString() {
            return java;
        }
    }

    private static final int[] DECIMALS = {6, 8, 18};
    /** Cases per eth_call: a few thousand gas each, well under the call's gas cap. */
    private static final int BATCH = 1000;

    private final long seed = Seeds.seed();
    private final Random random = new Random(seed);
    private LocalChain chain;
    private Address harness;

    @BeforeAll
    void deployTheHarness() throws IOException {
        chain = LocalChain.start();
        JsonNode artifact = new ObjectMapper()
                .readTree(Toolchain.locate()
                        .artifact("out/LtvMathHarness.sol/LtvMathHarness.json")
                        .toFile());
        Web3j web3j = Web3j.build(new HttpService(chain.httpUrl().toString()));
        try {
            DevWallet d = new DevWallet(web3j, LocalChain.devAccount(0), chain.chainId());
            harness = d.deploy(artifact.get("bytecode").get("object").asText(), "");
            d.flush();
        } finally {
            web3j.shutdown();
        }
    }

    @AfterAll
    void stop() {
        if (chain != null) chain.close();
    }

    @Test
    void collateralValueMatchesEverywhere() {
        List<List<BigInteger>> cases = new ArrayList<>();
        for (Point p : everyPair()) cases.add(List.of(p.collateral(), p.price()));
        extremes(cases, 2);
        check(Fn.COLLATERAL_VALUE, cases, c -> fits(Ltv.collateralValue(c.get(0), c.get(1))));
    }

    @Test
    void ltvMatchesEverywhere() {
        List<List<BigInteger>> cases = new ArrayList<>();
        for (Point p : everyPair()) {
            for (BigInteger debt : debts(p)) cases.add(List.of(p.collateral(), debt, p.price()));
        }
        extremes(cases, 3);
        check(Fn.LTV, cases, c -> {
            BigInteger collateral = c.get(0), debt = c.get(1), price = c.get(2);
            // The contract: no debt is 0 before anything is computed; otherwise the value must fit, then the ratio.
            if (debt.signum() == 0) return Optional.of(Ltv.ltv(collateral, debt, price));
            if (fits(Ltv.collateralValue(collateral, price)).isEmpty()) return Optional.empty();
            return fits(Ltv.ltv(collateral, debt, price));
        });
    }

    @Test
    void oracleFloorMatchesEverywhere() {
        List<List<BigInteger>> cases = new ArrayList<>();
        for (Point p : everyPair()) {
            for (int s : new int[] {0, 1, 1 + random.nextInt(999), 1000, 10_000}) {
                cases.add(List.of(p.collateral(), p.price(), BigInteger.valueOf(s)));
            }
        }
        for (List<BigInteger> e : extremesOf(2)) {
            for (int s : new int[] {0, 50, 1000, 10_000}) cases.add(List.of(e.get(0), e.get(1), BigInteger.valueOf(s)));
        }
        check(Fn.ORACLE_FLOOR, cases, c -> {
            int s = c.get(2).intValueExact();
            // The value rounded up is computed first (slippage 0 gives exactly it), then the share of it.
            if (fits(Ltv.oracleFloor(c.get(0), c.get(1), 0)).isEmpty()) return Optional.empty();
            return fits(Ltv.oracleFloor(c.get(0), c.get(1), s));
        });
    }

    @Test
    void bpsToWadMatchesEverywhere() {
        List<List<BigInteger>> cases = new ArrayList<>();
        for (int b = 0; b <= 10_000; b++) cases.add(List.of(BigInteger.valueOf(b)));
        for (int i = 0; i < 50; i++) cases.add(List.of(BigInteger.valueOf(random.nextInt(Integer.MAX_VALUE))));
        cases.add(List.of(BigInteger.valueOf(Integer.MAX_VALUE)));
        check(Fn.BPS_TO_WAD, cases, c -> fits(Ltv.bpsToWad(c.get(0).intValueExact())));
    }

    @Test
    void divUpMatchesTheContractsCeilDiv() {
        List<List<BigInteger>> cases = new ArrayList<>();
        List<BigInteger> values = new ArrayList<>(List.of(
                BigInteger.ZERO,
                BigInteger.ONE,
                BigInteger.TWO,
                BigInteger.TEN.pow(18),
                BigInteger.TEN.pow(36),
                BigInteger.TEN.pow(36).add(BigInteger.ONE),
                MAX,
                MAX.subtract(BigInteger.ONE)));
        for (int i = 0; i < 30; i++) values.add(new BigInteger(1 + random.nextInt(256), random));
        for (BigInteger a : values) for (BigInteger b : values) cases.add(List.of(a, b));
        check(
                Fn.CEIL_DIV,
                cases,
                c -> c.get(1).signum() == 0 ? Optional.empty() : Optional.of(Ltv.divUp(c.get(0), c.get(1))));
    }

    // ---------------------------------------------------------------------------------------------
    // Cases
    // ---------------------------------------------------------------------------------------------

    /**
     * Collateral amounts (one base unit to 10^12 whole tokens: every power of ten, random ones between, the ends +-1)
     * crossed with prices (feed answers of 10^-8 to 10^9 loan tokens per collateral token at 8 decimals, as the adapter
     * scales them, arbitrary 1e36-scaled prices, and 1e36 +-1), and for each price the collateral amounts either side
     * of a whole base unit of value, where collateralValue's rounding turns.
     */
    private List<Point> collateralAndPrice(int dc, int dl) {
        SequencedSet<BigInteger> collateral = new LinkedHashSet<>();
        BigInteger top = BigInteger.TEN.pow(12 + dc);
        for (int k = 0; k <= 12 + dc; k++) collateral.add(BigInteger.TEN.pow(k));
        for (int i = 0; i < 8; i++) collateral.add(between(BigInteger.ONE, top));
        collateral.addAll(List.of(
                BigInteger.ZERO,
                BigInteger.TWO,
                BigInteger.valueOf(3),
                top.subtract(BigInteger.ONE),
                top.add(BigInteger.ONE)));

        SequencedSet<BigInteger> prices = new LinkedHashSet<>();
        BigInteger perFeedUnit = BigInteger.TEN.pow(36 + dl - dc - 8); // what one unit of an 8-decimal answer is worth
        for (long answer : new long[] {1, 100_000_000L, 100_000_000_000_000_000L})
            prices.add(perFeedUnit.multiply(BigInteger.valueOf(answer)));
        for (int i = 0; i < 4; i++) prices.add(perFeedUnit.multiply(between(BigInteger.ONE, BigInteger.TEN.pow(17))));
        for (int i = 0; i < 3; i++) prices.add(between(BigInteger.ONE, BigInteger.TEN.pow(36 + dl - dc + 9)));
        BigInteger scale = Ltv.PRICE_SCALE;
        prices.addAll(List.of(scale.subtract(BigInteger.ONE), scale, scale.add(BigInteger.ONE)));

        List<Point> out = new ArrayList<>();
        for (BigInteger p : prices) {
            for (BigInteger c : collateral) out.add(new Point(dl, c, p));
            // The least collateral worth `v` base units, and one less (worth v - 1 after rounding down).
            BigInteger v = between(BigInteger.ONE, BigInteger.TEN.pow(13 + dl));
            BigInteger c = Ltv.divUp(v.multiply(scale), p);
            out.add(new Point(dl, c, p));
            out.add(new Point(dl, c.subtract(BigInteger.ONE), p));
        }
        return out;
    }

    /** A collateral amount at a price, on a market whose loan token has {@code dl} decimals. */
    private record Point(int dl, BigInteger collateral, BigInteger price) {}

    /** {@link #collateralAndPrice} for all nine pairings of 6, 8 and 18 decimals. */
    private List<Point> everyPair() {
        List<Point> out = new ArrayList<>();
        for (int dc : DECIMALS) for (int dl : DECIMALS) out.addAll(collateralAndPrice(dc, dl));
        return out;
    }

    /**
     * Debts for one (collateral, price): none, one unit, the value itself, amounts either side of a random LTV's exact
     * boundary (where ltv's rounding up turns), a random one up to 10^13 whole loan tokens, and the maximum.
     */
    private List<BigInteger> debts(Point p) {
        BigInteger value = p.collateral().multiply(p.price()).divide(Ltv.PRICE_SCALE);
        SequencedSet<BigInteger> d = new LinkedHashSet<>(List.of(
                BigInteger.ZERO, BigInteger.ONE, value, MAX, between(BigInteger.ONE, BigInteger.TEN.pow(13 + p.dl()))));
        BigInteger ltvWad =
                between(BigInteger.TEN.pow(16), BigInteger.TEN.pow(18).multiply(BigInteger.TWO));
        BigInteger atBoundary = value.multiply(ltvWad).divide(Ltv.WAD);
        d.add(atBoundary);
        d.add(atBoundary.add(BigInteger.ONE));
        return d.stream().filter(x -> x.signum() >= 0).toList();
    }

    /** Zero, one and the maximum in every position, for an n-argument function. */
    private static void extremes(List<List<BigInteger>> cases, int n) {
        cases.addAll(extremesOf(n));
    }

    private static List<List<BigInteger>> extremesOf(int n) {
        List<BigInteger> values = List.of(BigInteger.ZERO, BigInteger.ONE, Ltv.PRICE_SCALE, MAX);
        List<List<BigInteger>> out = new ArrayList<>(List.of(List.of()));
        for (int i = 0; i < n; i++) {
            List<List<BigInteger>> next = new ArrayList<>();
            for (List<BigInteger> prefix : out) {
                for (BigInteger v : values) {
                    List<BigInteger> l = new ArrayList<>(prefix);
                    l.add(v);
                    next.add(l);
                }
            }
            out = next;
        }
        return out;
    }

    /** Uniform on a logarithmic scale between lo and hi (inclusive), so every order of magnitude gets cases. */
    private BigInteger between(BigInteger lo, BigInteger hi) {
        int bits = lo.bitLength() + random.nextInt(Math.max(1, hi.bitLength() - lo.bitLength() + 1));
        BigInteger x = new BigInteger(Math.max(1, bits), random);
        return x.max(lo).min(hi);
    }

    // ---------------------------------------------------------------------------------------------
    // Comparing
    // ---------------------------------------------------------------------------------------------

    private static Optional<BigInteger> fits(BigInteger x) {
        return x.signum() >= 0 && x.compareTo(MAX) <= 0 ? Optional.of(x) : Optional.empty();
    }

    /**
     * Evaluates every case on chain ({@code evaluate(fn, a[], b[], c[])}, one array per argument) and in Java; empty
     * means "the contract reverts". Lists the first mismatches with their inputs, and the seed.
     */
    private void check(Fn fn, List<List<BigInteger>> cases, Function<List<BigInteger>, Optional<BigInteger>> java) {
        List<Optional<BigInteger>> chainSays = evaluate(fn, cases);
        List<String> mismatches = new ArrayList<>();
        int reverts = 0;
        for (int i = 0; i < cases.size(); i++) {
            Optional<BigInteger> expected = chainSays.get(i);
            Optional<BigInteger> actual = java.apply(cases.get(i));
            if (expected.isEmpty()) reverts++;
            if (!expected.equals(actual)) {
                mismatches.add(fn + "" + cases.get(i) + ": LtvMath "
                        + expected.map(BigInteger::toString).orElse("reverts") + ", Ltv.java "
                        + actual.map(BigInteger::toString).orElse("out of uint256 (the contract would revert)"));
            }
        }
        System.out.printf("%s: %,d cases, %,d of them reverting on chain, seed %d%n", fn, cases.size(), reverts, seed);
        assertThat(mismatches.stream().limit(10).toList())
                .as(
                        "%s: Ltv.java against LtvMath.sol, %,d of %,d cases differ, the first ones shown (%s)",
                        fn, mismatches.size(), cases.size(), Seeds.replay(seed))
                .isEmpty();
    }

    @SuppressWarnings("rawtypes") // web3j encodes a call from a List<Type>, with Type raw
    private List<Optional<BigInteger>> evaluate(Fn fn, List<List<BigInteger>> cases) {
        List<Optional<BigInteger>> out = new ArrayList<>(cases.size());
        for (int from = 0; from < cases.size(); from += BATCH) {
            List<List<BigInteger>> batch = cases.subList(from, Math.min(cases.size(), from + BATCH));
            List<Type> args = new ArrayList<>(List.of(new Uint8(fn.ordinal())));
            for (int a = 0; a < 3; a++) { // the arguments a function does not take are zeros
                final int col = a;
                args.add(new DynamicArray<>(
                        Uint256.class,
                        batch.stream()
                                .map(c -> new Uint256(col < c.size() ? c.get(col) : BigInteger.ZERO))
                                .toList()));
            }
            String data = FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("evaluate", args, List.of()));
            JsonNode result = chain.rpc("eth_call", Map.of("to", harness.hex(), "data", data), "latest");
            // (bool[] ok, uint256[] out), decoded by hand: web3j's generic decoder takes longer than the EVM.
            byte[] r = Numeric.hexStringToByteArray(result.asText());
            int okAt = word(r, 0).intValueExact(), outAt = word(r, 32).intValueExact();
            assertThat(word(r, okAt).intValueExact()).as("answers from %s", fn).isEqualTo(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                boolean ok = word(r, okAt + 32 + 32 * i).signum() != 0;
                out.add(ok ? Optional.of(word(r, outAt + 32 + 32 * i)) : Optional.empty());
            }
        }
        return out;
    }

    private static BigInteger word(byte[] r, int offset) {
        return new BigInteger(1, java.util.Arrays.copyOfRange(r, offset, offset + 32));
    }
}

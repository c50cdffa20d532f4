package io.unwind.domain.portfolio;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import io.unwind.domain.position.LendingProtocol;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One owner's vaults, across protocols and markets, as one book: each position, the exposure per asset, the totals per
 * quote token, and the position closest to liquidation.
 *
 * <p>Values are integers in the quote token's base units (each market's loan token: a vault's collateral is valued at
 * its own market's oracle price). Totals are kept per quote token: USDC and DAI base units are not added up, because
 * their decimals differ and nothing on chain says they are worth the same. A vault whose price is unknown (its oracle
 * failed) is listed with no value and left out of the totals, which say how many vaults they leave out.
 *
 * @param owner the vaults' owner
 * @param positions each vault, in the order given
 * @param assets per token: collateral supplied, debt owed and reserve held in it, over every vault
 * @param totals per quote token: collateral value, debt, reserve and equity of the vaults priced in it
 * @param sharedReserves loan tokens the owner's shared reserves hold for these vaults, per token (base units), counted
 *     in the equity of the quote token they are
 */
public record Portfolio(
        Address owner,
        List<Position> positions,
        List<AssetExposure> assets,
        List<Total> totals,
        Map<Token, BigInteger> sharedReserves) {

    public Portfolio {
        positions = List.copyOf(positions);
        assets = List.copyOf(assets);
        totals = List.copyOf(totals);
        sharedReserves = Map.copyOf(sharedReserves);
    }

    /**
     * One vault in the book.
     *
     * @param collateralValue the collateral at the oracle price, in the loan token's base units (empty: price unknown)
     * @param equity collateral value + reserve - debt (negative when the debt exceeds the rest; empty: price unknown)
     * @param ltvToLltv LTV / LLTV: 1 or more is liquidatable (empty: price or LLTV unknown)
     */
    public record Position(
            VaultHealth health,
            Optional<BigInteger> collateralValue,
            Optional<BigInteger> equity,
            Optional<BigDecimal> ltvToLltv) {

        public Address vault() {
            return health.vault();
        }

        public LendingProtocol protocol() {
            return health.protocol();
        }
    }

    /**
     * The owner's exposure to one token over every vault.
     *
     * @param collateral base units supplied as collateral
     * @param debt base units owed
     * @param reserve base units held in the vaults' own reserves
     * @param vaults how many vaults hold or owe it
     */
    public record AssetExposure(Token token, BigInteger collateral, BigInteger debt, BigInteger reserve, int vaults) {
        /** Collateral + reserve - debt, in the token itself (what the owner holds of it, net). */
        public BigInteger net() {
            return collateral.add(reserve).subtract(debt);
        }
    }

    /**
     * The vaults whose debt is in {@code quote}, valued in it.
     *
     * @param unpriced vaults left out because their market's oracle gave no price
     */
    public record Total(
            Token quote,
            BigInteger collateralValue,
            BigInteger debt,
            BigInteger reserve,
            BigInteger sharedReserve,
            int vaults,
            int unpriced) {
        /** Collateral value + the vaults' reserves + the shared reserve - debt. */
        public BigInteger equity() {
            return collateralValue.add(reserve).add(sharedReserve).subtract(debt);
        }
    }

    /** The owner's book from its vaults' health, all read at one block. */
    public static Portfolio of(Address owner, List<VaultHealth> vaults) {
        return of(owner, vaults, Map.of());
    }

    /**
     * The owner's book from its vaults' health and what its shared reserves hold (per loan token), all read at one
     * block. Vaults of other owners are refused: mixing owners would be a bug in the caller.
     */
    public static Portfolio of(Address owner, List<VaultHealth> vaults, Map<Token, BigInteger> sharedReserves) {
        List<Position> positions = new ArrayList<>(vaults.size());
        Map<Address, AssetExposure> assets = new LinkedHashMap<>();
        Map<Address, Total> totals = new LinkedHashMap<>();
        for (VaultHealth h : vaults) {
            if (!h.owner().equals(owner)) {
                throw new IllegalArgumentException(
                        "vault " + h.vault() + " is owned by " + h.owner() + ", not " + owner);
            }
            Position p = position(h);
            positions.add(p);
            add(assets, h.collateralToken(), h.collateral(), BigInteger.ZERO, BigInteger.ZERO);
            add(assets, h.loanToken(), BigInteger.ZERO, h.debt(), h.reserve());
            Total t = totals.getOrDefault(
                    h.loanToken().address(),
                    new Total(
                            h.loanToken(),
                            BigInteger.ZERO,
                            BigInteger.ZERO,
                            BigInteger.ZERO,
                            sharedReserves.getOrDefault(h.loanToken(), BigInteger.ZERO),
                            0,
                            0));
            totals.put(
                    h.loanToken().address(),
                    p.collateralValue().isEmpty()
                            ? new Total(
                                    t.quote(),
                                    t.collateralValue(),
                                    t.debt(),
                                    t.reserve(),
                                    t.sharedReserve(),
                                    t.vaults(),
                                    t.unpriced() + 1)
                            : new Total(
                                    t.quote(),
                                    t.collateralValue().add(p.collateralValue().get()),
                                    t.debt().add(h.debt()),
                                    t.reserve().add(h.reserve()),
                                    t.sharedReserve(),
                                    t.vaults() + 1,
                                    t.unpriced()));
        }
        return new Portfolio(
                owner, positions, List.copyOf(assets.values()), List.copyOf(totals.values()), sharedReserves);
    }

    private static void add(
            Map<Address, AssetExposure> assets,
            Token token,
            BigInteger collateral,
            BigInteger debt,
            BigInteger reserve) {
        AssetExposure a = assets.getOrDefault(
                token.address(), new AssetExposure(token, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, 0));
        assets.put(
                token.address(),
                new AssetExposure(
                        token,
                        a.collateral().add(collateral),
                        a.debt().add(debt),
                        a.reserve().add(reserve),
                        a.vaults() + 1));
    }

    private static Position position(VaultHealth h) {
        if (!h.priceKnown()) return new Position(h, Optional.empty(), Optional.empty(), Optional.empty());
        BigInteger value = Ltv.collateralValue(h.collateral(), h.price());
        BigInteger equity = value.add(h.reserve()).subtract(h.debt());
        Optional<BigDecimal> ratio = h.lltv().signum() == 0
                ? Optional.empty()
                : Optional.of(new BigDecimal(h.ltv()).divide(new BigDecimal(h.lltv()), MathContext.DECIMAL64));
        return new Position(h, Optional.of(value), Optional.of(equity), ratio);
    }

    /**
     * The position closest to liquidation: the highest LTV / LLTV among the vaults with debt and a known price (empty
     * when there is none).
     */
    public Optional<Position> worst() {
        return positions.stream()
                .filter(p -> p.health().hasDebt() && p.ltvToLltv().isPresent())
                .max(Comparator.comparing(p -> p.ltvToLltv().get()));
    }

    /** The protocols the owner's vaults are on, in the order first met. */
    public List<LendingProtocol> protocols() {
        return positions.stream().map(Position::protocol).distinct().toList();
    }

    /**
     * The owners' books from vaults of any owners, in the order each owner is first met.
     *
     * @param sharedReserves per owner, what its shared reserves hold per loan token
     */
    public static List<Portfolio> byOwner(
            List<VaultHealth> vaults, Map<Address, Map<Token, BigInteger>> sharedReserves) {
        Map<Address, List<VaultHealth>> owners = new LinkedHashMap<>();
        for (VaultHealth h : vaults)
            owners.computeIfAbsent(h.owner(), o -> new ArrayList<>()).add(h);
        List<Portfolio> out = new ArrayList<>(owners.size());
        owners.forEach((o, list) -> out.add(of(o, list, sharedReserves.getOrDefault(o, Map.of()))));
        return out;
    }
}

package io.unwind.local;

import io.unwind.contracts.TestToken;
import io.unwind.contracts.UnwindVault;
import io.unwind.contracts.VaultFactory;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Guard;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.SoftTrigger;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

/**
 * Opens vaults on a local market as their owners would: create through the factory, supply collateral, borrow to a
 * given LTV, set the policy, allow keepers and the Uniswap routes, deposit a reserve. Transactions are pipelined (vault
 * addresses are predicted from the factory's nonce and checked afterwards), so that a fleet of hundreds of vaults is
 * set up in seconds.
 */
public final class VaultSetup {
    /** Selector of SwapRouter.exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160)). */
    public static final byte[] V3_EXACT_INPUT_SINGLE =
            selector("exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))");
    /** Selector of SwapRouter02.exactInputSingle((address,address,uint24,address,uint256,uint256,uint160)). */
    public static final byte[] V3_ROUTER02_EXACT_INPUT_SINGLE =
            selector("exactInputSingle((address,address,uint24,address,uint256,uint256,uint160))");
    /** Selector of UniswapV2Router02.swapExactTokensForTokens(uint256,uint256,address[],address,uint256). */
    public static final byte[] V2_SWAP_EXACT_TOKENS =
            selector("swapExactTokensForTokens(uint256,uint256,address[],address,uint256)");

    public record Request(
            Credentials owner,
            BigDecimal collateral,
            BigDecimal ltv,
            Optional<Policy> policy,
            List<Address> keepers,
            BigDecimal reserve,
            boolean allowUniswap,
            Optional<Guard> guard,
            Optional<SoftTrigger> softTrigger) {

        public Request(
                Credentials owner,
                BigDecimal collateral,
                BigDecimal ltv,
                Optional<Policy> policy,
                List<Address> keepers,
                BigDecimal reserve,
                boolean allowUniswap,
                Optional<Guard> guard) {
            this(owner, collateral, ltv, policy, keepers, reserve, allowUniswap, guard, Optional.empty());
        }

        public Request(
                Credentials owner,
                BigDecimal collateral,
                BigDecimal ltv,
                Optional<Policy> policy,
                List<Address> keepers,
                BigDecimal reserve,
                boolean allowUniswap) {
            this(owner, collateral, ltv, policy, keepers, reserve, allowUniswap, Optional.empty());
        }

        /** The owner also sets this guard (after the policy). */
        public Request withGuard(Guard g) {
            return new Request(
                    owner, collateral, ltv, policy, keepers, reserve, allowUniswap, Optional.of(g), softTrigger);
        }

        /** The owner also sets this soft trigger (after the policy, which it must fit). */
        public Request withSoftTrigger(SoftTrigger t) {
            return new Request(owner, collateral, ltv, policy, keepers, reserve, allowUniswap, guard, Optional.of(t));
        }

        public static Request of(Credentials owner, String collateral, String ltv) {
            return new Request(
                    owner,
                    new BigDecimal(collateral),
                    new BigDecimal(ltv),
                    Optional.empty(),
                    List.of(),
                    BigDecimal.ZERO,
                    false);
        }

        public Request withPolicy(Policy p) {
            return new Request(
                    owner, collateral, ltv, Optional.of(p), keepers, reserve, allowUniswap, guard, softTrigger);
        }

        public Request withKeeper(Address keeper) {
            List<Address> k = new ArrayList<>(keepers);
            k.add(keeper);
            return new Request(owner, collateral, ltv, policy, k, reserve, true, guard, softTrigger);
        }

        public Request withReserve(BigDecimal r) {
            return new Request(owner, collateral, ltv, policy, keepers, r, allowUniswap, guard, softTrigger);
        }

        public Request withUniswapRoutes() {
            return new Request(owner, collateral, ltv, policy, keepers, reserve, true, guard, softTrigger);
        }
    }

    private static final BigInteger CREATE_GAS = BigInteger.valueOf(600_000);
    private static final BigInteger ACTION_GAS = BigInteger.valueOf(500_000);
    /** A pair's first Aave vault also creates the pair's oracle adapter. */
    private static final BigInteger AAVE_CREATE_GAS = BigInteger.valueOf(2_000_000);

    private final Web3j web3j;
    private final MarketDeployment m;
    private final LocalMarket.Contracts c;
    private final DevWallet creator;
    private Address fleetBuilder;

    /** Set to open Aave V3 vaults on {@code m}'s pair through this AaveVaultFactory instead of Morpho vaults. */
    private final java.util.Optional<Address> aaveFactory;

    public VaultSetup(Web3j web3j, MarketDeployment m) {
        this(web3j, m, java.util.Optional.empty());
    }

    /**
     * Opens vaults on {@code m}'s pair: on Morpho, or with {@code aaveFactory} on Aave V3 through it (no e-mode). The
     * owner's calls after the creation are the same on both: the vaults share one owner interface.
     */
    public VaultSetup(Web3j web3j, MarketDeployment m, java.util.Optional<Address> aaveFactory) {
        this.aaveFactory = aaveFactory;
        this.web3j = web3j;
        this.m = m;
        this.c = new LocalMarket.Contracts(web3j, m.deployer().hex());
        this.creator = new DevWallet(web3j, LocalChain.devAccount(0), m.chainId());
    }

    public Address open(Request r, BigDecimal price) {
        return openAll(List.of(r), price).get(0);
    }

    /** Opens every requested vault at the current market {@code price}; returns their addresses in order. */
    public List<Address> openAll(List<Request> requests, BigDecimal price) {
        return openAll(requests, price, true);
    }

    /**
     * Opens a Morpho vault for an owner who already holds its collateral (a fork of a real chain, whose tokens nobody
     * here can mint), at the market's {@code price}.
     */
    public Address openHeld(Request r, BigDecimal price) {
        if (r.reserve().signum() > 0)
            throw new IllegalArgumentException("a vault opened from held tokens starts with no reserve");
        return openAll(List.of(r), price, false).get(0);
    }

    private List<Address> openAll(List<Request> requests, BigDecimal price, boolean mint) {
        if (aaveFactory.isPresent()) return configure(requests, price, createOnAave(requests, aaveFactory.get()));
        VaultFactory factory = c.vaultFactory(m.vaultFactory());
        BigInteger count = c.call(() -> factory.vaultCount().send());
        Prices prices = new Prices(m.collateral(), m.loan(), m.feedDecimals());
        var params = new VaultFactory.MarketParams(
                m.loan().address().hex(),
                m.collateral().address().hex(),
                m.oracle().hex(),
                m.irm().hex(),
                m.lltv());

        // 1. Each owner creates its vault (the factory creates vaults only in the sender's name), one after the other
        // so that the addresses follow the factory's nonce; the deployer mints each owner its collateral and reserve.
        List<Address> vaults = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            // A contract's nonce starts at 1 and counts its CREATEs; the factory's first made the vault implementation.
            vaults.add(Address.of(ContractUtils.generateContractAddress(
                    m.vaultFactory().hex(), count.add(BigInteger.valueOf(i + 2)))));
            DevWallet ownerWallet = new DevWallet(web3j, r.owner(), m.chainId());
            send(ownerWallet, m.vaultFactory(), factory.createVault(params).encodeFunctionCall(), CREATE_GAS);
            ownerWallet.flush();
            if (mint) mintFor(r);
        }
        creator.flush();
        for (int i = 0; i < requests.size(); i++) {
            String actual = c.call(() -> factory.vaults(count, BigInteger.valueOf(requests.size()))
                            .send())
                    .get(i)
                    .toString();
            if (!Address.of(actual).equals(vaults.get(i))) {
                throw new IllegalStateException(
                        "vault address mismatch: predicted " + vaults.get(i) + ", factory lists " + actual);
            }
        }

        return configure(requests, price, vaults);
    }

    /** The deployer mints the owner of {@code r} its collateral and reserve (sent, not yet mined). */
    private void mintFor(Request r) {
        send(
                creator,
                m.collateral().address(),
                c.token(m.collateral().address())
                        .mint(r.owner().getAddress(), collateralUnits(r))
                        .encodeFunctionCall(),
                ACTION_GAS);
        if (r.reserve().signum() > 0) {
            send(
                    creator,
                    m.loan().address(),
                    c.token(m.loan().address())
                            .mint(r.owner().getAddress(), loanUnits(r.reserve()))
                            .encodeFunctionCall(),
                    ACTION_GAS);
        }
    }

    /**
     * Each owner creates its Aave vault, one after the other; the deployer mints each owner its collateral and reserve.
     * The factory also creates an oracle adapter on a pair's first vault, so the addresses are read from its list.
     */
    private List<Address> createOnAave(List<Request> requests, Address factoryAddress) {
        var factory = c.aaveVaultFactory(factoryAddress);
        BigInteger count = c.call(() -> factory.vaultCount().send());
        for (Request r : requests) {
            DevWallet ownerWallet = new DevWallet(web3j, r.owner(), m.chainId());
            send(
                    ownerWallet,
                    factoryAddress,
                    factory.createVault(
                                    m.collateral().address().hex(),
                                    m.loan().address().hex(),
                                    BigInteger.ZERO)
                            .encodeFunctionCall(),
                    AAVE_CREATE_GAS);
            ownerWallet.flush();
            mintFor(r);
        }
        creator.flush();
        List<?> listed = c.call(
                () -> factory.vaults(count, BigInteger.valueOf(requests.size())).send());
        if (listed.size() != requests.size())
            throw new IllegalStateException("the Aave vault factory lists " + listed.size() + " new vaults for "
                    + requests.size() + " created");
        return listed.stream().map(x -> Address.of(x.toString())).toList();
    }

    /** Each owner funds, borrows and sets the rules of its vault (the same calls on Morpho and Aave vaults). */
    private List<Address> configure(List<Request> requests, BigDecimal price, List<Address> vaults) {
        Prices prices = new Prices(m.collateral(), m.loan(), m.feedDecimals());
        TestToken coll = c.token(m.collateral().address());
        TestToken loan = c.token(m.loan().address());
        java.util.Map<String, DevWallet> owners = new java.util.HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            Address v = vaults.get(i);
            DevWallet o =
                    owners.computeIfAbsent(r.owner().getAddress(), a -> new DevWallet(web3j, r.owner(), m.chainId()));
            UnwindVault vault = c.vault(v);
            BigInteger collateral = collateralUnits(r);
            send(o, m.collateral().address(), coll.approve(v.hex(), collateral).encodeFunctionCall(), ACTION_GAS);
            send(o, v, vault.supplyCollateral(collateral).encodeFunctionCall(), ACTION_GAS);
            BigInteger debt = new BigDecimal(prices.valueOf(collateral, price))
                    .multiply(r.ltv())
                    .setScale(0, RoundingMode.DOWN)
                    .toBigIntegerExact();
            if (debt.signum() > 0)
                send(o, v, vault.borrow(debt, r.owner().getAddress()).encodeFunctionCall(), ACTION_GAS);
            r.policy().ifPresent(p -> send(o, v, vault.setPolicy(toContract(p)).encodeFunctionCall(), ACTION_GAS));
            r.softTrigger()
                    .ifPresent(t -> send(
                            o,
                            v,
                            vault.setSoftTrigger(
                                            BigInteger.valueOf(t.softTriggerLtvBps()),
                                            BigInteger.valueOf(t.maxLiquidationProbabilityBps()))
                                    .encodeFunctionCall(),
                            ACTION_GAS));
            r.guard().ifPresent(g -> send(o, v, vault.setGuard(toContract(g)).encodeFunctionCall(), ACTION_GAS));
            for (Address k : r.keepers())
                send(o, v, vault.setKeeper(k.hex(), true).encodeFunctionCall(), ACTION_GAS);
            // The market's Uniswap routers (a fork of a real chain may have only one of them). Of the two V3 routers,
            // SwapRouter where the market has it (local markets have both: their vaults allow what they always have),
            // else SwapRouter02 (a fork of Base, say).
            if (r.allowUniswap() && m.swapRouter() != null) {
                send(
                        o,
                        v,
                        vault.setRoute(m.swapRouter().hex(), V3_EXACT_INPUT_SINGLE, true)
                                .encodeFunctionCall(),
                        ACTION_GAS);
            } else if (r.allowUniswap() && m.swapRouter02() != null) {
                send(
                        o,
                        v,
                        vault.setRoute(m.swapRouter02().hex(), V3_ROUTER02_EXACT_INPUT_SINGLE, true)
                                .encodeFunctionCall(),
                        ACTION_GAS);
            }
            if (r.allowUniswap() && m.uniswapV2Router() != null) {
                send(
                        o,
                        v,
                        vault.setRoute(m.uniswapV2Router().hex(), V2_SWAP_EXACT_TOKENS, true)
                                .encodeFunctionCall(),
                        ACTION_GAS);
            }
            if (r.reserve().signum() > 0) {
                BigInteger reserve = loanUnits(r.reserve());
                send(o, m.loan().address(), loan.approve(v.hex(), reserve).encodeFunctionCall(), ACTION_GAS);
                send(o, v, vault.depositReserve(reserve).encodeFunctionCall(), ACTION_GAS);
            }
        }
        owners.values().forEach(DevWallet::flush);
        return vaults;
    }

    /** The owner allows or denies one (router, selector) route on its vault, and waits for it to be mined. */
    public void setRoute(Credentials owner, Address vault, Address router, byte[] selector, boolean allowed) {
        DevWallet w = new DevWallet(web3j, owner, m.chainId());
        send(w, vault, c.vault(vault).setRoute(router.hex(), selector, allowed).encodeFunctionCall(), ACTION_GAS);
        w.flush();
    }

    /**
     * The owner allows the market's SwapRouter02 (its exactInputSingle) on its vault: the route a keeper takes on a
     * chain whose only V3 router is SwapRouter02. {@link Request#allowUniswap()} allows it only on a market without
     * SwapRouter.
     */
    public void allowSwapRouter02(Credentials owner, Address vault) {
        if (m.swapRouter02() == null) throw new IllegalStateException("this market has no SwapRouter02");
        setRoute(owner, vault, m.swapRouter02(), V3_ROUTER02_EXACT_INPUT_SINGLE, true);
    }

    private static void send(DevWallet w, Address to, String data, BigInteger gas) {
        w.send(to, data, BigInteger.ZERO, gas);
    }

    /**
     * Opens {@code ltvs.size()} vaults of {@code collateral} each through a {@code FleetBuilder}, many per transaction:
     * the builder owns them (benchmarks and fleet scenarios need no owner actions), the keeper and the Uniswap routes
     * are allowed on each. Returns the vaults in order.
     */
    public List<Address> openFleet(
            BigDecimal collateral,
            List<BigDecimal> ltvs,
            Policy policy,
            Address keeper,
            BigDecimal price,
            int perTransaction) {
        Prices prices = new Prices(m.collateral(), m.loan(), m.feedDecimals());
        BigInteger units = collateral
                .movePointRight(m.collateral().decimals())
                .setScale(0, RoundingMode.DOWN)
                .toBigIntegerExact();
        BigInteger value = prices.valueOf(units, price);
        if (fleetBuilder == null) {
            fleetBuilder = creator.deploy(io.unwind.contracts.FleetBuilder.BINARY, "");
            creator.flush();
        }
        var builder = io.unwind.contracts.FleetBuilder.load(
                fleetBuilder.hex(),
                web3j,
                new org.web3j.tx.ReadonlyTransactionManager(
                        web3j, creator.address().hex()),
                new org.web3j.tx.gas.DefaultGasProvider());
        var params = new io.unwind.contracts.FleetBuilder.MarketParams(
                m.loan().address().hex(),
                m.collateral().address().hex(),
                m.oracle().hex(),
                m.irm().hex(),
                m.lltv());
        var p = new io.unwind.contracts.FleetBuilder.Policy(
                BigInteger.valueOf(policy.triggerLtvBps()),
                BigInteger.valueOf(policy.targetLtvBps()),
                BigInteger.valueOf(policy.bandBps()),
                BigInteger.valueOf(policy.maxSlippageBps()),
                BigInteger.valueOf(policy.maxFeeBps()),
                BigInteger.valueOf(policy.maxSellBps()),
                BigInteger.valueOf(policy.cooldown().toSeconds()),
                policy.maxGasPrice().value());
        var routes = List.of(
                new io.unwind.contracts.FleetBuilder.Route(m.swapRouter().hex(), V3_EXACT_INPUT_SINGLE),
                new io.unwind.contracts.FleetBuilder.Route(m.uniswapV2Router().hex(), V2_SWAP_EXACT_TOKENS));
        VaultFactory factory = c.vaultFactory(m.vaultFactory());
        BigInteger start = c.call(() -> factory.vaultCount().send());
        for (int i = 0; i < ltvs.size(); i += perTransaction) {
            List<BigInteger> debts = ltvs.subList(i, Math.min(ltvs.size(), i + perTransaction)).stream()
                    .map(l -> new BigDecimal(value)
                            .multiply(l)
                            .setScale(0, RoundingMode.DOWN)
                            .toBigIntegerExact())
                    .toList();
            creator.send(
                    fleetBuilder,
                    builder.build(m.vaultFactory().hex(), params, units, debts, p, keeper.hex(), routes)
                            .encodeFunctionCall(),
                    BigInteger.ZERO,
                    BigInteger.valueOf(29_000_000));
        }
        creator.flush();
        List<Address> out = new ArrayList<>();
        for (int from = 0; from < ltvs.size(); from += 1000) {
            int n = Math.min(1000, ltvs.size() - from);
            BigInteger s0 = start.add(BigInteger.valueOf(from));
            for (Object a :
                    c.call(() -> factory.vaults(s0, BigInteger.valueOf(n)).send())) out.add(Address.of(a.toString()));
        }
        return out;
    }

    private BigInteger collateralUnits(Request r) {
        return r.collateral()
                .movePointRight(m.collateral().decimals())
                .setScale(0, RoundingMode.DOWN)
                .toBigIntegerExact();
    }

    private BigInteger loanUnits(BigDecimal human) {
        return human.movePointRight(m.loan().decimals())
                .setScale(0, RoundingMode.DOWN)
                .toBigIntegerExact();
    }

    public static UnwindVault.Guard toContract(Guard g) {
        return new UnwindVault.Guard(
                g.priceFeed().hex(),
                BigInteger.valueOf(g.maxPriceAge().toSeconds()),
                BigInteger.valueOf(g.maxPriceDeviationBps()),
                BigInteger.valueOf(g.sellWindow().toSeconds()),
                BigInteger.valueOf(g.maxWindowSellBps()));
    }

    public static UnwindVault.Policy toContract(Policy p) {
        return new UnwindVault.Policy(
                BigInteger.valueOf(p.triggerLtvBps()),
                BigInteger.valueOf(p.targetLtvBps()),
                BigInteger.valueOf(p.bandBps()),
                BigInteger.valueOf(p.maxSlippageBps()),
                BigInteger.valueOf(p.maxFeeBps()),
                BigInteger.valueOf(p.maxSellBps()),
                BigInteger.valueOf(p.cooldown().toSeconds()),
                p.maxGasPrice().value());
    }

    private static byte[] selector(String signature) {
        byte[] hash = org.web3j.crypto.Hash.sha3(signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return java.util.Arrays.copyOf(hash, 4);
    }
}

package io.unwind.local;

import io.unwind.chain.Web3jChainClient;
import io.unwind.chain.deploy.UnwindContracts;
import io.unwind.contracts.ForkOracle;
import io.unwind.contracts.Morpho;
import io.unwind.contracts.TestToken;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Policy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.utils.Numeric;

/**
 * A rehearsal on a local fork of a real chain: Unwind's contracts deployed at their CREATE2 addresses (found, not sent
 * again, where the chain has them), one of the chain's Morpho markets made movable by putting {@link ForkOracle} at its
 * oracle's address (the price it answered kept), and a vault opened on that market by a development account holding the
 * market's real collateral token. The pools, their liquidity and the market's lenders stay the chain's own, so the
 * keeper acts against what it would meet on the chain. Local nodes only: it writes storage and code with anvil's
 * methods.
 */
public final class ForkRehearsal {
    /** Anvil's development account that deploys Unwind's contracts on the fork. */
    public static final int DEPLOYER = 0;

    private static final BigInteger DEPLOY_GAS_MARGIN_PCT = BigInteger.valueOf(130);
    /** How many storage slots are tried for a token's balance mapping. */
    private static final int BALANCE_SLOTS = 64;

    /**
     * What to rehearse: the market of {@code marketId} on the Morpho Blue at {@code morpho}; the routers the vault
     * allows (the chain's own); the vault's owner, its collateral (whole tokens) and its LTV at the market's price; its
     * policy; the keeper it allows.
     */
    public record Request(
            Address morpho,
            String marketId,
            Optional<Address> v3Router,
            Optional<Address> v3Router02,
            Optional<Address> v3Quoter,
            Optional<Address> v2Router,
            Optional<Address> wrappedNative,
            int owner,
            BigDecimal collateral,
            Address keeper,
            String salt) {}

    /**
     * What the rehearsal set up: the market as a deployment (Unwind's contracts, the chain's routers, no seeded pools),
     * the vault, the market's price when the fork started, and the contracts Unwind's plan found or sent.
     */
    public record Result(
            MarketDeployment market,
            Address vault,
            BigDecimal price,
            List<UnwindContracts.Checked> unwind,
            int deployed,
            int ltvBps,
            Policy policy) {}

    /**
     * The vault's rules, from the market's LLTV: the trigger 6 points under it, the target 16 points under it, the
     * vault opened 14 points under it (just over the target), so that a fall of about a tenth crosses the trigger. The
     * owner changes them with {@code unwind policy set} like any vault's.
     */
    static Policy policyFor(int lltvBps) {
        if (lltvBps < 2_000)
            throw new IllegalArgumentException("the market's LLTV is " + lltvBps / 100.0
                    + "%: too low for the rehearsal's policy (trigger 6 points, target 16 points under it)");
        return new Policy(
                lltvBps - 600, lltvBps - 1_600, 500, 100, 50, Policy.BPS, java.time.Duration.ZERO, Wei.gwei(100));
    }

    /** A URL as it may be shown: scheme and host only (providers put their API key in the path or the query). */
    public static String redact(java.net.URI url) {
        String host = url.getHost() == null ? "?" : url.getHost();
        boolean more = url.getRawQuery() != null
                || url.getRawUserInfo() != null
                || (url.getRawPath() != null
                        && !url.getRawPath().isEmpty()
                        && !url.getRawPath().equals("/"));
        return url.getScheme() + "://" + host + (url.getPort() > 0 ? ":" + url.getPort() : "") + (more ? "/…" : "");
    }

    /** A local node's JSON-RPC, for anvil's own methods. */
    private interface Node {
        com.fasterxml.jackson.databind.JsonNode rpc(String method, Object... params);
    }

    private final Node chain;
    private final long chainId;
    private final java.net.URI url;
    private final Web3j web3j;
    private final LocalMarket.Contracts c;

    public ForkRehearsal(LocalChain chain, Web3j web3j) {
        this(chain::rpc, chain.chainId(), chain.httpUrl(), web3j);
    }

    private ForkRehearsal(Node chain, long chainId, java.net.URI url, Web3j web3j) {
        this.chain = chain;
        this.chainId = chainId;
        this.url = url;
        this.web3j = web3j;
        this.c =
                new LocalMarket.Contracts(web3j, LocalChain.devAccount(DEPLOYER).getAddress());
    }

    /** The rehearsal on a fork already prepared, served by the local node at {@code node} (to move its price). */
    public static ForkRehearsal attach(java.net.URI node, long chainId, Web3j web3j) {
        return new ForkRehearsal((m, p) -> LocalChain.rpcAt(node, m, p), chainId, node, web3j);
    }

    public Result prepare(Request r) {
        Address deployer = Address.of(LocalChain.devAccount(DEPLOYER).getAddress());
        if (chain.rpc("eth_getCode", r.morpho().hex(), "latest").asText().length() <= 2) {
            throw new IllegalArgumentException("no contract at " + r.morpho()
                    + " on the forked chain: is it this chain's Morpho Blue (--morpho)?");
        }
        Morpho morpho = c.morpho(r.morpho());
        byte[] id = Numeric.hexStringToByteArray(r.marketId());
        if (id.length != 32) throw new IllegalArgumentException("a Morpho market id is 32 bytes: " + r.marketId());
        var params = c.call(() -> morpho.idToMarketParams(id).send());
        Address loanToken = Address.of(params.component1());
        Address collateralToken = Address.of(params.component2());
        Address oracle = Address.of(params.component3());
        Address irm = Address.of(params.component4());
        BigInteger lltv = params.component5();
        if (lltv.signum() == 0 || collateralToken.equals(Address.ZERO)) {
            throw new IllegalArgumentException("Morpho " + r.morpho() + " has no market " + r.marketId()
                    + " on the forked chain: check the id (it is the market's, from Morpho's app or API)");
        }
        Token collateral = token(collateralToken);
        Token loan = token(loanToken);

        // 1. Unwind's contracts, where the chain has not got them: the same CREATE2 plan `unwind deploy` sends.
        Web3jChainClient client = Web3jChainClient.single(chainId, url);
        byte[] salt = UnwindContracts.salt(r.salt());
        List<UnwindContracts.Planned> plan = UnwindContracts.plan(salt, r.morpho(), Optional.empty(), Optional.empty());
        if (!UnwindContracts.deployerPresent(client)) {
            throw new IllegalStateException("the deterministic deployment proxy " + UnwindContracts.CREATE2_DEPLOYER
                    + " is not on the forked chain: Unwind's contracts cannot be placed at their usual addresses");
        }
        DevWallet wallet = new DevWallet(web3j, LocalChain.devAccount(DEPLOYER), chainId);
        int sent = 0;
        for (UnwindContracts.Planned p : plan) {
            UnwindContracts.Checked ch = UnwindContracts.check(client, deployer, salt, p);
            switch (ch.state()) {
                case VERIFIED -> {}
                case DIFFERENT ->
                    throw new IllegalStateException(
                            p.name() + " at " + p.address() + " " + ch.detail() + ": use another salt (--salt)");
                case MISSING -> {
                    BigInteger gas = BigInteger.valueOf(ch.gas()
                                    .orElseThrow(() -> new IllegalStateException(
                                            "cannot deploy " + p.name() + ": " + ch.detail())))
                            .multiply(DEPLOY_GAS_MARGIN_PCT)
                            .divide(BigInteger.valueOf(100));
                    wallet.send(
                            UnwindContracts.CREATE2_DEPLOYER,
                            Numeric.toHexString(UnwindContracts.deployerInput(salt, p.initCode())),
                            BigInteger.ZERO,
                            gas);
                    sent++;
                }
            }
        }
        wallet.flush();
        List<UnwindContracts.Checked> checked = new ArrayList<>();
        for (UnwindContracts.Planned p : plan) {
            UnwindContracts.Checked ch = UnwindContracts.check(client, deployer, salt, p);
            if (ch.state() != UnwindContracts.State.VERIFIED)
                throw new IllegalStateException(p.name() + " at " + p.address() + ": " + ch.detail());
            checked.add(ch);
        }

        // 2. The market's oracle made movable, at the price it answers now.
        BigInteger oraclePrice = replaceOracle(oracle);
        BigDecimal price = humanPrice(oraclePrice, collateral, loan);

        // 3. The owner holds the collateral token (its balance written where the token keeps it), then opens the vault.
        MarketDeployment m = new MarketDeployment(
                chainId,
                deployer,
                r.morpho(),
                irm,
                collateral,
                loan,
                null,
                0,
                oracle,
                lltv,
                Numeric.toHexString(id),
                plan.get(0).address(),
                plan.get(1).address(),
                r.wrappedNative().orElse(null),
                null,
                r.v3Router().orElse(null),
                r.v3Router02().orElse(null),
                r.v3Quoter().orElse(null),
                null,
                null,
                r.v2Router().orElse(null),
                null,
                List.of());
        Address owner = Address.of(LocalChain.devAccount(r.owner()).getAddress());
        BigInteger amount = collateral.parse(r.collateral().toPlainString()).units();
        deal(
                collateralToken,
                owner,
                c.call(() -> c.token(collateralToken).balanceOf(owner.hex()).send())
                        .add(amount));
        int lltvBps = lltv.divide(BigInteger.TEN.pow(14)).intValueExact();
        Policy policy = policyFor(lltvBps);
        int ltvBps = lltvBps - 1_400;
        VaultSetup.Request request = new VaultSetup.Request(
                LocalChain.devAccount(r.owner()),
                r.collateral(),
                BigDecimal.valueOf(ltvBps, 4),
                Optional.of(policy),
                List.of(r.keeper()),
                BigDecimal.ZERO,
                r.v3Router().isPresent()
                        || r.v3Router02().isPresent()
                        || r.v2Router().isPresent());
        Address vault = new VaultSetup(web3j, m).openHeld(request, price);
        return new Result(m, vault, price, List.copyOf(checked), sent, ltvBps, policy);
    }

    /**
     * Puts {@link ForkOracle}'s code at {@code oracle}, with slot 0 set to the price the oracle answered: the market is
     * unchanged until {@link #setPrice} writes the slot. Returns that price (Morpho's scale). Re-running on a fork
     * where it is done already keeps the price there.
     */
    public BigInteger replaceOracle(Address oracle) {
        BigInteger before = oraclePrice(oracle);
        chain.rpc("anvil_setCode", oracle.hex(), "0x" + ForkOracle.RUNTIME_BINARY.replaceFirst("^0x", ""));
        writePrice(oracle, before);
        BigInteger after = oraclePrice(oracle);
        if (!after.equals(before))
            throw new IllegalStateException("the oracle at " + oracle + " answers " + after + " after its code was"
                    + " replaced, not the " + before + " it answered before");
        return before;
    }

    /** Sets the fork's market price, in loan tokens per whole collateral token. */
    public void setPrice(Address oracle, BigDecimal price, Token collateral, Token loan) {
        if (price.signum() <= 0) throw new IllegalArgumentException("a price must be more than 0: " + price);
        writePrice(oracle, oracleScale(price, collateral, loan));
        BigInteger now = oraclePrice(oracle);
        if (!now.equals(oracleScale(price, collateral, loan)))
            throw new IllegalStateException("the oracle at " + oracle + " does not answer the price written to it: is"
                    + " this the fork `unwind devnet --fork` prepared?");
    }

    /** Morpho's oracle price (loan base units per collateral base unit x 1e36) for a human price, rounded down. */
    public static BigInteger oracleScale(BigDecimal price, Token collateral, Token loan) {
        return price.movePointRight(36 + loan.decimals() - collateral.decimals())
                .setScale(0, RoundingMode.DOWN)
                .toBigIntegerExact();
    }

    /** The human price of a Morpho oracle price, to 12 significant digits. */
    public static BigDecimal humanPrice(BigInteger oraclePrice, Token collateral, Token loan) {
        return new BigDecimal(oraclePrice)
                .movePointLeft(36 + loan.decimals() - collateral.decimals())
                .round(new MathContext(12, RoundingMode.DOWN))
                .stripTrailingZeros();
    }

    private BigInteger oraclePrice(Address oracle) {
        ForkOracle o = ForkOracle.load(oracle.hex(), web3j, roManager(), new org.web3j.tx.gas.DefaultGasProvider());
        return c.call(() -> o.price().send());
    }

    private org.web3j.tx.ReadonlyTransactionManager roManager() {
        return new org.web3j.tx.ReadonlyTransactionManager(
                web3j, LocalChain.devAccount(DEPLOYER).getAddress());
    }

    private void writePrice(Address oracle, BigInteger price) {
        chain.rpc("anvil_setStorageAt", oracle.hex(), slot(BigInteger.ZERO), slot(price));
    }

    /**
     * Gives {@code holder} a balance of {@code amount} of {@code token} by writing the token's balance mapping: the
     * slot is found by trying the usual layouts (Solidity's {@code keccak(holder . slot)} and Vyper's
     * {@code keccak(slot . holder)}, for the first {@value #BALANCE_SLOTS} slots) and keeping the one {@code balanceOf}
     * answers from. Works for plain ERC-20s and proxies over them (WETH, USDC and the like); a token that computes
     * balances (rebasing, say) is refused with the reason.
     */
    public void deal(Address token, Address holder, BigInteger amount) {
        TestToken t = c.token(token);
        for (int i = 0; i < BALANCE_SLOTS; i++) {
            for (boolean vyper : new boolean[] {false, true}) {
                String key = mappingSlot(holder, i, vyper);
                String old = chain.rpc("eth_getStorageAt", token.hex(), key, "latest")
                        .asText();
                chain.rpc("anvil_setStorageAt", token.hex(), key, slot(amount));
                BigInteger seen = c.call(() -> t.balanceOf(holder.hex()).send());
                if (seen.equals(amount)) return;
                chain.rpc("anvil_setStorageAt", token.hex(), key, slot(Numeric.toBigInt(old)));
            }
        }
        throw new IllegalStateException("cannot find where " + token + " keeps balances (tried the first "
                + BALANCE_SLOTS + " slots): give the owner the collateral on the fork yourself");
    }

    private static String mappingSlot(Address holder, int slot, boolean vyper) {
        byte[] a = Numeric.toBytesPadded(Numeric.toBigInt(holder.hex()), 32);
        byte[] s = Numeric.toBytesPadded(BigInteger.valueOf(slot), 32);
        byte[] both = new byte[64];
        System.arraycopy(vyper ? s : a, 0, both, 0, 32);
        System.arraycopy(vyper ? a : s, 0, both, 32, 32);
        return Numeric.toHexString(Hash.sha3(both));
    }

    private static String slot(BigInteger v) {
        return Numeric.toHexStringWithPrefixZeroPadded(v, 64);
    }

    private Token token(Address a) {
        TestToken t = c.token(a);
        try {
            return new Token(a, t.symbol().send(), t.decimals().send().intValueExact());
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "cannot read the symbol and decimals of the market's token " + a + ": " + e.getMessage(), e);
        }
    }
}

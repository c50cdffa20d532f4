package io.unwind.testing;

import io.unwind.chain.CallResult;
import io.unwind.chain.Web3jChainClient;
import io.unwind.chain.vault.TokenCatalog;
import io.unwind.chain.vault.VaultLensReader;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.VaultHealth;
import io.unwind.local.DevWallet;
import io.unwind.local.LocalChain;
import io.unwind.local.LocalMarket;
import io.unwind.local.MarketDeployment;
import io.unwind.local.MarketSpec;
import io.unwind.local.PriceMover;
import io.unwind.local.VaultSetup;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.generated.Uint160;
import org.web3j.abi.datatypes.generated.Uint24;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/** A local anvil with a real market deployed, and the handles tests need on it. Close it to stop anvil. */
public final class MarketFixture implements AutoCloseable {
    public static final Credentials OWNER = LocalChain.devAccount(2);
    public static final Credentials KEEPER = LocalChain.devAccount(3);
    public static final Credentials STRANGER = LocalChain.devAccount(4);

    public final LocalChain chain;
    public final Web3j web3j;
    public final Web3jChainClient client;
    public final MarketDeployment market;
    public final PriceMover prices;
    public final VaultSetup vaults;
    public final VaultLensReader lens;
    private BigDecimal price;

    public MarketFixture(MarketSpec spec) {
        this(LocalChain.start(), spec);
    }

    public MarketFixture(LocalChain chain, MarketSpec spec) {
        this.chain = chain;
        this.web3j = Web3j.build(new HttpService(chain.httpUrl().toString()));
        this.client = Web3jChainClient.single(chain.chainId(), chain.httpUrl());
        this.market = LocalMarket.deploy(web3j, chain.chainId(), spec);
        this.prices = new PriceMover(web3j, market);
        this.vaults = new VaultSetup(web3j, market);
        this.lens = new VaultLensReader(
                client, market.vaultLens(), Address.of(KEEPER.getAddress()), new TokenCatalog(client), 500);
        this.price = spec.price();
    }

    public static Policy policy(int trigger, int target) {
        return new Policy(trigger, target, 500, 100, 50, 10_000, Duration.ZERO, Wei.gwei(1000));
    }

    public Address openProtected(String collateral, String ltv, Policy policy) {
        return vaults.open(
                VaultSetup.Request.of(OWNER, collateral, ltv)
                        .withPolicy(policy)
                        .withKeeper(Address.of(KEEPER.getAddress())),
                price);
    }

    public void movePrice(String newPrice) {
        price = new BigDecimal(newPrice);
        prices.moveTo(price);
    }

    /** Puts feed and pools back to {@code p} (after a test reverted the chain to a snapshot). */
    public void movePriceBackTo(String p) {
        price = new BigDecimal(p);
    }

    public BigDecimal price() {
        return price;
    }

    public BlockRef head() {
        return client.latestBlock();
    }

    public VaultHealth health(Address vault) {
        var scan = lens.read(List.of(vault), head());
        if (!scan.unreadable().isEmpty()) throw new IllegalStateException("unreadable: " + scan.unreadable());
        return scan.vaults().get(0);
    }

    /** QuoterV2.quoteExactInputSingle for selling collateral into the V3 pool of fee tier {@code fee}. */
    public BigInteger quoteV3(BigInteger amountIn, int fee) {
        StaticStruct params = new StaticStruct(
                new org.web3j.abi.datatypes.Address(
                        market.collateral().address().hex()),
                new org.web3j.abi.datatypes.Address(market.loan().address().hex()),
                new Uint256(amountIn),
                new Uint24(BigInteger.valueOf(fee)),
                new Uint160(BigInteger.ZERO));
        byte[] data = Numeric.hexStringToByteArray(
                FunctionEncoder.encode(new Function("quoteExactInputSingle", List.of(params), List.of())));
        byte[] out = client.callLatest(null, market.quoterV2(), data).dataOrThrow();
        return new BigInteger(1, java.util.Arrays.copyOfRange(out, 0, 32));
    }

    /** ERC-20 allowance(owner, spender) of {@code token}. */
    public BigInteger allowance(Address token, Address owner, Address spender) {
        byte[] data = Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function(
                "allowance",
                List.of(
                        new org.web3j.abi.datatypes.Address(owner.hex()),
                        new org.web3j.abi.datatypes.Address(spender.hex())),
                List.of())));
        return new BigInteger(1, client.callLatest(null, token, data).dataOrThrow());
    }

    public BigInteger balanceOf(Address token, Address account) {
        byte[] data = Numeric.hexStringToByteArray(FunctionEncoder.encode(
                new Function("balanceOf", List.of(new org.web3j.abi.datatypes.Address(account.hex())), List.of())));
        return new BigInteger(1, client.callLatest(null, token, data).dataOrThrow());
    }

    /** Simulates a call from {@code from} at the latest block. */
    public CallResult simulate(Credentials from, Address to, byte[] data) {
        return client.callLatest(Address.of(from.getAddress()), to, data);
    }

    public DevWallet wallet(Credentials who) {
        return new DevWallet(web3j, who, chain.chainId());
    }

    public BigInteger now() {
        return BigInteger.valueOf(head().timestamp().getEpochSecond());
    }

    @Override
    public void close() {
        client.close();
        web3j.shutdown();
        chain.close();
    }
}

package io.unwind.chain.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.chain.Receipt;
import io.unwind.contracts.TestToken;
import io.unwind.contracts.UnwindVault;
import io.unwind.contracts.VaultLens;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Guard;
import io.unwind.domain.position.GuardState;
import io.unwind.domain.position.LendingProtocol;
import io.unwind.domain.position.PriceStatus;
import io.unwind.domain.position.SoftTrigger;
import io.unwind.domain.position.VaultHealth;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.abi.CustomErrorEncoder;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/** The package's hand-written layouts checked against what the generated wrappers encode. No chain. */
@Tag("pure")
class VaultAbiTest {
    private static final Address VAULT = Address.of("0x1000000000000000000000000000000000000001");
    private static final Address OWNER = Address.of("0x2000000000000000000000000000000000000002");
    private static final Address LOAN = Address.of("0x3000000000000000000000000000000000000003");
    private static final Address COLLATERAL = Address.of("0x4000000000000000000000000000000000000004");
    private static final Address FEED = Address.of("0x5000000000000000000000000000000000000005");

    @Test
    void lensDecodingReadsEveryFieldWhereTheWrapperStructPutsIt() {
        byte[] marketId = new byte[32];
        marketId[0] = (byte) 0xab;
        marketId[31] = 0x01;
        var policy = new VaultLens.Policy(n(8000), n(7000), n(500), n(100), n(50), n(2500), n(600), n(7_000_000_000L));
        var entry = new VaultLens.VaultHealth(
                VAULT.hex(),
                OWNER.hex(),
                marketId,
                LOAN.hex(),
                COLLATERAL.hex(),
                n(6),
                n(18),
                n(1001),
                n(1002),
                n(1003),
                n(1004),
                n(1005),
                n(1006),
                policy,
                n(1007),
                n(1_700_000_000L),
                true,
                false,
                new VaultLens.Guard(FEED.hex(), n(3600), n(300), n(86_400), n(2000)),
                n(1500),
                n(1),
                n(1_699_999_000L),
                n(8),
                n(7600),
                n(500),
                n(1),
                n(9));
        String encoded = FunctionEncoder.encodeConstructor(
                List.of(new DynamicArray<>(VaultLens.VaultHealth.class, List.of(entry))));
        var reader = new VaultLensReader(noSymbols(), Address.ZERO, Address.ZERO, new TokenCatalog(noSymbols()), 10);

        List<VaultLensReader.Entry> out = reader.decode(Numeric.hexStringToByteArray(encoded), List.of(VAULT));

        assertThat(out).hasSize(1).first().isInstanceOf(VaultLensReader.Read.class);
        VaultHealth h = ((VaultLensReader.Read) out.get(0)).health();
        assertThat(h.vault()).isEqualTo(VAULT);
        assertThat(h.owner()).isEqualTo(OWNER);
        assertThat(h.marketId()).isEqualTo(Numeric.toHexString(marketId));
        assertThat(h.loanToken().address()).isEqualTo(LOAN);
        assertThat(h.loanToken().decimals()).isEqualTo(6);
        assertThat(h.collateralToken().address()).isEqualTo(COLLATERAL);
        assertThat(h.collateralToken().decimals()).isEqualTo(18);
        assertThat(List.of(h.collateral(), h.borrowShares(), h.debt(), h.price(), h.ltv(), h.lltv(), h.reserve()))
                .containsExactly(n(1001), n(1002), n(1003), n(1004), n(1005), n(1006), n(1007));
        assertThat(h.policy().triggerLtvBps()).isEqualTo(8000);
        assertThat(h.policy().targetLtvBps()).isEqualTo(7000);
        assertThat(h.policy().bandBps()).isEqualTo(500);
        assertThat(h.policy().maxSlippageBps()).isEqualTo(100);
        assertThat(h.policy().maxFeeBps()).isEqualTo(50);
        assertThat(h.policy().maxSellBps()).isEqualTo(2500);
        assertThat(h.policy().cooldown()).isEqualTo(Duration.ofSeconds(600));
        assertThat(h.policy().maxGasPrice().value()).isEqualTo(n(7_000_000_000L));
        assertThat(h.lastActionAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(h.paused()).isTrue();
        assertThat(h.keeperAllowed()).isFalse();
        assertThat(h.guard())
                .isEqualTo(new GuardState(
                        new Guard(FEED, Duration.ofHours(1), 300, Duration.ofDays(1), 2000),
                        1500,
                        PriceStatus.STALE,
                        Instant.ofEpochSecond(1_699_999_000L)));
        assertThat(h.readFlags()).isEqualTo(VaultHealth.READ_PRICE_CHECK_FAILED);
        assertThat(h.priceFresh()).isFalse();
        assertThat(h.softTrigger()).isEqualTo(new SoftTrigger(7600, 500));
        assertThat(h.protocol()).isEqualTo(LendingProtocol.AAVE_V3);
        assertThat(h.flashPremiumBps()).isEqualTo(9);

        // A lens deployed before the premium word: the same entry without its last word reads with premium 0.
        byte[] bytes = Numeric.hexStringToByteArray(encoded);
        byte[] older = java.util.Arrays.copyOf(bytes, bytes.length - 32);
        VaultHealth h37 =
                ((VaultLensReader.Read) reader.decode(older, List.of(VAULT)).get(0)).health();
        assertThat(h37.protocol()).isEqualTo(LendingProtocol.AAVE_V3);
        assertThat(h37.flashPremiumBps()).isZero();
        assertThat(h37.debt()).isEqualTo(h.debt());

        // A premium over 100% is no premium a pool charges: the vault is unreadable, not read as free.
        byte[] lying = bytes.clone();
        lying[lying.length - 2] = 0x27;
        lying[lying.length - 1] = 0x11; // 10001 bps
        assertThat(reader.decode(lying, List.of(VAULT)).get(0))
                .isInstanceOfSatisfying(
                        VaultLensReader.Unreadable.class,
                        u -> assertThat(u.reason()).contains("flash-loan premium of 10001 bps"));
    }

    @Test
    void oneRegistryNamesTheVaultsAndTheTokensErrors() {
        byte[] belowTrigger = error(
                UnwindVault.BELOWTRIGGER_ERROR,
                new Uint256(n(790_000_000_000_000_000L)),
                new Uint256(n(800_000_000_000_000_000L)));
        assertThat(VaultErrors.errorName(belowTrigger)).contains("BelowTrigger");
        assertThat(VaultErrors.explainInWords(belowTrigger))
                .startsWith("the vault is under its trigger (LTV 79.00% < 80.00%)");

        byte[] shortBalance = error(
                TestToken.ERC20INSUFFICIENTBALANCE_ERROR,
                new org.web3j.abi.datatypes.Address(OWNER.hex()),
                new Uint256(n(1)),
                new Uint256(n(2)));
        assertThat(VaultErrors.explain(shortBalance)).isEqualTo("ERC20InsufficientBalance(" + OWNER.hex() + ", 1, 2)");
        assertThat(VaultErrors.explain(new byte[] {1, 2, 3, 4})).startsWith("unknown error 0x01020304");
    }

    @Test
    void softTriggerErrorsAreSaidInWords() {
        byte[] incomplete = error(
                UnwindVault.SOFTACTIONINCOMPLETE_ERROR,
                new Uint256(n(745_000_000_000_000_000L)),
                new Uint256(n(700_000_000_000_000_000L)));
        assertThat(VaultErrors.errorName(incomplete)).contains("SoftActionIncomplete");
        assertThat(VaultErrors.explainInWords(incomplete))
                .startsWith("an early action (under the trigger, over the soft trigger) must end at or under the "
                        + "target (LTV 74.50% > 70.00%)")
                .contains("[SoftActionIncomplete(745000000000000000, 700000000000000000)]");

        byte[] invalid = error(
                UnwindVault.INVALIDPOLICY_ERROR,
                new Utf8String("soft trigger must stay between target and trigger; clear it first"));
        assertThat(VaultErrors.explainInWords(invalid))
                .startsWith("the vault refused the rules: soft trigger must stay between target and trigger; clear it "
                        + "first");
    }

    @Test
    void keeperActionsAreReadFromTheirEvents() {
        String keeper = "0x" + "0".repeat(24) + "5".repeat(40);
        String router = "0x" + "0".repeat(24) + "6".repeat(40);
        String data = FunctionEncoder.encodeConstructor(List.of(
                new Uint256(n(11)),
                new Uint256(n(12)),
                new Uint256(n(13)),
                new Uint256(n(14)),
                new Uint256(n(15)),
                new Uint256(n(16))));
        String topic = EventEncoder.encode(UnwindVault.DELEVERAGED_EVENT);
        var log = new Receipt.LogEntry(VAULT, List.of(topic, keeper, router), data, 7, null, 0);

        VaultEvents.KeeperAction a = VaultEvents.keeperAction(log).orElseThrow();

        assertThat(a.sale()).isTrue();
        assertThat(List.of(a.collateralSold(), a.debtRepaid(), a.ltvBefore(), a.ltvAfter()))
                .containsExactly(n(11), n(12), n(15), n(16));
        assertThat(VaultEvents.keeperActionTopics()).contains(VaultEvents.deleveragedTopic());
    }

    @Test
    void theDeadlineIsReadBackFromTheKeepersCalls() {
        byte[] sale = VaultCalls.deleverage(n(1), VAULT, new byte[70], n(2), n(1_700_000_123L), n(3));
        byte[] topUp = VaultCalls.topUp(n(1), n(1_700_000_456L), n(3));

        assertThat(VaultCalls.deadline(sale)).contains(Instant.ofEpochSecond(1_700_000_123L));
        assertThat(VaultCalls.deadline(topUp)).contains(Instant.ofEpochSecond(1_700_000_456L));
        assertThat(VaultCalls.deadline(VaultCalls.setPaused(VAULT, true).data()))
                .isEmpty();
    }

    private static byte[] error(org.web3j.abi.datatypes.CustomError e, Type<?>... args) {
        String selector = CustomErrorEncoder.encode(e).substring(0, 10);
        return Numeric.hexStringToByteArray(selector + FunctionEncoder.encodeConstructor(List.of(args)));
    }

    private static BigInteger n(long v) {
        return BigInteger.valueOf(v);
    }

    /** A chain on which every call reverts: tokens then show their address instead of a symbol. */
    private static ChainClient noSymbols() {
        return (ChainClient) Proxy.newProxyInstance(
                ChainClient.class.getClassLoader(),
                new Class<?>[] {ChainClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "callLatest", "call" -> new CallResult.Reverted(new byte[0], "no symbol here");
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}

package io.unwind.route.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.chain.Address;
import io.unwind.route.aggregator.SwapCalldata.Terms;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each aggregator router's swap entry point read in its own layout: the selectors are the ones the routers answer to,
 * the tokens, amount, minimum and recipient come from the right words, address 0 means the caller only where the router
 * says so, and the forms the keeper cannot check are refused with a reason.
 */
@Tag("pure")
class RouterLayoutsTest {
    private static final Address VAULT = Address.of("0x" + "aa".repeat(20));
    private static final Address WETH = Address.of("0x" + "c0".repeat(20));
    private static final Address USDC = Address.of("0x" + "d0".repeat(20));
    private static final Address THIEF = Address.of("0x" + "ee".repeat(20));
    private static final Address EXECUTOR = Address.of("0x" + "12".repeat(20));
    private static final Address ZERO = Address.of("0x" + "00".repeat(20));
    private static final BigInteger AMOUNT = new BigInteger("4200000000000000000");
    private static final BigInteger MIN = new BigInteger("10436888448");
    private static final byte[] OPAQUE = HexFormat.of().parseHex("deadbeef0102");

    /** The selectors as the routers' verified sources and published calldata show them. */
    @Test
    void selectorsAreTheRoutersOwn() {
        assertThat(OneInchLayout.SWAP).isEqualTo("0x07ed2379");
        assertThat(ZeroExLayout.EXEC).isEqualTo("0x2213bc0b");
        assertThat(ZeroExLayout.SETTLER_EXECUTE).isEqualTo("0x1fff991f");
        assertThat(ParaSwapLayout.SWAP_EXACT_AMOUNT_IN).isEqualTo("0xe3ead59e");
        assertThat(OdosLayout.SWAP).isEqualTo("0x3b635ce4");
        assertThat(OdosLayout.SWAP_COMPACT).isEqualTo("0x83bd37f9");
        assertThat(KyberSwapLayout.SWAP).isEqualTo("0xe21fd0e9");
        assertThat(KyberSwapLayout.SWAP_SIMPLE_MODE).isEqualTo("0x8af033fb");
        // web3j's encoder, fed the same ABI, produces calldata under the same selectors.
        assertThat(AbiWords.selectorOf(oneInch(VAULT, BigInteger.ZERO))).isEqualTo(OneInchLayout.SWAP);
        assertThat(AbiWords.selectorOf(zeroEx(EXECUTOR, EXECUTOR, VAULT))).isEqualTo(ZeroExLayout.EXEC);
        assertThat(AbiWords.selectorOf(paraSwap(VAULT))).isEqualTo(ParaSwapLayout.SWAP_EXACT_AMOUNT_IN);
        assertThat(AbiWords.selectorOf(odos(AMOUNT, VAULT))).isEqualTo(OdosLayout.SWAP);
        assertThat(AbiWords.selectorOf(kyber(VAULT, BigInteger.ZERO, List.of())))
                .isEqualTo(KyberSwapLayout.SWAP);
        assertThat(AbiWords.selectorOf(RouterCalldata.kyberSwapSimpleMode(
                        EXECUTOR, kyberDesc(VAULT, BigInteger.ZERO, List.of()), OPAQUE, OPAQUE)))
                .isEqualTo(KyberSwapLayout.SWAP_SIMPLE_MODE);
    }

    @Test
    void eachRouterIsReadFromItsOwnWords() {
        Terms expected = new Terms(WETH, USDC, AMOUNT, MIN, VAULT, 1);
        assertThat(decode(oneInch(VAULT, BigInteger.ZERO))).isEqualTo(expected);
        assertThat(decode(zeroEx(EXECUTOR, EXECUTOR, VAULT))).isEqualTo(expected);
        assertThat(decode(paraSwap(VAULT))).isEqualTo(expected);
        assertThat(decode(odos(AMOUNT, VAULT))).isEqualTo(expected);
        assertThat(decode(kyber(VAULT, BigInteger.ZERO, List.of()))).isEqualTo(expected);
        assertThat(decode(RouterCalldata.kyberSwapSimpleMode(
                        EXECUTOR, kyberDesc(VAULT, BigInteger.ZERO, List.of()), OPAQUE, OPAQUE)))
                .isEqualTo(expected);
        // Another recipient is read as such.
        assertThat(decode(oneInch(THIEF, BigInteger.ZERO)).recipient()).isEqualTo(THIEF);
        assertThat(decode(zeroEx(EXECUTOR, EXECUTOR, THIEF)).recipient()).isEqualTo(THIEF);
        assertThat(decode(paraSwap(THIEF)).recipient()).isEqualTo(THIEF);
        assertThat(decode(odos(AMOUNT, THIEF)).recipient()).isEqualTo(THIEF);
        assertThat(decode(kyber(THIEF, BigInteger.ZERO, List.of())).recipient()).isEqualTo(THIEF);
    }

    /**
     * 1inch, ParaSwap and KyberSwap pay msg.sender (the vault) when the receiver is 0; Odos and 0x's Settler do not.
     */
    @Test
    void addressZeroIsTheCallerOnlyWhereTheRouterSaysSo() {
        assertThat(decode(oneInch(ZERO, BigInteger.ZERO)).recipient()).isEqualTo(VAULT);
        assertThat(decode(paraSwap(ZERO)).recipient()).isEqualTo(VAULT);
        assertThat(decode(kyber(ZERO, BigInteger.ZERO, List.of())).recipient()).isEqualTo(VAULT);
        assertThat(decode(odos(AMOUNT, ZERO)).recipient()).isEqualTo(ZERO);
        assertThat(decode(zeroEx(EXECUTOR, EXECUTOR, ZERO)).recipient()).isEqualTo(ZERO);
    }

    @Test
    void formsTheKeeperCannotCheckAreRefusedWithAReason() {
        assertThatThrownBy(() -> decode(oneInch(VAULT, BigInteger.ONE))).hasMessageContaining("partial-fill");
        assertThatThrownBy(() -> decode(kyber(VAULT, BigInteger.ONE, List.of())))
                .hasMessageContaining("partial-fill");
        assertThatThrownBy(() -> decode(kyber(VAULT, BigInteger.ZERO, List.of(THIEF))))
                .hasMessageContaining("fees");
        assertThatThrownBy(() -> decode(odos(BigInteger.ZERO, VAULT))).hasMessageContaining("whole balance");
        assertThatThrownBy(
                        () -> decode(HexFormat.of().parseHex("83bd37f90001c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0")))
                .hasMessageContaining("swapCompact");
        assertThatThrownBy(() -> decode(zeroEx(EXECUTOR, THIEF, VAULT))).hasMessageContaining("spend but calls");
        byte[] notSettler = RouterCalldata.allowanceHolderExec(EXECUTOR, WETH, AMOUNT, EXECUTOR, OPAQUE);
        assertThatThrownBy(() -> decode(notSettler)).hasMessageContaining("not Settler execute");
        // A KyberSwap swap whose parts do not add up to its amount.
        byte[] parts = RouterCalldata.kyberSwap(
                EXECUTOR,
                ZERO,
                OPAQUE,
                RouterCalldata.kyberDescription(
                        WETH,
                        USDC,
                        List.of(EXECUTOR),
                        List.of(AMOUNT.subtract(BigInteger.ONE)),
                        List.of(),
                        List.of(),
                        VAULT,
                        AMOUNT,
                        MIN,
                        BigInteger.ZERO,
                        new byte[0]),
                OPAQUE);
        assertThatThrownBy(() -> decode(parts)).hasMessageContaining("add up");
    }

    @Test
    void truncatedOrMisalignedCalldataIsRefusedNotGuessed() {
        for (byte[] full : List.of(
                oneInch(VAULT, BigInteger.ZERO),
                zeroEx(EXECUTOR, EXECUTOR, VAULT),
                paraSwap(VAULT),
                odos(AMOUNT, VAULT),
                kyber(VAULT, BigInteger.ZERO, List.of()))) {
            assertThatThrownBy(() -> decode(Arrays.copyOf(full, full.length - 40)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> decode(Arrays.copyOf(full, 4 + 64))).isInstanceOf(IllegalArgumentException.class);
        }
        byte[] dirty = oneInch(VAULT, BigInteger.ZERO);
        dirty[4 + 32 + 3] = 1; // a high byte of the srcToken word
        assertThatThrownBy(() -> decode(dirty)).hasMessageContaining("not an address");
    }

    private static Terms decode(byte[] data) {
        return SwapCalldata.decode(data, VAULT).orElseThrow();
    }

    private static byte[] oneInch(Address receiver, BigInteger flags) {
        return RouterCalldata.oneInchSwap(EXECUTOR, WETH, USDC, EXECUTOR, receiver, AMOUNT, MIN, flags, OPAQUE);
    }

    private static byte[] zeroEx(Address operator, Address target, Address recipient) {
        byte[] pull =
                RouterCalldata.settlerTransferFrom(target, WETH, AMOUNT, BigInteger.ONE, BigInteger.TEN, new byte[0]);
        byte[] execute = RouterCalldata.settlerExecute(recipient, USDC, MIN, List.of(pull), new byte[32]);
        return RouterCalldata.allowanceHolderExec(operator, WETH, AMOUNT, target, execute);
    }

    private static byte[] paraSwap(Address beneficiary) {
        return RouterCalldata.paraSwapExactAmountIn(
                EXECUTOR,
                WETH,
                USDC,
                AMOUNT,
                MIN,
                MIN.add(BigInteger.TEN),
                new byte[32],
                beneficiary,
                BigInteger.ZERO,
                new byte[0],
                OPAQUE);
    }

    private static byte[] odos(BigInteger amount, Address receiver) {
        return RouterCalldata.odosSwap(
                WETH, amount, EXECUTOR, USDC, MIN.add(BigInteger.TEN), MIN, receiver, OPAQUE, EXECUTOR, 0);
    }

    private static byte[] kyber(Address receiver, BigInteger flags, List<Address> feeReceivers) {
        return RouterCalldata.kyberSwap(EXECUTOR, ZERO, OPAQUE, kyberDesc(receiver, flags, feeReceivers), OPAQUE);
    }

    private static org.web3j.abi.datatypes.DynamicStruct kyberDesc(
            Address receiver, BigInteger flags, List<Address> feeReceivers) {
        return RouterCalldata.kyberDescription(
                WETH,
                USDC,
                List.of(EXECUTOR),
                List.of(AMOUNT),
                feeReceivers,
                feeReceivers.stream().map(x -> BigInteger.TEN).toList(),
                receiver,
                AMOUNT,
                MIN,
                flags,
                new byte[0]);
    }
}

package io.unwind.chain.fee;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.chain.ChainException;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Wei;
import java.math.BigInteger;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * The L1 data fee of an OP-stack chain (Optimism, Base and the other chains of the Superchain), as the chain itself
 * computes it: {@code GasPriceOracle.getL1Fee(bytes)} on the predeploy at {@link #GAS_PRICE_ORACLE}, given the
 * transaction as it would be signed (an EIP-1559 envelope with representative nonce, gas and fees; the oracle adds the
 * signature's bytes itself). Whatever the chain's upgrade (Bedrock, Ecotone, Fjord's compressed size), the oracle
 * applies its own formula to the L1 base fee and blob base fee it was last given.
 *
 * <p>When the call fails (a node error), the fee is estimated from the last one read, per byte of calldata, so that a
 * route is never costed as if its bytes were free; with none read yet it is zero and that is logged.
 */
public final class OpStackL1DataFee implements L1DataFee {
    private static final Logger log = LoggerFactory.getLogger(OpStackL1DataFee.class);

    /** The GasPriceOracle predeploy, at the same address on every OP-stack chain. */
    public static final Address GAS_PRICE_ORACLE = Address.of("0x420000000000000000000000000000000000000F");

    private static final BigInteger NONCE = BigInteger.valueOf(100_000);
    private static final BigInteger GAS = BigInteger.valueOf(1_000_000);
    private static final BigInteger FEE = BigInteger.valueOf(1_000_000_000L);

    private final ChainClient chain;
    /** The last fee read, and the calldata length it was for (to estimate from when a call fails). */
    private volatile Wei lastFee = Wei.ZERO;

    private volatile int lastBytes;

    public OpStackL1DataFee(ChainClient chain) {
        this.chain = chain;
    }

    @Override
    public Wei of(Address to, byte[] calldata) {
        byte[] tx = unsignedTx(chain.chainId(), to, calldata);
        Function f = new Function("getL1Fee", List.of(new DynamicBytes(tx)), List.of(new TypeReference<Uint256>() {}));
        try {
            CallResult r =
                    chain.callLatest(null, GAS_PRICE_ORACLE, Numeric.hexStringToByteArray(FunctionEncoder.encode(f)));
            if (r instanceof CallResult.Success s) {
                @SuppressWarnings("rawtypes")
                List<Type> out = FunctionReturnDecoder.decode(s.hex(), f.getOutputParameters());
                if (!out.isEmpty()) {
                    Wei fee = new Wei((BigInteger) out.get(0).getValue());
                    lastFee = fee;
                    lastBytes = calldata.length;
                    return fee;
                }
            }
            log.warn(
                    "the GasPriceOracle at {} gave no L1 fee: is this an OP-stack chain (chain.kind)?",
                    GAS_PRICE_ORACLE);
        } catch (ChainException e) {
            log.warn("cannot read the L1 data fee ({}): estimating it from the last one read", e.getMessage());
        }
        return estimate(calldata.length);
    }

    /** The last fee read, scaled to {@code bytes} of calldata (rounded up). */
    private Wei estimate(int bytes) {
        if (lastBytes == 0) return lastFee;
        BigInteger[] qr =
                lastFee.value().multiply(BigInteger.valueOf(bytes)).divideAndRemainder(BigInteger.valueOf(lastBytes));
        return new Wei(qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE));
    }

    /** The transaction as its signer would encode it before signing: what the oracle prices. */
    static byte[] unsignedTx(long chainId, Address to, byte[] calldata) {
        RawTransaction raw = RawTransaction.createTransaction(
                chainId, NONCE, GAS, to.hex(), BigInteger.ZERO, Numeric.toHexString(calldata), FEE, FEE);
        return TransactionEncoder.encode(raw);
    }
}

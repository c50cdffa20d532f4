package io.unwind.tx;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.ChainId;
import io.unwind.domain.chain.TxHash;
import java.math.BigInteger;
import java.nio.file.Path;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;

/**
 * Signs transactions with one key that never leaves this object: there is no getter for it, {@link #toString()} shows
 * only the address, and no error raised here mentions it.
 */
public final class Signer {
    private final Credentials credentials;
    private final Address address;

    private Signer(Credentials credentials) {
        this.credentials = credentials;
        this.address = Address.of(credentials.getAddress());
    }

    /**
     * Unlocks a Web3 Secret Storage (v3) keystore. Refuses a wrong password or altered file, a KDF other than scrypt,
     * and scrypt weaker than N = 2^18, r = 8 unless {@code allowWeakKdf} (for test and development keystores only). The
     * caller should clear {@code password} afterwards.
     *
     * @throws KeystoreException saying what is wrong and what to do
     */
    public static Signer fromKeystore(Path file, char[] password, boolean allowWeakKdf) {
        BouncyCastle.register();
        return new Signer(Credentials.create(KeystoreReader.unlock(file, password, allowWeakKdf)));
    }

    /**
     * A public development key (one of anvil's accounts, which the caller derives), for a local chain only
     * ({@link ChainId#isLocal}).
     */
    public static Signer localDev(Credentials devKey, long chainId) {
        if (!ChainId.of(chainId).isLocal()) {
            throw new IllegalArgumentException("development keys are public: they sign only for a local chain ("
                    + ChainId.localIds() + "), not chain " + chainId + "; use a keystore");
        }
        BouncyCastle.register();
        return new Signer(devKey);
    }

    public Address address() {
        return address;
    }

    /** Signs an EIP-1559 call of {@code to} with {@code data} that sends no ether. */
    public SignedTx signCall(
            long chainId,
            BigInteger nonce,
            BigInteger gasLimit,
            Address to,
            byte[] data,
            BigInteger tip,
            BigInteger maxFee) {
        return sign(RawTransaction.createTransaction(
                chainId,
                nonce,
                gasLimit,
                to == null ? "" : to.hex(),
                BigInteger.ZERO,
                org.web3j.utils.Numeric.toHexString(data),
                tip,
                maxFee));
    }

    /** Signs an EIP-1559 transaction (its chain id is inside it). */
    public SignedTx sign(RawTransaction tx) {
        byte[] raw = TransactionEncoder.signMessage(tx, credentials);
        return new SignedTx(raw, TxHash.of(org.web3j.utils.Numeric.toHexString(Hash.sha3(raw))));
    }

    @Override
    public String toString() {
        return "Signer[" + address + "]";
    }
}

package io.unwind.tx;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.local.LocalChain;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Set;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;

/**
 * Signs transactions with one key that never leaves this object: there is no getter for it, {@link #toString()} shows
 * only the address, and no error raised here mentions it.
 */
public final class Signer {
    /** anvil's and hardhat's default chain ids: the only chains a public development key may sign for. */
    private static final Set<Long> LOCAL_CHAIN_IDS = Set.of(31337L, 1337L);

    private final Credentials credentials;
    private final Address address;

    private Signer(Credentials credentials) {
        this.credentials = credentials;
        this.address = Address.of(credentials.getAddress());
    }

    /**
     * Unlocks a Web3 Secret Storage (v3) keystore. Refuses a wrong password or altered file, a KDF other than scrypt,
     * and scrypt weaker than N = 2^18, r = 8 unless {@code allowWeakKdf} (for test and development keystores only).
     * The caller should clear {@code password} afterwards.
     *
     * @throws KeystoreException saying what is wrong and what to do
     */
    public static Signer fromKeystore(Path file, char[] password, boolean allowWeakKdf) {
        BouncyCastle.register();
        return new Signer(Credentials.create(KeystoreReader.unlock(file, password, allowWeakKdf)));
    }

    /** anvil's development account {@code index}, for a local chain only: its key is public. */
    public static Signer localDev(int index, long chainId) {
        if (!LOCAL_CHAIN_IDS.contains(chainId)) {
            throw new IllegalArgumentException("development keys are public: they sign only for a local chain "
                    + LOCAL_CHAIN_IDS + ", not chain " + chainId + "; use a keystore");
        }
        BouncyCastle.register();
        return new Signer(LocalChain.devAccount(index));
    }

    public Address address() {
        return address;
    }

    /** Signs an EIP-1559 call of {@code to} with {@code data} that sends no ether. */
    public SignedTx signCall(long chainId, BigInteger nonce, BigInteger gasLimit, Address to, byte[] data, BigInteger tip,
            BigInteger maxFee) {
        return sign(RawTransaction.createTransaction(chainId, nonce, gasLimit, to.hex(), BigInteger.ZERO,
                org.web3j.utils.Numeric.toHexString(data), tip, maxFee));
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

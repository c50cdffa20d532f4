package io.unwind.tx;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.exception.CipherException;

/**
 * Makes keeper keystores: a new key, or an existing key (raw, or in another keystore) re-encrypted, always with scrypt
 * N = 2^18, r = 8, p = 1 and AES-128-CTR, written owner-readable only under geth's file name
 * ({@code UTC--<time>--<address>}).
 */
public final class KeystoreTool {
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;

    public KeystoreTool(Clock clock) {
        this.clock = clock;
    }

    /** A new random key, encrypted with {@code password}, in a new file in {@code dir}. */
    public Path create(Path dir, char[] password) {
        BouncyCastle.register();
        try {
            return write(Keys.createEcKeyPair(), password, dir);
        } catch (java.security.GeneralSecurityException e) {
            throw new KeystoreException("cannot generate a key: " + e.getClass().getSimpleName());
        }
    }

    /** Encrypts a raw private key (64 hex digits, 0x optional). The caller should clear {@code privateKeyHex}. */
    public Path importKey(char[] privateKeyHex, char[] password, Path dir) {
        BouncyCastle.register();
        char[] digits = privateKeyHex;
        int start = digits.length >= 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X') ? 2 : 0;
        if (digits.length - start != 64) {
            throw new KeystoreException(
                    "not a private key: want 64 hex digits (32 bytes), got " + (digits.length - start) + " characters");
        }
        byte[] bytes = new byte[32];
        try {
            for (int i = 0; i < 32; i++) {
                int hi = Character.digit(digits[start + 2 * i], 16);
                int lo = Character.digit(digits[start + 2 * i + 1], 16);
                if (hi < 0 || lo < 0)
                    throw new KeystoreException("not a private key: it has a character that is not hex");
                bytes[i] = (byte) (hi << 4 | lo);
            }
            BigInteger k = new BigInteger(1, bytes);
            if (k.signum() == 0 || k.compareTo(org.web3j.crypto.Sign.CURVE_PARAMS.getN()) >= 0) {
                throw new KeystoreException("not a private key: it is outside the secp256k1 range");
            }
            return write(ECKeyPair.create(k), password, dir);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Re-encrypts the key of an existing keystore (which may use weak parameters, or PBKDF2) under standard scrypt with
     * {@code newPassword}.
     */
    public Path importKeystore(Path source, char[] sourcePassword, char[] newPassword, Path dir) {
        BouncyCastle.register();
        return write(KeystoreReader.unlock(source, sourcePassword, true), newPassword, dir);
    }

    private Path write(ECKeyPair key, char[] password, Path dir) {
        if (password == null || password.length == 0)
            throw new KeystoreException("a keystore password must not be empty");
        WalletFile wallet;
        try {
            wallet = Wallet.createStandard(new String(password), key);
        } catch (CipherException e) {
            throw new KeystoreException(
                    "cannot encrypt the key: " + e.getClass().getSimpleName());
        }
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("UTC--" + FILE_TIME.format(clock.instant()) + "--" + wallet.getAddress() + ".json");
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
                JSON.writeValue(out, wallet);
            }
            return file;
        } catch (FileAlreadyExistsException e) {
            throw new KeystoreException("keystore file " + e.getFile() + " exists already; not overwritten");
        } catch (IOException e) {
            throw new KeystoreException(
                    "cannot write a keystore into " + dir + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}

package io.unwind.tx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.exception.CipherException;
import org.web3j.utils.Numeric;

/**
 * Reads and unlocks a Web3 Secret Storage (v3) keystore, after checking that its parameters are ones Unwind accepts.
 * Every refusal says what to do; none mentions the password, the key, or the message of a library exception.
 */
final class KeystoreReader {
    private static final Logger log = LoggerFactory.getLogger(KeystoreReader.class);

    /** geth's and web3j's "standard" scrypt: N = 2^18, r = 8, p = 1 (256 MiB, about a second). */
    static final int STANDARD_N = 1 << 18;

    static final int STANDARD_R = 8;
    /** Parameters beyond these would take gigabytes or minutes: refused before any memory is spent on them. */
    private static final int MAX_N = 1 << 22;

    private static final int MAX_R = 32;
    private static final int MAX_P = 16;
    private static final int MAX_PBKDF2_ROUNDS = 10_000_000;
    private static final long MAX_FILE_BYTES = 64 * 1024;
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private KeystoreReader() {}

    static ECKeyPair unlock(Path file, char[] password, boolean allowWeakKdf) {
        WalletFile wallet = read(file, allowWeakKdf);
        ECKeyPair key;
        try {
            key = Wallet.decrypt(new String(password), wallet);
        } catch (CipherException e) {
            throw new KeystoreException("cannot unlock keystore " + file + ": wrong password, or the file was altered"
                    + " (its MAC does not match). Check the password given for this keystore, or restore the file"
                    + " from its backup.");
        } catch (RuntimeException e) {
            throw new KeystoreException("cannot unlock keystore " + file + ": its encrypted fields are malformed ("
                    + e.getClass().getSimpleName() + "). Restore the file from its backup.");
        }
        String stated = wallet.getAddress();
        if (stated != null
                && !stated.isBlank()
                && !Numeric.cleanHexPrefix(stated).equalsIgnoreCase(Keys.getAddress(key))) {
            throw new KeystoreException("keystore " + file + " names an address its key does not have: the file was"
                    + " altered or assembled from two keystores. Restore it from its backup.");
        }
        return key;
    }

    /** Parses and checks the file; the key stays encrypted. */
    static WalletFile read(Path file, boolean allowWeakKdf) {
        JsonNode root = parse(file);
        int version = root.path("version").asInt(-1);
        if (version != 3) {
            throw new KeystoreException("keystore " + file + " is version " + version + "; only version 3 (Web3 Secret"
                    + " Storage) is supported. Re-create it with `unwind keystore`.");
        }
        JsonNode crypto = root.has("crypto") ? root.get("crypto") : root.path("Crypto");
        String cipher = crypto.path("cipher").asText("");
        if (!"aes-128-ctr".equals(cipher)) {
            throw new KeystoreException("keystore " + file + " uses cipher '" + cipher + "'; only aes-128-ctr is"
                    + " supported. Re-create it with `unwind keystore`.");
        }
        String kdf = crypto.path("kdf").asText("").toLowerCase(Locale.ROOT);
        JsonNode params = crypto.path("kdfparams");
        switch (kdf) {
            case "scrypt" -> checkScrypt(file, params, allowWeakKdf);
            case "pbkdf2" -> checkPbkdf2(file, params, allowWeakKdf);
            default ->
                throw new KeystoreException("keystore " + file + " uses key derivation '" + kdf + "', which"
                        + " Unwind does not support; it needs scrypt. Import the key with `unwind keystore import`.");
        }
        try {
            return JSON.treeToValue(root, WalletFile.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new KeystoreException("keystore " + file + " is not a valid keystore file ("
                    + e.getClass().getSimpleName() + "). Restore it from its backup.");
        }
    }

    private static void checkScrypt(Path file, JsonNode p, boolean allowWeakKdf) {
        int n = p.path("n").asInt(-1);
        int r = p.path("r").asInt(-1);
        int par = p.path("p").asInt(-1);
        int dklen = p.path("dklen").asInt(-1);
        String params = "N = " + describePow2(n) + ", r = " + r + ", p = " + par;
        if (n < 2 || Integer.bitCount(n) != 1 || r < 1 || par < 1 || dklen != 32) {
            throw new KeystoreException("keystore " + file + " has invalid scrypt parameters (" + params + ", dklen = "
                    + dklen + "). Restore it from its backup.");
        }
        if (n > MAX_N || r > MAX_R || par > MAX_P) {
            throw new KeystoreException("keystore " + file + " has scrypt parameters too costly to derive (" + params
                    + "; at most N = 2^22, r = 32, p = 16). Re-encrypt it with `unwind keystore import`.");
        }
        if ((n < STANDARD_N || r < STANDARD_R) && !allowWeakKdf) {
            throw new KeystoreException("keystore " + file + " uses weak scrypt parameters (" + params + "); Unwind"
                    + " requires N >= 2^18 and r >= 8. Re-encrypt it with `unwind keystore import`, or, for a test or"
                    + " development keystore only, set allowWeakKdf.");
        }
    }

    private static void checkPbkdf2(Path file, JsonNode p, boolean allowWeakKdf) {
        if (!allowWeakKdf) {
            throw new KeystoreException("keystore " + file + " uses PBKDF2, which is not memory-hard; Unwind requires"
                    + " scrypt. Re-encrypt it with `unwind keystore import`, or, for a test or development keystore"
                    + " only, set allowWeakKdf.");
        }
        int c = p.path("c").asInt(-1);
        if (!"hmac-sha256".equals(p.path("prf").asText(""))
                || c < 1
                || c > MAX_PBKDF2_ROUNDS
                || p.path("dklen").asInt(-1) != 32) {
            throw new KeystoreException("keystore " + file + " has PBKDF2 parameters Unwind does not support (it needs"
                    + " hmac-sha256, dklen 32). Re-create it with `unwind keystore`.");
        }
    }

    private static JsonNode parse(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new KeystoreException("keystore " + file + " is larger than a keystore can be; check the path");
            }
            warnIfOthersCanRead(file);
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            if (root == null || !root.isObject())
                throw new KeystoreException("keystore " + file + " is not a JSON object");
            return root;
        } catch (NoSuchFileException e) {
            throw new KeystoreException("keystore " + file + " does not exist; check the path, or create one with"
                    + " `unwind keystore new`");
        } catch (JsonProcessingException e) {
            throw new KeystoreException("keystore " + file + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + "). Restore it from its backup.");
        } catch (IOException e) {
            throw new KeystoreException(
                    "cannot read keystore " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("keystore {} is readable by other users; make it private: chmod 600 {}", file, file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }

    private static String describePow2(int n) {
        return n > 0 && Integer.bitCount(n) == 1 ? "2^" + Integer.numberOfTrailingZeros(n) : Integer.toString(n);
    }
}

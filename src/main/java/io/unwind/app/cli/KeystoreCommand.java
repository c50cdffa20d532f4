package io.unwind.app.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.tx.KeystoreTool;
import io.unwind.tx.Signer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "keystore",
        description = {
            "Create, import and inspect keystores for keeper and owner keys.",
            "Web3 Secret Storage files encrypted with scrypt (N = 2^18, r = 8), written readable by their owner only. No command",
            "here prints a private key or a password."
        },
        subcommands = {KeystoreCommand.New.class, KeystoreCommand.Import.class, KeystoreCommand.Inspect.class},
        footer = {
            "",
            "Passwords come from --password-file (first line), --password-env, or the terminal; never from an argument.",
            "",
            "Examples:",
            "  unwind keystore new --dir /etc/unwind/keys --password-file /etc/unwind/keeper.pass",
            "  unwind keystore import --from-keystore ~/.foundry/keystores/keeper --dir keys",
            "  unwind keystore inspect keys/UTC--2025-...--90f79bf6...json"
        })
public final class KeystoreCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The password that encrypts the new keystore. */
    static final class NewPassword {
        @Option(
                names = "--password-file",
                paramLabel = "FILE",
                description = "File whose first line is the new keystore's password.")
        Path file;

        @Option(
                names = "--password-env",
                paramLabel = "NAME",
                description = "Environment variable holding the new keystore's password.")
        String env;

        char[] read() {
            return Passwords.readNew(file, env, "password for the new keystore", "--password-file", "--password-env");
        }
    }

    @Command(
            name = "new",
            description = "Create a new random key in a new keystore file; prints its address and path.",
            footer = {"", "Example:", "  unwind keystore new --dir keys --password-file keeper.pass"})
    static final class New implements Callable<Integer> {
        @Option(
                names = "--dir",
                paramLabel = "DIR",
                defaultValue = ".",
                description = "Directory for the file (default: the current one).")
        Path dir;

        @CommandLine.Mixin
        NewPassword password;

        @CommandLine.Mixin
        JsonOutput json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            char[] p = password.read();
            try {
                Path file = new KeystoreTool(Clock.systemUTC()).create(dir, p);
                report(spec.commandLine().getOut(), file, json.on(), "created");
            } finally {
                Arrays.fill(p, '\0');
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "import",
            description = {
                "Import an existing key into a new keystore.",
                "Re-encrypts it under Unwind's standard scrypt: from a geth, cast or MetaMask keystore (any scrypt or PBKDF2",
                "strength), or from a file holding the raw private key (64 hex digits), or typed at the terminal."
            },
            footer = {
                "",
                "Examples:",
                "  unwind keystore import --from-keystore ~/.foundry/keystores/owner --source-password-file old.pass --dir keys --password-file new.pass",
                "  unwind keystore import --private-key-file key.hex --dir keys   # then delete key.hex (shred -u key.hex)",
                "  unwind keystore import --dir keys                              # asks for the key without echo"
            })
    static final class Import implements Callable<Integer> {
        @Option(
                names = "--from-keystore",
                paramLabel = "FILE",
                description = "A keystore file to import (geth, cast, clef, MetaMask).")
        Path source;

        @Option(
                names = "--source-password-file",
                paramLabel = "FILE",
                description = "File with the source keystore's password.")
        Path sourcePasswordFile;

        @Option(
                names = "--source-password-env",
                paramLabel = "NAME",
                description = "Variable with the source keystore's password.")
        String sourcePasswordEnv;

        @Option(
                names = "--private-key-file",
                paramLabel = "FILE",
                description = "File holding a raw private key (0x optional).")
        Path keyFile;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                defaultValue = ".",
                description = "Directory for the new file (default: the current one).")
        Path dir;

        @CommandLine.Mixin
        NewPassword password;

        @CommandLine.Mixin
        JsonOutput json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (source != null && keyFile != null)
                throw Cli.usage(spec, "give --from-keystore or --private-key-file, not both");
            KeystoreTool tool = new KeystoreTool(Clock.systemUTC());
            Path file;
            if (source != null) {
                char[] old = Passwords.read(
                        sourcePasswordFile,
                        sourcePasswordEnv,
                        "password of " + source.getFileName(),
                        "--source-password-file",
                        "--source-password-env");
                char[] p = password.read();
                try {
                    file = tool.importKeystore(source, old, p, dir);
                } finally {
                    Arrays.fill(old, '\0');
                    Arrays.fill(p, '\0');
                }
            } else {
                char[] key = keyFile != null
                        ? readKey(keyFile)
                        : Passwords.read(
                                null, null, "private key (hidden)", "--private-key-file", "--private-key-file");
                try {
                    char[] p = password.read();
                    try {
                        file = tool.importKey(key, p, dir);
                    } finally {
                        Arrays.fill(p, '\0');
                    }
                } finally {
                    Arrays.fill(key, '\0');
                }
            }
            report(spec.commandLine().getOut(), file, json.on(), "imported");
            return ExitCodes.OK;
        }

        private static char[] readKey(Path file) {
            try {
                return Files.readString(file).strip().toCharArray();
            } catch (IOException e) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "cannot read --private-key-file " + file + " ("
                                + e.getClass().getSimpleName() + ")");
            }
        }
    }

    @Command(
            name = "inspect",
            description = {
                "Describe a keystore file without decrypting it.",
                "Address, cipher, key derivation and its strength, file permissions, and whether `unwind run` would accept it.",
                "--check-password also unlocks it to prove the password."
            },
            footer = {
                "",
                "Examples:",
                "  unwind keystore inspect keys/UTC--...json",
                "  unwind keystore inspect keys/UTC--...json --check-password --password-file keeper.pass"
            })
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The keystore file.")
        Path file;

        @Option(
                names = "--check-password",
                description = "Unlock the keystore with the password (which is never shown) to check it.")
        boolean checkPassword;

        @Option(
                names = "--password-file",
                paramLabel = "FILE",
                description = "File whose first line is the keystore's password.")
        Path passwordFile;

        @Option(
                names = "--password-env",
                paramLabel = "NAME",
                description = "Environment variable holding the password.")
        String passwordEnv;

        @CommandLine.Mixin
        JsonOutput json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(file.toFile());
            } catch (IOException e) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "cannot read " + file + " as a JSON keystore ("
                                + e.getClass().getSimpleName() + ")");
            }
            JsonNode crypto = root.has("crypto") ? root.get("crypto") : root.path("Crypto");
            String kdf = crypto.path("kdf").asText("?").toLowerCase(Locale.ROOT);
            JsonNode p = crypto.path("kdfparams");
            String cipher = crypto.path("cipher").asText("?");
            JsonShapes.KdfParams kdfParams = null;
            String verdict;
            if (kdf.equals("scrypt")) {
                int n = p.path("n").asInt(-1);
                int r = p.path("r").asInt(-1);
                kdfParams = new JsonShapes.KdfParams(n, r, p.path("p").asInt(-1));
                // The same floor KeystoreReader enforces when the keeper unlocks a keystore.
                verdict = n >= (1 << 18) && r >= 8
                        ? "accepted: scrypt at Unwind's standard strength or above"
                        : "refused by `unwind run`: scrypt weaker than N = 2^18, r = 8 (cast's default is 2^13); re-encrypt it with `unwind keystore import`";
            } else {
                verdict = "refused by `unwind run`: " + kdf
                        + " is not scrypt; re-encrypt it with `unwind keystore import`";
            }
            if (!"aes-128-ctr".equals(cipher) || root.path("version").asInt(-1) != 3) {
                verdict = "refused: only version 3 keystores with aes-128-ctr are supported";
            }
            String passwordCheck = null;
            if (checkPassword) {
                char[] pw = Passwords.read(
                        passwordFile,
                        passwordEnv,
                        "password of " + file.getFileName(),
                        "--password-file",
                        "--password-env");
                try {
                    Signer s = Signer.fromKeystore(file, pw, true);
                    passwordCheck = "ok: unlocked " + s.address();
                } finally {
                    Arrays.fill(pw, '\0');
                }
            }
            var m = new JsonShapes.KeystoreInspected(
                    file.toString(),
                    root.path("address").isMissingNode()
                            ? null
                            : "0x" + root.path("address").asText().replaceFirst("^0x", ""),
                    root.path("version").asInt(-1),
                    cipher,
                    kdf,
                    kdfParams,
                    verdict,
                    permissions(file),
                    passwordCheck);
            PrintWriter out = spec.commandLine().getOut();
            if (json.on()) {
                Json.print(out, m);
            } else {
                // The same fields, in the same order, as name and value.
                Json.MAPPER
                        .convertValue(m, new TypeReference<Map<String, Object>>() {})
                        .forEach((k, v) -> out.printf("%-13s %s%n", k, v));
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    static String permissions(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            String s = PosixFilePermissions.toString(perms);
            boolean others =
                    perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ);
            return s + (others ? " (others can read it: chmod 600 " + file + ")" : " (owner only)");
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown";
        }
    }

    static void report(PrintWriter out, Path file, boolean json, String verb) {
        String address = Keys.statedAddress(file).map(Object::toString).orElse("?");
        if (json) {
            Json.print(out, new JsonShapes.KeystoreWritten(address, file.toString()));
        } else {
            out.println(verb + " keystore for " + address);
            out.println("  file " + file + " (" + permissions(file) + ")");
            out.println("  back it up, and keep its password apart from it; see keystore-template/README.md");
            out.flush();
        }
    }
}

package io.unwind.local;

import io.unwind.domain.chain.Address;
import java.util.List;
import java.util.Map;

/**
 * Links libraries into a compiled contract's creation code, as Hardhat and forge do: the artifact's link references
 * give, per library ({@code "source:Library"}), the byte offsets of 20-byte placeholders ({@code __$<34 hex>$__}) that
 * the library's address replaces. Every offset is checked to hold a placeholder, and none may be left over, so a wrong
 * artifact or a missing library fails here rather than as a call into address zero.
 */
final class LibraryLinker {
    private static final int PLACEHOLDER_CHARS = 40;

    private LibraryLinker() {}

    /**
     * @param binary the creation code, 0x-hex, with placeholders
     * @param references "source:Library" -> byte offsets of its placeholders (the wrapper's {@code LINK_REFERENCES})
     * @param libraries "source:Library" or just "Library" -> its deployed address
     */
    static String link(String binary, Map<String, List<Integer>> references, Map<String, Address> libraries) {
        boolean prefixed = binary.startsWith("0x");
        StringBuilder code = new StringBuilder(prefixed ? binary.substring(2) : binary);
        for (var ref : references.entrySet()) {
            String name = ref.getKey();
            Address lib = libraries.get(name);
            if (lib == null) lib = libraries.get(name.substring(name.lastIndexOf(':') + 1));
            if (lib == null) throw new IllegalArgumentException("no address for library " + name);
            String hex = lib.digits();
            for (int start : ref.getValue()) {
                int at = start * 2;
                if (at + PLACEHOLDER_CHARS > code.length()
                        || !code.substring(at, at + 3).equals("__$")
                        || !code.substring(at + PLACEHOLDER_CHARS - 3, at + PLACEHOLDER_CHARS)
                                .equals("$__")) {
                    throw new IllegalArgumentException("no placeholder for " + name + " at byte " + start);
                }
                code.replace(at, at + PLACEHOLDER_CHARS, hex);
            }
        }
        int left = code.indexOf("__$");
        if (left >= 0) throw new IllegalArgumentException("unlinked placeholder left at byte " + left / 2);
        return prefixed ? "0x" + code : code.toString();
    }
}

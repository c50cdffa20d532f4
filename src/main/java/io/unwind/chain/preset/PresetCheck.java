package io.unwind.chain.preset;

import io.unwind.chain.ChainClient;
import io.unwind.domain.chain.ChainId;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a node serves the network a preset describes: the chain id it reports, and code at every address of the
 * preset. A preset that is out of date, or an endpoint that points at another chain, would have the keeper call
 * addresses where nothing (or something else) lives; this says so before anything is sent.
 */
public final class PresetCheck {
    private PresetCheck() {}

    /** One way the node differs from the preset, said so that the reader knows what to change. */
    public sealed interface Mismatch {
        String message();

        record WrongChain(String endpoint, ChainId node, NetworkPreset preset) implements Mismatch {
            @Override
            public String message() {
                String choose = NetworkPresets.forChain(node)
                        .map(p -> "choose the preset '" + p.name() + "' (chain " + node + ")")
                        .orElse("choose the preset for chain " + node + " (there is none: name the contracts in the"
                                + " config instead)");
                return "the node at " + endpoint + " is chain " + node + ", the preset '" + preset.name()
                        + "' is chain " + preset.chainId() + ": point the endpoint at " + preset.title() + " or "
                        + choose;
            }
        }

        record NoCode(String endpoint, NetworkPreset preset, NetworkPreset.Entry entry) implements Mismatch {
            @Override
            public String message() {
                return "no contract at " + entry.address() + " (" + entry.name() + ", from " + entry.source()
                        + ") on the node at " + endpoint + ": the preset is out of date or this is not "
                        + preset.name();
            }
        }
    }

    /**
     * Every mismatch between {@code preset} and the node behind {@code client}, whose {@link ChainClient#chainId()}
     * must be the id the node reports ({@code endpoint} names it in messages). On another chain the addresses are not
     * read: that one mismatch explains them all.
     */
    public static List<Mismatch> check(NetworkPreset preset, String endpoint, ChainClient client) {
        ChainId node = ChainId.of(client.chainId());
        if (!node.equals(preset.chainId())) return List.of(new Mismatch.WrongChain(endpoint, node, preset));
        List<Mismatch> out = new ArrayList<>();
        for (NetworkPreset.Entry e : preset.addresses().values()) {
            if (client.code(e.address()).length == 0) out.add(new Mismatch.NoCode(endpoint, preset, e));
        }
        return out;
    }
}

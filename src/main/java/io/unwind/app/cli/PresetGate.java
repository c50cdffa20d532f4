package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.app.config.UnwindConfig;
import io.unwind.chain.ChainException;
import io.unwind.chain.Web3jChainClient;
import io.unwind.chain.preset.NetworkPreset;
import io.unwind.chain.preset.PresetCheck;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks RPC endpoints against a network preset: the chain id each reports and the code at each of the preset's
 * addresses. {@code unwind run} and {@code config check --online} do it first when the config names a preset,
 * {@code network check} on demand.
 */
final class PresetGate {
    private PresetGate() {}

    /** An endpoint to check: its name for messages and its URL (shown redacted). */
    record Endpoint(String name, URI url) {
        String label() {
            String shown = ConfigCommand.Check.redact(url.toString());
            return name.isEmpty() ? shown : name + " (" + shown + ")";
        }
    }

    /**
     * @param mismatches what differs from the preset, each a sentence that says what to change
     * @param unreachable endpoints that did not answer, each with why
     * @param checked how many endpoints answered
     */
    record Result(List<String> mismatches, List<String> unreachable, int checked) {
        boolean matches() {
            return mismatches.isEmpty() && checked > 0;
        }
    }

    static Result check(NetworkPreset preset, List<Endpoint> endpoints, Duration timeout) {
        List<String> mismatches = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        int checked = 0;
        for (Endpoint e : endpoints) {
            long node;
            try {
                node = Web3jChainClient.chainIdAt(e.url());
            } catch (IOException | RuntimeException ex) {
                unreachable.add(e.label() + ": " + why(ex));
                continue;
            }
            try (Web3jChainClient client = new Web3jChainClient(
                    node,
                    List.of(new Web3jChainClient.EndpointConfig(e.name().isEmpty() ? "rpc" : e.name(), e.url())),
                    timeout,
                    1,
                    Web3jChainClient.breakers())) {
                PresetCheck.check(preset, e.label(), client).forEach(m -> mismatches.add(m.message()));
                checked++;
            } catch (ChainException ex) {
                unreachable.add(e.label() + ": " + why(ex));
            }
        }
        return new Result(mismatches, unreachable, checked);
    }

    /**
     * The start-up check: when the config names a preset, every endpoint that answers must serve that network. A
     * mismatch stops with exit 2 (the config points at the wrong chain, or the preset is out of date); no endpoint
     * answering stops with exit 1. Without a preset: nothing is checked.
     */
    static void require(UnwindConfig config) {
        var chain = config.chain();
        chain.networkPreset().ifPresent(preset -> {
            List<Endpoint> endpoints = chain.endpoints().stream()
                    .map(e -> new Endpoint(e.name(), e.url()))
                    .toList();
            Result r = check(preset, endpoints, chain.callTimeout());
            if (!r.mismatches().isEmpty()) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "chain.preset '" + preset.name() + "' does not match the chain:\n  "
                                + String.join("\n  ", r.mismatches()) + "\nNothing was started.");
            }
            if (r.checked() == 0) {
                throw new UserError(
                        ExitCodes.FAILED,
                        "cannot check chain.preset '" + preset.name() + "': no endpoint answered ("
                                + String.join("; ", r.unreachable()) + ")");
            }
        });
    }

    private static String why(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}

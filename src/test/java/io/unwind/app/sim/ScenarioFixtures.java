package io.unwind.app.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Scenarios written inline for tests, in the same YAML users write. */
final class ScenarioFixtures {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ScenarioFixtures() {}

    static Scenario parse(String yaml) {
        try {
            return ScenarioLoader.parse(YAML.readTree(yaml));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The crash (3000 -> 2400 at 30 -> 2150 at 60) with the given pools and vaults. */
    static Scenario crash(String pools, String vaults) {
        return parse("""
                name: test-crash
                blockTime: 1
                market:
                  collateral: {symbol: WETH, decimals: 18}
                  loan: {symbol: USDC, decimals: 6}
                  lltv: 0.86
                  price: 3000
                  pools:
                %s
                prices:
                  - {block: 0, price: 3000}
                  - {block: 30, price: 2400}
                  - {block: 60, price: 2150}
                vaults:
                %s
                """.formatted(pools.indent(4), vaults.indent(2)));
    }

    static final String PROTECTED_AND_BARE = """
            - {name: protected, collateral: 10, ltv: 0.75, keeper: true,
               policy: {trigger: 0.80, target: 0.70, maxSlippageBps: 100}}
            - {name: bare, collateral: 10, ltv: 0.75, keeper: false}
            """;
}

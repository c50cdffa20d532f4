package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The keeper's journal text, as the engine writes it today, said in words. */
@Tag("pure")
class JournalTextTest {
    private static final String CHUNK =
            "sell 3.682960640869974873 WETH via uniswap-v3-3000 for >= 9115.327587 USDC (fee 0.259332 USDC), "
                    + "LTV 84.00% -> 75.25% Chunk[cappedBy=LIQUIDITY, estimatedChunks=1, collateralNeeded=Optional[4.827586222400000001 WETH]]; "
                    + "within the floor uniswap-v2 0.855637320606155778 WETH, uniswap-v3-3000 3.682960640869974873 WETH take at most "
                    + "3.682960640869974873 WETH of the 4.761807697286432161 WETH needed";

    @Test
    void aChunkedSaleInWordsWithAmountsToASentencesPrecision() {
        assertThat(JournalText.plan(CHUNK, false))
                .isEqualTo("sell ~3.68296 WETH via uniswap-v3-3000 for >= ~9,115.32 USDC (fee 0.259332 USDC), "
                        + "LTV 84.00% -> 75.25%, part of a larger sale: route liquidity capped it (one sale to the target would need ~4.82758 WETH; "
                        + "this sale alone should end it under the trigger); within the floor uniswap-v2 ~0.855637 WETH, uniswap-v3-3000 ~3.68296 WETH "
                        + "take at most ~3.68296 WETH of the ~4.7618 WETH needed");
        assertThat(JournalText.plan(CHUNK, true))
                .as("--json keeps exact amounts")
                .contains("sell 3.682960640869974873 WETH", "route liquidity capped it")
                .doesNotContain("Chunk[", "Optional");
    }

    @Test
    void otherSizingsAndAWorthlessCollateral() {
        assertThat(JournalText.plan(
                        "sell 2 WETH via x for >= 5000 USDC (fee 1 USDC), LTV 81.00% -> 70.00% Full[]", false))
                .isEqualTo("sell 2 WETH via x for >= 5,000 USDC (fee 1 USDC), LTV 81.00% -> 70.00%, in one sale");
        assertThat(JournalText.plan(
                        "sell 1 WETH via x for >= 1 USDC (fee 0 USDC), LTV 90.00% -> 85.00% "
                                + "Chunk[cappedBy=MAX_SELL_BPS, estimatedChunks=100, collateralNeeded=Optional.empty]",
                        false))
                .endsWith(
                        "85.00%, part of a larger sale: the policy's max sell capped it (100 or more sales of this size)");
        assertThat(JournalText.plan("top-up 100 USDC (fee 0.1 USDC), LTV inf -> 70.00%", false))
                .isEqualTo("top-up 100 USDC (fee 0.1 USDC), LTV infinite (collateral worth nothing) -> 70.00%");
    }

    @Test
    void anEndpointsRefusalAndTheirAnswers() {
        assertThat(JournalText.error(
                        "EndpointAnswer[endpoint=infura, answer=rejected, cls=FATAL, detail=nonce too low]"))
                .isEqualTo("node infura answered rejected: nonce too low");
        assertThat(JournalText.error("re-orged out of block 12")).isEqualTo("re-orged out of block 12");
        String stored = "[{\"endpoint\":\"a\",\"answer\":\"accepted\",\"class\":\"TREAT_AS_SENT\",\"detail\":\"0xab\"},"
                + "{\"endpoint\":\"b\",\"answer\":\"unreachable\",\"class\":\"TRANSIENT_RETRY\",\"detail\":\"connection refused\"}]";
        assertThat(JournalText.endpoints(stored)).isEqualTo("a accepted; b unreachable (connection refused)");
        assertThat(JournalText.endpointsJson(stored))
                .isInstanceOfSatisfying(
                        JsonNode.class,
                        n -> assertThat(n.get(1).get("answer").asText()).isEqualTo("unreachable"));
        assertThat(JournalText.endpointsJson("not json")).isEqualTo("not json");
    }

    @Test
    void approximateNumbersKeepTheIntegerPartAndSayWhenCut() {
        assertThat(Units.approx(new BigDecimal("9999.999999718758406682"), 6)).isEqualTo("~9,999.99");
        assertThat(Units.approx(new BigDecimal("0.000000281241593318"), 6)).isEqualTo("~0.000000281241");
        assertThat(Units.approx(new BigDecimal("1234567.89"), 6)).isEqualTo("~1,234,567");
        assertThat(Units.approx(new BigDecimal("21000"), 6)).isEqualTo("21,000");
        assertThat(Units.approx(new BigDecimal("0.5"), 6)).isEqualTo("0.5");
    }
}

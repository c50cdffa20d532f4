package io.unwind.domain.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A kind read back from the journal is one of the kinds, or an error: a typo never becomes a deleverage. */
@Tag("pure")
class TxKindTest {
    @Test
    void parsesOnlyTheNamesItWrites() {
        for (TxKind k : TxKind.values()) assertThat(TxKind.parse(k.name())).isEqualTo(k);
        assertThatThrownBy(() -> TxKind.parse("topup"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown transaction kind 'topup'");
        assertThatThrownBy(() -> TxKind.parse("DELEVERAG")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labelsStayTheWordsMetricsAndKeysUse() {
        assertThat(TxKind.DELEVERAGE.label()).isEqualTo("sell");
        assertThat(TxKind.TOP_UP.label()).isEqualTo("topup");
    }
}

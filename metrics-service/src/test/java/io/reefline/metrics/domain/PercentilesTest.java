package io.reefline.metrics.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void shouldInterpolateLikePostgresPercentileCont() {
        List<Integer> values = List.of(8, 3, 4);
        assertEquals(4, Percentiles.median(values).getAsDouble());
        // rank 0.9 x 2 = 1.8: 4 + 0.8 x (8 - 4).
        assertEquals(7.2, Percentiles.continuous(values, 0.9).getAsDouble(), 1e-9);
        assertEquals(5, Percentiles.mean(values).getAsDouble(), 1e-9);
        assertEquals(3.5, Percentiles.median(List.of(3, 4)).getAsDouble());
        assertEquals(42, Percentiles.continuous(List.of(42), 0.9).getAsDouble());
    }

    @Test
    void shouldHaveNothingToSayAboutNoValues() {
        assertTrue(Percentiles.median(List.of()).isEmpty());
        assertTrue(Percentiles.mean(List.of()).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Percentiles.continuous(List.of(1), 1.5));
    }
}

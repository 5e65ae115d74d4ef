package io.reefline.metrics.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EscapeRateTest {

    @Test
    void shouldReadTheTalksMonthAsPointThirtySixPercent() {
        EscapeRate december = new EscapeRate(2, 550);
        assertEquals("0.36%", december.percent());
        assertEquals("2 of 550 commits (0.36%)", december.describe());
        assertEquals(2 / 550.0, december.ratio(), 1e-12);
    }

    @Test
    void shouldRoundHalfUpAndSurviveAMonthWithoutCommits() {
        assertEquals("0.13%", new EscapeRate(1, 800).percent());
        assertEquals("0.00%", new EscapeRate(0, 0).percent());
        assertEquals(0, new EscapeRate(0, 0).ratio());
    }

    @Test
    void shouldSayDurationsTheWayTheTalkDoes() {
        assertEquals("4 d 3 h", DurationText.of(4 * 86_400 + 3 * 3600));
        assertEquals("5 d 20 h", DurationText.of(5 * 86_400 + 20 * 3600));
        assertEquals("45 min", DurationText.of(45 * 60));
        assertEquals("1 h 30 min", DurationText.of(5400));
    }
}

package io.reefline.rollout.domain.analysis;

import java.util.Arrays;
import java.util.Optional;

/** How a metric's canary values are judged. */
public enum StatTest {
    /** A one-sided Mann-Whitney U test of canary against control, plus a practical margin. */
    MANN_WHITNEY("mann-whitney"),
    /** The canary's statistic against a fixed maximum; control is shown, not compared. */
    THRESHOLD("threshold");

    private final String jsonName;

    StatTest(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<StatTest> ofJson(String name) {
        return Arrays.stream(values()).filter(t -> t.jsonName.equals(name)).findFirst();
    }
}

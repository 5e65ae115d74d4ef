package io.reefline.andon.domain;

import java.util.Arrays;
import java.util.Optional;

/** How bad a problem is; SEV-0 is the worst. Written {@code SEV-0} .. {@code SEV-3} on the wire. */
public enum Severity {
    SEV_0,
    SEV_1,
    SEV_2,
    SEV_3;

    public static final Severity DEFAULT = SEV_2;

    public String label() {
        return name().replace('_', '-');
    }

    public static Optional<Severity> parse(String label) {
        return Arrays.stream(values()).filter(s -> s.label().equals(label)).findFirst();
    }

    /** SEV-0 and SEV-1 count as high severity (defect escape rate). */
    public boolean isHigh() {
        return this == SEV_0 || this == SEV_1;
    }
}

package io.reefline.sidecar;

import java.time.Instant;

/** One line per event on stderr, which the container runtime collects; no logging framework to keep memory small. */
final class Log {

    private Log() {}

    static void info(String message) {
        System.err.println(Instant.now() + " INFO  " + message);
    }

    static void warn(String message) {
        System.err.println(Instant.now() + " WARN  " + message);
    }
}

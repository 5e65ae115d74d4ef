package io.reefline.flag;

/** flagd files the API tests import. */
final class FlagdFiles {

    /**
     * Flags from flagd's documentation and its conformance suite (open-feature/flagd-testbed), using {@code
     * fractional}, {@code sem_ver}, {@code starts_with}, {@code ends_with} and {@code $ref}; the same file the domain's
     * FlagdDocumentTest evaluates directly (src/test/resources/flagd/documented-flags.json).
     */
    static final String DOCUMENTED = read("/flagd/documented-flags.json");

    private FlagdFiles() {}

    /** A flagd file from the test resources, shared with the domain's FlagdDocumentTest. */
    static String read(String resource) {
        try (var in = FlagdFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + resource);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

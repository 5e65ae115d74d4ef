package io.reefline.flag.domain.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reefline.flag.domain.EvaluationContext;
import io.reefline.flag.domain.Reason;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Flag and flag-set metadata (flagd-testbed {@code metadata.feature}, {@code flags/metadata-flags.json},
 * {@code selector-flag-combined-metadata.json}): every result carries the flag set's metadata overridden by the
 * flag's, with the types they were written with; successes, disabled flags, defaults and errors alike.
 */
class FlagdMetadataConformanceTest {

    private static final FlagdSuite WITHOUT_SET_METADATA = FlagdSuite.of("""
            {
              "flags": {
                "metadata-flag": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on",
                  "metadata": {"string": "a", "integer": 1, "float": 1.2, "boolean": true}},
                "boolean-flag": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}
              }
            }
            """);

    private static final FlagdSuite WITH_SET_METADATA = FlagdSuite.of("""
            {
              "flags": {
                "only-set-metadata-flag": {"state": "ENABLED", "variants": {"on": true, "off": false},
                  "defaultVariant": "on"},
                "combined-metadata-flag": {"state": "ENABLED", "variants": {"on": true, "off": false},
                  "defaultVariant": "on", "metadata": {"string": "a", "integer": 1, "float": 1.2, "boolean": true}},
                "disabled-metadata-flag": {"state": "DISABLED", "variants": {"on": true, "off": false},
                  "defaultVariant": "on", "metadata": {"string": "a"}},
                "error-metadata-flag": {"state": "ENABLED", "variants": {"on": true, "off": false},
                  "defaultVariant": "on", "metadata": {"string": "a"}, "targeting": {"if": [true, "three", "on"]}}
              },
              "metadata": {"string": "b", "integer": 2, "float": 2.2, "boolean": false,
                           "flag-set-string": "c", "flag-set-integer": 3, "flag-set-float": 3.2,
                           "flag-set-boolean": false}
            }
            """);

    /** "Returns metadata". */
    @Test
    void shouldReturnFlagMetadataWithItsTypes() {
        assertEquals(
                Map.of("string", "a", "integer", 1L, "float", 1.2, "boolean", true),
                WITHOUT_SET_METADATA.evaluate("metadata-flag").metadata());
    }

    /** "Returns no metadata". */
    @Test
    void shouldReturnNoMetadataWhenThereIsNone() {
        assertEquals(Map.of(), WITHOUT_SET_METADATA.evaluate("boolean-flag").metadata());
    }

    /** "Returns flag set metadata". */
    @Test
    void shouldReturnFlagSetMetadata() {
        assertEquals(
                setMetadata(Map.of("string", "b", "integer", 2L, "float", 2.2, "boolean", false)),
                WITH_SET_METADATA.evaluate("only-set-metadata-flag").metadata());
    }

    /** "Flag metadata overwrites flag set metadata". */
    @Test
    void shouldLetFlagMetadataOverrideFlagSetMetadata() {
        assertEquals(
                setMetadata(Map.of("string", "a", "integer", 1L, "float", 1.2, "boolean", true)),
                WITH_SET_METADATA.evaluate("combined-metadata-flag").metadata());
    }

    @Test
    void shouldReturnMetadataForDisabledFlagsAndErrors() {
        var disabled = WITH_SET_METADATA.evaluate("disabled-metadata-flag");
        var error = WITH_SET_METADATA.evaluate("error-metadata-flag");

        assertEquals(Reason.DISABLED, disabled.reason());
        assertEquals("a", disabled.metadata().get("string"));
        assertEquals("c", disabled.metadata().get("flag-set-string"));
        assertEquals(Reason.ERROR, error.reason());
        assertEquals("a", error.metadata().get("string"));
        assertEquals(
                4,
                WITH_SET_METADATA
                        .evaluator()
                        .evaluateAll(EvaluationContext.EMPTY)
                        .size());
    }

    private static Map<String, Object> setMetadata(Map<String, Object> flagOrSetCommon) {
        Map<String, Object> expected = new java.util.HashMap<>(flagOrSetCommon);
        expected.putAll(Map.of("flag-set-string", "c", "flag-set-integer", 3L, "flag-set-float", 3.2));
        expected.put("flag-set-boolean", false);
        return expected;
    }
}

package io.reefline.flag;

/** flagd files the API tests import. */
final class FlagdFiles {

    /**
     * Flags from flagd's documentation and its conformance suite (open-feature/flagd-testbed), using {@code
     * fractional}, {@code sem_ver}, {@code starts_with}, {@code ends_with} and {@code $ref}; the same file the domain's
     * FlagdDocumentTest evaluates directly.
     */
    static final String DOCUMENTED = """
            {
              "$schema": "https://flagd.dev/schema/v0/flags.json",
              "flags": {
                "fibAlgo": {
                  "variants": {"recursive": "recursive", "memo": "memo", "loop": "loop", "binet": "binet"},
                  "defaultVariant": "recursive", "state": "ENABLED",
                  "targeting": {"if": [{"$ref": "emailWithFaas"}, "binet", null]}
                },
                "headerColor": {
                  "variants": {"red": "#FF0000", "blue": "#0000FF", "green": "#00FF00", "yellow": "#FFFF00"},
                  "defaultVariant": "red", "state": "ENABLED",
                  "targeting": {"if": [{"$ref": "emailWithFaas"},
                    {"fractional": [{"var": "email"}, ["red", 25], ["blue", 25], ["green", 25], ["yellow", 25]]},
                    null]}
                },
                "semverColor": {
                  "variants": {"red": "#FF0000", "blue": "#0000FF", "green": "#00FF00"},
                  "defaultVariant": "blue", "state": "ENABLED",
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, ">=", "1.0.0"]}, "red", "green"]}
                },
                "new-welcome-banner": {
                  "state": "ENABLED", "variants": {"true": true, "false": false}, "defaultVariant": "false",
                  "targeting": {"ends_with": [{"var": "email"}, "@example.com"]}
                },
                "fractional-flag": {
                  "state": "ENABLED",
                  "variants": {"clubs": "clubs", "diamonds": "diamonds", "hearts": "hearts", "spades": "spades",
                               "wild": "wild"},
                  "defaultVariant": "wild",
                  "targeting": {"fractional": [{"cat": [{"var": "$flagd.flagKey"}, {"var": "user.name"}]},
                    ["clubs", 25], ["diamonds", 25], ["hearts", 25], ["spades", 25]]}
                },
                "fractional-hash-edge-flag": {
                  "state": "ENABLED", "variants": {"lower": "lower", "upper": "upper"}, "defaultVariant": "lower",
                  "targeting": {"fractional": [{"var": "targetingKey"}, ["lower", 50], ["upper", 50]]}
                },
                "fractional-flag-A-shared-seed": {
                  "state": "ENABLED",
                  "variants": {"clubs": "clubs", "diamonds": "diamonds", "hearts": "hearts", "spades": "spades",
                               "wild": "wild"},
                  "defaultVariant": "wild",
                  "targeting": {"fractional": [{"cat": ["shared-seed", {"var": "user.name"}]},
                    ["clubs", 25], ["diamonds", 25], ["hearts", 25], ["spades", 25]]}
                },
                "starts-ends-flag": {
                  "state": "ENABLED", "variants": {"prefix": "prefix", "postfix": "postfix", "none": "none"},
                  "defaultVariant": "none",
                  "targeting": {"if": [{"starts_with": [{"var": "id"}, "abc"]}, "prefix",
                    {"if": [{"ends_with": [{"var": "id"}, "xyz"]}, "postfix",
                      {"if": [{"ends_with": [{"var": "id"}, 3]}, "fail", "none"]}]}]}
                },
                "equal-greater-lesser-version-flag": {
                  "state": "ENABLED",
                  "variants": {"equal": "equal", "greater": "greater", "lesser": "lesser", "none": "none"},
                  "defaultVariant": "none",
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, "=", "2.0.0"]}, "equal",
                    {"sem_ver": [{"var": "version"}, ">", "2.0.0"]}, "greater",
                    {"sem_ver": [{"var": "version"}, "<", "2.0.0"]}, "lesser",
                    {"sem_ver": [{"var": "version"}, "=", "2.0.0.0"]}, "fail", "none"]}
                },
                "major-minor-version-flag": {
                  "state": "ENABLED", "variants": {"minor": "minor", "major": "major", "none": "none"},
                  "defaultVariant": "none",
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, "~", "3.0.0"]}, "minor",
                    {"sem_ver": [{"var": "version"}, "^", "3.0.0"]}, "major", "none"]}
                }
              },
              "$evaluators": {
                "emailWithFaas": {"in": ["@faas.com", {"var": ["email"]}]}
              },
              "metadata": {"team": "user-experience", "flagSetId": "ecommerce"}
            }
            """;

    private FlagdFiles() {}
}

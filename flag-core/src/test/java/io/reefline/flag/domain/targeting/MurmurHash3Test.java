package io.reefline.flag.domain.targeting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MurmurHash3Test {

    /**
     * Published MurmurHash3_x86_32 vectors (the reference's verification values and the widely cited table for seed
     * 0x9747b28c), plus multi-byte UTF-8 text, cross-checked against Guava's murmur3_32_fixed.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|0x00000000|0x00000000",
                "''|0x00000001|0x514e28b7",
                "''|0x9747b28c|0xebb6c228",
                "a|0x00000000|0x3c2569b2",
                "a|0x9747b28c|0x7fa09ea6",
                "abc|0x00000000|0xb3dd93fa",
                "abc|0x9747b28c|0xc84a62dd",
                "aaaa|0x9747b28c|0x5a97808a",
                "Hello, world!|0x9747b28c|0x24884cba",
                "The quick brown fox jumps over the lazy dog|0x00000000|0x2e4ff723",
                "The quick brown fox jumps over the lazy dog|0x9747b28c|0x2fa826cd",
                "grüße 😀|0x00000000|0xd5331563",
            })
    void shouldMatchReferenceVectors(String text, String seed, String expected) {
        int hash = MurmurHash3.hash32(
                text.getBytes(StandardCharsets.UTF_8), Integer.parseUnsignedInt(seed.substring(2), 16));

        assertEquals(Integer.parseUnsignedInt(expected.substring(2), 16), hash);
    }

    @ParameterizedTest
    @CsvSource({
        "'',0",
        "a,1009084850",
        "abc,3017643002",
        "aaaa,2129582471",
        "headerColorfoo@bar.com,4240531476",
        "grüße 😀,3576894819"
    })
    void shouldHashTextWithSeedZeroAsUnsigned(String text, long expected) {
        assertEquals(expected, MurmurHash3.hashUnsigned(text));
    }
}

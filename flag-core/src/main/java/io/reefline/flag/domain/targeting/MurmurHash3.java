package io.reefline.flag.domain.targeting;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby's reference {@code MurmurHash3_x86_32}), the hash flagd's
 * {@code fractional} uses over the UTF-8 bytes of the bucketing value with seed 0. Written out here because the
 * bucket a subject lands in must match every other flagd implementation bit for bit.
 */
public final class MurmurHash3 {

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private MurmurHash3() {}

    /** The hash of the text's UTF-8 bytes with seed 0, as an unsigned value in [0, 2^32). */
    public static long hashUnsigned(String text) {
        int hash = isAscii(text) ? hashAscii(text) : hash32(text.getBytes(StandardCharsets.UTF_8), 0);
        return Integer.toUnsignedLong(hash);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The same hash with seed 0 for ASCII text, whose chars are its UTF-8 bytes: no byte array on the hot path. */
    private static int hashAscii(String text) {
        int length = text.length();
        int h1 = 0;
        int blockEnd = length & ~3;
        for (int i = 0; i < blockEnd; i += 4) {
            int k1 = text.charAt(i) | text.charAt(i + 1) << 8 | text.charAt(i + 2) << 16 | text.charAt(i + 3) << 24;
            h1 ^= mixK1(k1);
            h1 = Integer.rotateLeft(h1, 13);
            h1 = h1 * 5 + 0xe6546b64;
        }
        int tail = length & 3;
        if (tail > 0) {
            int k1 = 0;
            if (tail == 3) {
                k1 ^= text.charAt(blockEnd + 2) << 16;
            }
            if (tail >= 2) {
                k1 ^= text.charAt(blockEnd + 1) << 8;
            }
            k1 ^= text.charAt(blockEnd);
            h1 ^= mixK1(k1);
        }
        h1 ^= length;
        return finalMix(h1);
    }

    /** The 32-bit hash of {@code data} with the given seed (as the reference returns it, in an {@code int}). */
    public static int hash32(byte[] data, int seed) {
        int length = data.length;
        int h1 = seed;
        int blockEnd = length & ~3;
        for (int i = 0; i < blockEnd; i += 4) {
            int k1 = (data[i] & 0xff)
                    | (data[i + 1] & 0xff) << 8
                    | (data[i + 2] & 0xff) << 16
                    | (data[i + 3] & 0xff) << 24;
            h1 ^= mixK1(k1);
            h1 = Integer.rotateLeft(h1, 13);
            h1 = h1 * 5 + 0xe6546b64;
        }
        int tail = length & 3;
        if (tail > 0) {
            int k1 = 0;
            if (tail == 3) {
                k1 ^= (data[blockEnd + 2] & 0xff) << 16;
            }
            if (tail >= 2) {
                k1 ^= (data[blockEnd + 1] & 0xff) << 8;
            }
            k1 ^= data[blockEnd] & 0xff;
            h1 ^= mixK1(k1);
        }
        h1 ^= length;
        return finalMix(h1);
    }

    private static int mixK1(int k1) {
        int k = k1 * C1;
        k = Integer.rotateLeft(k, 15);
        return k * C2;
    }

    private static int finalMix(int hash) {
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}

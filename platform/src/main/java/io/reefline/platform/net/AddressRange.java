package io.reefline.platform.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** A CIDR range such as {@code 10.0.0.0/8} or {@code fe80::/10}; a bare address is a range of one. */
record AddressRange(byte[] network, int prefix, String text) {

    /** @throws IllegalArgumentException when {@code text} is not an IP address or CIDR range */
    static AddressRange parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (!Destinations.looksLikeAnAddress(address)) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
        }
        byte[] bytes;
        try {
            bytes = Destinations.canonical(InetAddress.getByName(address)).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range", e);
        }
        int prefix;
        try {
            prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no numeric prefix length", e);
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length out of range");
        }
        return new AddressRange(bytes, prefix, trimmed);
    }

    boolean contains(InetAddress address) {
        byte[] candidate = Destinations.canonical(address).getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        if (!Arrays.equals(candidate, 0, whole, network, 0, whole)) {
            return false;
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest);
        return (candidate[whole] & mask) == (network[whole] & mask);
    }

    boolean isIpv6() {
        return network.length == 16;
    }

    static boolean isIpv6(InetAddress address) {
        return address instanceof Inet6Address;
    }
}

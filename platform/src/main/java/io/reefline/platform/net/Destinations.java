package io.reefline.platform.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where the services' own outgoing requests (andon webhooks, post-upgrade health checks) may go: the one rule both
 * use, so a URL a user typed cannot make a service call its cloud's metadata endpoint or its own loopback.
 *
 * <p>Refused always: cloud metadata endpoints ({@code 169.254.169.254}, {@code fd00:ec2::254},
 * {@code 100.100.100.200}, {@code metadata.google.internal}, ...). Refused by default: loopback, link-local, the
 * unspecified address, multicast and broadcast; an {@code allowedRanges} entry (CIDR) reaches them anyway, which only
 * local runs and tests need. Refused on top by configuration: any names or CIDRs in {@code refused} (e.g. the
 * cluster's pod network). Limited by configuration: when {@code hosts} is set, only names ({@code hooks.slack.com},
 * {@code *.example.com}) and CIDRs it lists are reached.
 *
 * <p>Names are checked as written and again on every address they resolve to, at the time of the request: callers
 * connect to the address checked here ({@link #resolve}), so a name that changes its answer between the check and the
 * connection (DNS rebinding) reaches nothing new. Plain Java, no framework.
 */
public final class Destinations {

    private static final Pattern IPV4ISH = Pattern.compile("[0-9.]+");
    private static final Set<String> METADATA_NAMES = Set.of(
            "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal");
    private static final List<AddressRange> METADATA_ADDRESSES = List.of(
            AddressRange.parse("169.254.169.254"), // AWS, GCP, Azure, OpenStack, ...
            AddressRange.parse("169.254.170.2"), // AWS ECS task metadata
            AddressRange.parse("fd00:ec2::254"), // AWS over IPv6
            AddressRange.parse("100.100.100.200"), // Alibaba Cloud
            AddressRange.parse("168.63.129.16")); // Azure wire server

    private final Set<String> schemes;
    private final List<String> hostNames;
    private final List<AddressRange> hostRanges;
    private final boolean limited;
    private final List<String> refusedNames;
    private final List<AddressRange> refusedRanges;
    private final List<AddressRange> allowedRanges;

    private Destinations(Set<String> schemes, List<String> hosts, List<String> refused, List<String> allowedRanges) {
        this.schemes =
                schemes.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.limited = !hosts.isEmpty();
        this.hostNames = names(hosts);
        this.hostRanges = ranges(hosts);
        this.refusedNames = names(refused);
        this.refusedRanges = ranges(refused);
        this.allowedRanges = allowedRanges.stream().map(AddressRange::parse).toList();
    }

    /**
     * @param schemes URL schemes allowed, e.g. {@code http, https}
     * @param hosts when not empty, the only destinations reached: host names, {@code *.suffix} patterns and CIDRs
     * @param refused names, patterns and CIDRs refused on top of the built-in ones
     * @param allowedRanges CIDRs reached although refused by default (never the metadata endpoints)
     * @throws IllegalArgumentException when an entry is neither a name nor an address range
     */
    public static Destinations of(
            Set<String> schemes, List<String> hosts, List<String> refused, List<String> allowedRanges) {
        return new Destinations(schemes, hosts, refused, allowedRanges);
    }

    /** http and https to anywhere but the refused-by-default addresses. */
    public static Destinations defaults() {
        return of(Set.of("http", "https"), List.of(), List.of(), List.of());
    }

    /**
     * What can be said of {@code url} without asking DNS: its scheme, its host's name, or the address it names
     * literally. Empty when nothing refuses it yet; the addresses a name resolves to are checked by {@link #resolve}.
     */
    public Optional<String> refusal(URI url) {
        if (url.getScheme() == null || !schemes.contains(url.getScheme().toLowerCase(Locale.ROOT))) {
            return Optional.of(
                    "the scheme must be one of " + schemes.stream().sorted().toList());
        }
        String host = hostOf(url);
        if (host == null || host.isEmpty()) {
            return Optional.of("the URL names no host");
        }
        if (looksLikeAnAddress(host)) {
            try {
                return refusal(host, InetAddress.getByName(host));
            } catch (UnknownHostException e) {
                return Optional.of(host + " is not a valid address");
            }
        }
        if (METADATA_NAMES.contains(host)) {
            return Optional.of(host + " is a cloud metadata endpoint");
        }
        if (matches(refusedNames, host)) {
            return Optional.of(host + " is refused (reefline.outgoing.refused)");
        }
        if (limited && hostRanges.isEmpty() && !matches(hostNames, host)) {
            return Optional.of(host + " is not among the allowed hosts (reefline.outgoing.hosts)");
        }
        return Optional.empty();
    }

    /** Whether {@code address}, which {@code host} resolved to, may be reached; the reason when not. */
    public Optional<String> refusal(String host, InetAddress resolved) {
        InetAddress address = canonical(resolved);
        String shown = address.getHostAddress() + (host.equals(address.getHostAddress()) ? "" : " (" + host + ")");
        if (METADATA_ADDRESSES.stream().anyMatch(r -> r.contains(address))) {
            return Optional.of(shown + " is a cloud metadata endpoint");
        }
        if (refusedRanges.stream().anyMatch(r -> r.contains(address))) {
            return Optional.of(shown + " is refused (reefline.outgoing.refused)");
        }
        Optional<String> kind = refusedByDefault(address);
        if (kind.isPresent() && allowedRanges.stream().noneMatch(r -> r.contains(address))) {
            return Optional.of(
                    shown + " is " + kind.get() + ", refused unless reefline.outgoing.allowed-ranges" + " names it");
        }
        if (limited && !matches(hostNames, host) && hostRanges.stream().noneMatch(r -> r.contains(address))) {
            return Optional.of(shown + " is not among the allowed hosts (reefline.outgoing.hosts)");
        }
        return Optional.empty();
    }

    /**
     * Resolves {@code url}'s host now and checks it and every address it has; the first address is the one to
     * connect to.
     *
     * @throws RefusedDestination when the URL or any of its addresses is refused
     * @throws UnknownHostException when the name does not resolve
     */
    public InetAddress resolve(URI url) throws UnknownHostException {
        Optional<String> refused = refusal(url);
        if (refused.isPresent()) {
            throw new RefusedDestination(refused.get());
        }
        String host = hostOf(url);
        InetAddress[] addresses = InetAddress.getAllByName(host);
        for (InetAddress address : addresses) {
            Optional<String> reason = refusal(host, address);
            if (reason.isPresent()) {
                throw new RefusedDestination(reason.get());
            }
        }
        return addresses[0];
    }

    /** The host as written, lower case, without IPv6 brackets or a trailing dot. */
    static String hostOf(URI url) {
        String host = url.getHost();
        if (host == null) {
            return null;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    static boolean looksLikeAnAddress(String host) {
        return host.indexOf(':') >= 0 || IPV4ISH.matcher(host).matches();
    }

    /** IPv4 addresses written as IPv6 ({@code ::127.0.0.1}) count as the IPv4 address they hold. */
    static InetAddress canonical(InetAddress address) {
        if (address instanceof Inet6Address v6
                && v6.isIPv4CompatibleAddress()
                && !v6.isLoopbackAddress()
                && !v6.isAnyLocalAddress()) {
            byte[] bytes = v6.getAddress();
            try {
                return InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return address;
    }

    private static Optional<String> refusedByDefault(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local address");
        }
        if (address.isAnyLocalAddress() || (address instanceof Inet4Address && address.getAddress()[0] == 0)) {
            return Optional.of("the unspecified address");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        if (address instanceof Inet4Address && address.getHostAddress().equals("255.255.255.255")) {
            return Optional.of("the broadcast address");
        }
        return Optional.empty();
    }

    private static List<String> names(List<String> entries) {
        List<String> names = new ArrayList<>();
        for (String entry : entries) {
            String e = entry.strip().toLowerCase(Locale.ROOT);
            if (!e.isEmpty() && !looksLikeAnAddress(e.contains("/") ? e.substring(0, e.indexOf('/')) : e)) {
                names.add(e.endsWith(".") ? e.substring(0, e.length() - 1) : e);
            }
        }
        return List.copyOf(names);
    }

    private static List<AddressRange> ranges(List<String> entries) {
        List<AddressRange> ranges = new ArrayList<>();
        for (String entry : entries) {
            String e = entry.strip();
            if (!e.isEmpty() && looksLikeAnAddress(e.contains("/") ? e.substring(0, e.indexOf('/')) : e)) {
                ranges.add(AddressRange.parse(e));
            }
        }
        return List.copyOf(ranges);
    }

    private static boolean matches(List<String> patterns, String host) {
        for (String pattern : patterns) {
            if (pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern)) {
                return true;
            }
        }
        return false;
    }
}

package io.reefline.platform.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationsTest {

    private final Destinations defaults = Destinations.defaults();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://169.254.169.254/latest/meta-data/",
                "http://[fd00:ec2::254]/latest/meta-data/",
                "http://metadata.google.internal/computeMetadata/v1/",
                "http://METADATA.google.internal./computeMetadata/v1/",
                "http://100.100.100.200/latest/meta-data/",
                "http://127.0.0.1:8080/api/cords",
                "http://127.1/",
                "http://[::1]:8083/",
                "http://[::ffff:127.0.0.1]/",
                "http://[::127.0.0.1]/",
                "http://169.254.10.1/",
                "http://[fe80::1]/",
                "http://0.0.0.0:8082/",
                "http://[::]/",
                "http://224.0.0.1/",
                "http://255.255.255.255/",
                "ftp://example.org/x",
                "file:///etc/passwd",
                "http:///nohost"
            })
    void shouldRefuseMetadataLoopbackLinkLocalUnspecifiedAndMulticastByDefault(String url) {
        assertTrue(defaults.refusal(URI.create(url)).isPresent(), url);
        assertThrows(RefusedDestination.class, () -> defaults.resolve(URI.create(url)));
    }

    @Test
    void shouldNameWhyAMetadataAddressIsRefused() {
        assertEquals(
                Optional.of("169.254.169.254 is a cloud metadata endpoint"),
                defaults.refusal(URI.create("http://169.254.169.254/")));
        assertEquals(
                Optional.of(
                        "127.0.0.1 is a loopback address, refused unless reefline.outgoing.allowed-ranges names it"),
                defaults.refusal(URI.create("http://127.0.0.1:9/")));
    }

    @Test
    void shouldCheckEveryAddressANameResolvesTo() {
        // localhost is a name: allowed as written, refused on the address it resolves to.
        assertEquals(Optional.empty(), defaults.refusal(URI.create("http://localhost:8083/")));
        RefusedDestination refused =
                assertThrows(RefusedDestination.class, () -> defaults.resolve(URI.create("http://localhost:8083/")));
        assertTrue(refused.getMessage().contains("(localhost) is a loopback address"), refused.getMessage());
    }

    @Test
    void shouldLetPublicAddressesThroughByDefault() throws Exception {
        assertEquals(Optional.empty(), defaults.refusal(URI.create("https://203.0.113.7/hooks/x")));
        assertEquals(InetAddress.getByName("203.0.113.7"), defaults.resolve(URI.create("https://203.0.113.7/hooks/x")));
        assertEquals(Optional.empty(), defaults.refusal(URI.create("http://10.1.2.3:8080/health")));
    }

    @Test
    void shouldReachLoopbackOnlyWhereAllowedRangesNameIt() throws Exception {
        Destinations local =
                Destinations.of(Set.of("http", "https"), List.of(), List.of(), List.of("127.0.0.0/8", "::1"));
        assertEquals(InetAddress.getByName("127.0.0.1"), local.resolve(URI.create("http://127.0.0.1:9/")));
        assertEquals(Optional.empty(), local.refusal(URI.create("http://[::1]:9/")));
        assertEquals(
                Optional.empty(),
                Destinations.of(Set.of("http"), List.of(), List.of(), List.of("::1/128"))
                        .refusal(URI.create("http://[::1]:9/")));
        assertTrue(local.refusal(URI.create("http://169.254.10.1/")).isPresent(), "link-local still refused");
        Destinations everything = Destinations.of(Set.of("http"), List.of(), List.of(), List.of("0.0.0.0/0", "::/0"));
        assertTrue(
                everything.refusal(URI.create("http://169.254.169.254/")).isPresent(),
                "metadata endpoints stay refused whatever the ranges");
        assertTrue(everything.refusal(URI.create("http://[fd00:ec2::254]/")).isPresent());
    }

    @Test
    void shouldRefuseConfiguredRangesAndNames() {
        Destinations noPods =
                Destinations.of(Set.of("https"), List.of(), List.of("10.0.0.0/8", "*.svc.cluster.local"), List.of());
        assertTrue(noPods.refusal(URI.create("https://10.42.0.7/health")).isPresent());
        assertTrue(noPods.refusal(URI.create("https://reefline-rollout.reefline.svc.cluster.local/"))
                .isPresent());
        assertTrue(noPods.refusal(URI.create("http://203.0.113.7/")).isPresent(), "http is not allowed here");
        assertEquals(Optional.empty(), noPods.refusal(URI.create("https://203.0.113.7/")));
    }

    @Test
    void shouldReachOnlyListedHostsWhenHostsAreSet() throws Exception {
        Destinations slackOnly = Destinations.of(
                Set.of("https"), List.of("hooks.slack.com", "*.example.com", "203.0.113.0/24"), List.of(), List.of());
        assertEquals(Optional.empty(), slackOnly.refusal(URI.create("https://hooks.slack.com/services/T/B/x")));
        assertEquals(Optional.empty(), slackOnly.refusal(URI.create("https://ci.example.com/hook")));
        assertEquals(InetAddress.getByName("203.0.113.9"), slackOnly.resolve(URI.create("https://203.0.113.9/")));
        assertTrue(slackOnly.refusal(URI.create("https://198.51.100.1/")).isPresent());
        assertTrue(
                slackOnly.refusal(URI.create("https://example.com.evil.test/")).isEmpty(),
                "a name is decided on its addresses when CIDRs are listed");
        Destinations namesOnly = Destinations.of(Set.of("https"), List.of("hooks.slack.com"), List.of(), List.of());
        assertTrue(namesOnly.refusal(URI.create("https://evil.test/")).isPresent());
    }

    @Test
    void shouldRefuseAConfigurationEntryThatIsNoRange() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Destinations.of(Set.of("http"), List.of(), List.of(), List.of("localhost")));
        assertThrows(
                IllegalArgumentException.class,
                () -> Destinations.of(Set.of("http"), List.of(), List.of("10.0.0.0/33"), List.of()));
    }
}

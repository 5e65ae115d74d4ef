package io.reefline.cell;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The one HTTP client the cell talks to the hub with (follower, relay forwarders, heartbeat). Built on first use, off
 * the start-up path: the JDK's first client costs about a quarter of a second (its TLS context), which a restarting
 * cell should not spend before it answers OFREP from its kept snapshot. Each request sets its own timeout.
 */
public final class HubHttp {

    private HubHttp() {}

    private static final class Holder {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public static HttpClient client() {
        return Holder.CLIENT;
    }
}

package io.reefline.platform.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings every Reefline service shares, under {@code reefline.*}. */
@ConfigMapping(prefix = "reefline")
public interface ReeflineConfig {

    /** This service's name (flag, rollout, andon, metrics): the subject of its service tokens. */
    String serviceName();

    /** Base URLs of the other services by name, e.g. {@code reefline.services.metrics=http://localhost:8084}. */
    Map<String, String> services();

    /** Browser-facing base URLs of the services for page navigation; falls back to {@link #services()}. */
    Map<String, String> consoleUrls();

    /** Folder of the embedded PostgreSQL's data when no datasource URL is set (default {@code data/<service>}). */
    Optional<String> dataDir();

    /** Where {@code GET /} sends a person: the service's main page. */
    @WithDefault("/q/swagger-ui")
    String homePath();

    Outbox outbox();

    Auth auth();

    Http http();

    /** The reef (cell) this replica runs in; shown on pages and attached to what it reports. */
    Reef reef();

    interface Reef {
        /** e.g. {@code reef-eu-1} ({@code REEFLINE_REEF_NAME}). */
        Optional<String> name();

        /** e.g. {@code eu} ({@code REEFLINE_REEF_REGION}). */
        Optional<String> region();
    }

    interface Outbox {
        /** How often the relay looks for due messages. */
        @WithDefault("1s")
        String relayInterval();

        /** Most messages delivered per relay pass. */
        @WithDefault("50")
        int batchSize();

        /** Wait before the first retry of a failed delivery; doubles on each further failure. */
        @WithDefault("PT1S")
        Duration initialBackoff();

        /** Longest wait between two delivery attempts of one message. */
        @WithDefault("PT5M")
        Duration maxBackoff();

        /** How long a claimed message stays claimed; a relay that dies mid-delivery frees it after this. */
        @WithDefault("PT30S")
        Duration claimLease();

        /** Connect and read timeout of one delivery. */
        @WithDefault("PT3S")
        Duration deliveryTimeout();
    }

    interface Auth {
        /**
         * A fixed bearer token for calls to other services (e.g. issued by the OIDC provider's client-credentials
         * flow and mounted from a Secret). Without it, tokens are signed with {@code smallrye.jwt.sign.key.location}.
         */
        Optional<String> serviceToken();

        /** Lifetime of self-signed service tokens. */
        @WithDefault("PT1H")
        Duration serviceTokenLifetime();

        /**
         * Whether {@code /signin} takes a pasted access token (or {@code /signin?token=}) and keeps it in a cookie:
         * for the local suite and tests only; deployments sign people in through their OIDC provider.
         */
        @WithDefault("false")
        boolean tokenSignIn();

        /** Whether sign-in cookies are {@code Secure} (sent over HTTPS only); off only for local HTTP. */
        @WithDefault("true")
        boolean secureCookies();
    }

    interface Http {
        /**
         * Origins ({@code scheme://host[:port]}) besides the service's own whose pages may post its forms, e.g. a
         * console served under another host name.
         */
        Optional<List<String>> trustedOrigins();

        /**
         * The Content-Security-Policy of every page: only this service's own scripts, styles, images and forms, never
         * framed. Style attributes stay allowed for the charts' computed bar sizes; inline scripts and style
         * elements do not.
         */
        @WithDefault("default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
                + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                + "frame-ancestors 'none'")
        String contentSecurityPolicy();
    }
}

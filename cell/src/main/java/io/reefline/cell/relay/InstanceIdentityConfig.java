package io.reefline.cell.relay;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the relay tells which customer instance a sidecar runs beside ({@code reefline.cell.instances.*}): the sidecar
 * presents its pod's projected service-account token, which the cell has its own reef's Kubernetes API check (a
 * TokenReview) before it reads the pod the token is bound to.
 */
@ConfigMapping(prefix = "reefline.cell.instances")
public interface InstanceIdentityConfig {

    /**
     * The reef's Kubernetes API. Unset: the API of the cluster the cell runs in ({@code KUBERNETES_SERVICE_HOST} and
     * {@code _PORT}); without either, sidecar tokens are refused (401) and only people's tokens are taken.
     */
    Optional<URI> apiServer();

    /** The cell's own token for that API (re-read when it changes: kubelet rotates it). Absent file: no token sent. */
    @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/token")
    Path tokenFile();

    /** The CA that signed the API's certificate (PEM), for an https API. Absent file: the JDK's trust store. */
    @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt")
    Path caFile();

    /**
     * The audience a sidecar's token must be for. A token for another audience (the API server's own included) is
     * refused, so a token stolen from elsewhere is worthless here and this one is worthless elsewhere.
     */
    @WithDefault("reefline-cell")
    String audience();

    /** The namespace of the customer instances; a pod elsewhere is not an instance. */
    @WithDefault("instances")
    String namespace();

    /** The instance's own container, whose image tag is the release the instance runs (as rollout-service reads it). */
    @WithDefault("app")
    String container();

    /**
     * How long a TokenReview's answer and a pod's instance are kept: a burst of cords and reports from one pod costs
     * the API one review and one read. Never beyond the token's own expiry.
     */
    @WithDefault("PT30S")
    Duration cacheTtl();

    /** Most TokenReview answers (and pods) kept; the least recently used go first. */
    @WithDefault("10000")
    int cacheSize();

    /** Connect and answer timeout of one call to the reef's Kubernetes API. */
    @WithDefault("PT5S")
    Duration timeout();
}

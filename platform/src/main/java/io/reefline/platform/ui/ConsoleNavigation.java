package io.reefline.platform.ui;

import io.reefline.platform.config.ReeflineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;

/**
 * The navigation every page shares, so the four services read as one console. Links point at each service's
 * browser-facing URL ({@code reefline.console-urls.<name>}, else {@code reefline.services.<name>}); a link to this
 * service itself stays relative.
 */
@Named("console")
@ApplicationScoped
public class ConsoleNavigation {

    /** One entry of the top navigation. */
    public record Link(String name, String label, String url) {}

    private static final List<Link> PAGES = List.of(
            new Link("andon", "Andon", "/ui/andon"),
            new Link("rollout", "Releases", "/ui/releases"),
            new Link("flag", "Flags", "/ui/flags"),
            new Link("metrics", "Metrics", "/ui/metrics"));

    private final ReeflineConfig config;

    ConsoleNavigation(ReeflineConfig config) {
        this.config = config;
    }

    public List<Link> links() {
        return PAGES.stream()
                .map(page -> new Link(page.name(), page.label(), baseUrl(page.name()) + page.url()))
                .toList();
    }

    /** The andon page is the console's home: the first question is always whether the line is moving. */
    public String homeUrl() {
        return baseUrl("andon") + "/ui/andon";
    }

    public String serviceName() {
        return config.serviceName();
    }

    private String baseUrl(String service) {
        if (service.equals(config.serviceName())) {
            return "";
        }
        String url =
                config.consoleUrls().getOrDefault(service, config.services().get(service));
        return url == null ? "" : url.replaceAll("/+$", "");
    }
}

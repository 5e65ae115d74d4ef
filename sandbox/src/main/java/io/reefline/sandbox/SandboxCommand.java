package io.reefline.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the sandbox dev tool: {@code keys DIR}, {@code token DIR ROLE [SUBJECT]} ({@code token DIR cell
 * REEF} for a reef's cell) and {@code reefs [...]}.
 */
public final class SandboxCommand {

    static final Path DEFAULT_KUBECONFIG = Path.of(".suite", "sandbox", "kubeconfig");
    static final String STATE_FILE_NAME = "reefs.properties";
    /** Where {@code reefs} keeps each instance pod's token for its reef's cell: {@code <reef>/<instance>/token}. */
    static final String TOKENS_DIR_NAME = "tokens";
    /** The last line {@code reefs} prints once everything listens; {@code ./suite up} waits for it. */
    static final String READY_LINE = "sandbox ready";

    private static final String USAGE = String.join(
            "\n",
            "usage: sandbox keys DIR",
            "       sandbox token DIR ROLE [SUBJECT]   (cell: sandbox token DIR cell REEF)",
            "       sandbox reefs [--reefs N] [--instances N] [--seed N] [--kubelet-delay-ms N]",
            "                     [--kubeconfig PATH] [--state-file PATH] [--tokens-dir PATH] [--base-port N]",
            "                     [--health-port N] [--no-malformed-instance]",
            "                     [--degraded-error-rate R] [--degraded-latency-ms N] [--crashloop-every DURATION]",
            "                     [--signals-to REEF=URL]... [--signals-to-cells URL_TEMPLATE]"
                    + " [--signals-interval DURATION]");

    /** The roles {@code token} signs for: people's, and the narrow ones of a cell, a CI job and the hub's services. */
    static final List<String> ROLES = List.of("viewer", "operator", "admin", "cell", "publisher", "service");

    private SandboxCommand() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        switch (args[0]) {
            case "keys" -> {
                if (args.length != 2) {
                    usage();
                    System.exit(2);
                }
                LocalKeys.ensureKeyPair(Path.of(args[1]));
            }
            case "token" -> {
                if (args.length < 3) {
                    usage();
                    System.exit(2);
                }
                Path dir = Path.of(args[1]);
                String role = args[2];
                if (!ROLES.contains(role)) {
                    System.err.println("Unknown role '" + role + "': use one of " + String.join(", ", ROLES));
                    System.exit(2);
                }
                // A cell's token names the reef it acts for: token DIR cell REEF (subject cell-REEF).
                if (role.equals("cell") && args.length < 4) {
                    System.err.println("A cell's token names its reef: sandbox token DIR cell REEF");
                    System.exit(2);
                }
                boolean cell = role.equals("cell");
                String subject = args.length > 3 ? (cell ? "cell-" + args[3] : args[3]) : "local-" + role;
                System.out.println(LocalKeys.signToken(
                        LocalKeys.readPrivateKey(dir.resolve(LocalKeys.PRIVATE_KEY_FILE)),
                        LocalKeys.DEFAULT_ISSUER,
                        subject,
                        List.of(role),
                        Duration.ofHours(12),
                        cell ? LocalKeys.cellClaims(args[3]) : java.util.Map.of()));
            }
            case "reefs" -> {
                ReefsOptions options;
                try {
                    options = ReefsOptions.parse(List.of(args).subList(1, args.length));
                } catch (IllegalArgumentException e) {
                    System.err.println("sandbox reefs: " + e.getMessage());
                    usage();
                    System.exit(2);
                    return;
                }
                runReefs(options);
            }
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    /** Runs the sandbox until the JVM is asked to stop (SIGTERM, SIGINT); a shutdown hook closes it. */
    private static void runReefs(ReefsOptions options) throws InterruptedException {
        // fabric8 logs through SLF4J, which has no provider in the sandbox jar and would warn about that on every
        // start. The sandbox's own problems are reported through java.util.logging.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        Sandbox sandbox;
        try {
            sandbox = Sandbox.start(options.spec());
            Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-shutdown"));
            sandbox.writeKubeconfig(options.kubeconfig());
            sandbox.writeStateFile(options.stateFile(), options.kubeconfig());
            sandbox.writeServiceAccountTokens(options.tokensDir(), Sandbox.CELL_AUDIENCE);
        } catch (IOException | RuntimeException e) {
            System.err.println("sandbox reefs: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        for (SandboxReef reef : sandbox.reefs()) {
            int instances = reef.client()
                    .apps()
                    .deployments()
                    .inNamespace(options.spec().namespace())
                    .list()
                    .getItems()
                    .size();
            System.out.printf("%-12s %-3s %-24s %d instances%n", reef.name(), reef.region(), reef.url(), instances);
        }
        SignalReporting signals = options.spec().signals();
        if (signals.enabled()) {
            System.out.println("signals every " + signals.interval() + " to "
                    + sandbox.reefs().stream()
                            .filter(r -> signals.cells().containsKey(r.name()))
                            .map(r -> r.name() + "=" + signals.cells().get(r.name()))
                            .collect(java.util.stream.Collectors.joining(" ")));
        }
        System.out.println(READY_LINE);
        System.out.flush();
        // Serve until SIGTERM or SIGINT; the shutdown hook closes the sandbox while this thread keeps waiting.
        new CountDownLatch(1).await();
    }

    private static void usage() {
        System.err.println(USAGE);
    }

    /** The options of {@code sandbox reefs}. */
    record ReefsOptions(SandboxSpec spec, Path kubeconfig, Path stateFile, Path tokensDir) {

        /** @throws IllegalArgumentException naming the offending argument */
        static ReefsOptions parse(List<String> args) {
            SandboxSpec defaults = SandboxSpec.defaults();
            int reefs = defaults.reefs();
            int instances = defaults.instancesPerReef();
            long seed = defaults.seed();
            Duration kubeletDelay = defaults.kubeletDelay();
            int basePort = defaults.basePort();
            int healthPort = defaults.healthPort();
            boolean malformedInstance = defaults.includeMalformedInstance();
            Path kubeconfig = DEFAULT_KUBECONFIG;
            Path stateFile = null;
            Path tokensDir = null;
            ImageFaults faults = defaults.faults();
            Map<String, URI> signalsTo = new LinkedHashMap<>();
            String signalsToCells = null;
            Duration signalsInterval = defaults.signals().interval();
            for (int i = 0; i < args.size(); i++) {
                String option = args.get(i);
                if (option.equals("--no-malformed-instance")) {
                    malformedInstance = false;
                    continue;
                }
                if (!option.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument " + option);
                }
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args.get(++i);
                switch (option) {
                    case "--reefs" -> reefs = number(option, value, 1, 1000);
                    case "--instances" -> instances = number(option, value, 1, 100_000);
                    case "--seed" -> seed = longNumber(option, value);
                    case "--kubelet-delay-ms" ->
                        kubeletDelay = Duration.ofMillis(number(option, value, 0, Integer.MAX_VALUE));
                    case "--base-port" -> basePort = number(option, value, 0, 65535);
                    case "--health-port" -> healthPort = number(option, value, 0, 65535);
                    case "--kubeconfig" -> kubeconfig = Path.of(value);
                    case "--state-file" -> stateFile = Path.of(value);
                    case "--tokens-dir" -> tokensDir = Path.of(value);
                    case "--degraded-error-rate" ->
                        faults = new ImageFaults(
                                fraction(option, value), faults.degradedLatency(), faults.crashloopEvery());
                    case "--degraded-latency-ms" ->
                        faults = new ImageFaults(
                                faults.degradedErrorRate(),
                                Duration.ofMillis(number(option, value, 0, 60_000)),
                                faults.crashloopEvery());
                    case "--crashloop-every" ->
                        faults = new ImageFaults(
                                faults.degradedErrorRate(), faults.degradedLatency(), duration(option, value));
                    case "--signals-to" -> {
                        int equals = value.indexOf('=');
                        if (equals <= 0 || equals == value.length() - 1) {
                            throw new IllegalArgumentException(option + " needs REEF=URL, got '" + value + "'");
                        }
                        signalsTo.put(value.substring(0, equals), url(option, value.substring(equals + 1)));
                    }
                    case "--signals-to-cells" -> signalsToCells = value;
                    case "--signals-interval" -> signalsInterval = duration(option, value);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            SandboxSpec spec = new SandboxSpec(
                    reefs,
                    instances,
                    seed,
                    kubeletDelay,
                    basePort,
                    defaults.containerName(),
                    defaults.namespace(),
                    defaults.currentImage(),
                    healthPort,
                    malformedInstance,
                    faults,
                    defaults.signals());
            // Named cells win over the template, whatever the order they were given in.
            if (signalsToCells != null) {
                spec = spec.withSignalsToCells(signalsToCells);
            }
            for (Map.Entry<String, URI> cell : signalsTo.entrySet()) {
                spec = spec.withSignalsTo(cell.getKey(), cell.getValue());
            }
            spec = spec.withSignalsInterval(signalsInterval);
            Path kubeconfigPath = kubeconfig.toAbsolutePath().normalize();
            Path state = stateFile != null ? stateFile : kubeconfigPath.resolveSibling(STATE_FILE_NAME);
            Path tokens = tokensDir != null ? tokensDir : kubeconfigPath.resolveSibling(TOKENS_DIR_NAME);
            return new ReefsOptions(
                    spec,
                    kubeconfigPath,
                    state.toAbsolutePath().normalize(),
                    tokens.toAbsolutePath().normalize());
        }

        private static int number(String option, String value, int min, int max) {
            long parsed = longNumber(option, value);
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + max);
            }
            return (int) parsed;
        }

        private static double fraction(String option, String value) {
            try {
                double parsed = Double.parseDouble(value);
                if (!(parsed >= 0 && parsed <= 1)) {
                    throw new IllegalArgumentException(option + " must be between 0 and 1, got '" + value + "'");
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number between 0 and 1, got '" + value + "'");
            }
        }

        private static Duration duration(String option, String value) {
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        option + " needs an ISO-8601 duration such as PT15S, got '" + value + "'");
            }
        }

        private static URI url(String option, String value) {
            try {
                URI url = new URI(value);
                if (url.getScheme() == null || url.getHost() == null) {
                    throw new IllegalArgumentException(option + " needs an absolute URL, got '" + value + "'");
                }
                return url;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(option + " needs a URL, got '" + value + "'");
            }
        }

        private static long longNumber(String option, String value) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
            }
        }
    }
}

package io.reefline.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SandboxLifecycleTest {

    private static final SandboxSpec SMALL =
            SandboxSpec.defaults().withReefs(2).withInstancesPerReef(2).withKubeletDelay(Duration.ofMillis(100));

    @Test
    void closeLeavesNoThreadBehind() throws Exception {
        Set<Thread> before = liveThreads();
        CellStub cell = CellStub.start();
        // Signals every second, so that the reporter's threads are running too when it closes.
        Sandbox sandbox = Sandbox.start(
                SMALL.withSignalsToCells(cell.url() + "/{reef}").withSignalsInterval(Duration.ofSeconds(1)));
        // Leave a rollout in flight, so that close() also has scheduled kubelet work to cancel.
        sandbox.reefs()
                .get(0)
                .client()
                .apps()
                .deployments()
                .withName("i-us1-002")
                .edit(d -> {
                    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("product:2026.11.1");
                    return d;
                });
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(5))
                .until(() -> liveThreads().stream().anyMatch(t -> t.getName().startsWith("sandbox-kubelet"))
                        && liveThreads().stream().anyMatch(t -> t.getName().startsWith("sandbox-signals")));

        sandbox.close();
        sandbox.close();
        cell.close();

        // Netty's global executor and Vert.x's blocked-thread checker wind down on their own, within a second or so.
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Set<Thread> leaked = liveThreads().stream()
                    .filter(t -> !before.contains(t))
                    .filter(t -> !t.isDaemon() || t.getName().startsWith("sandbox-"))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(), leaked);
        });
    }

    @Test
    void aFailedStartStopsWhatItHadStarted() throws Exception {
        int healthPort;
        try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            healthPort = free.getLocalPort();
        }
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SandboxSpec clashing =
                    SMALL.withReefs(1).withBasePort(taken.getLocalPort()).withHealthPort(healthPort);
            assertThrows(RuntimeException.class, () -> Sandbox.start(clashing));
        }
        // The health server had been started before the reef failed: its port is free again.
        assertDoesNotThrow(() -> new ServerSocket(healthPort, 50, InetAddress.getLoopbackAddress()).close());
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .collect(Collectors.toSet());
    }
}

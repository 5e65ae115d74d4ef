package io.reefline.benchmarks.rollout;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.PinnedRing;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A synthetic fleet shaped like the talk's: reefs in three regions, customer-chosen windows of one to four hours at
 * any hour, weekdays, weekends or daily, in four zones; one staff instance, 2% laggards, 1% opted out, 10% inactive.
 */
final class RolloutFleet {

    private static final String[] DAYS = {"Daily", "Mon-Fri", "Sat,Sun", "Mon,Wed,Fri"};
    private static final String[] ZONES = {"UTC", "Europe/London", "America/New_York", "Australia/Sydney"};
    private static final String[] REGIONS = {"us", "eu", "au"};

    private RolloutFleet() {}

    static List<Instance> generate(int size, int reefs, long seed) {
        Random random = new Random(seed);
        Map<String, MaintenanceWindow> windows = new HashMap<>();
        Version current = Version.parse("2026.11.2");
        List<Instance> fleet = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int reef = i % reefs;
            int startHour = random.nextInt(24);
            int hours = 1 + random.nextInt(4);
            String text = DAYS[random.nextInt(DAYS.length)] + " "
                    + String.format("%02d:00-%02d:00", startHour, (startHour + hours) % 24) + " "
                    + ZONES[random.nextInt(ZONES.length)];
            MaintenanceWindow window = windows.computeIfAbsent(text, MaintenanceWindow::parse);
            int roll = random.nextInt(100);
            PinnedRing pin = i == 0 ? PinnedRing.STAFF : (roll < 2 ? PinnedRing.LAGGARD : PinnedRing.NONE);
            fleet.add(new Instance(
                    "i-" + i,
                    "reef-" + reef,
                    REGIONS[reef % REGIONS.length],
                    "tenant-" + i,
                    window,
                    roll >= 10,
                    pin,
                    roll == 50,
                    current));
        }
        return fleet;
    }
}

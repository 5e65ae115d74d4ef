package io.reefline.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * Name and region of one fake reef. Regions take turns (us, eu, au) so that even a small sandbox spans all three, as
 * the real fleet does.
 */
record ReefIdentity(String name, String region, int indexInRegion) {

    static final List<String> REGIONS = List.of("us", "eu", "au");

    static List<ReefIdentity> forCount(int count) {
        List<ReefIdentity> reefs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String region = REGIONS.get(i % REGIONS.size());
            int indexInRegion = i / REGIONS.size() + 1;
            reefs.add(new ReefIdentity("reef-" + region + "-" + indexInRegion, region, indexInRegion));
        }
        return reefs;
    }

    /** Instance ids name their reef so that an id alone tells an operator where to look: {@code i-eu2-007}. */
    String instanceId(int number) {
        return String.format("i-%s%d-%03d", region, indexInRegion, number);
    }
}

package io.reefline.benchmarks.flag;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.flag.domain.Evaluator;
import io.reefline.flag.domain.FlagSnapshot;
import io.reefline.flag.domain.flagd.FlagdDocument;
import io.reefline.flag.ofrep.Catalog;
import io.reefline.flag.ofrep.EnvironmentFlags;
import io.reefline.flag.ofrep.KeyBinding;
import io.reefline.flag.ofrep.Ofrep;
import io.reefline.flag.ofrep.OfrepSource;
import io.reefline.flag.ofrep.SdkKeyHash;
import io.reefline.flag.ofrep.TenantAttributes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One OFREP answer without HTTP, as the primary and the cells' followers compute it (flag-core's {@code Ofrep}): the
 * load of issue 11, 50 flags each with a sticky 50/50 {@code fractional} split and every other one first an {@code
 * in} check on the tenant attribute {@code region}, a random targeting key per request. What HTTP adds on top is
 * measured by {@code benchmarks/cell-load.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OfrepAnswerBenchmark {

    private static final String KEY = "benchmark-sdk-key";
    private static final int BODIES = 4_096;

    private Ofrep ofrep;
    private byte[][] bodies;
    private int next;

    @Setup
    public void setUp() throws Exception {
        StringBuilder flags = new StringBuilder("{\"flags\":{");
        String split = "{\"fractional\":[[\"on\",50],[\"off\",50]]}";
        Set<String> bucketed = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String key = "flag-%02d".formatted(i);
            bucketed.add(key);
            String targeting = i % 2 == 1
                    ? "{\"if\":[{\"in\":[{\"var\":\"region\"},[\"eu-west\",\"eu-central\",\"us-east\"]]}," + split
                            + ",\"off\"]}"
                    : split;
            flags.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(key)
                    .append("\":{\"state\":\"ENABLED\",\"variants\":{\"on\":true,\"off\":false},")
                    .append("\"defaultVariant\":\"off\",\"targeting\":")
                    .append(targeting)
                    .append('}');
        }
        flags.append("}}");
        FlagSnapshot snapshot = FlagSnapshot.of(FlagdDocument.parse(new ObjectMapper().readTree(flags.toString())), 1);
        EnvironmentFlags production =
                new EnvironmentFlags("production", snapshot, Evaluator.over(snapshot, Clock.systemUTC()), bucketed);
        Catalog catalog = new Catalog(
                1, Map.of("production", production), Map.of(SdkKeyHash.of(KEY), new KeyBinding("production", false)));
        ofrep = new Ofrep(new OfrepSource() {
            @Override
            public KeyBinding binding(String sdkKey) {
                return catalog.keys().get(SdkKeyHash.of(sdkKey));
            }

            @Override
            public Catalog catalog() {
                return catalog;
            }

            @Override
            public TenantAttributes tenants() {
                return TenantAttributes.NONE;
            }
        });
        SplittableRandom random = new SplittableRandom(11);
        bodies = new byte[BODIES][];
        for (int i = 0; i < BODIES; i++) {
            bodies[i] = ("{\"context\":{\"targetingKey\":\"user-" + random.nextInt(100_000_000)
                            + "\",\"tenant\":\"acme\",\"region\":\"us-east\"}}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private byte[] body() {
        next = (next + 1) & (BODIES - 1);
        return bodies[next];
    }

    @Benchmark
    public Ofrep.Answer single() {
        return ofrep.evaluate("flag-01", KEY, null, body());
    }

    @Benchmark
    public Ofrep.Answer bulk() {
        return ofrep.evaluateAll(KEY, null, null, body());
    }
}

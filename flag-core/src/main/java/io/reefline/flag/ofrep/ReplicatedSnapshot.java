package io.reefline.flag.ofrep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reefline.flag.domain.Evaluator;
import io.reefline.flag.domain.FlagSnapshot;
import io.reefline.flag.domain.FlagValues;
import io.reefline.flag.domain.flagd.FlagdDocument;
import io.reefline.flag.domain.flagd.InvalidFlagdDocumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a primary replicates to its followers: every environment's flags as a flagd document (so a follower compiles
 * them with the same code the primary used), which flags bucket by the targeting key, the SDK keys by hash, and the
 * tenant attributes. One JSON document, self-contained: a follower persists it as received and can answer from it
 * after a restart without the primary.
 *
 * <pre>{"format":1, "catalogVersion":42, "environments":{"production":{"flagd":{...}, "bucketedByTargetingKey":[]}},
 *  "keys":{"&lt;sha-256&gt;":{"environment":"production","revoked":false}}, "tenants":{"acme":{"reef":"reef-eu-1"}}}</pre>
 */
public final class ReplicatedSnapshot {

    public static final int FORMAT = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A decoded snapshot, compiled and ready to answer. */
    public record Replica(String tag, Catalog catalog, TenantAttributes tenants) {}

    private ReplicatedSnapshot() {}

    /**
     * The tag a follower sends back as {@code If-None-Match}: the catalog's version and a digest of the tenant
     * attributes, the two things that change independently.
     */
    public static String tag(Catalog catalog, TenantAttributes tenants) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Map<String, Object>> tenant : new TreeMap<>(tenants.byTenant()).entrySet()) {
                digest.update((tenant.getKey() + "=" + new TreeMap<>(tenant.getValue()) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return "\"" + catalog.version() + "-" + HexFormat.of().formatHex(digest.digest(), 0, 8) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The document of a primary's state. */
    public static byte[] encode(Catalog catalog, TenantAttributes tenants) {
        ObjectNode document = MAPPER.createObjectNode();
        document.put("format", FORMAT);
        document.put("catalogVersion", catalog.version());
        ObjectNode environments = document.putObject("environments");
        new TreeMap<>(catalog.environments()).forEach((key, flags) -> {
            ObjectNode environment = environments.putObject(key);
            environment.set("flagd", FlagdDocument.write(flags.snapshot().flagSet()));
            var bucketed = environment.putArray("bucketedByTargetingKey");
            flags.bucketedByTargetingKey().stream().sorted().forEach(bucketed::add);
        });
        ObjectNode keys = document.putObject("keys");
        new TreeMap<>(catalog.keys()).forEach((hash, binding) -> {
            ObjectNode key = keys.putObject(hash);
            key.put("environment", binding.environment());
            key.put("revoked", binding.revoked());
        });
        ObjectNode byTenant = document.putObject("tenants");
        new TreeMap<>(tenants.byTenant())
                .forEach((tenant, attributes) -> byTenant.set(tenant, FlagValues.toJson(new TreeMap<>(attributes))));
        try {
            return MAPPER.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values is always writable", e);
        }
    }

    /**
     * Compiles a received or persisted document.
     *
     * @throws InvalidSnapshotException when it is not a snapshot this code can read (never half-applied)
     */
    @SuppressWarnings("unchecked")
    public static Replica decode(byte[] bytes, Clock clock) throws InvalidSnapshotException {
        JsonNode document;
        try {
            document = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidSnapshotException("not JSON: " + e.getMessage());
        }
        if (document == null || !document.isObject()) {
            throw new InvalidSnapshotException("not a JSON object");
        }
        if (document.path("format").asInt(-1) != FORMAT) {
            throw new InvalidSnapshotException(
                    "format " + document.path("format") + " is not " + FORMAT + " (a newer primary?)");
        }
        JsonNode version = document.get("catalogVersion");
        if (version == null || !version.canConvertToLong()) {
            throw new InvalidSnapshotException("catalogVersion is missing");
        }
        long catalogVersion = version.longValue();
        Map<String, EnvironmentFlags> environments = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        document.path("environments").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            FlagdDocument.Loaded loaded;
            try {
                loaded = FlagdDocument.load(entry.getValue().path("flagd"));
            } catch (InvalidFlagdDocumentException e) {
                throw new InvalidSnapshotException("environment " + entry.getKey() + ": " + e.getMessage());
            }
            FlagSnapshot snapshot = FlagSnapshot.of(loaded.flagSet(), catalogVersion);
            List<String> bucketed = new ArrayList<>();
            entry.getValue().path("bucketedByTargetingKey").forEach(key -> bucketed.add(key.asText()));
            environments.put(
                    entry.getKey(),
                    new EnvironmentFlags(
                            entry.getKey(), snapshot, Evaluator.over(snapshot, clock), Set.copyOf(bucketed)));
        }
        Map<String, KeyBinding> keys = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = document.path("keys").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode environment = entry.getValue().get("environment");
            if (environment == null || !environment.isTextual()) {
                throw new InvalidSnapshotException("key " + entry.getKey() + " names no environment");
            }
            keys.put(
                    entry.getKey(),
                    new KeyBinding(
                            environment.textValue(),
                            entry.getValue().path("revoked").asBoolean(false)));
        }
        Map<String, Map<String, Object>> tenants = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = document.path("tenants").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isObject()) {
                throw new InvalidSnapshotException("tenant " + entry.getKey() + " is not an object");
            }
            tenants.put(entry.getKey(), (Map<String, Object>) FlagValues.fromJson(entry.getValue()));
        }
        Catalog catalog = new Catalog(catalogVersion, environments, keys);
        TenantAttributes attributes = TenantAttributes.of(tenants);
        return new Replica(tag(catalog, attributes), catalog, attributes);
    }

    /** A document that is not a snapshot this code can read. */
    public static final class InvalidSnapshotException extends Exception {
        public InvalidSnapshotException(String message) {
            super(message);
        }
    }
}

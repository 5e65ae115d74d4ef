package io.reefline.flag.rest;

import io.reefline.flag.service.FlagSnapshots;
import io.reefline.flag.service.FlagSnapshots.EnvironmentFlags;
import io.reefline.flag.service.FlagSnapshots.KeyBinding;
import io.reefline.platform.problem.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** How every OFREP endpoint reads its SDK key and answers a conditional request; one rule for all of them. */
final class SdkKeyAuthentication {

    private static final String BEARER = "Bearer ";

    private SdkKeyAuthentication() {}

    /**
     * The caller's environment, from {@code X-API-Key} or else {@code Authorization: Bearer}; or the answer for a
     * missing or unknown key (401) and a revoked key or one whose environment is gone (403).
     */
    static Object environment(FlagSnapshots snapshots, String apiKey, String authorization) {
        String key = apiKey;
        if ((key == null || key.isBlank())
                && authorization != null
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            key = authorization.substring(BEARER.length()).strip();
        }
        if (key == null || key.isBlank()) {
            return unauthorized("An SDK key is required (X-API-Key: <key> or Authorization: Bearer <key>)");
        }
        KeyBinding binding = snapshots.binding(key.strip());
        if (binding == null) {
            return unauthorized("The SDK key is not known");
        }
        EnvironmentFlags flags = snapshots.catalog().environments().get(binding.environment());
        if (binding.revoked() || flags == null) {
            return Problem.of(
                            Response.Status.FORBIDDEN,
                            binding.revoked()
                                    ? "The SDK key was revoked"
                                    : "The SDK key's environment '" + binding.environment() + "' no longer exists")
                    .toResponse();
        }
        return flags;
    }

    /** Whether an {@code If-None-Match} header names {@code etag} (weak or strong) or is {@code *}. */
    static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static Response unauthorized(String detail) {
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(Problem.PROBLEM_JSON)
                .entity(Problem.of(Response.Status.UNAUTHORIZED, detail))
                .build();
    }
}

package io.reefline.platform.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.platform.problem.Problem;
import io.reefline.platform.problem.ProblemException;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The reef a cell's token speaks for. A token with role {@code cell} names its reef in the {@value #REEF_CLAIM} claim,
 * and the hub takes from it only what concerns that reef: its heartbeats, the cords pulled there, its downtime
 * reports. A cell token without the claim may do nothing; callers without the cell role are not bound to a reef.
 */
public final class CellIdentity {

    /** The claim of a cell's token that names its reef. */
    public static final String REEF_CLAIM = "reefline_reef";

    private CellIdentity() {}

    /**
     * The reef the caller acts for: empty when the caller is not a cell, the claim's value when it is. A cell token
     * without the claim is refused (403): it cannot be told which reef it may speak for.
     */
    public static Optional<String> reefOf(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !identity.hasRole(Roles.CELL)) {
            return Optional.empty();
        }
        Object claim = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim(REEF_CLAIM) : null;
        String reef = claim == null ? null : claimText(claim);
        if (reef == null || reef.isBlank()) {
            throw forbidden("A cell's token must name its reef in the " + REEF_CLAIM
                    + " claim; this one names none, so it may act for no reef");
        }
        return Optional.of(reef);
    }

    /**
     * Refuses (403, nothing done) a cell that speaks for another reef than its token's; any other caller passes.
     *
     * @param what what the cell is doing, for the answer (e.g. "send heartbeats")
     */
    public static void requireActsFor(SecurityIdentity identity, String reef, String what) {
        Optional<String> own = reefOf(identity);
        if (own.isPresent() && !own.get().equals(reef)) {
            throw forbidden("The cell of reef '" + own.get() + "' may " + what
                    + " for its own reef only, not for reef '" + reef + "'");
        }
    }

    private static String claimText(Object claim) {
        // smallrye-jwt hands string claims back as JSON strings or plain strings, depending on how they are read.
        if (claim instanceof jakarta.json.JsonString json) {
            return json.getString();
        }
        return claim instanceof String text ? text : null;
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.typed("wrong-reef", 403, "Forbidden", detail));
    }
}

package io.reefline.rollout.domain.upgrade;

/**
 * Whose problem a failed Kubernetes call is. Only a reef that cannot be reached, times out, is overloaded or answers
 * 5xx is backed off as a whole; a refusal of one request (a 4xx: an admission webhook, a failed patch test, a conflict)
 * is that upgrade's problem, retried with its own backoff, so one poison upgrade never stops its reef.
 */
public enum ClusterFault {
    /** The reef's API is unwell: back the whole reef off. */
    REEF,
    /** This request was refused: back this upgrade off, and give it up after a bounded time. */
    UPGRADE;

    /**
     * @param status the HTTP status of the answer; 0 or less when there was none (connection refused, timeout)
     */
    public static ClusterFault of(int status) {
        if (status <= 0 || status >= 500 || status == 429 || status == 408) {
            return REEF;
        }
        return status >= 400 ? UPGRADE : REEF;
    }
}

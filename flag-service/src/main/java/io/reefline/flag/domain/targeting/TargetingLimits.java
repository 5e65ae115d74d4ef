package io.reefline.flag.domain.targeting;

/**
 * The evaluation budget of targeting. flagd sets none; here one stored rule must not be able to stall evaluation,
 * which runs on the event loop. Two limits are checked when targeting is compiled (so a write or an import that
 * breaks them is refused, naming the field), and one while it runs:
 *
 * <ul>
 *   <li>{@link #MAX_DEPTH}: operations nested inside each other, counted after {@code $ref}s are expanded;
 *   <li>{@link #MAX_NODES}: nodes after {@code $ref}s are expanded (an evaluator referenced twice counts twice, so
 *       evaluators that reference each other twice per level, which grow exponentially, are refused); an array of
 *       literals is one node, since it is compiled into one constant;
 *   <li>{@link #MAX_STEPS}: steps one evaluation may spend on work the node count does not bound: every element an
 *       array operation ({@code map}, {@code filter}, {@code reduce}, {@code all}, {@code some}, {@code none}) visits
 *       costs the nodes of its per-element expression, and operations on data (merging arrays, {@code in} over an
 *       array, comparing arrays, joining or cutting long strings) cost its size. Past it the evaluation stops with
 *       {@link EvaluationBudgetExceededException}.
 * </ul>
 *
 * The worst rule these allow is measured by {@code FlagEvaluatorBudgetBenchmark} (benchmarks module).
 */
public final class TargetingLimits {

    /** Operations nested inside each other, after {@code $ref} expansion. */
    public static final int MAX_DEPTH = 32;

    /** Nodes after {@code $ref} expansion. */
    public static final long MAX_NODES = 2_000;

    /** Steps of one evaluation spent on array elements and data sizes. */
    public static final long MAX_STEPS = 20_000;

    private TargetingLimits() {}
}

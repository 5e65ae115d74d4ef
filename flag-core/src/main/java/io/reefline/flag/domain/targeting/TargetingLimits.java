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
 *   <li>{@link #MAX_STEPS}: steps one evaluation may spend on work the node count does not bound. Every element an
 *       array operation ({@code map}, {@code filter}, {@code reduce}, {@code all}, {@code some}, {@code none}) visits
 *       costs the nodes of its per-element expression plus one; every value read from the context ({@code var}) or
 *       built ({@code merge}, {@code cat}) or compared ({@code ==}, {@code <}, {@code in}) costs its size (one step
 *       per array or object element, nested ones included, and per 16 characters of text); a path computed at run time
 *       ({@code var} of an expression, {@code missing}) costs one step and one per 4 characters; so a large context
 *       value read over and over, such as a {@code reduce} accumulator, pays every time. Past the limit the
 *       evaluation stops with {@link EvaluationBudgetExceededException}.
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
    public static final long MAX_STEPS = 10_000;

    private TargetingLimits() {}
}

package io.reefline.cell;

import java.util.Map;

/**
 * One part of the cell (the flag follower, the relay). {@code /q/health/ready}, {@code /q/metrics} and {@code GET
 * /api/cell} report every part; the cell is ready when every part is.
 */
public interface CellPart {

    /** Short lower-case name, e.g. {@code follower}: the health check's name and the metrics' prefix. */
    String name();

    /** Whether this part can do its work now (the follower: it has a snapshot to answer from). */
    boolean ready();

    /** What an operator wants to see about this part (shown in health and in {@code GET /api/cell}). */
    Map<String, Object> details();

    /** Numbers for Prometheus, named without prefix (the cell adds {@code reefline_cell_<part>_}). */
    Map<String, Double> gauges();
}

package io.reefline.cell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every Reefline process offers, for the cell: {@code /q/health/live}, {@code /q/health/ready} (every
 * {@link CellPart} ready), {@code /q/metrics} (Prometheus text), {@code GET /api/cell} (the parts' details), and
 * errors as problem+json.
 */
@Singleton
public class CellRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CellConfig config;
    private final Instance<CellPart> parts;

    CellRoutes(CellConfig config, Instance<CellPart> parts) {
        this.config = config;
        this.parts = parts;
    }

    void routes(@Observes Router router) {
        router.get("/q/health/live").handler(ctx -> health(ctx, false));
        router.get("/q/health/ready").handler(ctx -> health(ctx, true));
        router.get("/q/health").handler(ctx -> health(ctx, true));
        router.get("/q/metrics").handler(this::metrics);
        router.get("/api/cell").handler(this::cell);
        router.route().failureHandler(CellRoutes::failure);
    }

    private void health(RoutingContext ctx, boolean readiness) {
        List<Map<String, Object>> checks = new ArrayList<>();
        boolean up = true;
        if (readiness) {
            for (CellPart part : parts) {
                boolean ready = part.ready();
                up &= ready;
                Map<String, Object> check = new LinkedHashMap<>();
                check.put("name", part.name());
                check.put("status", ready ? "UP" : "DOWN");
                check.put("data", part.details());
                checks.add(check);
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", up ? "UP" : "DOWN");
        answer.put("checks", checks);
        write(ctx, up ? 200 : 503, "application/json", answer);
    }

    private void cell(RoutingContext ctx) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("reef", config.reef());
        for (CellPart part : parts) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("ready", part.ready());
            details.putAll(part.details());
            answer.put(part.name(), details);
        }
        write(ctx, 200, "application/json", answer);
    }

    private void metrics(RoutingContext ctx) {
        StringBuilder text = new StringBuilder();
        String reef = config.reef().replace("\\", "\\\\").replace("\"", "\\\"");
        for (CellPart part : parts) {
            text.append("# TYPE reefline_cell_").append(part.name()).append("_ready gauge\n");
            text.append("reefline_cell_")
                    .append(part.name())
                    .append("_ready{reef=\"")
                    .append(reef)
                    .append("\"} ")
                    .append(part.ready() ? 1 : 0)
                    .append('\n');
            part.gauges().forEach((name, value) -> {
                String metric = "reefline_cell_" + part.name() + "_" + name;
                text.append("# TYPE ").append(metric).append(" gauge\n");
                text.append(metric)
                        .append("{reef=\"")
                        .append(reef)
                        .append("\"} ")
                        .append(value)
                        .append('\n');
            });
        }
        ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(text.toString());
    }

    /** Failures (a body over the limit, an unknown path's handler failing) as problem+json, never a stack trace. */
    private static void failure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        String detail = switch (status) {
            case 413 -> "The request body is too large";
            case 400 -> "The request cannot be read";
            default ->
                status >= 500
                        ? "The cell could not answer: "
                                + (ctx.failure() == null
                                        ? "unknown error"
                                        : ctx.failure().getClass().getSimpleName())
                        : "The request was refused";
        };
        if (ctx.response().headWritten()) {
            ctx.response().close();
            return;
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", HttpResponseStatus.valueOf(status).reasonPhrase());
        problem.put("status", status);
        problem.put("detail", detail);
        write(ctx, status, "application/problem+json", problem);
    }

    private static void write(RoutingContext ctx, int status, String contentType, Object body) {
        try {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", contentType)
                    .end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            ctx.response().setStatusCode(500).end();
        }
    }
}

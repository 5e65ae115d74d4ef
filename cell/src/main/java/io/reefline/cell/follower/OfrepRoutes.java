package io.reefline.cell.follower;

import io.reefline.flag.ofrep.Ofrep;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * OFREP in the reef, on the event loop: the same answers as the primary (flag-core's {@link Ofrep}), from the
 * follower's snapshot. Plus {@code /ping}, the trivial endpoint the benchmarks compare evaluation with.
 */
@Singleton
public class OfrepRoutes {

    /** An OFREP request body is a small context; anything larger is refused before it is read. */
    static final long MAX_BODY = 64 * 1024;

    private static final Buffer PONG = Buffer.buffer("{\"pong\":true}");

    private final Ofrep ofrep;
    private final Ofrep.Configuration configuration;

    OfrepRoutes(Follower follower, FollowerConfig config) {
        this.ofrep = new Ofrep(follower);
        this.configuration =
                Ofrep.Configuration.of(config.name(), config.pollInterval().multipliedBy(4));
    }

    void routes(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
        router.post("/ofrep/v1/evaluate/flags/:key").handler(body).handler(this::evaluate);
        router.post("/ofrep/v1/evaluate/flags").handler(body).handler(this::evaluateAll);
        router.get("/ofrep/v1/configuration").handler(this::configuration);
        router.route("/ping")
                .handler(ctx ->
                        ctx.response().putHeader("Content-Type", Ofrep.JSON).end(PONG));
    }

    private void evaluate(RoutingContext ctx) {
        send(ctx, ofrep.evaluate(ctx.pathParam("key"), apiKey(ctx), authorization(ctx), body(ctx)));
    }

    private void evaluateAll(RoutingContext ctx) {
        send(
                ctx,
                ofrep.evaluateAll(
                        apiKey(ctx), authorization(ctx), ctx.request().getHeader("If-None-Match"), body(ctx)));
    }

    private void configuration(RoutingContext ctx) {
        send(
                ctx,
                ofrep.configuration(
                        apiKey(ctx), authorization(ctx), ctx.request().getHeader("If-None-Match"), configuration));
    }

    private static String apiKey(RoutingContext ctx) {
        return ctx.request().getHeader("X-API-Key");
    }

    private static String authorization(RoutingContext ctx) {
        return ctx.request().getHeader("Authorization");
    }

    private static byte[] body(RoutingContext ctx) {
        Buffer buffer = ctx.body().buffer();
        return buffer == null ? new byte[0] : buffer.getBytes();
    }

    private static void send(RoutingContext ctx, Ofrep.Answer answer) {
        HttpServerResponse response = ctx.response().setStatusCode(answer.status());
        if (answer.etag() != null) {
            response.putHeader("ETag", answer.etag());
        }
        if (answer.wwwAuthenticate()) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        if (answer.status() == 304) {
            response.end();
            return;
        }
        response.putHeader("Content-Type", answer.contentType()).end(Buffer.buffer(answer.body()));
    }
}

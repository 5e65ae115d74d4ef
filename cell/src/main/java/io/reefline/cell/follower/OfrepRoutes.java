package io.reefline.cell.follower;

import io.reefline.flag.ofrep.Ofrep;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.function.Consumer;

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
        router.post("/ofrep/v1/evaluate/flags/:key")
                .handler(ctx -> withBody(
                        ctx,
                        body -> send(
                                ctx, ofrep.evaluate(ctx.pathParam("key"), apiKey(ctx), authorization(ctx), body))));
        router.post("/ofrep/v1/evaluate/flags")
                .handler(ctx -> withBody(
                        ctx,
                        body -> send(ctx, ofrep.evaluateAll(apiKey(ctx), authorization(ctx), ifNoneMatch(ctx), body))));
        router.get("/ofrep/v1/configuration")
                .handler(ctx -> send(
                        ctx, ofrep.configuration(apiKey(ctx), authorization(ctx), ifNoneMatch(ctx), configuration)));
        router.route("/ping")
                .handler(ctx ->
                        ctx.response().putHeader("Content-Type", Ofrep.JSON).end(PONG));
    }

    /**
     * Reads a small request body and hands it on, without a general-purpose body handler (OFREP bodies are a few
     * hundred bytes): more than {@link #MAX_BODY} bytes, announced or sent, is a 413 before the rest is read.
     */
    private static void withBody(RoutingContext ctx, Consumer<byte[]> then) {
        HttpServerRequest request = ctx.request();
        long announced = contentLength(request);
        if (announced > MAX_BODY) {
            ctx.fail(413);
            return;
        }
        Buffer body = Buffer.buffer(announced > 0 ? (int) announced : 256);
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY) {
                refused[0] = true;
                ctx.fail(413);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(ctx::fail);
        request.endHandler(end -> {
            if (!refused[0]) {
                then.accept(body.getBytes());
            }
        });
        request.resume();
    }

    private static long contentLength(HttpServerRequest request) {
        String announced = request.getHeader("Content-Length");
        try {
            return announced == null ? -1 : Long.parseLong(announced.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String apiKey(RoutingContext ctx) {
        return ctx.request().getHeader("X-API-Key");
    }

    private static String authorization(RoutingContext ctx) {
        return ctx.request().getHeader("Authorization");
    }

    private static String ifNoneMatch(RoutingContext ctx) {
        return ctx.request().getHeader("If-None-Match");
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

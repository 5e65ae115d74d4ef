package io.reefline.platform.ui;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Local sign-in for the pages: the person pastes (or the suite's link carries) an access token, which is kept in an
 * HttpOnly, SameSite=Strict cookie and verified on every request exactly like a bearer token. Production deployments
 * put their OIDC provider's login in front and issue the same tokens.
 */
@Path("/")
@PermitAll
public class SignInResource {

    private final Template signin;
    private final String cookieName;
    private final String homePath;

    SignInResource(
            @Location("reefline/signin.html") Template signin,
            @ConfigProperty(name = "mp.jwt.token.cookie") String cookieName,
            @ConfigProperty(name = "reefline.home-path", defaultValue = "/q/swagger-ui") String homePath) {
        this.signin = signin;
        this.cookieName = cookieName;
        this.homePath = homePath;
    }

    /** The service's own page. */
    @GET
    public Response home() {
        return Response.seeOther(URI.create(homePath)).build();
    }

    @GET
    @Path("signin")
    @Produces(MediaType.TEXT_HTML)
    public Response form(@QueryParam("token") String token, @QueryParam("next") String next) {
        if (token != null && !token.isBlank()) {
            return signedIn(token, next);
        }
        TemplateInstance page = signin.data("next", safeNext(next)).data("error", null);
        return Response.ok(page).build();
    }

    @POST
    @Path("signin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response submit(@FormParam("token") String token, @FormParam("next") String next) {
        if (token == null || token.isBlank()) {
            return Response.status(400)
                    .entity(signin.data("next", safeNext(next)).data("error", "Paste a token to sign in."))
                    .build();
        }
        return signedIn(token.strip(), next);
    }

    @GET
    @Path("signout")
    public Response signOut() {
        return Response.seeOther(URI.create("/signin"))
                .cookie(new NewCookie.Builder(cookieName)
                        .value("")
                        .path("/")
                        .maxAge(0)
                        .httpOnly(true)
                        .sameSite(NewCookie.SameSite.STRICT)
                        .build())
                .build();
    }

    private Response signedIn(String token, String next) {
        return Response.seeOther(URI.create(safeNext(next)))
                .cookie(new NewCookie.Builder(cookieName)
                        .value(token)
                        .path("/")
                        .httpOnly(true)
                        .sameSite(NewCookie.SameSite.STRICT)
                        .build())
                .build();
    }

    /** Only local paths: a sign-in link must never redirect to another site. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
            return "/";
        }
        return next;
    }
}

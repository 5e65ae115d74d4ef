package io.reefline.platform.ui;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.platform.config.ReeflineConfig;
import io.reefline.platform.problem.ProblemException;
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
 * Sign-in for the pages. With an OIDC provider configured (profile {@code oidc}, see the README), {@code /signin} and
 * {@code /signout} are guarded by the authorization-code flow: reaching {@code /signin} means the provider has signed
 * the person in, and {@code /signout} ends the session at the provider too. For the local suite only ({@code
 * reefline.auth.token-sign-in}, off by default), a person pastes (or the suite's link carries) an access token, which
 * is kept in an HttpOnly, SameSite=Strict cookie ({@code Secure} outside the local and test profiles) and verified on
 * every request exactly like a bearer token.
 */
@Path("/")
@PermitAll
public class SignInResource {

    private final Template signin;
    private final String cookieName;
    private final String homePath;
    private final boolean tokenSignIn;
    private final boolean secureCookies;
    private final SecurityIdentity identity;

    SignInResource(
            @Location("reefline/signin.html") Template signin,
            @ConfigProperty(name = "mp.jwt.token.cookie") String cookieName,
            ReeflineConfig config,
            SecurityIdentity identity) {
        this.signin = signin;
        this.cookieName = cookieName;
        this.homePath = config.homePath();
        this.tokenSignIn = config.auth().tokenSignIn();
        this.secureCookies = config.auth().secureCookies();
        this.identity = identity;
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
            requireTokenSignIn();
            return signedIn(token, next);
        }
        if (signedIn()) {
            // Signed in by the OIDC provider (or already holding a valid cookie): on to the page asked for.
            return Response.seeOther(URI.create(safeNext(next))).build();
        }
        return Response.status(tokenSignIn ? 200 : 404)
                .entity(page(next, tokenSignIn ? null : "Sign-in is not configured for this deployment."))
                .build();
    }

    @POST
    @Path("signin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response submit(@FormParam("token") String token, @FormParam("next") String next) {
        requireTokenSignIn();
        if (token == null || token.isBlank()) {
            return Response.status(400)
                    .entity(page(next, "Paste a token to sign in."))
                    .build();
        }
        return signedIn(token.strip(), next);
    }

    /** Forgets the local sign-in cookie; with an OIDC provider, the provider's logout runs before this is reached. */
    @GET
    @Path("signout")
    public Response signOut() {
        return Response.seeOther(URI.create("/signed-out"))
                .cookie(cookie("").maxAge(0).build())
                .build();
    }

    @GET
    @Path("signed-out")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance signedOut() {
        return signin.data("next", "/")
                .data("error", null)
                .data("tokenSignIn", false)
                .data("signedOut", true);
    }

    /** Whether the request carries a valid sign-in; an expired or forged cookie counts as none here, not as a loop. */
    private boolean signedIn() {
        try {
            return !identity.isAnonymous();
        } catch (AuthenticationFailedException e) {
            return false;
        }
    }

    private TemplateInstance page(String next, String error) {
        return signin.data("next", safeNext(next))
                .data("error", error)
                .data("tokenSignIn", tokenSignIn)
                .data("signedOut", false);
    }

    private void requireTokenSignIn() {
        if (!tokenSignIn) {
            throw ProblemException.notFound("Sign-in method", "token");
        }
    }

    private Response signedIn(String token, String next) {
        return Response.seeOther(URI.create(safeNext(next)))
                .cookie(cookie(token).build())
                .build();
    }

    private NewCookie.Builder cookie(String value) {
        return new NewCookie.Builder(cookieName)
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(secureCookies)
                .sameSite(NewCookie.SameSite.STRICT);
    }

    /** Only local paths: a sign-in link must never redirect to another site. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
            return "/";
        }
        return next;
    }
}

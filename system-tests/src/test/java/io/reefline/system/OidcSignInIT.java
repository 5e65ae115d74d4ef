package io.reefline.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.reefline.testing.HeadlessChromium;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Signing in to the pages through a real OIDC provider: Keycloak (from Maven Central, started here once with a realm
 * that has a Reefline client and an operator), flag-service as a packaged process with the {@code oidc} profile
 * pointed at it, and Chromium. A person signs in on Keycloak's form, creates a flag through the page, sees a form
 * posted from another origin refused, and signs out at the provider.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OidcSignInIT {

    private static final String CLIENT_SECRET = "reefline-console-secret";

    private static Path work;
    private static Process keycloak;
    private static String keycloakUrl;
    private static ServiceKeys keys;
    private static ServiceProcess flag;
    private static HeadlessChromium chromium;
    private static WebDriver browser;
    private static HttpServer otherSite;

    @BeforeAll
    static void startKeycloakFlagServiceAndChromium() throws Exception {
        work = Files.createTempDirectory("reefline-oidc-it");
        int flagPort = ServiceProcess.freePort();
        // ServiceProcess.url() names 127.0.0.1; the client's redirect URIs must name the same host.
        String flagUrl = "http://127.0.0.1:" + flagPort;
        startKeycloak(flagUrl);
        keys = ServiceKeys.create(work.resolve("keys"));
        Map<String, String> properties = new HashMap<>(keys.withKeys(Map.of()));
        properties.put("quarkus.profile", "prod,oidc");
        properties.put("quarkus.oidc.auth-server-url", keycloakUrl + "/realms/reefline");
        properties.put("quarkus.oidc.client-id", "reefline");
        properties.put("quarkus.oidc.credentials.secret", CLIENT_SECRET);
        // Plain HTTP on this machine; deployments keep the default (Secure cookies).
        properties.put("reefline.auth.secure-cookies", "false");
        flag = ServiceProcess.start("flag", flagPort, work.resolve("flag"), properties)
                .awaitReady(Duration.ofSeconds(90));
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
    }

    @AfterAll
    static void stopAll() {
        if (otherSite != null) {
            otherSite.stop(0);
        }
        Scenarios.stop(chromium, flag);
        if (keycloak != null) {
            keycloak.descendants().forEach(ProcessHandle::destroy);
            keycloak.destroy();
        }
    }

    @Test
    @Order(1)
    void shouldSignInThroughTheProvidersLoginForm() {
        browser.get(flag.url() + "/ui/flags");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertTrue(browser.getCurrentUrl().startsWith(keycloakUrl + "/realms/reefline/"), browser.getCurrentUrl());
        browser.findElement(By.id("username")).sendKeys("otto");
        browser.findElement(By.id("password")).sendKeys("otto-signs-in");
        browser.findElement(By.id("kc-login")).click();

        wait.until(ExpectedConditions.urlToBe(flag.url() + "/ui/flags"));
        assertTrue(browser.findElement(By.className("who")).getText().contains("otto"));
        // An operator by the provider's groups claim: the create form is there.
        assertFalse(browser.findElements(By.id("create-form")).isEmpty());
        List<Cookie> session = sessionCookies();
        assertFalse(
                session.isEmpty(),
                "the provider's session is kept in Quarkus's session cookie: "
                        + browser.manage().getCookies());
        assertTrue(session.stream().allMatch(Cookie::isHttpOnly));
        assertEquals(null, browser.manage().getCookieNamed("reefline_token"));
    }

    @Test
    @Order(2)
    void shouldRefuseAFormPostedFromAnotherOrigin() throws IOException {
        // Another origin on the same host: the same site, so the session cookie goes along (SameSite=Strict would
        // too); only the Origin check stands in the way.
        otherSite = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String page = "<!DOCTYPE html><html><body><form id=\"f\" method=\"post\" action=\"" + flag.url()
                + "/ui/flags\"><input name=\"key\" value=\"planted\"><input name=\"type\" value=\"boolean\">"
                + "<input name=\"variants\" value='{\"on\":true,\"off\":false}'>"
                + "<input name=\"defaultVariant\" value=\"on\"></form>"
                + "<script>document.getElementById('f').submit()</script></body></html>";
        otherSite.createContext("/", exchange -> {
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        otherSite.start();

        browser.get("http://127.0.0.1:" + otherSite.getAddress().getPort() + "/");
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.urlToBe(flag.url() + "/ui/flags"));
        assertTrue(browser.getPageSource().contains("own pages"), browser.getPageSource());
        given().auth()
                .oauth2(keys.token("viewer"))
                .get(flag.url() + "/api/flags/planted")
                .then()
                .statusCode(404);
    }

    @Test
    @Order(3)
    void shouldChangeAFlagThroughThePageAsTheSignedInPerson() {
        browser.get(flag.url() + "/ui/flags");
        browser.findElement(By.cssSelector("#create summary")).click();
        browser.findElement(By.id("new-key")).sendKeys("dark-mode");
        new Select(browser.findElement(By.id("new-type"))).selectByValue("boolean");
        browser.findElement(By.id("new-variants")).clear();
        browser.findElement(By.id("new-variants")).sendKeys("{\"on\": true, \"off\": false}");
        browser.findElement(By.id("new-default")).clear();
        browser.findElement(By.id("new-default")).sendKeys("off");
        browser.findElement(By.id("create-flag")).click();

        new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(ExpectedConditions.or(
                        ExpectedConditions.urlToBe(flag.url() + "/ui/flags/dark-mode"),
                        ExpectedConditions.presenceOfElementLocated(By.id("error"))));
        assertEquals(
                flag.url() + "/ui/flags/dark-mode",
                browser.getCurrentUrl(),
                () -> browser.findElements(By.id("error")).stream()
                        .map(e -> e.getText())
                        .findFirst()
                        .orElse(browser.getPageSource()));
        given().auth()
                .oauth2(keys.token("viewer"))
                .get(flag.url() + "/api/flags/dark-mode")
                .then()
                .statusCode(200)
                .body("defaultVariant", equalTo("off"));
        given().auth()
                .oauth2(keys.token("viewer"))
                .get(flag.url() + "/api/flags/dark-mode/audit")
                .then()
                .statusCode(200)
                .body(containsString("\"actor\":\"otto\""));
    }

    @Test
    @Order(4)
    void shouldKeepTheApiBearerOnlyAndTheTokenSignInOff() {
        given().redirects()
                .follow(false)
                .contentType("application/json")
                .body("{}")
                .post(flag.url() + "/api/flags")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        // The local suite's token sign-in is off: the token is not taken, the provider's login is asked for.
        given().redirects()
                .follow(false)
                .get(flag.url() + "/signin?token=" + keys.token("admin"))
                .then()
                .statusCode(302)
                .header("Location", containsString(keycloakUrl))
                .header("Set-Cookie", not(containsString("reefline_token")));
        // And pages take only the provider's session, not a token in the local sign-in cookie.
        given().redirects()
                .follow(false)
                .cookie("reefline_token", keys.token("admin"))
                .accept("text/html")
                .get(flag.url() + "/ui/flags")
                .then()
                .statusCode(302)
                .header("Location", containsString(keycloakUrl));
    }

    @Test
    @Order(5)
    void shouldSignOutAtTheProvider() {
        browser.get(flag.url() + "/ui/flags");
        browser.findElement(By.cssSelector(".who a[href='/signout']")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.urlMatches("^" + Pattern.quote(flag.url() + "/signed-out") + "([?].*)?$"));
        assertTrue(browser.getPageSource().contains("You are signed out"));
        assertEquals(List.of(), sessionCookies());

        // The provider's session is gone too: the pages ask for the password again.
        browser.get(flag.url() + "/ui/flags");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertTrue(browser.getCurrentUrl().startsWith(keycloakUrl), browser.getCurrentUrl());
    }

    /** Quarkus keeps the session in {@code q_session}, split into numbered chunks when the tokens are large. */
    private static List<Cookie> sessionCookies() {
        return browser.manage().getCookies().stream()
                .filter(c -> c.getName().startsWith("q_session"))
                .toList();
    }

    /** Starts Keycloak in dev mode on a free port with the test realm, and waits until the realm answers. */
    private static void startKeycloak(String serviceUrl) throws Exception {
        Path home = Path.of(System.getProperty("reefline.keycloak.home", "target/keycloak/keycloak"));
        assertTrue(
                Files.isExecutable(home.resolve("bin/kc.sh")),
                "Keycloak is unpacked by the pre-integration-test phase of system-tests; missing: " + home);
        Path javaHome = keycloakJavaHome();
        Path imports = Files.createDirectories(home.resolve("data/import"));
        String realm;
        try (InputStream in = OidcSignInIT.class.getResourceAsStream("/keycloak/reefline-realm.json")) {
            realm = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@SERVICE_URL@", serviceUrl);
        }
        Files.writeString(imports.resolve("reefline-realm.json"), realm);
        int port = ServiceProcess.freePort();
        keycloakUrl = "http://localhost:" + port;
        ProcessBuilder builder = new ProcessBuilder(
                        home.resolve("bin/kc.sh").toString(),
                        "start-dev",
                        "--http-port=" + port,
                        "--http-management-port=" + ServiceProcess.freePort(),
                        "--db=dev-mem",
                        "--cache=local",
                        "--import-realm")
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("keycloak.log").toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx384m");
        long started = System.nanoTime();
        keycloak = builder.start();
        HttpClient client = HttpClient.newHttpClient();
        URI discovery = URI.create(keycloakUrl + "/realms/reefline/.well-known/openid-configuration");
        long deadline = started + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(keycloak.isAlive(), "Keycloak stopped; log: " + tail(work.resolve("keycloak.log")));
            try {
                HttpResponse<Void> answer = client.send(
                        HttpRequest.newBuilder(discovery)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    System.out.printf(
                            "Keycloak %s ready (realm imported) in %d ms%n",
                            home.getFileName(), (System.nanoTime() - started) / 1_000_000);
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Keycloak not ready in 180 s; log: " + tail(work.resolve("keycloak.log")));
    }

    /**
     * The JDK Keycloak runs on: the configured one ({@code reefline.keycloak.java-home}, Temurin 25 where the machine
     * has it; Keycloak 26 prefers Java 21+), else the JDK running the tests (Keycloak 26.5 also starts on the
     * machines' Java 17, checked 2026-12-02).
     */
    private static Path keycloakJavaHome() {
        Path configured = Path.of(System.getProperty("reefline.keycloak.java-home", "/nonexistent"));
        if (Files.isExecutable(configured.resolve("bin/java"))) {
            return configured;
        }
        return Path.of(System.getProperty("java.home"));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

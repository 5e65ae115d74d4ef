package io.reefline.flag;

import static io.reefline.flag.TestData.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import io.reefline.testing.HeadlessChromium;
import io.reefline.testing.TestTokens;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The flags table in headless Chromium: creating a flag, searching and filtering well over a thousand flags, a flag's
 * import warnings, and pausing, resuming and stopping its release plan.
 */
@QuarkusTest
class FlagTablePageBrowserTest {

    private static final int BULK = 1200;

    @TestHTTPResource("/")
    URL base;

    private HeadlessChromium chromium;
    private WebDriver browser;
    private WebDriverWait wait;
    private String root;

    @BeforeEach
    void startBrowser() {
        TestData.clear();
        TestData.environment("production", "Production");
        seed();
        as(TestTokens.operator())
                .body(FlagdFiles.read("/flagd/with-warnings.json"))
                .header("If-Match", "*")
                .put("/api/environments/production/flagd")
                .then()
                .statusCode(200);
        as(TestTokens.operator())
                .body("{\"variant\":\"on\",\"startAt\":\"2030-01-01T00:00:00Z\",\"staffTenants\":[\"reefline\"]}")
                .post("/api/flags/fine/environments/production/plan")
                .then()
                .statusCode(201);
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        root = base.toString().replaceAll("/$", "");
        browser.get(root + "/signin?token=" + TestTokens.operator());
        wait.until(ExpectedConditions.urlContains("/ui/flags"));
    }

    @AfterEach
    void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void shouldCreateSearchAndFilterFlagsAndShowWarningsAndThePlan() {
        int total = BULK + 4;
        assertEquals(total + " of " + total + " flags · page 1 of 25", text("count"));

        // Create a flag in the table; the form goes through the API's validation.
        browser.findElement(By.cssSelector("#create summary")).click();
        browser.findElement(By.id("new-key")).sendKeys("checkout-v3");
        browser.findElement(By.id("new-name")).sendKeys("Checkout v3");
        new Select(browser.findElement(By.id("new-type"))).selectByValue("boolean");
        browser.findElement(By.id("new-variants")).clear();
        browser.findElement(By.id("new-variants")).sendKeys("{\"on\": \"yes\"}");
        browser.findElement(By.id("new-default")).clear();
        browser.findElement(By.id("new-default")).sendKeys("on");
        browser.findElement(By.id("create-flag")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("error")));
        assertTrue(text("error").contains("variants.on"), text("error"));
        new Select(browser.findElement(By.id("new-type"))).selectByValue("string");
        browser.findElement(By.id("create-flag")).click();
        wait.until(ExpectedConditions.urlContains("/ui/flags/checkout-v3"));
        assertTrue(browser.findElement(By.tagName("h1")).getText().contains("Checkout v3"));

        // Search and filter among more than a thousand flags.
        browser.get(root + "/ui/flags");
        browser.findElement(By.id("q")).sendKeys("checkout-v3");
        browser.findElement(By.id("apply-filter")).click();
        wait.until(ExpectedConditions.textToBe(By.id("count"), "1 of " + (total + 1) + " flags · page 1 of 1"));
        assertEquals("OFF", text("status-checkout-v3-production"));

        browser.get(root + "/ui/flags?q=bulk-11&size=50");
        assertEquals("100 of " + (total + 1) + " flags · page 1 of 2", text("count"));
        browser.findElement(By.id("next")).click();
        wait.until(ExpectedConditions.textToBe(By.id("count"), "100 of " + (total + 1) + " flags · page 2 of 2"));
        assertFalse(browser.findElements(By.id("flag-bulk-1199")).isEmpty());

        browser.get(root + "/ui/flags");
        browser.findElement(By.id("filter-warnings")).click();
        browser.findElement(By.id("apply-filter")).click();
        wait.until(ExpectedConditions.textToBe(By.id("count"), "3 of " + (total + 1) + " flags · page 1 of 1"));
        assertEquals("2 warning(s)", text("warnings-unreachable"));

        browser.get(root + "/ui/flags");
        new Select(browser.findElement(By.id("filter-env"))).selectByValue("production");
        new Select(browser.findElement(By.id("filter-status"))).selectByValue("TARGETED");
        browser.findElement(By.id("apply-filter")).click();
        // The three imported flags with targeting, and the one whose release plan writes its targeting.
        wait.until(ExpectedConditions.textToBe(By.id("count"), "4 of " + (total + 1) + " flags · page 1 of 1"));

        // A flag's import warnings.
        browser.findElement(By.linkText("unreachable")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("warnings-production")));
        assertTrue(text("warnings-production").contains("/variants/blue"));
        assertTrue(text("warnings-production").contains("'purple'"));

        // The release plan: phase, next step, pause, resume, stop.
        browser.get(root + "/ui/flags/fine");
        assertEquals("active", text("plan-status-production"));
        assertEquals("off", text("plan-phase-production"));
        assertTrue(text("plan-production").contains("next: staff"), text("plan-production"));
        browser.findElement(By.id("plan-pause-reason-production")).sendKeys("waiting for support");
        browser.findElement(By.id("plan-pause-production")).click();
        wait.until(ExpectedConditions.textToBe(By.id("plan-status-production"), "paused"));
        assertTrue(text("plan-reason-production").contains("waiting for support"));
        browser.findElement(By.id("plan-resume-production")).click();
        wait.until(ExpectedConditions.textToBe(By.id("plan-status-production"), "active"));
        browser.findElement(By.id("plan-stop-production")).click();
        wait.until(ExpectedConditions.textToBe(By.id("plan-status-production"), "stopped"));
        assertTrue(browser.findElements(By.id("plan-stop-production")).isEmpty());
        assertTrue(browser.findElement(By.id("audit")).getText().contains("plan-stop"));
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** Many flags at once, straight into the tables (the API would take minutes for this many). */
    private static void seed() {
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            for (int i = 0; i < BULK; i++) {
                FlagEntity flag = new FlagEntity();
                flag.key = String.format("bulk-%04d", i);
                flag.name = flag.key;
                flag.type = "boolean";
                Map<String, Object> variants = new LinkedHashMap<>();
                variants.put("on", true);
                variants.put("off", false);
                flag.variants = variants;
                flag.defaultVariant = "off";
                flag.owner = "bulk";
                flag.createdAt = now;
                flag.persist();
                FlagEnvironmentEntity config = new FlagEnvironmentEntity();
                config.flagKey = flag.key;
                config.environmentKey = "production";
                config.enabled = i % 2 == 0;
                config.variants = new LinkedHashMap<>(variants);
                config.defaultVariant = "off";
                config.updatedAt = now;
                config.uniformSince = now;
                config.persist();
            }
        });
    }
}

package io.reefline.flag;

import static io.reefline.flag.TestData.ofrep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.HeadlessChromium;
import io.reefline.testing.TestTokens;
import java.net.URL;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** An operator turns a flag on for one tenant in the flag page in headless Chromium, and OFREP answers accordingly. */
@QuarkusTest
class FlagPageBrowserTest {

    @TestHTTPResource("/")
    URL base;

    private HeadlessChromium chromium;
    private WebDriver browser;

    @BeforeEach
    void startBrowser() {
        TestData.clear();
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
    }

    @AfterEach
    void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void shouldTurnAFlagOnForOneTenantInThePageAndSeeOfrepChange() {
        TestData.environment("production", "Production");
        TestData.flag("task-log-v2", "boolean", "{\"on\":true,\"off\":false}", "off");
        String sdkKey = TestData.sdkKey("production");
        TestData.sync();
        assertEquals(false, evaluate(sdkKey, "acme"));

        String root = base.toString().replaceAll("/$", "");
        browser.get(root + "/signin?token=" + TestTokens.operator());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.until(ExpectedConditions.urlContains("/ui/flags"));
        assertEquals(
                "OFF",
                browser.findElement(By.id("status-task-log-v2-production")).getText());

        browser.findElement(By.linkText("task-log-v2")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("form-production")));
        WebElement enabled = browser.findElement(By.id("enabled-production"));
        if (!enabled.isSelected()) {
            enabled.click();
        }
        new Select(browser.findElement(By.id("default-production"))).selectByValue("off");
        new Select(browser.findElement(By.id("mode-production"))).selectByValue("list");
        browser.findElement(By.id("tenants-production")).sendKeys("acme, initech");
        new Select(browser.findElement(By.id("included-production"))).selectByValue("on");
        browser.findElement(By.id("save-production")).click();

        wait.until(ExpectedConditions.textToBe(By.id("state-production"), "TARGETED"));
        assertTrue(browser.findElement(By.id("audit")).getText().contains("configure"));
        assertTrue(browser.findElement(By.id("audit")).getText().contains("otto.operator"));

        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> evaluate(sdkKey, "acme"));
        assertEquals(false, evaluate(sdkKey, "globex"));

        browser.get(root + "/ui/flags");
        assertEquals(
                "TARGETED",
                browser.findElement(By.id("status-task-log-v2-production")).getText());
    }

    /** The flag's value for a tenant, or the caller's default (false) when there is none, as for a disabled flag. */
    private static boolean evaluate(String sdkKey, String tenant) {
        Boolean value = ofrep(sdkKey)
                .body("{\"context\":{\"targetingKey\":\"u\",\"tenant\":\"" + tenant + "\"}}")
                .post("/ofrep/v1/evaluate/flags/task-log-v2")
                .then()
                .statusCode(200)
                .extract()
                .path("value");
        return Boolean.TRUE.equals(value);
    }
}

package io.reefline.andon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A person signs in, pulls the cord on the andon page in headless Chromium, and sees the line stopped. */
@QuarkusTest
class AndonPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TestHTTPResource("/")
    URL base;

    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void startBrowser() throws Exception {
        TestData.clear();
        assertTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "The browser test needs Debian's Chromium and its driver: apt-get install -y chromium chromium-driver"
                        + " (expected " + CHROMIUM + " and " + CHROMEDRIVER + ")");
        profile = Files.createTempDirectory("reefline-chromium");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .map(Path::toFile)
                        .forEach(File::delete);
            }
        }
    }

    @Test
    void shouldPullACordThroughThePageAndSeeTheLineStopped() {
        String root = base.toString().replaceAll("/$", "");
        browser.get(root + "/signin?token=" + TestTokens.viewer());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.until(ExpectedConditions.urlContains("/ui/andon"));
        assertEquals("HEALTHY", browser.findElement(By.id("line-state")).getAttribute("data-state"));

        browser.findElement(By.id("reason")).sendKeys("The task log page shows nothing after the upgrade");
        new Select(browser.findElement(By.id("category"))).selectByValue("doesnt-look-right");
        new Select(browser.findElement(By.id("severity"))).selectByValue("SEV-1");
        browser.findElement(By.id("scope")).clear();
        browser.findElement(By.id("scope")).sendKeys("release:2026.11.3");
        browser.findElement(By.id("pull-button")).click();

        wait.until(ExpectedConditions.attributeToBe(By.id("line-state"), "data-state", "STOPPED"));
        assertTrue(browser.findElement(By.id("line-state")).getText().startsWith("Stopped"));
        assertTrue(browser.findElement(By.id("open")).getText().contains("Open (1)"));
        assertTrue(browser.findElement(By.id("open"))
                .getText()
                .contains("The task log page shows nothing after the upgrade"));
    }
}

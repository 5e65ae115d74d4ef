package io.reefline.andon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.HeadlessChromium;
import io.reefline.testing.TestTokens;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A person signs in, pulls the cord on the andon page in headless Chromium, and sees the line stopped. */
@QuarkusTest
class AndonPageBrowserTest {

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

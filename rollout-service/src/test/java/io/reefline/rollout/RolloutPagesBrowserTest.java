package io.reefline.rollout;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.reefline.rollout.service.InventoryService;
import io.reefline.rollout.upgrade.UpgradeLeadership;
import io.reefline.rollout.upgrade.UpgradeScheduler;
import io.reefline.testing.HeadlessChromium;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An operator watches an upgrade on the release board in headless Chromium, follows the instance to its page and sees
 * its window, next slot and history change as the upgrade finishes.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class RolloutPagesBrowserTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    KubernetesClient client;

    @Inject
    InventoryService inventory;

    @Inject
    UpgradeScheduler scheduler;

    @Inject
    UpgradeLeadership leadership;

    @Inject
    TestClock clock;

    private HeadlessChromium chromium;
    private WebDriver browser;

    @BeforeEach
    void fleetAndBrowser() {
        TestFleet.clear(client);
        TestFleet.policy(UpgradeSchedulerTest.POLICY);
        TestFleet.create(client, TestFleet.instance("up-staff", "Daily 09:00-12:00", true, "staff", "2026.3.0"));
        TestFleet.create(client, TestFleet.instance("up-c1", "Daily 09:00-12:00", true, null, "2026.3.0"));
        inventory.refreshAll();
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"version\":\"2026.3.1\",\"image\":\"" + UpgradeSchedulerTest.NEW
                        + "\",\"createdAt\":\"2026-03-02T07:30:00Z\"}")
                .when()
                .post("/api/releases")
                .then()
                .statusCode(201);
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        clock.reset();
        leadership.release();
    }

    @Test
    void boardLinksARunningUpgradeToItsInstanceWithWindowNextSlotAndHistory() {
        clock.set(Instant.parse("2026-03-02T08:00:00Z"));
        assertEquals(1, scheduler.tick().started());

        String root = base.toString().replaceAll("/$", "");
        browser.get(root + "/signin?token=" + TestTokens.viewer());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.until(ExpectedConditions.urlContains("/ui/releases"));
        String board = browser.findElement(By.id("board")).getText();
        assertTrue(board.contains("2026.3.1"), board);
        assertTrue(board.contains("0/1"), "staff ring not done yet: " + board);
        assertEquals(
                "started",
                browser.findElement(By.cssSelector("#upgrades tbody tr")).getAttribute("data-state"));
        assertTrue(browser.findElement(By.id("scheduler")).getText().contains("1 started"));

        browser.findElement(By.linkText("up-staff")).click();
        wait.until(ExpectedConditions.textToBe(By.id("instance-id"), "up-staff"));
        assertEquals(
                "Daily 09:00-12:00 UTC", browser.findElement(By.id("window")).getText());
        assertTrue(
                browser.findElement(By.id("next-slot")).getText().startsWith("2026-03-02T09:00:00Z"),
                browser.findElement(By.id("next-slot")).getText());
        assertEquals(
                "started",
                browser.findElement(By.cssSelector("#history tbody tr")).getAttribute("data-state"));
        assertTrue(browser.findElement(By.id("outlook")).getText().contains("in flight"));

        TestFleet.rollOut(client, "up-staff");
        // Available at 08:01; three checks spread over the 5 minute soak: 08:01, 08:03, 08:05, done at 08:06.
        for (String at : new String[] {"08:01", "08:03", "08:05"}) {
            clock.set(Instant.parse("2026-03-02T" + at + ":00Z"));
            scheduler.tick();
        }
        clock.set(Instant.parse("2026-03-02T08:06:00Z"));
        assertEquals(1, scheduler.tick().succeeded());
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("version"), "2026.3.1"));
        assertEquals(
                "succeeded",
                browser.findElement(By.cssSelector("#history tbody tr")).getAttribute("data-state"));
    }
}

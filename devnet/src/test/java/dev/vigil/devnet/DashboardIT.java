package dev.vigil.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.signing.MessageId;
import dev.vigil.testing.DebianPackages;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard a guardian serves at {@code /}, in a real headless Chromium (Debian's {@code
 * chromium} and {@code chromium-driver}, installed here when missing; skipped naming them
 * otherwise), against a devnet of four guardians: the page loads with no console errors, shows the
 * committee and both chains, its numbers grow as attestations arrive, and a search finds an
 * attestation. The screenshot is kept in {@code target/dashboard.png}.
 */
class DashboardIT {
  @TempDir Path dir;

  @Test
  void thePageLoadsCleanlyItsNumbersMoveAndASearchFindsAnAttestation() throws Exception {
    DebianPackages.Tool chromium = DebianPackages.ensure("chromium", "chromium");
    Assumptions.assumeTrue(chromium.present(), () -> "skipped: " + chromium.missing());
    DebianPackages.Tool driverBinary = DebianPackages.ensure("chromedriver", "chromium-driver");
    Assumptions.assumeTrue(driverBinary.present(), () -> "skipped: " + driverBinary.missing());

    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    DevnetOptions o =
        DevnetOptions.defaults(dir.resolve("devnet"), out).withFreePorts().withRate(4);
    try (Devnet d = Devnet.start(o)) {
      ChromeOptions options = new ChromeOptions();
      options.setBinary(chromium.path().toFile());
      options.addArguments(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--window-size=1400,1600",
          "--user-data-dir=" + dir.resolve("chromium-profile"));
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      // the driver from the package, never one Selenium would download
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(driverBinary.path().toFile())
              .usingAnyFreePort()
              .build();
      WebDriver browser = new ChromeDriver(service, options);
      try {
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        browser.get(d.api(0).resolve("/").toString());
        assertThat(browser.getTitle()).isEqualTo("Vigil guardian");
        awaitText(browser, "ready", t -> t.equals("READY"));
        awaitText(browser, "node", t -> t.contains("member 0 of committee"));
        assertThat(rows(browser, "committee")).as("the three peers").isEqualTo(3);
        assertThat(rows(browser, "chains")).as("alpha and beta").isEqualTo(2);
        var pending =
            java.net.http.HttpClient.newHttpClient()
                .send(
                    java.net.http.HttpRequest.newBuilder(d.api(0).resolve("/v1/pending")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(pending.statusCode()).isEqualTo(200);
        assertThat(pending.body()).contains("\"quorum\":3").contains("\"pending\":[");

        long before = number(browser, "attestations-total");
        d.runTraffic(20, null, Duration.ofSeconds(5));
        assertThat(d.awaitDelivered(Duration.ofMinutes(2), Duration.ofSeconds(5))).isTrue();
        awaitText(browser, "attestations-total", t -> Long.parseLong(t) >= before + 20);
        awaitCondition(
            browser, () -> rows(browser, "recent") >= 20, "the stream filled the recent list");
        assertThat(rows(browser, "guardians")).as("the four members").isEqualTo(4);
        awaitCondition(
            browser,
            () -> browser.findElement(By.id("guardians")).getText().contains("100.0 %"),
            "a guardian's participation shows");

        // search an attestation by its id, and one by its digest
        MessageId id = d.publishedIds().get(0);
        browser.findElement(By.id("search")).sendKeys(id.toString());
        browser.findElement(By.id("search-button")).click();
        awaitText(browser, "search-result", t -> t.contains("attested: " + id));
        String digestLine = browser.findElement(By.cssSelector("#search-result .mono")).getText();
        String digest = digestLine.replace("digest ", "").trim();
        assertThat(digest).matches("0x[0-9a-f]{64}");
        browser.findElement(By.id("search")).clear();
        browser.findElement(By.id("search")).sendKeys("0x" + "ab".repeat(32));
        browser.findElement(By.id("search-button")).click();
        awaitText(browser, "search-result", t -> !t.contains("attested:") && !t.isBlank());

        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path kept = Path.of("target", "dashboard.png");
        Files.createDirectories(kept.getParent());
        Files.copy(shot, kept, StandardCopyOption.REPLACE_EXISTING);

        List<LogEntry> errors =
            browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                // the digest searched for on purpose is not found: the browser logs that 404
                .filter(e -> !e.getMessage().contains("/v1/attestations/by-digest/0xabab"))
                .toList();
        assertThat(errors).as("console errors").isEmpty();
      } finally {
        browser.quit();
      }
    }
  }

  static int rows(WebDriver b, String table) {
    return b.findElements(By.cssSelector("#" + table + " tbody tr")).size();
  }

  static long number(WebDriver b, String id) {
    return Long.parseLong(b.findElement(By.id(id)).getText().trim());
  }

  static void awaitText(WebDriver b, String id, java.util.function.Predicate<String> ok)
      throws InterruptedException {
    awaitCondition(
        b,
        () -> {
          try {
            return ok.test(b.findElement(By.id(id)).getText().trim());
          } catch (RuntimeException e) {
            return false;
          }
        },
        "#" + id + " as expected (now: '" + safeText(b, id) + "')");
  }

  static String safeText(WebDriver b, String id) {
    try {
      return b.findElement(By.id(id)).getText();
    } catch (RuntimeException e) {
      return "(none)";
    }
  }

  static void awaitCondition(WebDriver b, java.util.function.BooleanSupplier ok, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("within 90 s: " + what + "; page:\n" + b.getPageSource());
      Thread.sleep(250);
    }
  }
}

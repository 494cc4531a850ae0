package io.couponrush.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.stream.Stream;

import io.couponrush.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Both pages in a real browser: Debian's headless Chromium, driven through its chromedriver, against
 * the service on the test's port. Skipped (not failed) where neither can be found; install them with
 * {@code scripts/install-packages.sh}. Screenshots go to {@code target/screenshots/}.
 */
class ConsoleBrowserIntegrationTest extends IntegrationTest {

    private static final List<Path> CHROMIUM = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"),
            Path.of("/usr/bin/google-chrome"));
    private static final List<Path> CHROMEDRIVER = List.of(Path.of("/usr/bin/chromedriver"),
            Path.of("/usr/lib/chromium/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PASSWORD = "browser-pass-1";

    private static WebDriver browser;
    private String base;

    @BeforeAll
    static void startBrowser() throws IOException {
        var chromium = find("COUPONRUSH_CHROMIUM", CHROMIUM);
        var driver = find("COUPONRUSH_CHROMEDRIVER", CHROMEDRIVER);
        assumeTrue(chromium.isPresent() && driver.isPresent(),
                "No headless Chromium here (looked for a browser at " + CHROMIUM + " and a driver at " + CHROMEDRIVER
                        + ", or $COUPONRUSH_CHROMIUM / $COUPONRUSH_CHROMEDRIVER): the browser test is skipped. "
                        + "Install Debian's chromium and chromium-driver with scripts/install-packages.sh to run it.");
        var options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        // --no-sandbox: CI and the development machines run as root, where Chromium's sandbox refuses to start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1500", "--lang=en-US");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        var service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    private static Optional<Path> find(String variable, List<Path> candidates) {
        return Stream.concat(Optional.ofNullable(System.getenv(variable)).map(Path::of).stream(), candidates.stream())
                .filter(Files::isExecutable).findFirst();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void base() {
        base = "http://127.0.0.1:" + context.getBean(Environment.class).getRequiredProperty("local.server.port");
    }

    @Test
    void anAdminCreatesACouponAndWatchesItSellOut() throws IOException {
        var email = account("admin");
        context.getBean(JdbcTemplate.class).update("UPDATE users SET role = 'ADMIN' WHERE email = ?", email);

        browser.get(base + "/console");
        assertEveryControlHasALabel();
        type("login-email", email);
        type("login-password", PASSWORD);
        byId("login-password").sendKeys(Keys.ENTER); // keyboard only
        visible("coupons-view");

        // an invalid coupon: the server's field errors appear next to the fields, in words
        type("c-discount", "500");
        type("c-total", "0");
        byId("create-submit").sendKeys(Keys.ENTER);
        waitFor(d -> !byId("c-total-error").getText().isBlank() && !byId("c-name-error").getText().isBlank());
        assertThat(byId("c-total").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(byId("c-name").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(byId("create-error").getText()).contains("see the messages next to the fields");
        screenshot("console-create-errors");

        // a valid one, every field filled, the strategy chosen from the list
        var name = "Live sale " + UUID.randomUUID().toString().substring(0, 8);
        type("c-name", name);
        type("c-description", "Ten copies, thirty people");
        type("c-total", "10");
        type("c-limit", "1");
        new Select(byId("c-strategy")).selectByValue("batched");
        setLocalTime("c-starts", clock.instant().minus(Duration.ofMinutes(1)));
        setLocalTime("c-ends", clock.instant().plus(Duration.ofDays(1)));
        byId("create-submit").sendKeys(Keys.ENTER);
        waitFor(d -> byId("create-status").getText().startsWith("Created"));
        assertThat(byId("c-total-error").getText()).isEmpty();
        long coupon = Long.parseLong(byId("create-status").getAttribute("data-coupon-id"));
        var row = context.getBean(JdbcTemplate.class).queryForMap(
                "SELECT name, total_quantity, remaining, strategy, description FROM coupons WHERE id = ?", coupon);
        assertThat(row).containsEntry("name", name).containsEntry("total_quantity", 10).containsEntry("strategy", "batched")
                .containsEntry("description", "Ten copies, thirty people");

        // the list shows it; its live view opens from there
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("watch-" + coupon)));
        byId("watch-" + coupon).sendKeys(Keys.ENTER);
        visible("live-view");
        waitFor(d -> byId("live-remaining").getText().equals("10"));

        // a crowd: thirty people for ten copies, through the API
        var answers = crowd(coupon, 30);
        int rows = fixtures.rows(coupon);
        int remaining = fixtures.remaining(coupon);
        assertThat(rows).isEqualTo(10);
        assertThat(answers.get("ISSUED")).isEqualTo(rows);

        waitFor(d -> byId("live-remaining").getText().equals(Integer.toString(remaining))
                && text("total-ISSUED").equals(Integer.toString(rows))
                && text("total-COUPON_SOLD_OUT").equals(Long.toString(answers.getOrDefault("COUPON_SOLD_OUT", 0L))));
        waitFor(d -> byId("audit-badge").getText().startsWith("✓ Consistent")
                && byId("audit-detail").getText().contains("10 rows issued"));
        assertThat(byId("live-status").getText()).startsWith("Connected");
        assertThat(byId("live-p99").getText()).endsWith("ms");
        assertThat(byId("live-name").getText()).isEqualTo(name);
        assertThat(byId("live-error").getText()).isEmpty();
        assertEveryControlHasALabel();
        var shot = screenshot("console-live");
        assertThat(Files.size(shot)).isPositive();
        assertNoScriptErrors();
    }

    @Test
    void aUserSignsUpTakesACouponWithTheButtonAndSeesIt() throws IOException {
        var admin = fixtures.admin().token();
        var name = "Event coupon " + UUID.randomUUID().toString().substring(0, 8);
        long open = coupon(admin, name, clock.instant().minus(Duration.ofMinutes(1)));
        long later = coupon(admin, "Opens later " + UUID.randomUUID().toString().substring(0, 8),
                clock.instant().plus(Duration.ofHours(2)));
        var email = "crowd-" + UUID.randomUUID() + "@example.com";

        browser.get(base + "/events");
        assertEveryControlHasALabel();
        type("s-email", email);
        type("s-password", PASSWORD);
        type("s-nickname", "crowd");
        byId("s-nickname").sendKeys(Keys.ENTER);
        visible("session");
        assertThat(byId("account-status").getText()).contains("logged in");
        assertThat(byId("signup-form").isDisplayed()).as("the account forms give way once logged in").isFalse();

        waitFor(d -> text("countdown-" + later).startsWith("Opens in 01:59") || text("countdown-" + later).startsWith("Opens in 02:00"));
        waitFor(d -> text("countdown-" + open).startsWith("Open now"));
        var button = tabTo("issue-" + open); // reachable by the keyboard alone, in tab order
        button.sendKeys(Keys.ENTER);

        waitFor(d -> text("result-" + open).startsWith("You got it!"));
        waitFor(d -> text("my-coupons").contains(name));
        assertThat(fixtures.rows(open)).isEqualTo(1);

        // again: the same button, a human answer, nothing more taken
        byId("issue-" + open).sendKeys(Keys.ENTER);
        waitFor(d -> text("result-" + open).startsWith("You already have this coupon"));
        byId("issue-" + later).sendKeys(Keys.ENTER);
        waitFor(d -> text("result-" + later).startsWith("Not yet"));
        assertThat(fixtures.rows(open)).isEqualTo(1);
        assertThat(fixtures.rows(later)).isZero();
        screenshot("events");
        assertNoScriptErrors();
    }

    // ---- helpers -------------------------------------------------------------------------

    /** Signs up an account through the API (a real password: the page logs in with it). */
    private String account(String kind) {
        var email = kind + "-" + UUID.randomUUID() + "@example.com";
        var response = api.post("/api/v1/auth/signup", null, Map.of("email", email, "password", PASSWORD, "nickname", kind));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return email;
    }

    private long coupon(String admin, String name, Instant startsAt) {
        var body = new HashMap<String, Object>(Map.of("name", name, "discountAmount", 1500, "totalQuantity", 5,
                "perUserLimit", 1, "issueStartsAt", startsAt.toString(),
                "issueEndsAt", startsAt.plus(Duration.ofDays(1)).toString(), "strategy", "redis-gate"));
        var response = api.post("/api/v1/coupons", admin, body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    private Map<String, Long> crowd(long coupon, int people) {
        var users = fixtures.users(people);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = users.stream()
                    .map(u -> pool.submit(() -> api.post("/api/v1/coupons/" + coupon + "/issue", u.token(), null).code()))
                    .toList();
            var counts = new HashMap<String, Long>();
            for (var future : futures) {
                try {
                    counts.merge(future.get(), 1L, Long::sum);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return counts;
        }
    }

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private String text(String id) {
        var found = browser.findElements(By.id(id));
        return found.isEmpty() ? "" : found.getFirst().getText();
    }

    private void type(String id, String value) {
        var field = byId(id);
        field.clear();
        field.sendKeys(value);
    }

    private void visible(String id) {
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    private <T> T waitFor(java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, WAIT).until(condition);
    }

    /** A datetime-local field takes the browser's local time; the instant is converted in the page. */
    private void setLocalTime(String id, Instant instant) {
        ((JavascriptExecutor) browser).executeScript("""
                const d = new Date(arguments[1]);
                const p = (n) => String(n).padStart(2, '0');
                arguments[0].value = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
                """, byId(id), instant.toString());
    }

    /** Presses Tab from the top of the page until the element has the focus. */
    private WebElement tabTo(String id) {
        var target = byId(id);
        ((JavascriptExecutor) browser).executeScript("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
        var body = browser.findElement(By.tagName("body"));
        body.sendKeys(Keys.TAB);
        for (int i = 0; i < 60; i++) {
            if (browser.switchTo().activeElement().equals(target)) {
                return target;
            }
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        throw new AssertionError(id + " is not reachable with the Tab key");
    }

    /** Every input, select, textarea and button has a name a screen reader can say. */
    private void assertEveryControlHasALabel() {
        @SuppressWarnings("unchecked")
        var unlabelled = (List<String>) ((JavascriptExecutor) browser).executeScript("""
                return [...document.querySelectorAll('input, select, textarea, button')].filter((c) => {
                  if (c.getAttribute('aria-label') || c.getAttribute('aria-labelledby')) return false;
                  if (c.tagName === 'BUTTON') return c.textContent.trim() === '';
                  return !(c.id && document.querySelector(`label[for="${c.id}"]`)) && !c.closest('label');
                }).map((c) => c.outerHTML);
                """);
        assertThat(unlabelled).isEmpty();
    }

    /**
     * No script error and nothing the page's Content-Security-Policy refused (Chart.js included). Failed
     * requests are left out: the pages show refused API calls (400, 409) on purpose.
     */
    private void assertNoScriptErrors() {
        var problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.contains("Failed to load resource"))
                .toList();
        assertThat(problems).isEmpty();
    }

    private Path screenshot(String name) throws IOException {
        var taken = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        var target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(taken, target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}

package io.couponrush.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.couponrush.IntegrationTest;
import io.couponrush.auth.TokenService;
import io.couponrush.support.TestApi;
import io.couponrush.user.Role;
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
import org.openqa.selenium.WindowType;
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
import tools.jackson.databind.JsonNode;

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
    private static final Pattern PLACE = Pattern.compile("You are number (\\d+) in line");
    /** The order system the integration tests configure (HTTP Basic): it spends copies, the pages never do. */
    private static final String ORDER_SYSTEM = "Basic "
            + Base64.getEncoder().encodeToString("test-orders:test-orders-secret".getBytes(StandardCharsets.UTF_8));
    private static final HttpClient ORDERS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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
        // one browser for all the tests: none may start signed in by another's refresh cookie or tab token
        cdp("Network.clearBrowserCookies");
        browser.get(base + "/console/style.css");
        script("sessionStorage.clear(); localStorage.clear();");
    }

    @Test
    void anAdminCreatesACouponAndWatchesItSellOut() throws IOException {
        var email = account("admin");
        context.getBean(JdbcTemplate.class).update("UPDATE users SET role = 'ADMIN' WHERE email = ?", email);

        browser.get(base + "/console");
        visible("login-view"); // once the page has found no session to resume
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
        assertThat(byId("live-scope").getText()).as("the fleet's counts, summed by the service").isEqualTo("every instance's (1 instance)");
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
        visible("signup-form"); // once the page has found no session to resume
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

    @Test
    void theEventPageStillPressesAfterItsAccessTokenExpired() throws IOException {
        var email = account("expired");
        var name = "After expiry " + UUID.randomUUID().toString().substring(0, 8);
        long open = coupon(fixtures.admin().token(), name, clock.instant().minus(Duration.ofMinutes(1)));
        browser.get(base + "/events");
        logInOnTheEventPage(email);
        waitFor(d -> byId("issue-" + open).isEnabled());
        var before = tabToken("user");

        // the service now refuses the token; the page's own renewal is still twelve minutes away
        clock.advance(Duration.ofMinutes(16));
        recordFetches();
        byId("issue-" + open).sendKeys(Keys.ENTER);

        waitFor(d -> text("result-" + open).startsWith("You got it!"));
        assertThat(fixtures.rowsOf(open, userId(email))).as("the retried press took one copy").isEqualTo(1);
        var issues = fetches().stream().filter(f -> f.get("url").toString().endsWith("/coupons/" + open + "/issue")).toList();
        assertThat(issues).extracting(f -> ((Number) f.get("status")).intValue()).containsExactly(401, 201);
        assertThat(issues.get(1).get("key")).as("the retry repeats the press's Idempotency-Key")
                .isNotNull().isEqualTo(issues.get(0).get("key"));
        assertThat(fetches()).filteredOn(f -> f.get("url").toString().endsWith("/api/v1/auth/refresh"))
                .extracting(f -> ((Number) f.get("status")).intValue()).containsExactly(200);
        assertThat(tabToken("user")).isNotBlank().isNotEqualTo(before);
        waitFor(d -> text("my-coupons").contains(name)); // loaded with the renewed token
        assertThat(byId("session").isDisplayed()).isTrue();
        assertThat(text("login-error")).isEmpty();
        screenshot("events-after-expiry");
        assertNoScriptErrors();
    }

    @Test
    void aPersonWhoLoggedInYesterdayIsStillIn() throws IOException {
        var email = account("yesterday");
        var name = "Next morning " + UUID.randomUUID().toString().substring(0, 8);
        long open = coupon(fixtures.admin().token(), name, clock.instant().minus(Duration.ofMinutes(1)));
        browser.get(base + "/events");
        logInOnTheEventPage(email);
        var firstTab = browser.getWindowHandle();

        // the next morning: the access token died long ago, the session (14 idle days) did not
        clock.advance(Duration.ofHours(20));
        browser.switchTo().newWindow(WindowType.TAB); // a new tab: nothing in its sessionStorage
        try {
            browser.get(base + "/events");
            visible("session");
            assertThat(text("session-who")).isEqualTo(email);
            assertThat(byId("account-forms").isDisplayed()).as("no password asked").isFalse();
            assertThat(text("login-error")).isEmpty();
            waitFor(d -> byId("issue-" + open).isEnabled());
            byId("issue-" + open).sendKeys(Keys.ENTER);
            waitFor(d -> text("result-" + open).startsWith("You got it!"));
            assertThat(fixtures.rowsOf(open, userId(email))).isEqualTo(1);
            waitFor(d -> text("my-coupons").contains(name));
            screenshot("events-next-day");
            assertNoScriptErrors();
        } finally {
            browser.close();
            browser.switchTo().window(firstTab);
        }
    }

    @Test
    void afterLogoutTheReloadedPageAsksForThePassword() throws IOException {
        var email = account("logout");
        long open = coupon(fixtures.admin().token(), "After logout " + UUID.randomUUID().toString().substring(0, 8),
                clock.instant().minus(Duration.ofMinutes(1)));
        browser.get(base + "/events");
        logInOnTheEventPage(email);
        var refreshToken = cookie("couponrush_refresh").orElseThrow().get("value").toString();

        tabTo("logout").sendKeys(Keys.ENTER); // reachable by the keyboard, named by its text
        visible("account-forms");
        assertThat(text("account-status")).isEqualTo("You are logged out.");
        assertThat(tabToken("user")).isNull();
        assertThat(cookie("couponrush_refresh")).as("the service cleared the cookie").isEmpty();

        browser.navigate().refresh();
        visible("account-forms");
        assertThat(byId("session").isDisplayed()).isFalse();
        assertThat(text("login-error")).as("the quiet attempt at load says nothing").isEmpty();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("issue-" + open)));
        assertThat(byId("issue-" + open).isEnabled()).isFalse();
        // the session itself is over, not only forgotten by this browser
        var refused = api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", refreshToken));
        assertThat(refused.status()).as(refused.body()).isEqualTo(401);
        screenshot("events-logged-out");
        assertNoScriptErrors();
    }

    @Test
    void aSessionThatCannotBeRenewedAsksForThePasswordInWords() throws IOException {
        var email = account("ended");
        long open = coupon(fixtures.admin().token(), "Ended " + UUID.randomUUID().toString().substring(0, 8),
                clock.instant().minus(Duration.ofMinutes(1)));
        browser.get(base + "/events");
        logInOnTheEventPage(email);
        // the session ends elsewhere (as a logout on the server would), and the tab's token expires
        var refreshToken = cookie("couponrush_refresh").orElseThrow().get("value").toString();
        assertThat(api.post("/api/v1/auth/logout", null, Map.of("refreshToken", refreshToken)).status()).isEqualTo(204);
        clock.advance(Duration.ofMinutes(16));

        waitFor(d -> byId("issue-" + open).isEnabled());
        byId("issue-" + open).sendKeys(Keys.ENTER);
        visible("account-forms");
        assertThat(text("login-error")).contains("Your session ended; please log in again.");
        assertThat(text("result-" + open)).startsWith("Your session has ended. Log in again, then press again.");
        assertThat(byId("session").isDisplayed()).isFalse();
        assertThat(tabToken("user")).isNull();
        assertThat(fixtures.rowsOf(open, userId(email))).isZero();
        screenshot("events-session-ended");
        assertNoScriptErrors();
    }

    @Test
    void theRefreshTokenIsACookieScriptCannotRead() {
        var email = account("cookie");
        browser.get(base + "/events");
        logInOnTheEventPage(email);

        var refresh = cookie("couponrush_refresh").orElseThrow();
        assertThat(refresh).containsEntry("httpOnly", true).containsEntry("path", "/api/v1/auth")
                .containsEntry("sameSite", "Strict");
        var value = refresh.get("value").toString();
        assertThat((String) script("return document.cookie")).doesNotContain("couponrush_refresh").doesNotContain(value);
        assertThat((String) script("return JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage })"))
                .as("nor is it kept anywhere script can reach").doesNotContain(value);

        // on a document under the cookie's own path only HttpOnly keeps it from script
        browser.get(base + "/api/v1/auth/refresh");
        assertThat(browser.getCurrentUrl()).endsWith("/api/v1/auth/refresh");
        assertThat((String) script("return document.cookie")).doesNotContain("couponrush_refresh").doesNotContain(value);
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoTabsRenewingAtTheSameMomentKeepTheSession() {
        var email = account("tabs");
        browser.get(base + "/events");
        logInOnTheEventPage(email);
        var firstTab = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        var secondTab = browser.getWindowHandle();
        try {
            browser.get(base + "/events");
            visible("session");
            // both tabs renew five times in a row from the same instant: without the lock between tabs
            // both would present the same refresh token, and the second use ends the session
            long at = System.currentTimeMillis() + 1500;
            for (var tab : List.of(firstTab, secondTab)) {
                browser.switchTo().window(tab);
                script("""
                        window.renewals = [];
                        const renewing = window.Couponrush.session('user');
                        setTimeout(async () => {
                          for (let i = 0; i < 5; i++) {
                            try { await renewing.refresh(); window.renewals.push('ok'); }
                            catch (e) { window.renewals.push(e.code); }
                          }
                        }, arguments[0] - Date.now());
                        """, at);
            }
            for (var tab : List.of(firstTab, secondTab)) {
                browser.switchTo().window(tab);
                waitFor(d -> ((List<?>) script("return window.renewals")).size() == 5);
                assertThat((List<Object>) script("return window.renewals")).as("every renewal in this tab").containsOnly("ok");
            }
            // still one live session: a tab without a token gets back in through the cookie
            browser.switchTo().window(secondTab);
            script("sessionStorage.clear()");
            browser.navigate().refresh();
            visible("session");
            assertThat(text("session-who")).isEqualTo(email);
        } finally {
            browser.switchTo().window(secondTab);
            browser.close();
            browser.switchTo().window(firstTab);
        }
    }

    @Test
    void theConsoleSignsBackInWithoutThePasswordRenewsAndLogsOut() throws IOException {
        var email = account("admin");
        context.getBean(JdbcTemplate.class).update("UPDATE users SET role = 'ADMIN' WHERE email = ?", email);
        browser.get(base + "/console");
        visible("login-view");
        type("login-email", email);
        type("login-password", PASSWORD);
        byId("login-password").sendKeys(Keys.ENTER);
        visible("coupons-view");

        // a reload without the tab's token (as in a new tab): back in through the cookie
        script("sessionStorage.clear()");
        browser.navigate().refresh();
        visible("coupons-view");
        assertThat(text("session-who")).startsWith(email).contains("ADMIN");

        // an expired token: the create is refused, renewed and sent again, once
        clock.advance(Duration.ofMinutes(16));
        var name = "Renewed " + UUID.randomUUID().toString().substring(0, 8);
        type("c-name", name);
        type("c-discount", "500");
        type("c-total", "3");
        byId("create-submit").sendKeys(Keys.ENTER);
        waitFor(d -> text("create-status").startsWith("Created"));
        assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT COUNT(*) FROM coupons WHERE name = ?",
                Integer.class, name)).isEqualTo(1);

        byId("logout").sendKeys(Keys.ENTER);
        visible("login-view");
        assertThat(text("login-status")).isEqualTo("You are logged out.");
        browser.navigate().refresh();
        visible("login-view");
        assertThat(text("login-error")).as("the quiet attempt at load says nothing").isEmpty();
        assertThat(byId("session").isDisplayed()).isFalse();
        screenshot("console-logged-out");
        assertNoScriptErrors();
    }

    @Test
    void theEventPageShowsAMovingPlaceInTheLineThenTheButton() throws IOException {
        var admin = fixtures.admin().token();
        // whole milliseconds: the admission budget is computed in them
        var opening = clock.instant().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MILLIS);
        var name = "In line " + UUID.randomUUID().toString().substring(0, 8);
        long coupon = coupon(admin, name, opening, Map.of("mode", "fifo", "admitPerSecond", 1,
                "lineOpensAt", clock.instant().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS).toString()));
        // once the sale is open the line moves by itself, one a second, while the page waits out the Retry-After it
        // was given before the opening (up to 10 s): enough people ahead that the place is still seen going down
        for (var person : fixtures.users(15)) {
            var joined = api.post("/api/v1/coupons/" + coupon + "/queue", person.token(), null);
            assertThat(joined.status()).as(joined.body()).isEqualTo(201);
        }
        var email = account("line");
        browser.get(base + "/events");
        logInOnTheEventPage(email);

        waitFor(d -> byId("join-" + coupon).isDisplayed() && byId("join-" + coupon).isEnabled());
        assertThat(text("countdown-" + coupon)).startsWith("The line is open; the sale opens in");
        assertThat(byId("issue-" + coupon).isDisplayed()).as("no button before a turn").isFalse();
        tabTo("join-" + coupon).sendKeys(Keys.ENTER); // keyboard only
        waitFor(d -> position(coupon) == 16);
        assertThat(browser.switchTo().activeElement()).as("the keyboard stays on the place, not lost with the button")
                .isEqualTo(byId("place-" + coupon));
        assertThat(byId("join-" + coupon).isDisplayed()).isFalse();
        assertThat(text("line-" + coupon)).startsWith("16 people waiting, 0 let in so far, 5 copies left");
        var news = byId("place-news-" + coupon);
        assertThat(news.getAttribute("aria-live")).isEqualTo("polite");
        assertThat(news.getDomProperty("textContent")).startsWith(name + ": You are number 16 in line");
        screenshot("events-in-line");

        // the opening: the service lets one in a second, on its own (every 200 ms, by its clock)
        clock.advance(Duration.between(clock.instant(), opening.plusSeconds(1)));
        int moved = waitFor(d -> {
            int now = position(coupon);
            return now > 0 && now < 16 ? now : null;
        });
        assertThat(text("line-" + coupon)).contains("let in so far");
        // a press from a page that missed its turn's news: refused, and the refusal shows the place
        script("arguments[0].click()", byId("issue-" + coupon));
        waitFor(d -> text("result-" + coupon).startsWith("It is not your turn yet"));
        assertThat(position(coupon)).isPositive().isLessThanOrEqualTo(moved);
        assertThat(fixtures.rows(coupon)).isZero();
        screenshot("events-line-moving");

        // everyone ahead has had a turn by now: the place becomes the button
        clock.advance(Duration.ofSeconds(30));
        waitFor(d -> byId("issue-" + coupon).isDisplayed());
        assertThat(text("place-" + coupon)).startsWith("Your turn: press before ");
        waitFor(d -> byId("place-news-" + coupon).getDomProperty("textContent").contains("It is your turn"));
        byId("issue-" + coupon).sendKeys(Keys.ENTER);
        waitFor(d -> text("result-" + coupon).startsWith("You got it!"));
        waitFor(d -> text("place-" + coupon).equals("You used your turn: this coupon is yours."));
        waitFor(d -> text("my-coupons").contains(name));
        assertThat(fixtures.rowsOf(coupon, userId(email))).isEqualTo(1);
        assertThat(fixtures.rows(coupon)).as("no one else pressed").isEqualTo(1);
        assertEveryControlHasALabel();
        screenshot("events-waiting-room");
        assertNoScriptErrors();
    }

    @Test
    void theConsoleCreatesACouponWithAWaitingRoomAndShowsItsLine() throws IOException {
        var email = account("admin");
        context.getBean(JdbcTemplate.class).update("UPDATE users SET role = 'ADMIN' WHERE email = ?", email);
        browser.get(base + "/console");
        visible("login-view");
        type("login-email", email);
        type("login-password", PASSWORD);
        byId("login-password").sendKeys(Keys.ENTER);
        visible("coupons-view");

        var name = "Room sale " + UUID.randomUUID().toString().substring(0, 8);
        type("c-name", name);
        type("c-discount", "700");
        type("c-total", "4");
        setLocalTime("c-starts", clock.instant().plus(Duration.ofMinutes(1)));
        setLocalTime("c-ends", clock.instant().plus(Duration.ofDays(1)));
        assertThat(byId("c-room-turn").isEnabled()).as("no line, no details").isFalse();
        new Select(byId("c-room-mode")).selectByValue("fifo");
        assertThat(byId("c-room-rate").isEnabled()).as("auto until unticked").isFalse();
        byId("c-room-auto").sendKeys(Keys.SPACE);
        type("c-room-rate", "2");
        type("c-room-turn", "5"); // below the least turn: the service says so next to the field
        byId("create-submit").sendKeys(Keys.ENTER);
        waitFor(d -> !text("c-room-turn-error").isBlank());
        assertThat(byId("c-room-turn").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(text("create-error")).contains("see the messages next to the fields");
        assertEveryControlHasALabel();
        screenshot("console-room-errors");

        type("c-room-turn", "60");
        byId("create-submit").sendKeys(Keys.ENTER);
        waitFor(d -> text("create-status").startsWith("Created"));
        long coupon = Long.parseLong(byId("create-status").getAttribute("data-coupon-id"));
        var room = api.get("/api/v1/coupons/" + coupon, null).json().get("waitingRoom");
        assertThat(room.get("mode").asString()).isEqualTo("fifo");
        assertThat(room.get("admitRate").asString()).isEqualTo("fixed");
        assertThat(room.get("admitPerSecond").asDouble()).isEqualTo(2.0);
        assertThat(room.get("turnSeconds").asLong()).isEqualTo(60);
        waitFor(d -> text("room-" + coupon).startsWith("fifo line, 2 per second, 60 s turns"));

        var people = fixtures.users(3);
        for (var person : people) {
            var joined = api.post("/api/v1/coupons/" + coupon + "/queue", person.token(), null);
            assertThat(joined.status()).as(joined.body()).isEqualTo(201);
        }
        byId("watch-" + coupon).sendKeys(Keys.ENTER);
        visible("line-card");
        waitFor(d -> text("line-waiting").equals("3") && text("line-admitted").equals("0"));
        assertThat(text("line-rate")).isEqualTo("2 / s");
        assertThat(text("line-copies")).isEqualTo("4");

        // the opening: all three let in within the second and a half, one of them takes a copy
        var opening = Instant.parse(api.get("/api/v1/coupons/" + coupon, null).json().get("issueStartsAt").asString());
        clock.advance(Duration.between(clock.instant(), opening.plusMillis(1500)));
        waitFor(d -> text("line-waiting").equals("0") && text("line-admitted").equals("3") && text("line-in-turn").equals("3"));
        assertThat(api.post("/api/v1/coupons/" + coupon + "/issue", people.getFirst().token(), null).status()).isEqualTo(201);
        waitFor(d -> text("line-issued").equals("1") && text("line-in-turn").equals("2") && text("line-copies").equals("3"));
        // the other two let their turns pass
        clock.advance(Duration.ofSeconds(61));
        waitFor(d -> text("line-lapsed").equals("2") && text("line-in-turn").equals("0"));
        waitFor(d -> text("live-remaining").equals("3")); // beside the live sale
        assertThat(text("line-status")).startsWith("Read every second");
        screenshot("console-line");
        assertNoScriptErrors();
    }

    @Test
    void myCouponsSayWhatEachCopyGivesAndFilterUsableUsedAndExpired() throws IOException {
        var admin = fixtures.admin().token();
        var suffix = UUID.randomUUID().toString().substring(0, 8);
        var opened = clock.instant().minus(Duration.ofMinutes(1));
        long usable = coupon(admin, "Usable " + suffix, opened, null,
                Map.of("discountAmount", 5_000, "minOrderAmount", 10_000, "validUntil", clock.instant().plus(Duration.ofDays(30)).toString()));
        long spent = coupon(admin, "Spent " + suffix, opened, null,
                Map.of("discountType", "percent", "discountPercent", 10, "maxDiscount", 3_000));
        long lapsing = coupon(admin, "Lapsing " + suffix, opened, null, Map.of("discountAmount", 700, "validDays", 1));
        var email = account("mine");
        long user = userId(email);
        var token = context.getBean(TokenService.class).mint(user, Role.USER).accessToken();
        long usableCopy = issue(usable, token);
        long spentCopy = issue(spent, token);
        long lapsingCopy = issue(lapsing, token);

        browser.get(base + "/events");
        logInOnTheEventPage(email);
        waitFor(d -> held().size() == 3);
        assertThat(held()).extracting(li -> li.getAttribute("data-state")).containsOnly("ISSUED");
        assertThat(text("held-state-" + spentCopy)).isEqualTo("Usable");
        // what each copy gives, on the copy and on the coupon's card
        assertThat(text("held-terms-" + usableCopy)).isEqualTo("5,000 off, on orders of 10,000 or more");
        assertThat(text("held-terms-" + spentCopy)).isEqualTo("10 % off, up to 3,000, on any order");
        assertThat(text("held-" + usableCopy)).contains("usable until");
        assertThat(text("held-" + spentCopy)).contains("no expiry");
        assertThat(text("terms-" + usable)).isEqualTo("5,000 off, on orders of 10,000 or more.");
        assertThat(text("validity-" + usable)).startsWith("Usable until ");
        assertThat(text("terms-" + spent)).isEqualTo("10 % off, up to 3,000, on any order.");
        assertThat(text("validity-" + spent)).isEqualTo("No expiry.");
        assertThat(text("validity-" + lapsing)).isEqualTo("Usable for 1 day after you take it.");

        // a filter with nothing in it says so, by filter; the choice is pressed and announced
        // keyboard only: the filters follow one another in tab order and are native buttons
        script("arguments[0].focus()", byId("filter-all"));
        for (int i = 0; i < 3; i++) {
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertThat(browser.switchTo().activeElement()).isEqualTo(byId("filter-expired"));
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);
        waitFor(d -> text("mine-empty").equals("None of your coupons has expired."));
        assertThat(held()).isEmpty();
        assertThat(text("mine-status")).isEqualTo("Showing expired coupons: none.");
        assertThat(byId("mine-status").getAttribute("role")).isEqualTo("status");
        assertThat(byId("filter-expired").getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(byId("filter-all").getAttribute("aria-pressed")).isEqualTo("false");

        // an order system spends one copy (50,000 at 10 %, capped at 3,000); two days later another has expired
        var order = "order-" + UUID.randomUUID();
        assertThat(orderSystem("reserve", Map.of("userCouponId", Long.toString(spentCopy), "userId", Long.toString(user),
                "orderId", order, "orderAmount", 50_000)).get("discount").asLong()).isEqualTo(3_000);
        assertThat(orderSystem("confirm", Map.of("userCouponId", Long.toString(spentCopy), "orderId", order))
                .get("state").asString()).isEqualTo("USED");
        clock.advance(Duration.ofDays(2)); // the tab's access token is long dead: the page renews through its cookie

        byId("filter-used").sendKeys(Keys.SPACE);
        waitFor(d -> text("mine-status").equals("Showing used coupons: 1."));
        assertThat(held()).extracting(li -> li.getAttribute("data-user-coupon-id")).containsExactly(Long.toString(spentCopy));
        assertThat(text("held-state-" + spentCopy)).startsWith("Used on ").endsWith(", saved 3,000");
        assertThat(text("mine-empty")).isEmpty();
        assertThat(text("login-error")).isEmpty();

        byId("filter-expired").sendKeys(Keys.ENTER);
        waitFor(d -> text("mine-status").equals("Showing expired coupons: 1."));
        assertThat(held()).extracting(li -> li.getAttribute("data-user-coupon-id")).containsExactly(Long.toString(lapsingCopy));
        assertThat(text("held-state-" + lapsingCopy)).startsWith("Expired on ");
        assertThat(text("held-" + lapsingCopy)).doesNotContain("usable until");

        byId("filter-usable").sendKeys(Keys.ENTER);
        waitFor(d -> text("mine-status").equals("Showing usable coupons: 1."));
        assertThat(held()).extracting(li -> li.getAttribute("data-user-coupon-id")).containsExactly(Long.toString(usableCopy));
        assertThat(text("held-state-" + usableCopy)).isEqualTo("Usable");
        assertThat(text("held-" + usableCopy)).contains("usable until");

        byId("filter-all").sendKeys(Keys.ENTER);
        waitFor(d -> text("mine-status").equals("Showing all your coupons: 3."));
        assertThat(held()).extracting(li -> li.getAttribute("data-state")).containsExactlyInAnyOrder("ISSUED", "USED", "EXPIRED");
        assertThat(byId("filter-all").getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(byId("filter-usable").getAttribute("aria-pressed")).isEqualTo("false");
        assertEveryControlHasALabel();
        screenshot("events-my-coupons");
        assertNoScriptErrors();
    }

    @Test
    void theConsoleCreatesAPercentCouponAndItsLiveViewShowsTheSpendingBooks() throws IOException {
        logInToTheConsole();

        // a percent discount: its own fields; one left out is named next to it
        var name = "Spend " + UUID.randomUUID().toString().substring(0, 8);
        type("c-name", name);
        new Select(byId("c-discount-type")).selectByValue("percent");
        assertThat(byId("c-discount").isDisplayed()).as("no amount for a percent discount").isFalse();
        type("c-percent", "10");
        type("c-min-order", "10000");
        type("c-valid-days", "30");
        type("c-total", "4");
        setLocalTime("c-starts", clock.instant().minus(Duration.ofMinutes(1)));
        setLocalTime("c-ends", clock.instant().plus(Duration.ofDays(1)));
        byId("create-submit").sendKeys(Keys.ENTER);
        waitFor(d -> !text("c-max-discount-error").isBlank());
        assertThat(byId("c-max-discount").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(text("create-error")).contains("see the messages next to the fields");
        assertEveryControlHasALabel();
        screenshot("console-terms-errors");

        type("c-max-discount", "3000");
        byId("create-submit").sendKeys(Keys.ENTER);
        waitFor(d -> text("create-status").startsWith("Created"));
        long coupon = Long.parseLong(byId("create-status").getAttribute("data-coupon-id"));
        var created = api.get("/api/v1/coupons/" + coupon, null).json();
        assertThat(created.get("discountType").asString()).isEqualTo("percent");
        assertThat(created.get("discountPercent").asInt()).isEqualTo(10);
        assertThat(created.get("maxDiscount").asLong()).isEqualTo(3_000);
        assertThat(created.get("minOrderAmount").asLong()).isEqualTo(10_000);
        assertThat(created.get("validDays").asInt()).isEqualTo(30);
        waitFor(d -> text("terms-" + coupon).equals("10 % off, up to 3,000 · min. 10,000 · 30 days"));

        var people = fixtures.users(4);
        var copies = people.stream().map(person -> issue(coupon, person.token())).toList();
        byId("watch-" + coupon).sendKeys(Keys.ENTER);
        visible("books-card");
        waitFor(d -> text("books-issued").equals("4") && text("books-usable").equals("4"));

        // one used, one used and given back, one held for an order, one untouched
        spend(copies.get(0), people.get(0).id(), "order-used-" + coupon, false);
        spend(copies.get(1), people.get(1).id(), "order-back-" + coupon, true);
        var held = "order-held-" + coupon;
        orderSystem("reserve", Map.of("userCouponId", Long.toString(copies.get(2)), "userId", Long.toString(people.get(2).id()),
                "orderId", held, "orderAmount", 20_000));

        waitFor(d -> text("books-used").equals("1") && text("books-reserved").equals("1") && text("books-restored").equals("1"));
        assertThat(text("books-issued")).isEqualTo("4");
        assertThat(text("books-usable")).isEqualTo("2");
        assertThat(text("books-expired")).isEqualTo("0");
        assertThat(text("books-badge")).startsWith("✓ No copy used twice");
        assertThat(byId("books-badge").getAttribute("class")).contains("ok");
        assertThat(audit.audit(coupon).orElseThrow().books().balanced()).isTrue();
        assertNoScriptErrors();
        screenshot("console-books");
    }

    // ---- helpers -------------------------------------------------------------------------

    /** The copies "My coupons" lists now. */
    private List<WebElement> held() {
        return browser.findElements(By.cssSelector("#my-coupons > li"));
    }

    private void logInToTheConsole() {
        var email = account("admin");
        context.getBean(JdbcTemplate.class).update("UPDATE users SET role = 'ADMIN' WHERE email = ?", email);
        browser.get(base + "/console");
        visible("login-view");
        type("login-email", email);
        type("login-password", PASSWORD);
        byId("login-password").sendKeys(Keys.ENTER);
        visible("coupons-view");
    }

    /** Takes a copy through the API; its id. */
    private long issue(long coupon, String token) {
        var issued = api.post("/api/v1/coupons/" + coupon + "/issue", token, null);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return issued.json().get("userCouponId").asLong();
    }

    /** An order system spends the copy on an order (reserve, confirm) and, if asked, gives it back after. */
    private void spend(long copy, long user, String order, boolean giveBack) {
        orderSystem("reserve", Map.of("userCouponId", Long.toString(copy), "userId", Long.toString(user), "orderId", order,
                "orderAmount", 50_000));
        orderSystem("confirm", Map.of("userCouponId", Long.toString(copy), "orderId", order));
        if (giveBack) {
            orderSystem("cancel", Map.of("userCouponId", Long.toString(copy), "orderId", order));
        }
    }

    /** A call of the order system (HTTP Basic), as the order service would make it; its 200 answer. */
    private JsonNode orderSystem(String action, Map<String, Object> body) {
        var request = HttpRequest.newBuilder(URI.create(base + "/api/v1/redemptions/" + action)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", ORDER_SYSTEM)
                .POST(HttpRequest.BodyPublishers.ofString(TestApi.JSON.writeValueAsString(body))).build();
        try {
            var response = ORDERS.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(action + ": " + response.body()).isEqualTo(200);
            return TestApi.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The place number the event page shows for the coupon, or -1 while it shows none. */
    private int position(long coupon) {
        var matcher = PLACE.matcher(text("place-" + coupon));
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    private void logInOnTheEventPage(String email) {
        visible("login-form");
        type("l-email", email);
        type("l-password", PASSWORD);
        byId("l-password").sendKeys(Keys.ENTER);
        visible("session");
        assertThat(text("session-who")).isEqualTo(email);
    }

    private long userId(String email) {
        return context.getBean(JdbcTemplate.class).queryForObject("SELECT id FROM users WHERE email = ?", Long.class, email);
    }

    /** The access token this tab keeps (sessionStorage), or null. */
    private String tabToken(String kind) {
        return (String) script("return sessionStorage.getItem(arguments[0])", "couponrush." + kind + ".token");
    }

    /** From now on the page's fetch calls are written down: address, method, Idempotency-Key, status. */
    private void recordFetches() {
        script("""
                window.fetches = [];
                const original = window.fetch;
                window.fetch = async (url, init) => {
                  const response = await original(url, init);
                  const headers = (init && init.headers) || {};
                  window.fetches.push({ url: String(url), method: (init && init.method) || 'GET',
                    key: headers['Idempotency-Key'] || null, status: response.status });
                  return response;
                };
                """);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> fetches() {
        return (List<Map<String, Object>>) script("return window.fetches || []");
    }

    /** A cookie as the browser holds it, HttpOnly ones included (which no page script can see). */
    @SuppressWarnings("unchecked")
    private Optional<Map<String, Object>> cookie(String name) {
        var all = (List<Map<String, Object>>) cdp("Network.getAllCookies").get("cookies");
        return all.stream().filter(c -> name.equals(c.get("name"))).findFirst();
    }

    private static Map<String, Object> cdp(String command) {
        return ((ChromeDriver) browser).executeCdpCommand(command, Map.of());
    }

    private static Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    /** Signs up an account through the API (a real password: the page logs in with it). */
    private String account(String kind) {
        var email = kind + "-" + UUID.randomUUID() + "@example.com";
        var response = api.post("/api/v1/auth/signup", null, Map.of("email", email, "password", PASSWORD, "nickname", kind));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return email;
    }

    private long coupon(String admin, String name, Instant startsAt) {
        return coupon(admin, name, startsAt, null);
    }

    private long coupon(String admin, String name, Instant startsAt, Map<String, Object> waitingRoom) {
        return coupon(admin, name, startsAt, waitingRoom, Map.of());
    }

    /** With terms at checkout: they replace the default fixed 1,500 off (a percent discount has no amount). */
    private long coupon(String admin, String name, Instant startsAt, Map<String, Object> waitingRoom, Map<String, Object> terms) {
        var body = new HashMap<String, Object>(Map.of("name", name, "discountAmount", 1500, "totalQuantity", 5,
                "perUserLimit", 1, "issueStartsAt", startsAt.toString(),
                "issueEndsAt", startsAt.plus(Duration.ofDays(1)).toString(), "strategy", "redis-gate"));
        if (waitingRoom != null) {
            body.put("waitingRoom", waitingRoom);
        }
        if ("percent".equals(terms.get("discountType"))) {
            body.remove("discountAmount");
        }
        body.putAll(terms);
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

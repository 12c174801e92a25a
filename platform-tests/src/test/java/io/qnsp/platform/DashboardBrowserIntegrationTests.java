package io.qnsp.platform;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven by
 * Selenium; nothing is downloaded), against one platform started as {@code ./platform} starts it. Each test works a
 * page as a person would and checks what it shows against what the APIs hold, and leaves a screenshot of its page in
 * {@code target/dashboard-screenshots/}. Without Chromium the tests are skipped, except under CI, where they fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A tenant with an administrator's client, made through the operator's API. */
    private record TenantAdmin(String tenantId, String clientId, String clientSecret) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RunningPlatform platform;
    private ChromeDriver browser;
    private WebDriverWait wait;
    private TenantAdmin acme;
    private TenantAdmin globex;
    /** Another tenant's things, which acme's administrator must never see. */
    private String globexKeyId;
    private String globexWebhookId;
    private String globexRequestId;
    private String globexRateLimitKeyId;
    private final List<String> timings = new ArrayList<>();

    @BeforeAll
    void startPlatformAndBrowser(ExtensionContext context) throws Exception {
        boolean chromium = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(chromium, "the dashboard's browser tests need /usr/bin/chromium and "
                    + "/usr/bin/chromedriver (apt-get install chromium chromium-driver); skipped without them");
        } else {
            assertThat(chromium).as("Chromium and its driver on the CI machine (.ci/run installs them)").isTrue();
        }
        Files.createDirectories(SCREENSHOTS);
        // the black-box platform: its webhook test delivers to a receiver on loopback, which the drill platform refuses
        platform = SharedPlatforms.blackBox(context);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        acme = tenant("acme-" + suffix, "Acme");
        globex = tenant("globex-" + suffix, "Globex");
        String globexToken = token(globex.clientId(), globex.clientSecret());
        globexKeyId = created(post("/api/v1/keys", "{\"name\":\"globex private key\",\"scopes\":[\"read:keys\"]}",
                globexToken)).get("data").get("id").asString();
        // the machine has no name resolution; the platform under test lets webhooks target loopback
        globexWebhookId = created(post("/api/v1/webhooks", "{\"name\":\"globex hook\",\"url\":\"http://127.0.0.1:9/"
                + "globex\",\"events\":[\"*\"]}", globexToken)).get("data").get("id").asString();
        globexRateLimitKeyId = created(post("/v1/api-keys", "{\"name\":\"globex limits\"}", globexToken))
                .get("keyId").asString();
        created(post("/vault/v1/versioned-secrets", "{\"secretId\":\"globex-secret\",\"value\":\"globex only\"}",
                globexToken));
        String marker = "globex-" + UUID.randomUUID();
        send(request("/api/v1/keys", globexToken).header("X-Request-Id", marker).GET());
        globexRequestId = await("globex's request in its request log").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (JsonNode entry : JSON.readTree(send(request("/api/v1/requests?pageSize=50", globexToken).GET())
                            .body()).get("data")) {
                        if (marker.equals(entry.get("requestId").asString())) {
                            return entry.get("id").asString();
                        }
                    }
                    return null;
                }, id -> id != null);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1366,768", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        // pages re-render what they load: an element found a moment ago may have been replaced since
        wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
    }

    /**
     * Every test starts from a full page load (the console stays signed in: its session storage belongs to the tab),
     * so a dialog or a half-filled form a failed test left behind cannot fail the tests after it.
     */
    @BeforeEach
    void aFullPageLoadForEachTest() {
        if (browser != null) {
            browser.get("about:blank");
        }
    }

    @AfterEach
    void screenshotOfTheTestsPage(TestInfo test) throws Exception {
        if (browser != null) {
            screenshot(test.getTestMethod().orElseThrow().getName());
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (!timings.isEmpty()) {
            Files.write(SCREENSHOTS.resolve("first-page-interactive.txt"), timings);
        }
    }

    @Test
    @Order(1)
    void aTenantAdministratorSignsInAndSeesTheHealthOfEveryServiceAndTheTraffic() throws Exception {
        HttpResponse<String> index = send(HttpRequest.newBuilder(uri("/dashboard/")).GET());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).startsWith("default-src 'self'").doesNotContain("unsafe"));
        assertThat(platform.printed()).contains("Dashboard: " + platform.gateway() + "/dashboard/");

        browser.get(platform.gateway() + "/dashboard/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-form")));
        recordTiming("sign-in page (nothing signed in)");
        screenshot("sign-in");
        signIn(acme.clientId(), acme.clientSecret());

        waitForPage("overview");
        assertThat(text("#tenant-name")).isEqualTo(acme.tenantId());
        WebElement health = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("health-table")));
        assertThat(rowState(health, "redis")).isEqualTo("connected");
        for (String service : List.of("auth", "ratelimit", "audit", "kms", "vault")) {
            assertThat(rowState(health, service)).as(service).isEqualTo("up");
        }
        assertThat(browser.findElement(By.id("chart-requests")).getAttribute("data-points")).isEqualTo("61");
        // the value axis labels each of its lines once (a count of 1 once showed "0, 1, 1")
        assertThat(browser.findElements(By.cssSelector("#chart-requests svg text.tick[text-anchor='end']")).stream()
                .map(WebElement::getText).toList()).doesNotHaveDuplicates().contains("0");
        assertThat(browser.findElements(By.cssSelector("#chart-rate-limited svg"))).hasSize(1);

        // the credential is in this tab's session storage only: never in the address or local storage
        assertThat(browser.getCurrentUrl()).doesNotContain("token", acme.clientSecret());
        assertThat(js("return window.localStorage.length")).isEqualTo(0L);
        assertThat((String) js("return sessionStorage.getItem('qnsp.dashboard.session')")).contains("\"token\"");

        // a signed-in administrator who opens the console again goes straight to the overview
        browser.navigate().refresh();
        waitForPage("overview");
        recordTiming("overview, signed in (health and traffic loaded)");
    }

    @Test
    @Order(2)
    void aNewKeyIsShownOnceWithACopyButtonAndNeverAgain() throws Exception {
        signedInAs(acme);
        go("keys");
        click("#create-key");
        type("#new-key-name", "e2e reporting key");
        click("#create-key-dialog input[value='read:requests']");
        click("#create-key-submit");
        String apiKey = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-api-key"))).getText();
        assertThat(apiKey).startsWith("dh_live_").hasSizeGreaterThan(30);
        assertThat(browser.findElement(By.cssSelector("#key-once-dialog button.copy")).isDisplayed()).isTrue();
        screenshot("keys-shown-once");
        click("#key-once-dialog .dialog-close");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("key-once-dialog")));

        // the key works, and the console never shows it again
        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/keys")).header("X-API-Key", apiKey).GET()).statusCode())
                .isEqualTo(200);
        assertThat(browser.getPageSource()).doesNotContain(apiKey);
        browser.navigate().refresh();
        waitForPage("keys");
        WebElement row = rowNamed("#keys-table", "e2e reporting key");
        assertThat(row.getText()).contains(apiKey.substring(0, 12) + "...", "active", "read:keys, read:requests");
        assertThat(browser.getPageSource()).doesNotContain(apiKey);
        assertThat((String) js("return JSON.stringify(sessionStorage)")).doesNotContain(apiKey);

        // search and the status filter ask the API
        type("#key-search", "reporting");
        wait.until(d -> tableRows("#keys-table").size() == 1);
        new Select(browser.findElement(By.id("key-status"))).selectByValue("revoked");
        wait.until(d -> tableText("#keys-table").contains("No keys match."));
        new Select(browser.findElement(By.id("key-status"))).selectByValue("all");
        wait.until(d -> tableText("#keys-table").contains("e2e reporting key"));
    }

    @Test
    @Order(3)
    void aKeyIsRotatedWithADeprecationPeriodThenRevokedAfterConfirmation() throws Exception {
        signedInAs(acme);
        go("keys");
        rowNamed("#keys-table", "e2e reporting key").click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("rotate-key"))).click();
        WebElement hours = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("deprecation-hours")));
        hours.clear();
        hours.sendKeys("2");
        click("#rotate-submit");
        String rotated = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-api-key"))).getText();
        assertThat(rotated).startsWith("dh_live_");
        click("#key-once-dialog .dialog-close");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("key-once-dialog")));

        // the old key is deprecated for two hours, the new one active
        wait.until(d -> tableText("#keys-table").contains("deprecated"));
        assertThat(tableRows("#keys-table").stream().filter(r -> r.getText().contains("e2e reporting key")).toList())
                .hasSize(2);
        JsonNode keys = JSON.readTree(send(request("/api/v1/keys?search=reporting", adminToken(acme)).GET()).body());
        JsonNode deprecated = find(keys.get("data"), "status", "deprecated");
        assertThat(deprecated.get("expiresAt").asString()).isNotBlank();
        String newId = find(keys.get("data"), "status", "active").get("id").asString();
        assertThat(text("#key-detail")).contains(newId, "Replaces");

        click("#revoke-key");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("revoke-dialog")));
        assertThat(text("#revoke-dialog")).contains("cannot be undone");
        click("#confirm-action");
        wait.until(d -> text("#key-detail").contains("revoked"));
        assertThat(JSON.readTree(send(request("/api/v1/keys/" + newId, adminToken(acme)).GET()).body())
                .get("data").get("status").asString()).isEqualTo("revoked");
        await("the revoked key refused at the gateway").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> send(HttpRequest.newBuilder(uri("/api/v1/keys")).header("X-API-Key", rotated).GET())
                        .statusCode() == 401);
    }

    @Test
    @Order(4)
    void aChangedRateLimitShowsInTheChartAfterTheChecksMadeWithTheKey() throws Exception {
        signedInAs(acme);
        JsonNode key = created(post("/v1/api-keys", "{\"name\":\"e2e checkout\"}", adminToken(acme)));
        String keyId = key.get("keyId").asString();
        go("rate-limits?key=" + keyId);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rl-chart")));
        assertThat(browser.findElement(By.id("rl-chart")).getAttribute("data-totals")).isEqualTo("0,0");

        WebElement tps = browser.findElement(By.id("rl-tps"));
        tps.clear();
        tps.sendKeys("1");
        WebElement burst = browser.findElement(By.id("rl-burst"));
        burst.clear();
        burst.sendKeys("3");
        click("#rl-save");
        wait.until(ExpectedConditions.attributeToBe(By.id("rl-limits-form"), "data-saved", "1/3"));
        JsonNode limits = JSON.readTree(send(request("/v1/api-keys/" + keyId + "/limits", adminToken(acme)).GET())
                .body());
        assertThat(limits.get("burstCapacity").asInt()).isEqualTo(3);

        // checks against the new limit: a burst of three, then refusals (plus what refilled meanwhile)
        int allowed = 0;
        int throttled = 0;
        Instant checksStarted = Instant.now();
        for (int i = 0; i < 8; i++) {
            int status = send(HttpRequest.newBuilder(uri("/v1/check")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"" + key.get("apiKey").asString()
                            + "\"}"))).statusCode();
            if (status == 200) {
                allowed++;
            } else {
                assertThat(status).isEqualTo(429);
                throttled++;
            }
        }
        assertThat(allowed).isGreaterThanOrEqualTo(3);
        assertThat(throttled).isPositive();

        click("#rl-refresh");
        String totals = allowed + "," + throttled;
        wait.until(ExpectedConditions.attributeToBe(By.id("rl-chart"), "data-totals", totals));
        assertThat(text("#rl-allowed-total")).isEqualTo(String.valueOf(allowed));
        assertThat(text("#rl-throttled-total")).isEqualTo(String.valueOf(throttled));
        // the last check is refreshed with the totals: the time of the checks just made
        Instant lastCheck = Instant.parse(browser.findElement(By.cssSelector("#rl-last-check time"))
                .getAttribute("datetime"));
        assertThat(lastCheck).isBetween(checksStarted.truncatedTo(ChronoUnit.SECONDS), Instant.now());
        assertThat(browser.findElements(By.cssSelector("#rl-chart svg rect"))).isNotEmpty();
        // the key's value stays hidden until asked for
        assertThat(browser.getPageSource()).doesNotContain(key.get("apiKey").asString());
    }

    @Test
    @Order(5)
    void anAuditEventArrivesLiveOverServerSentEvents() throws Exception {
        signedInAs(acme);
        go("audit");
        click("#ae-live");
        wait.until(ExpectedConditions.attributeToBe(By.id("ae-live-state"), "data-state", "open"));

        String keyId = created(post("/api/v1/keys", "{\"name\":\"e2e live audit\",\"scopes\":[\"read:keys\"]}",
                adminToken(acme))).get("data").get("id").asString();

        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#ae-live-rows tr[data-resource='" + keyId + "']")));
        assertThat(row.getAttribute("data-type")).isEqualTo("auth.api_key.created");
        assertThat(row.getText()).contains("auth.api_key.created", "success");

        // the query finds it too
        type("#ae-type", "auth.api_key.created");
        type("#ae-resource", keyId);
        click("#ae-search");
        wait.until(d -> tableRows("#ae-table").size() == 1 && tableText("#ae-table").contains("auth-service"));
    }

    @Test
    @Order(6)
    void theRequestLogFiltersShowsARequestsDetailAndTailsNewRequests() throws Exception {
        signedInAs(acme);
        go("requests");
        type("#rq-path", "/api/v1/keys");
        click("#rq-apply");
        wait.until(d -> !tableRows("#rq-table").isEmpty());
        click("#rq-tail");

        String marker = "e2e-tail-" + UUID.randomUUID();
        send(request("/api/v1/keys?search=tail", adminToken(acme)).header("X-Request-Id", marker).GET());
        String logId = await("the request in the log").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode entry : JSON.readTree(send(request("/api/v1/requests?path=/api/v1/keys&pageSize=20",
                    adminToken(acme)).GET()).body()).get("data")) {
                if (marker.equals(entry.get("requestId").asString())) {
                    return entry.get("id").asString();
                }
            }
            return null;
        }, id -> id != null);

        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#rq-table tr[data-id='" + logId + "']")));
        assertThat(row.getText()).contains("GET", "/api/v1/keys", "200");
        row.click();
        wait.until(d -> text("#rq-detail").contains(marker));
        assertThat(text("#rq-detail-id")).isEqualTo(logId);
        assertThat(browser.getCurrentUrl()).endsWith("#/requests?id=" + logId);
        click("#rq-tail");
    }

    @Test
    @Order(7)
    void aWebhookIsCreatedTestedAndItsDeliveryListed() throws Exception {
        signedInAs(acme);
        BlockingQueue<String> signatures = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            signatures.add(String.valueOf(exchange.getRequestHeaders().getFirst("webhook-signature")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            go("webhooks");
            click("#wh-create");
            type("#wh-new-name", "e2e receiver");
            type("#wh-new-url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
            click("#wh-all-events");
            click("#wh-create-submit");
            String secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("wh-secret"))).getText();
            assertThat(secret).startsWith("whsec_");
            click("#wh-secret-dialog .dialog-close");
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("wh-secret-dialog")));
            assertThat(browser.getPageSource()).doesNotContain(secret);

            wait.until(ExpectedConditions.elementToBeClickable(By.id("wh-test"))).click();
            wait.until(ExpectedConditions.attributeToBe(By.id("wh-test-outcome"), "data-status", "success"));
            assertThat(signatures.poll(30, TimeUnit.SECONDS)).startsWith("v1,");
            wait.until(d -> tableText("#wh-deliveries").contains("test.ping"));
            assertThat(tableText("#wh-deliveries")).contains("success", "204");
            assertThat(tableText("#wh-table")).contains("e2e receiver").doesNotContain("globex");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    @Order(8)
    void secretsAndKmsKeysShowTheirVersionsAndAValueOnlyWhenAskedFor() throws Exception {
        signedInAs(acme);
        String token = adminToken(acme);
        String value = "correct horse " + UUID.randomUUID();
        created(post("/vault/v1/versioned-secrets", "{\"secretId\":\"e2e-db-password\",\"value\":\"first\"}", token));
        created(post("/vault/v1/versioned-secrets", "{\"secretId\":\"e2e-db-password\",\"value\":\"" + value + "\"}",
                token));
        String kmsKey = created(post("/kms/v1/keys", "{\"name\":\"e2e-invoices\",\"algorithm\":\"ML-KEM-768\"}",
                token)).get("keyId").asString();
        assertThat(send(request("/kms/v1/keys/" + kmsKey + "/rotate", token).POST(HttpRequest.BodyPublishers
                .ofString("{}")).header("Content-Type", "application/json")).statusCode()).isEqualTo(200);

        go("secrets");
        rowNamed("#vault-table", "e2e-db-password").click();
        wait.until(d -> tableRows("#secret-versions").size() == 2);
        assertThat(browser.getPageSource()).doesNotContain(value);

        click("#secret-versions button.reveal-value[data-version='2']");
        WebElement revealed = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#secret-versions .revealed-value")));
        assertThat(revealed.getText()).isEqualTo(value);
        screenshot("secrets-revealed");
        click("#secret-versions .reveal button:not(.reveal-value)");
        wait.until(d -> !browser.getPageSource().contains(value));

        rowNamed("#kms-table", "e2e-invoices").click();
        wait.until(d -> tableRows("#kms-versions").size() == 2);
        assertThat(tableText("#kms-versions")).contains("ML-KEM-768");
    }

    @Test
    @Order(9)
    void aTenantAdministratorSeesNoOtherTenantsDataInTheConsoleNorByEditingARequest() throws Exception {
        signedInAs(acme);
        go("keys");
        wait.until(d -> tableText("#keys-table").contains("e2e reporting key"));
        assertThat(tableText("#keys-table")).doesNotContain("globex");

        // addresses naming another tenant's things show "not found", never their data
        go("requests?id=" + globexRequestId);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#rq-detail .error[data-status='404']")));
        assertThat(text("#rq-detail")).contains("Not found: No request log").doesNotContain("/api/v1/keys");
        go("rate-limits?key=" + globexRateLimitKeyId);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#rl-detail .error[data-status='404']")));
        assertThat(text("#rl-detail")).doesNotContain("globex limits");
        go("secrets?secret=globex-secret");
        wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#vault-history .error[data-status='404']")));
        assertThat(browser.getPageSource()).doesNotContain("globex only");
        assertThat(tableText("#vault-table")).doesNotContain("globex");
        go("webhooks");
        wait.until(d -> tableText("#wh-table").contains("e2e receiver"));
        assertThat(tableText("#wh-table")).doesNotContain("globex");

        // the same requests made directly with the administrator's own token
        String token = adminToken(acme);
        Map<String, Integer> refused = Map.of(
                "/api/v1/keys/" + globexKeyId, 404,
                "/api/v1/webhooks/" + globexWebhookId, 404,
                "/api/v1/requests/" + globexRequestId, 404,
                "/vault/v1/versioned-secrets/globex-secret/history", 404,
                "/v1/api-keys/" + globexRateLimitKeyId, 404,
                "/auth/admin/tenants/" + globex.tenantId(), 404,
                "/auth/admin/tenants", 403);
        refused.forEach((path, status) -> {
            HttpResponse<String> answer = sendQuietly(request(path, token).GET());
            assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(status);
            assertThat(answer.body()).as(path).doesNotContain("globex private key", "globex hook", "globex only");
        });
        assertThat(sendQuietly(request("/auth/admin/tenants/" + globex.tenantId() + "/access-tokens", token)
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(403);
        assertThat(sendQuietly(request("/api/v1/keys/" + globexKeyId + "/rotate", token).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(10)
    void theOperatorSwitchesTenantsAndSignsOut() throws Exception {
        signedInAs(acme);
        click("#signout");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-form")));
        assertThat(js("return sessionStorage.length")).isEqualTo(0L);
        assertThat(text("#signin-notice")).contains("signed out");

        browser.get(platform.gateway() + "/dashboard/#/overview");
        signIn(platform.printedValue("client id:\\s+(\\S+)"), platform.printedValue("client secret:\\s+(\\S+)"));
        waitForPage("overview");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tenant-switch")));
        wait.until(d -> d.findElements(By.cssSelector("#tenant-switch option[value='" + globex.tenantId() + "']"))
                .size() == 1);
        go("keys");
        wait.until(d -> !tableRows("#keys-table").isEmpty());
        assertThat(tableText("#keys-table")).doesNotContain("globex private key");

        new Select(browser.findElement(By.id("tenant-switch"))).selectByValue(globex.tenantId());
        wait.until(d -> tableText("#keys-table").contains("globex private key"));
        assertThat(tableText("#keys-table")).doesNotContain("e2e reporting key");
        screenshot("operator-tenant-switch");
        // the operator's audit trail holds the token it was issued for globex
        JsonNode events = JSON.readTree(send(request("/audit/v1/events?eventType=auth.tenant.access_token_issued",
                token(platform.printedValue("client id:\\s+(\\S+)"), platform.printedValue("client secret:\\s+(\\S+)")))
                .GET()).body()).get("events");
        assertThat(events.toString()).contains(globex.tenantId());

        new Select(browser.findElement(By.id("tenant-switch"))).selectByValue("platform");
        wait.until(d -> !tableText("#keys-table").contains("globex private key"));

        click("#signout");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-form")));
        assertThat(js("return sessionStorage.length")).isEqualTo(0L);
        browser.get(platform.gateway() + "/dashboard/#/keys");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-form")));
        assertThat(browser.findElement(By.id("app-view")).isDisplayed()).isFalse();
    }

    @Test
    @Order(11)
    void aDataHubApiKeySignsInToo() {
        String apiKey = platform.printedValue("admin API key:\\s+(dh_live_\\S+)");
        browser.get(platform.gateway() + "/dashboard/#/overview");
        js("sessionStorage.clear()");
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-form")));
        click("#method-apikey");
        type("#api-key", apiKey);
        click("#signin-submit");
        waitForPage("overview");
        assertThat(text("#identity")).contains(apiKey.substring(0, 12)).doesNotContain(apiKey);
        go("keys");
        wait.until(d -> !tableRows("#keys-table").isEmpty());
        assertThat(browser.getCurrentUrl()).doesNotContain(apiKey);
        assertThat(js("return window.localStorage.length")).isEqualTo(0L);
        click("#signout");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-form")));
        assertThat(js("return sessionStorage.length")).isEqualTo(0L);
    }

    // ---- the browser ----

    private void signIn(String clientId, String clientSecret) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-form")));
        click("#method-client");
        type("#client-id", clientId);
        type("#client-secret", clientSecret);
        click("#signin-submit");
    }

    /** Signs in as the tenant's administrator unless the console already is (each test can run on its own). */
    private void signedInAs(TenantAdmin admin) {
        browser.get(platform.gateway() + "/dashboard/#/overview");
        wait.until(d -> d.findElement(By.id("signin-view")).isDisplayed() || d.findElement(By.id("app-view")).isDisplayed());
        String session = String.valueOf(js("return sessionStorage.getItem('qnsp.dashboard.session')"));
        if (!session.contains("\"subject\":\"" + admin.clientId() + "\"")) {
            if (browser.findElement(By.id("app-view")).isDisplayed()) {
                click("#signout");
            }
            signIn(admin.clientId(), admin.clientSecret());
        }
        waitForPage("overview");
    }

    private void go(String route) {
        browser.get(platform.gateway() + "/dashboard/#/" + route);
        waitForPage(route.split("\\?")[0]);
    }

    /** Until the page has rendered (its data loaded, or its failure shown). */
    private void waitForPage(String name) {
        wait.until(d -> {
            WebElement main = d.findElement(By.id("main"));
            return main.isDisplayed() && name.equals(main.getAttribute("data-page"))
                    && List.of("ready", "error").contains(main.getAttribute("data-state"));
        });
    }

    private void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    private void type(String css, String text) {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
        input.clear();
        input.sendKeys(text);
    }

    /** The rendered text of the first element matching, read in one step in the page (never stale). */
    private String text(String css) {
        Object text = ((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : ''", css);
        return String.valueOf(text);
    }

    private List<WebElement> tableRows(String table) {
        return browser.findElements(By.cssSelector(table + " tbody tr[data-id]"));
    }

    private String tableText(String table) {
        return text(table);
    }

    private WebElement rowNamed(String table, String name) {
        return wait.until(d -> tableRows(table).stream().filter(r -> r.getText().contains(name)).findFirst()
                .orElse(null));
    }

    private static String rowState(WebElement table, String name) {
        return table.findElement(By.cssSelector("tr[data-id='" + name + "'] .badge")).getText();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The page's Navigation Timing, and the console's own mark of its first page being interactive (its data
     * loaded and rendered), in milliseconds since the navigation started.
     */
    private void recordTiming(String page) {
        Object mark = null;
        for (int i = 0; i < 50 && mark == null; i++) {
            mark = js("const m = performance.getEntriesByName('qnsp-first-page-interactive')[0];"
                    + "return m ? Math.round(m.startTime) : null");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> navigation = (Map<String, Object>) js("const n = performance.getEntriesByType("
                + "'navigation')[0]; return {interactive: Math.round(n.domInteractive), contentLoaded: "
                + "Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd)}");
        String line = page + ": DOM interactive " + navigation.get("interactive") + " ms, DOMContentLoaded "
                + navigation.get("contentLoaded") + " ms, load " + navigation.get("load") + " ms, first page "
                + "interactive " + mark + " ms";
        System.out.println("[dashboard timing] " + line);
        timings.add(line);
    }

    // ---- the APIs ----

    private TenantAdmin tenant(String id, String name) throws Exception {
        String operator = token(platform.printedValue("client id:\\s+(\\S+)"),
                platform.printedValue("client secret:\\s+(\\S+)"));
        created(post("/auth/admin/tenants", "{\"id\":\"" + id + "\",\"name\":\"" + name
                + "\",\"plan\":\"enterprise\"}", operator));
        JsonNode client = created(post("/auth/admin/tenants/" + id + "/clients",
                "{\"name\":\"" + name + " administrator\",\"scopes\":[\"admin\"],\"roles\":[\"admin\"]}", operator));
        return new TenantAdmin(id, client.get("clientId").asString(), client.get("clientSecret").asString());
    }

    private String adminToken(TenantAdmin admin) throws Exception {
        return token(admin.clientId(), admin.clientSecret());
    }

    private String token(String clientId, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("access_token").asString();
    }

    private HttpRequest.Builder post(String path, String json, String token) {
        return request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token);
    }

    private JsonNode created(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = send(request);
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return JSON.readTree(response.body());
    }

    private static JsonNode find(JsonNode items, String field, String value) {
        for (JsonNode item : items) {
            if (value.equals(item.get(field).asString())) {
                return item;
            }
        }
        throw new AssertionError("no item with " + field + " " + value + " in " + items);
    }

    private URI uri(String path) {
        return URI.create(platform.gateway() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> sendQuietly(HttpRequest.Builder request) {
        try {
            return send(request);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

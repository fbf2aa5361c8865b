package dev.cloudref.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's Swagger UI in a real headless Chromium, over HTTPS with the gateway's
 * self-signed certificate: it loads without an API key, lists the operations of both
 * services (switching documents in its definition selector), and "Try it out" with the
 * key entered under "Authorize", or a login at the authorization server (authorization
 * code grant with PKCE, in a window of its own), calls the API through the gateway. Each
 * test opens the UI afresh; their order only fixes the order of the screenshots, which go
 * to {@code system-tests.screenshots-dir} ({@code target/screenshots}).
 *
 * <p>
 * Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian packages
 * {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs); skipped
 * without them. Both paths are given to Selenium, so Selenium Manager downloads nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwaggerUiBrowserIT {

	private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

	private static LocalSystem system;

	private static ChromeDriverService driverService;

	private static WebDriver browser;

	private static WebDriverWait wait;

	private static Path screenshots;

	@TempDir
	static Path userDataDir;

	@BeforeAll
	static void startBrowser() throws IOException {
		Path chromium = ObservabilityConfigTest.executable("chromium");
		Path chromedriver = ObservabilityConfigTest.executable("chromedriver");
		Assumptions.assumeTrue(chromium != null && chromedriver != null,
				"chromium and/or chromedriver are not installed (PATH or /usr/bin; Debian: apt-get install chromium "
						+ "chromium-driver): SwaggerUiBrowserIT skipped");
		system = LocalSystem.get();
		screenshots = Path.of(System.getProperty("system-tests.screenshots-dir", "target/screenshots"));
		Files.createDirectories(screenshots);

		driverService = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
			.usingAnyFreePort()
			.withLogFile(system.workDir.resolve("logs").resolve("chromedriver.log").toFile())
			.build();
		ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--window-size=1280,1400", "--user-data-dir=" + userDataDir);
		// The gateway's certificate is self-signed: the browser accepts it for this
		// session only.
		options.setAcceptInsecureCerts(true);
		browser = new ChromeDriver(driverService, options);
		wait = new WebDriverWait(browser, LOAD_TIMEOUT);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
		if (driverService != null) {
			driverService.stop();
		}
	}

	@Test
	@Order(1)
	void listsTheUserServiceOperationsWithoutAKey() {
		openSwaggerUi();

		assertThat(browser.getCurrentUrl()).startsWith(gatewayUrl("/swagger-ui/index.html"));
		awaitOperations("Users", "createUser", "listUsers", "getUser", "getUserWithOrders", "getUserOrderStats");
		assertThat(selectedDefinition()).isEqualTo("user-service");
		assertThat(browser.findElement(By.cssSelector(".servers select")).getText()).contains("/api");
		screenshot("swagger-ui-user-service.png");
	}

	@Test
	@Order(2)
	void listsTheOrderServiceOperationsAfterSwitchingTheDefinition() {
		openSwaggerUi();
		awaitOperations("Users", "getUser");

		definitionSelector().selectByVisibleText("order-service");

		awaitOperations("Orders", "placeOrder", "listOrdersOfUser", "getOrder");
		assertThat(browser.findElements(By.id("operations-Users-createUser"))).isEmpty();
		screenshot("swagger-ui-order-service.png");
	}

	@Test
	@Order(3)
	void triesOutAnOperationThroughTheGatewayWithTheAuthorizedKey() {
		openSwaggerUi();
		awaitOperations("Users", "listUsers");
		authorize(system.apiKey);

		WebElement operation = browser.findElement(By.id("operations-Users-listUsers"));
		operation.findElement(By.cssSelector(".opblock-summary-control")).click();
		// The UI renders the expanded operation, then the form after "Try it out", a
		// moment after each click: wait for each button to exist, not only to become
		// clickable.
		wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#operations-Users-listUsers .try-out__btn")))
			.click();
		wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#operations-Users-listUsers .execute")))
			.click();

		WebElement status = wait.until(ExpectedConditions.presenceOfNestedElementLocatedBy(operation,
				By.cssSelector(".live-responses-table tr.response .response-col_status")));
		assertThat(status.getText().strip()).isEqualTo("200");
		assertThat(operation.findElement(By.cssSelector(".request-url pre")).getText())
			.startsWith(gatewayUrl("/api/users?"));
		assertThat(operation.findElement(By.cssSelector(".live-responses-table tr.response .response-col_description"))
			.getText()).contains("\"totalElements\"");
		screenshot("swagger-ui-try-it-out.png");
	}

	@Test
	@Order(3)
	void logsInThroughTheAuthorizationServerAndTriesOutAnOperationWithTheToken() {
		openSwaggerUi();
		awaitOperations("Users", "listUsers");
		String page = browser.getWindowHandle();
		browser.findElement(By.cssSelector(".auth-wrapper .authorize")).click();
		WebElement dialog = wait
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".dialog-ux .modal-ux")));
		WebElement form = dialog.findElements(By.cssSelector(".auth-container"))
			.stream()
			.filter(container -> container.getText().contains("authorizationCode"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no OAuth2 form in the Authorize dialog: " + dialog.getText()));
		// Every scope this document names; the client id comes from the UI's settings.
		form.findElements(By.cssSelector("input[type=checkbox]")).forEach(scope -> {
			if (!scope.isSelected()) {
				scope.findElement(By.xpath("./following-sibling::label | ./parent::label")).click();
			}
		});
		form.findElement(By.cssSelector("button.authorize")).click();

		// auth-server's login form opens in a window of its own, through the gateway.
		wait.until(driver -> driver.getWindowHandles().size() > 1);
		String login = browser.getWindowHandles().stream().filter(handle -> !handle.equals(page)).findFirst().get();
		browser.switchTo().window(login);
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("demo");
		browser.findElement(By.id("password")).sendKeys(system.userPassword);
		assertThat(browser.getCurrentUrl()).startsWith(gatewayUrl("/login"));
		browser.findElement(By.cssSelector("button[type=submit]")).click();
		// The code goes back to Swagger UI's redirect page, which closes the window.
		wait.until(driver -> driver.getWindowHandles().size() == 1);
		browser.switchTo().window(page);
		wait.until(
				ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".dialog-ux .modal-ux"), "Logout"));
		wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".dialog-ux button.btn-done"))).click();
		wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".dialog-ux .modal-ux")));

		WebElement operation = browser.findElement(By.id("operations-Users-listUsers"));
		operation.findElement(By.cssSelector(".opblock-summary-control")).click();
		wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#operations-Users-listUsers .try-out__btn")))
			.click();
		wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#operations-Users-listUsers .execute")))
			.click();
		WebElement status = wait.until(ExpectedConditions.presenceOfNestedElementLocatedBy(operation,
				By.cssSelector(".live-responses-table tr.response .response-col_status")));
		assertThat(status.getText().strip()).isEqualTo("200");
		// Sent with the token from the login, not an API key.
		assertThat(operation.findElement(By.cssSelector(".curl-command")).getText())
			.contains("Authorization: Bearer ey")
			.doesNotContain("X-API-Key");
		screenshot("swagger-ui-oauth2-login.png");
	}

	/** Opens the UI at the address the docs give, as a new page (no key entered yet). */
	private static void openSwaggerUi() {
		browser.get(gatewayUrl("/swagger-ui.html"));
	}

	/**
	 * Waits until the UI shows every named operation (Swagger UI ids:
	 * operations-TAG-OPERATION_ID).
	 */
	private static void awaitOperations(String tag, String... operationIds) {
		for (String operationId : operationIds) {
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("operations-" + tag + "-" + operationId)));
		}
	}

	private static Select definitionSelector() {
		return new Select(wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".topbar select"))));
	}

	private static String selectedDefinition() {
		return definitionSelector().getFirstSelectedOption().getText();
	}

	/** Enters the key in the "Authorize" dialog, as a user does, and closes it. */
	private static void authorize(String apiKey) {
		browser.findElement(By.cssSelector(".auth-wrapper .authorize")).click();
		WebElement dialog = wait
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".dialog-ux .modal-ux")));
		// The dialog has a form per scheme (API key, bearer token): the one naming the
		// API key header.
		WebElement form = dialog.findElements(By.cssSelector(".auth-container"))
			.stream()
			.filter(container -> container.getText().contains("X-API-Key"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no API key form in the Authorize dialog: " + dialog.getText()));
		form.findElement(By.cssSelector("input[type=text], input[type=password]")).sendKeys(apiKey);
		form.findElement(By.cssSelector("button.authorize")).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".dialog-ux button.btn-done"))).click();
		wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".dialog-ux .modal-ux")));
		List<WebElement> locked = browser.findElements(By.cssSelector(".auth-wrapper .authorize.locked"));
		assertThat(locked).as("the Authorize button shows a closed lock").isNotEmpty();
	}

	private static String gatewayUrl(String path) {
		return "https://localhost:" + system.gateway.appPort() + path;
	}

	private static void screenshot(String name) {
		Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
		try {
			Files.copy(file, screenshots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

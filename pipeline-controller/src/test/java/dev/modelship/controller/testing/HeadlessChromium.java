package dev.modelship.controller.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven headless through Debian's chromedriver (packages chromium and chromium-driver,
 * installed by scripts/test); no browser download, no network.
 */
public final class HeadlessChromium {
  private HeadlessChromium() {
  }

  public static ChromeDriver start(Path profile) throws Exception {
    Path binary = Path.of("/usr/bin/chromium");
    Path driver = Path.of("/usr/bin/chromedriver");
    if (!Files.isExecutable(binary) || !Files.isExecutable(driver)) {
      throw new IllegalStateException("Chromium or chromedriver is missing: run ./scripts/test, which installs "
          + "Debian's chromium and chromium-driver packages");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + Files.createDirectories(profile));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }
}

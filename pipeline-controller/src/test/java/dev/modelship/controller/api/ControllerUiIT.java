package dev.modelship.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.pipeline.PipelineJournal;
import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.PipelineRunner;
import dev.modelship.controller.pipeline.Stage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.rollout.RolloutDriver;
import dev.modelship.controller.rollout.RolloutStatus;
import dev.modelship.controller.testing.HeadlessChromium;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The web UI in headless Chromium against the real API, with a rollout driver whose state the test sets. */
class ControllerUiIT {
  @TempDir
  Path dir;
  private final List<String> actions = new CopyOnWriteArrayList<>();
  private volatile RolloutStatus status = status(RolloutStatus.PAUSED, 20, "registry/models:clicks-2");
  private PipelineRunner pipeline;
  private Javalin api;
  private ChromeDriver browser;

  private static RolloutStatus status(String phase, int weight, String canary) {
    return new RolloutStatus("clicks", phase, 1, 3, "registry/models:clicks-1", canary, weight,
        phase.equals(RolloutStatus.PAUSED) ? List.of(new RolloutStatus.PauseCondition("CanaryPauseStep",
            Instant.EPOCH)) : List.of(), phase.equals(RolloutStatus.DEGRADED), "step 2/3: paused until promoted",
        Optional.empty(), Optional.empty(), Instant.EPOCH, "http://127.0.0.1:8080",
        "production");
  }

  private final RolloutDriver driver = new RolloutDriver() {
    @Override
    public List<RolloutStatus> statuses() {
      return List.of(status);
    }

    @Override
    public RolloutStatus promote(String app, String environment, boolean full) {
      actions.add("promote " + app + (full ? " full" : ""));
      status = status(RolloutStatus.HEALTHY, 0, null);
      return status;
    }

    @Override
    public RolloutStatus abort(String app, String environment, String reason) {
      actions.add("abort " + app + ": " + reason);
      status = status(RolloutStatus.DEGRADED, 0, "registry/models:clicks-2");
      return status;
    }
  };

  @BeforeEach
  void start() throws Exception {
    ControllerMetrics metrics = new ControllerMetrics();
    Stage validate = new Stage() {
      @Override
      public String name() {
        return "validate";
      }

      @Override
      public Result run(PipelineRun run, EventSink events) {
        return Result.end(PipelineRun.Outcome.REJECTED, Map.of(), "quality.accuracy 0.58 < 0.68");
      }
    };
    pipeline = new PipelineRunner(PipelineJournal.open(dir.resolve("journal.jsonl")), List.of(validate),
        Clock.systemUTC(), metrics);
    pipeline.start();
    pipeline.submit(new ModelVersionRef("clicks", 4), "sha256:dd");
    api = ControllerApi.create(new ControllerApi.Deps(pipeline, driver, (model, env) -> List.of(), metrics))
        .start("127.0.0.1", 0);
    browser = HeadlessChromium.start(dir.resolve("chromium"));
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    api.stop();
    pipeline.close();
  }

  private WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(15));
  }

  @Test
  void showsRolloutsAndRunsAndPromotesFromAButton() {
    browser.get("http://127.0.0.1:" + api.port() + "/");
    WebElement card = waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector(".rollout[data-app='clicks']")));
    assertThat(card.findElement(By.className("phase")).getText()).isEqualTo("Paused");
    assertThat(card.findElement(By.className("weight")).getText()).isEqualTo("canary 20%");
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector("tr.run[data-run='clicks-4'] .outcome"), "REJECTED"));

    card.findElement(By.className("promote")).click();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector(".rollout[data-app='clicks'] .phase"), "Healthy"));
    assertThat(actions).containsExactly("promote clicks");
    assertThat(browser.findElement(By.cssSelector(".rollout[data-app='clicks'] .abort")).isEnabled()).isFalse();
  }

  @Test
  void abortsWithAReasonFromAButton() {
    browser.get("http://127.0.0.1:" + api.port() + "/");
    WebElement card = waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector(".rollout[data-app='clicks']")));
    card.findElement(By.className("abort")).click();
    waiting().until(ExpectedConditions.alertIsPresent()).sendKeys("latency looks odd");
    browser.switchTo().alert().accept();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector(".rollout[data-app='clicks'] .phase"), "Degraded"));
    assertThat(actions).containsExactly("abort clicks: latency looks odd");
  }

  @Test
  void theApiAnswersJsonAndErrors() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + api.port();
    var runs = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/runs")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(runs.body()).contains("\"id\":\"clicks-4\"");
    var missing = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/runs/nope"))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("no pipeline run nope");
    var metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).contains("modelship_pipeline_runs_total{model=\"clicks\",outcome=\"REJECTED\"} 1.0");
  }
}

package dev.modelship.controller.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.PipelineRunner;
import dev.modelship.controller.rollout.RolloutDriver;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's REST API and web UI on one port: pipeline runs, rollouts (with promote and abort), history,
 * metrics. The CLI's {@code status}, {@code promote}, {@code abort} and {@code history} talk to it.
 */
public final class ControllerApi {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerApi.class);
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new Jdk8Module())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** {@code value} as the API writes it (for clients and tests that read the API's shape). */
  public static String toJson(Object value) throws com.fasterxml.jackson.core.JsonProcessingException {
    return JSON.writeValueAsString(value);
  }

  /** {@code value} in the API's JSON shape, as a tree. */
  public static com.fasterxml.jackson.databind.JsonNode toTree(Object value) {
    return JSON.valueToTree(value);
  }

  /** The model history as git tells it (releases, promotions, rollbacks). */
  public interface HistorySource {
    List<Map<String, Object>> history(String model, String env) throws Exception;
  }

  /** What the API needs. */
  public record Deps(PipelineRunner pipeline, RolloutDriver rollouts, HistorySource history, ControllerMetrics metrics) {
  }

  private ControllerApi() {
  }

  public static Javalin create(Deps deps) {
    return Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.routes.get("/api/health", ctx -> json(ctx, Map.of("status", "ok")));
      cfg.routes.get("/api/runs", ctx -> json(ctx, deps.pipeline().runs().stream().map(ControllerApi::run).toList()));
      cfg.routes.get("/api/runs/{id}", ctx -> json(ctx, run(deps.pipeline().run(ctx.pathParam("id")).orElseThrow(
          () -> new ApiError(404, "no pipeline run " + ctx.pathParam("id"))))));
      cfg.routes.get("/api/rollouts", ctx -> json(ctx, deps.rollouts().statuses()));
      cfg.routes.post("/api/rollouts/{app}/promote", ctx -> json(ctx, deps.rollouts().promote(ctx.pathParam("app"), ctx.queryParam("env"),
          Boolean.parseBoolean(ctx.queryParam("full")))));
      cfg.routes.post("/api/rollouts/{app}/abort", ctx -> json(ctx, deps.rollouts().abort(ctx.pathParam("app"), ctx.queryParam("env"),
          reason(ctx))));
      cfg.routes.get("/api/history/{model}", ctx -> json(ctx, deps.history().history(ctx.pathParam("model"),
          ctx.queryParam("env"))));
      cfg.routes.get("/metrics", ctx -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        deps.metrics().write(out);
        ctx.contentType(deps.metrics().contentType()).result(out.toByteArray());
      });
      cfg.routes.get("/", ctx -> resource(ctx, "index.html", "text/html; charset=utf-8"));
      cfg.routes.get("/ui/app.js", ctx -> resource(ctx, "app.js", "text/javascript; charset=utf-8"));
      cfg.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
      cfg.routes.exception(IllegalStateException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
      cfg.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        error(ctx, 500, e.toString());
      });
    });
  }

  /** An API answer other than 200. */
  static final class ApiError extends RuntimeException {
    final int status;

    ApiError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private static String reason(Context ctx) {
    String body = ctx.body();
    if (body.isBlank()) {
      return "no reason given";
    }
    try {
      return JSON.readTree(body).path("reason").asText("no reason given");
    } catch (IOException e) {
      return body.trim();
    }
  }

  static Map<String, Object> run(PipelineRun run) {
    return Map.of("id", run.id(), "model", run.ref().name(), "version", run.ref().version(), "digest",
        run.digest(), "createdAt", run.createdAt(), "outcome", run.outcome().map(Enum::name).orElse("RUNNING"),
        "message", run.outcomeMessage() == null ? "" : run.outcomeMessage(), "stages", run.stages(),
        "events", run.events());
  }

  private static void json(Context ctx, Object value) throws IOException {
    ctx.contentType("application/json").result(JSON.writeValueAsBytes(value));
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(HttpStatus.forStatus(status)).contentType("application/json");
    try {
      ctx.result(JSON.writeValueAsBytes(Map.of("error", message == null ? "" : message)));
    } catch (IOException e) {
      ctx.result("{\"error\":\"internal\"}");
    }
  }

  private static void resource(Context ctx, String name, String contentType) throws IOException {
    try (InputStream in = ControllerApi.class.getResourceAsStream("ui/" + name)) {
      if (in == null) {
        throw new ApiError(404, "no UI resource " + name);
      }
      ctx.contentType(contentType).result(in.readAllBytes());
    }
  }
}

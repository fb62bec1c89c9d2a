package dev.modelship.controller.rollout.local;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's stable port: forwards every request (the runtime's V2/V1 API, health, metadata) to a stable or a
 * canary instance according to the current {@link TrafficSplit}. A split change applies to the next request;
 * requests already forwarded finish where they went, which is what lets a promotion drain the old stable without
 * failing a client. A backend that refuses the connection (stopped between the pick and the send) is retried
 * once on another backend, since the request never reached it.
 */
public final class WeightedRouter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WeightedRouter.class);
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
      "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "host", "content-length");

  private final AtomicReference<TrafficSplit> split;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final Picker picker = new Picker(new java.util.Random());
  private final Javalin app;

  public WeightedRouter(String app, TrafficSplit initial, String host, int port) {
    this.split = new AtomicReference<>(initial);
    this.app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.http.maxRequestSize = 64L << 20;
      cfg.routes.get("/*", this::forward);
      cfg.routes.post("/*", this::forward);
      cfg.routes.head("/*", this::forward);
    }).start(host, port);
    LOG.info("router for {} on port {}", app, this.app.port());
  }

  public int port() {
    return app.port();
  }

  public TrafficSplit split() {
    return split.get();
  }

  /** Routes following requests by {@code next}. */
  public void update(TrafficSplit next) {
    split.set(next);
  }

  private void forward(Context ctx) throws IOException, InterruptedException {
    byte[] body = ctx.method().name().equals("POST") ? readBody(ctx) : new byte[0];
    TrafficSplit current = split.get();
    Backend first = picker.pick(current);
    if (first == null) {
      ctx.status(503).header("Retry-After", "1").contentType("application/json")
          .result("{\"error\":\"no serving instance is running for this app\"}");
      return;
    }
    try {
      send(ctx, first, body);
    } catch (ConnectException refused) {
      Backend second = picker.pickOther(current, first);
      if (second == null) {
        throw refused;
      }
      send(ctx, second, body);
    }
  }

  private void send(Context ctx, Backend backend, byte[] body) throws IOException, InterruptedException {
    String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend.base() + ctx.path() + query))
        .timeout(Duration.ofSeconds(60))
        .method(ctx.method().name(), body.length == 0 && !ctx.method().name().equals("POST")
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (String header : ctx.headerMap().keySet()) {
      if (!HOP_BY_HOP.contains(header.toLowerCase(java.util.Locale.ROOT))) {
        request.header(header, ctx.header(header));
      }
    }
    backend.enter();
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      ctx.status(response.statusCode());
      response.headers().map().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
          values.forEach(value -> ctx.res().addHeader(name, value));
        }
      });
      ctx.header("X-Modelship-Backend", backend.name());
      ctx.result(response.body());
    } finally {
      backend.leave();
    }
  }

  private static byte[] readBody(Context ctx) throws IOException {
    try (InputStream in = ctx.req().getInputStream()) {
      return in.readAllBytes();
    }
  }

  /** Waits until no request is being forwarded to {@code backend} (it no longer receives new ones). */
  public boolean awaitIdle(Backend backend, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (backend.inFlight() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  @Override
  public void close() {
    app.stop();
  }

  /**
   * Picks the canary with probability weight/100 for each request, independently (as Istio's and ingress-nginx's
   * weighted routing do), and round-robin within a group. Not a deterministic every-Nth-request rotation: that
   * would line up with any periodic pattern in the traffic (a client that sends a special request every tenth
   * time) and could keep exactly those requests away from the canary, hiding the defect the canary is there to
   * find.
   */
  static final class Picker {
    private final java.util.Random random;
    private long stableTurn;
    private long canaryTurn;

    Picker(java.util.Random random) {
      this.random = random;
    }

    synchronized Backend pick(TrafficSplit split) {
      int weight = split.effectiveCanaryWeight();
      if (split.stable().isEmpty() && split.canary().isEmpty()) {
        return null;
      }
      if (split.stable().isEmpty() || !split.canary().isEmpty() && random.nextInt(100) < weight) {
        List<Backend> canary = split.canary();
        return canary.get((int) (canaryTurn++ % canary.size()));
      }
      List<Backend> stable = split.stable();
      return stable.get((int) (stableTurn++ % stable.size()));
    }

    synchronized Backend pickOther(TrafficSplit split, Backend not) {
      for (List<Backend> group : List.of(split.stable(), split.canary())) {
        for (Backend backend : group) {
          if (backend != not) {
            return backend;
          }
        }
      }
      return null;
    }
  }
}

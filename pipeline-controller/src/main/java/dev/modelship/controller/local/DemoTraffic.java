package dev.modelship.controller.local;

import dev.modelship.controller.examples.ClickData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The demo's live traffic: V2 inference requests at a steady rate to an app's endpoint, rows drawn from the click
 * data, and one row in {@code freeEvery} a free item (price 0), which the holdout never has. Answers are counted
 * by the backend that served them (the router's {@code X-Modelship-Backend} header) and status code.
 */
public final class DemoTraffic implements AutoCloseable {
  private final Supplier<URI> endpoint;
  private final String model;
  private final List<String> features;
  private final int requestsPerSecond;
  private final int freeEvery;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, long[]> counts = new TreeMap<>();
  private final List<Sample> samples = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopped;
  private volatile boolean keepSamples = true;

  /**
   * @param endpoint the app's traffic endpoint (asked again on every request, it may appear late)
   * @param features the model's input columns, in order
   * @param freeEvery one request in {@code freeEvery} is for a free item (price 0); 0 for none
   */
  public DemoTraffic(Supplier<URI> endpoint, String model, List<String> features, int requestsPerSecond,
                     int freeEvery) {
    this.endpoint = endpoint;
    this.model = model;
    this.features = List.copyOf(features);
    this.requestsPerSecond = requestsPerSecond;
    this.freeEvery = freeEvery;
  }

  /** Counts answers only, without keeping each one (for traffic that runs for hours). */
  public DemoTraffic countOnly() {
    keepSamples = false;
    return this;
  }

  public void start() {
    int workers = 4;
    List<ClickData.Row> rows = ClickData.generate(20260101L, 5000, 0);
    for (int w = 0; w < workers; w++) {
      int worker = w;
      Thread thread = new Thread(() -> loop(rows, worker, workers), "demo-traffic-" + w);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void loop(List<ClickData.Row> rows, int worker, int workers) {
    long intervalNanos = 1_000_000_000L * workers / Math.max(1, requestsPerSecond);
    long next = System.nanoTime();
    for (int i = worker; !stopped; i += workers) {
      ClickData.Row row = rows.get(i % rows.size());
      boolean free = freeEvery > 0 && i % freeEvery == 0;
      send(body(row, free));
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      } else {
        next = System.nanoTime();
      }
    }
  }

  private String body(ClickData.Row row, boolean free) {
    StringBuilder data = new StringBuilder();
    for (String feature : features) {
      double value = free && feature.equals("item_price") ? 0 : row.feature(feature);
      data.append(data.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%s", (float) value));
    }
    return "{\"inputs\":[{\"name\":\"input\",\"shape\":[1," + features.size() + "],\"datatype\":\"FP32\",\"data\":["
        + data + "]}]}";
  }

  /** One answered request: when it was sent ({@link System#nanoTime()}), which backend answered, its status. */
  public record Sample(long sentAtNanos, String backend, int status) {
  }

  private void send(String body) {
    URI base = endpoint.get();
    if (base == null) {
      return;
    }
    sent.incrementAndGet();
    long sentAt = System.nanoTime();
    String backend;
    int status;
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/models/" + model
          + "/infer")).timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.discarding());
      status = response.statusCode();
      backend = response.headers().firstValue("X-Modelship-Backend").orElse("router");
    } catch (java.io.IOException e) {
      status = 0;
      backend = "unreachable";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    synchronized (counts) {
      long[] tally = counts.computeIfAbsent(backend, b -> new long[2]);
      tally[status >= 200 && status < 300 ? 0 : 1]++;
      if (keepSamples) {
        samples.add(new Sample(sentAt, backend, status));
      }
    }
  }

  /** Every answered request so far, in the order the answers came. */
  public List<Sample> samples() {
    synchronized (counts) {
      return List.copyOf(samples);
    }
  }

  /** {@code [ok, failed]} answers by backend name. */
  public Map<String, long[]> counts() {
    synchronized (counts) {
      Map<String, long[]> copy = new TreeMap<>();
      counts.forEach((backend, tally) -> copy.put(backend, tally.clone()));
      return copy;
    }
  }

  public long sent() {
    return sent.get();
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    for (Thread thread : threads) {
      thread.join(10_000);
    }
  }
}

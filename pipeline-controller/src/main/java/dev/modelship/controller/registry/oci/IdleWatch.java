package dev.modelship.controller.registry.oci;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When bytes last moved in one exchange with the registry. A transfer may take as long as it needs while data
 * flows; only silence longer than the timeout ends it. Monotonic time, not a wall clock, since only the distance
 * between two moments counts.
 */
final class IdleWatch {
  private final long timeoutNanos;
  private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());

  IdleWatch(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  void touch() {
    lastActivity.set(System.nanoTime());
  }

  /** Nanoseconds left before the exchange counts as stalled; zero or less when it already does. */
  long nanosLeft() {
    return timeoutNanos - (System.nanoTime() - lastActivity.get());
  }

  /** The same request body, touching this watch whenever the client takes another piece to send. */
  HttpRequest.BodyPublisher watching(HttpRequest.BodyPublisher body) {
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return body.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        body.subscribe(new Flow.Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            subscriber.onSubscribe(subscription);
          }

          @Override
          public void onNext(ByteBuffer item) {
            touch();
            subscriber.onNext(item);
          }

          @Override
          public void onError(Throwable failure) {
            subscriber.onError(failure);
          }

          @Override
          public void onComplete() {
            subscriber.onComplete();
          }
        });
      }
    };
  }
}

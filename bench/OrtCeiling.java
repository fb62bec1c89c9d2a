import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * The ceiling: ONNX Runtime called in-process on the same model with the serving runtime's session settings
 * (optimisation ALL, sequential execution, the same intra-op threads). Prints one line of key=value results:
 * single-row latency percentiles and the best rows/s over a range of batch sizes.
 *
 * <p>Run: java -cp 'serving-runtime/target/lib/*' bench/OrtCeiling.java MODEL.onnx THREADS SECONDS
 */
public final class OrtCeiling {
  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    double seconds = Double.parseDouble(args[2]);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      for (int i = 3; i + 1 < args.length; i += 2) {
        options.addConfigEntry(args[i], args[i + 1]);
      }
      try (OrtSession session = env.createSession(Files.readAllBytes(model), options)) {
        Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
        int features = (int) ((TensorInfo) input.getValue().getInfo()).getShape()[1];
        Runner runner = new Runner(env, session, input.getKey(), features);
        long[] single = runner.latencies(1, seconds);
        Arrays.sort(single);
        StringBuilder line = new StringBuilder();
        line.append("features=").append(features)
            .append(" single_p50_us=").append(single[single.length / 2] / 1000.0)
            .append(" single_p99_us=").append(single[(int) (single.length * 0.99)] / 1000.0);
        double best = 0;
        int bestBatch = 0;
        for (int batch : new int[] {1, 4, 16, 32, 64, 128, 256}) {
          long[] runs = runner.latencies(batch, seconds);
          long total = Arrays.stream(runs).sum();
          double rowsPerSecond = runs.length * (double) batch / (total / 1e9);
          line.append(" rows_per_s_b").append(batch).append('=').append(Math.round(rowsPerSecond));
          if (rowsPerSecond > best) {
            best = rowsPerSecond;
            bestBatch = batch;
          }
        }
        line.append(" best_rows_per_s=").append(Math.round(best)).append(" best_batch=").append(bestBatch);
        System.out.println(line);
      }
    }
  }

  /** Runs batches of random rows from a reused direct buffer, as the server does, and times each run. */
  private static final class Runner {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final int features;
    private final Random random = new Random(1);

    Runner(OrtEnvironment env, OrtSession session, String input, int features) {
      this.env = env;
      this.session = session;
      this.input = input;
      this.features = features;
    }

    long[] latencies(int batch, double seconds) throws Exception {
      FloatBuffer data = ByteBuffer.allocateDirect(batch * features * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
      for (int i = 0; i < batch * features; i++) {
        data.put(i, (float) random.nextGaussian());
      }
      long[] shape = {batch, features};
      long warmupEnd = System.nanoTime() + 500_000_000L;
      while (System.nanoTime() < warmupEnd) {
        runOnce(data, shape);
      }
      long[] times = new long[1 << 16];
      int count = 0;
      long end = System.nanoTime() + (long) (seconds * 1e9);
      while (System.nanoTime() < end && count < times.length) {
        long start = System.nanoTime();
        runOnce(data, shape);
        times[count++] = System.nanoTime() - start;
      }
      return Arrays.copyOf(times, count);
    }

    private void runOnce(FloatBuffer data, long[] shape) throws Exception {
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, shape);
           OrtSession.Result result = session.run(Map.of(input, tensor))) {
        ((OnnxTensor) result.get(0)).getFloatBuffer();
      }
    }
  }
}

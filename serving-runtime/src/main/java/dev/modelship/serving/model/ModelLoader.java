package dev.modelship.serving.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.modelship.serving.batching.BatchRunner;
import dev.modelship.serving.batching.InferenceFailure;
import dev.modelship.serving.batching.InferenceJob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link ModelRepository.ModelSource} into a warmed-up {@link LoadedModel}: one ORT session with
 * graph optimisation ALL, on the requested device, then one inference on all-zero input.
 */
public final class ModelLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

  /** Server-wide defaults a model's config can override. */
  public record Defaults(DeviceSpec device, int intraOpThreads) {
  }

  private final OrtEnvironment env;
  private final Defaults defaults;
  private boolean cpuFallbackReported;

  public ModelLoader(OrtEnvironment env, Defaults defaults) {
    this.env = env;
    this.defaults = defaults;
  }

  public LoadedModel load(ModelRepository.ModelSource source) throws ModelLoadException {
    String label = "model '" + source.name() + "' version " + source.version();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(source.modelFile());
    } catch (IOException e) {
      throw new ModelLoadException(label + ": cannot read " + source.modelFile() + ": " + e.getMessage(), e);
    }
    ModelConfig config = source.config();
    DeviceSpec device = config.device() == null ? defaults.device()
        : DeviceSpec.parse(config.device()).orElseThrow();
    int threads = config.intraOpThreads() != null && config.intraOpThreads() > 0
        ? config.intraOpThreads() : defaults.intraOpThreads();
    OrtSession session;
    String deviceInUse;
    if (device.kind() == DeviceSpec.Kind.CPU) {
      session = createSession(label, bytes, threads, null);
      deviceInUse = "cpu";
    } else if (device.kind() == DeviceSpec.Kind.CUDA) {
      requireCudaProvider(label, device);
      session = createSession(label, bytes, threads, device);
      deviceInUse = device.toString();
    } else {
      DeviceSpec cuda = DeviceSpec.parse("cuda:" + device.cudaDevice()).orElseThrow();
      OrtSession onCuda = null;
      if (env.getAvailableProviders().contains(OrtProvider.CUDA)) {
        try {
          onCuda = createSession(label, bytes, threads, cuda);
        } catch (ModelLoadException e) {
          reportCpuFallback("the CUDA execution provider failed: " + e.getMessage());
        }
      } else {
        reportCpuFallback("this ONNX Runtime build has no CUDA execution provider (build with -Pgpu)");
      }
      session = onCuda != null ? onCuda : createSession(label, bytes, threads, null);
      deviceInUse = onCuda != null ? cuda.toString() : "cpu";
    }
    try {
      LoadedModel model = describe(source, sha256(bytes), deviceInUse, session);
      warmUp(label, model);
      return model;
    } catch (ModelLoadException | RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  private void requireCudaProvider(String label, DeviceSpec device) throws ModelLoadException {
    if (!env.getAvailableProviders().contains(OrtProvider.CUDA)) {
      throw new ModelLoadException(label + ": device " + device + " requested, but this ONNX Runtime build has no "
          + "CUDA execution provider (available: " + env.getAvailableProviders() + "); build with -Pgpu");
    }
  }

  private synchronized void reportCpuFallback(String why) {
    if (!cpuFallbackReported) {
      cpuFallbackReported = true;
      LOG.info("device auto: {}; running on CPU", why);
    }
  }

  private OrtSession createSession(String label, byte[] bytes, int threads, DeviceSpec cuda)
      throws ModelLoadException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      if (cuda != null) {
        options.addCUDA(cuda.cudaDevice());
      }
      return env.createSession(bytes, options);
    } catch (OrtException e) {
      throw new ModelLoadException(label + ": ONNX Runtime cannot load it"
          + (cuda == null ? "" : " on " + cuda) + ": " + e.getMessage(), e);
    }
  }

  private LoadedModel describe(ModelRepository.ModelSource source, String sha256, String device,
                               OrtSession session) throws ModelLoadException {
    String label = "model '" + source.name() + "' version " + source.version();
    List<TensorSpec> inputs;
    List<TensorSpec> outputs;
    try {
      inputs = specs(label, "input", session.getInputInfo());
      outputs = specs(label, "output", session.getOutputInfo());
    } catch (OrtException e) {
      throw new ModelLoadException(label + ": cannot read its signature: " + e.getMessage(), e);
    }
    boolean stackable = !inputs.isEmpty()
        && inputs.stream().allMatch(TensorSpec::hasDynamicBatchDimension)
        && outputs.stream().allMatch(TensorSpec::hasDynamicBatchDimension);
    int maxBatchSize;
    if (source.config().explicitMaxBatchSize().isPresent()) {
      maxBatchSize = source.config().explicitMaxBatchSize().get();
      if (maxBatchSize > 0 && !stackable) {
        throw new ModelLoadException(label + ": model.yaml sets max_batch_size " + maxBatchSize
            + " but not every input and output has a dynamic first dimension (inputs " + inputs + ", outputs "
            + outputs + "); set max_batch_size: 0");
      }
    } else {
      maxBatchSize = stackable ? ModelConfig.DEFAULT_MAX_BATCH_SIZE : 0;
    }
    return new LoadedModel(source.name(), source.version(), sha256, device, inputs, outputs, maxBatchSize,
        source.config(), env, session);
  }

  private static List<TensorSpec> specs(String label, String kind, Map<String, NodeInfo> infos)
      throws ModelLoadException {
    List<TensorSpec> specs = new ArrayList<>();
    for (NodeInfo info : infos.values()) {
      if (!(info.getInfo() instanceof TensorInfo)) {
        throw new ModelLoadException(label + ": " + kind + " '" + info.getName() + "' is not a tensor ("
            + info.getInfo() + "); only tensor inputs and outputs are served");
      }
      TensorInfo tensor = (TensorInfo) info.getInfo();
      Datatype datatype = Datatype.fromOnnx(tensor.onnxType).orElseThrow(() -> new ModelLoadException(
          label + ": " + kind + " '" + info.getName() + "' has element type " + tensor.onnxType
              + ", which this server does not serve (supported: BOOL, UINT8, INT8, INT16, INT32, INT64, FP32, FP64)"));
      specs.add(new TensorSpec(info.getName(), datatype, tensor.getShape()));
    }
    return specs;
  }

  /** One inference on all-zero input (dynamic dimensions set to 1), so the first request is not the slow one. */
  private static void warmUp(String label, LoadedModel model) throws ModelLoadException {
    TensorData[] zeros = new TensorData[model.inputs().size()];
    for (int i = 0; i < zeros.length; i++) {
      TensorSpec spec = model.inputs().get(i);
      long[] shape = spec.shape();
      for (int d = 0; d < shape.length; d++) {
        shape[d] = Math.max(shape[d], 1);
      }
      int bytes = Math.toIntExact(TensorData.elementCount(shape) * spec.datatype().byteSize());
      zeros[i] = new TensorData(spec.datatype(), shape, ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder()));
    }
    boolean[] allOutputs = new boolean[model.outputs().size()];
    java.util.Arrays.fill(allOutputs, true);
    try (BatchRunner runner = model.newRunner()) {
      runner.run(List.of(new InferenceJob(zeros, allOutputs, 1)));
    } catch (InferenceFailure e) {
      throw new ModelLoadException(label + ": warm-up inference on all-zero input failed: " + e.getMessage(), e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException ignored) {
      // already failing with a better message
    }
  }
}

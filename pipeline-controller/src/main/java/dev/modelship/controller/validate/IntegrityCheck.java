package dev.modelship.controller.validate;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Is the package what it claims to be, before any of it is handed to ONNX Runtime: the digest expected, a
 * valid modelship.yaml, a model file under the size limit that parses as an ONNX {@code ModelProto} with a
 * graph, and an opset of the default domain that the serving image's ONNX Runtime implements.
 */
public final class IntegrityCheck {
  static final String CHECK = "integrity";
  /** The newest default-domain opset ONNX Runtime 1.23 implements. */
  public static final long MAX_SUPPORTED_OPSET = 23;

  private IntegrityCheck() {
  }

  /** What the later checks need from a package that passed. */
  public record Findings(List<CheckResult> results, ModelManifest manifest) {
    public boolean passed() {
      return results.stream().noneMatch(r -> r.status() == CheckResult.Status.FAILED);
    }
  }

  public static Findings check(ModelPackage pkg, Optional<String> expectedDigest, long maxModelBytes) {
    List<CheckResult> results = new ArrayList<>();
    results.add(digest(pkg, expectedDigest));
    ModelManifest manifest = null;
    try {
      manifest = ModelManifest.read(pkg.manifestFile());
      results.add(CheckResult.passed(CHECK + ".manifest", "modelship.yaml describes " + manifest.name() + " ("
          + manifest.task().name().toLowerCase(java.util.Locale.ROOT) + ")"));
    } catch (RegistryException e) {
      results.add(CheckResult.failed(CHECK + ".manifest", e.getMessage()));
    }
    long size;
    try {
      size = Files.size(pkg.modelFile());
    } catch (IOException e) {
      results.add(CheckResult.failed(CHECK + ".size", "cannot read " + pkg.modelFile() + ": " + e.getMessage()));
      return new Findings(results, manifest);
    }
    boolean fits = size <= maxModelBytes;
    String sizeMessage = "model.onnx is " + size + " bytes; the limit is " + maxModelBytes;
    results.add(fits ? CheckResult.passed(CHECK + ".size", (double) size, (double) maxModelBytes, sizeMessage)
        : CheckResult.failed(CHECK + ".size", (double) size, (double) maxModelBytes, sizeMessage));
    if (!fits) {
      results.add(CheckResult.skipped(CHECK + ".onnx", "not parsed: model.onnx is over the size limit"));
      return new Findings(results, manifest);
    }
    Optional<OnnxMl.ModelProto> model = parse(pkg, results);
    model.ifPresent(proto -> results.add(opset(proto)));
    return new Findings(results, manifest);
  }

  private static CheckResult digest(ModelPackage pkg, Optional<String> expectedDigest) {
    String check = CHECK + ".digest";
    if (expectedDigest.isEmpty()) {
      return CheckResult.skipped(check, "no expected digest given; package digest " + pkg.digest());
    }
    String actual;
    try {
      // Recomputed from the files as they are now, not as they were when the package was opened.
      actual = ModelPackage.fromDirectory(pkg.directory()).digest();
    } catch (RegistryException e) {
      return CheckResult.failed(check, "cannot recompute the package digest: " + e.getMessage());
    }
    return actual.equals(expectedDigest.get())
        ? CheckResult.passed(check, "package digest " + actual + " is the one expected")
        : CheckResult.failed(check, "package digest " + actual + " differs from the expected " + expectedDigest.get()
            + ": the files changed after they were published");
  }

  private static Optional<OnnxMl.ModelProto> parse(ModelPackage pkg, List<CheckResult> results) {
    String check = CHECK + ".onnx";
    OnnxMl.ModelProto model;
    try (InputStream in = Files.newInputStream(pkg.modelFile())) {
      model = OnnxMl.ModelProto.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      results.add(CheckResult.failed(check, "model.onnx is not an ONNX model (truncated or corrupt?): "
          + e.getMessage()));
      return Optional.empty();
    } catch (IOException e) {
      results.add(CheckResult.failed(check, "cannot read model.onnx: " + e.getMessage()));
      return Optional.empty();
    }
    // Protobuf accepts many byte strings as a message with unknown fields; a real model has a graph.
    if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 || model.getGraph().getOutputCount() == 0
        || model.getIrVersion() <= 0) {
      results.add(CheckResult.failed(check, "model.onnx parses as protobuf but is not an ONNX model: ir_version "
          + model.getIrVersion() + ", " + model.getGraph().getNodeCount() + " graph node(s), "
          + model.getGraph().getOutputCount() + " graph output(s)"));
      return Optional.empty();
    }
    results.add(CheckResult.passed(check, "ONNX model, ir_version " + model.getIrVersion() + ", "
        + model.getGraph().getNodeCount() + " node(s), produced by " + producer(model)));
    return Optional.of(model);
  }

  static CheckResult opset(OnnxMl.ModelProto model) {
    String check = CHECK + ".opset";
    Long opset = null;
    for (OnnxMl.OperatorSetIdProto id : model.getOpsetImportList()) {
      if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
        opset = id.getVersion();
      }
    }
    if (opset == null) {
      return CheckResult.failed(check, "model.onnx imports no opset of the default ONNX domain (imports: "
          + model.getOpsetImportList().stream().map(id -> id.getDomain() + " " + id.getVersion()).toList() + ")");
    }
    String message = "default-domain opset " + opset + (opset <= MAX_SUPPORTED_OPSET ? " <= " : " > ")
        + MAX_SUPPORTED_OPSET + ", the newest ONNX Runtime 1.23 implements";
    return opset <= MAX_SUPPORTED_OPSET
        ? CheckResult.passed(check, (double) opset, (double) MAX_SUPPORTED_OPSET, message)
        : CheckResult.failed(check, (double) opset, (double) MAX_SUPPORTED_OPSET, message);
  }

  private static String producer(OnnxMl.ModelProto model) {
    String name = model.getProducerName().isEmpty() ? "an unnamed producer" : model.getProducerName();
    return model.getProducerVersion().isEmpty() ? name : name + " " + model.getProducerVersion();
  }
}

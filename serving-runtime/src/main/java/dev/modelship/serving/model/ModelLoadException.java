package dev.modelship.serving.model;

/** A model that cannot be served: bad repository layout, bad model.yaml, an ONNX file ORT rejects. */
public class ModelLoadException extends Exception {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}

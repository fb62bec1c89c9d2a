package dev.modelship.controller.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.RegistryException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class JibFailuresTest {
  private final Redactor redactor = new Redactor();
  private final JibFailures failures = new JibFailures("reg:5000/base:1", "reg:5000/serving", "the env", redactor);

  @Test
  void aRefusedInsecureConnectionNamesTheRegistryAndTheOption() {
    ImageBuildException e = failures.translate(new ExecutionException(new IOException("call failed",
        new JibEventBridge.InsecureConnectionRefused("10.0.0.9:5000"))));

    assertThat(e.kind()).isEqualTo(ImageBuildException.Kind.INSECURE_CONNECTION_REFUSED);
    assertThat(e.getMessage()).contains("registry 10.0.0.9:5000").contains("--insecure-registry 10.0.0.9:5000");
  }

  @Test
  void aRefusedConnectionAnywhereInTheChainIsUnavailable() {
    ImageBuildException e = failures.translate(new ExecutionException(new IOException("wrapped",
        new ConnectException("Connection refused"))));

    assertThat(e.kind()).isEqualTo(ImageBuildException.Kind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("cannot reach").contains("Connection refused");
  }

  @Test
  void anUnknownManifestOfTheBaseIsAMissingBaseImage() {
    ImageBuildException missing = failures.translate(new ExecutionException(new RegistryException("Tried to pull "
        + "image manifest for reg:5000/base:1 but failed because: manifest unknown")));
    ImageBuildException other = failures.translate(new ExecutionException(new RegistryException("Tried to push "
        + "image manifest for reg:5000/serving:clicks-1 but failed because: manifest invalid")));

    assertThat(missing.kind()).isEqualTo(ImageBuildException.Kind.BASE_IMAGE_NOT_FOUND);
    assertThat(missing.getMessage()).startsWith("the base image reg:5000/base:1 does not exist");
    assertThat(other.kind()).isEqualTo(ImageBuildException.Kind.UNAVAILABLE);
  }

  @Test
  void aSecretInTheFailureIsRedactedAndTheCauseNotPassedOn() {
    redactor.add("builder", "hunter2");

    ImageBuildException e = failures.translate(new RegistryException("registry echoed hunter2"));

    assertThat(e.getMessage()).contains("registry echoed ****").doesNotContain("hunter2");
    assertThat(e.getCause()).isNull();
    assertThat(failures.translate(new RegistryException("plain")).getCause()).isNotNull();
  }
}

package dev.modelship.controller.cli;

import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.registry.ModelRegistries;
import dev.modelship.controller.registry.ModelRegistry;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.registry.RegistryLocation;
import dev.modelship.controller.registry.RegistryOptions;
import dev.modelship.controller.registry.oci.OciModelRegistry;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What the registry commands take from their surroundings: the Modelship home, the environment, and how to open an
 * OCI registry. Commands built by picocli use {@link #fromEnvironment()}; tests pass their own.
 *
 * <p>The registry is the {@code --registry} option, else {@code MODELSHIP_REGISTRY}, else the home's filesystem
 * registry. Credentials come only from the environment ({@code MODELSHIP_REGISTRY_USERNAME},
 * {@code MODELSHIP_REGISTRY_PASSWORD}), so they never show in a process listing; {@code
 * MODELSHIP_REGISTRY_INSECURE_HTTP=true} allows plain HTTP to a development registry.
 *
 * @param ociBackend opens {@code oci://} registries; null where none is wired in
 */
public record RegistryAccess(ModelshipHome home, Map<String, String> env,
                             BiFunction<RegistryLocation, RegistryOptions, ModelRegistry> ociBackend) {
  public static final String REGISTRY_ENV = "MODELSHIP_REGISTRY";
  public static final String USERNAME_ENV = "MODELSHIP_REGISTRY_USERNAME";
  public static final String PASSWORD_ENV = "MODELSHIP_REGISTRY_PASSWORD";
  public static final String INSECURE_HTTP_ENV = "MODELSHIP_REGISTRY_INSECURE_HTTP";

  public RegistryAccess {
    env = Map.copyOf(env);
  }

  public static RegistryAccess fromEnvironment() {
    return new RegistryAccess(ModelshipHome.fromEnvironment(), System.getenv(), OciModelRegistry::open);
  }

  /** The registry location in effect: the option, else the environment, else the home's registry folder. */
  public String location(String registryOption) {
    if (registryOption != null && !registryOption.isBlank()) {
      return registryOption;
    }
    String configured = env.get(REGISTRY_ENV);
    return configured != null && !configured.isBlank() ? configured : home.registry().toString();
  }

  /**
   * Opens the registry in effect.
   *
   * @throws RegistryException {@link RegistryException.Kind#INVALID} when the location or options are unusable
   */
  public ModelRegistry open(String registryOption) throws RegistryException {
    RegistryOptions options;
    try {
      options = new RegistryOptions(Boolean.parseBoolean(env.get(INSECURE_HTTP_ENV)), env.get(USERNAME_ENV),
          env.get(PASSWORD_ENV), RegistryOptions.DEFAULT_TIMEOUT);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, e.getMessage() + " (" + USERNAME_ENV + ", "
          + PASSWORD_ENV + ")", e);
    }
    return ModelRegistries.open(location(registryOption), options,
        ociBackend == null ? null : location -> ociBackend.apply(location, options));
  }
}

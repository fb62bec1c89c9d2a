package dev.modelship.controller.rollout.local;

import dev.modelship.controller.image.BaseImages;
import dev.modelship.controller.image.LocalImageStore;
import dev.modelship.controller.image.ServingContainer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --engine podman}: each instance is a podman container of the image itself, base image and entrypoint
 * included, as a cluster would run it, its port 8080 published on a free loopback port. The image is loaded from
 * the local store into podman once; the instance is handed over once ready and warmed up ({@link InstanceStartup});
 * stopping it is {@code podman stop} (SIGTERM, the runtime drains) and then {@code podman rm}.
 *
 * <p>Containers carry the labels {@value #APP_LABEL} and {@value #HOME_LABEL} (a hash of the Modelship home), so
 * those a killed controller left behind are removed when the next launcher starts on the same home.
 */
public final class PodmanInstanceLauncher implements InstanceLauncher {
  static final String APP_LABEL = "modelship.dev/app";
  static final String HOME_LABEL = "modelship.dev/home";
  /** Why an image on {@code --base scratch} cannot run in a container, and what to do. */
  public static final String NEEDS_JAVA = "--engine podman needs a serving image with a Java runtime: pass --base <image "
      + "with a JRE>, e.g. --base " + BaseImages.DEFAULT_CPU + " (an image on --base scratch holds only the runtime "
      + "and the model, which only --engine process can run, on this machine's JVM)";
  /** The runtime's own arguments, as the process engine passes them: one ONNX thread, a 10 s drain. */
  static final List<String> RUNTIME_ARGS = List.of("--intra-op-threads", "1", "--drain-timeout", "10s");
  private static final Logger LOG = LoggerFactory.getLogger(PodmanInstanceLauncher.class);
  private static final Duration COMMAND = Duration.ofMinutes(2);
  private static final Duration LOAD = Duration.ofMinutes(10);
  /** What podman's k8s-file log driver puts before each line: time, stream, partial or full. */
  private static final java.util.regex.Pattern K8S_FILE_PREFIX =
      java.util.regex.Pattern.compile("^\\S+ (stdout|stderr) [PF] ");

  /**
   * How containers run. The defaults are what works on Debian 12's podman 4.3: its default runtime (crun) and the
   * limits containers inherit fail there, Debian's runc with explicit limits works.
   *
   * @param podman the podman executable, a path or a name looked up on {@code PATH}
   * @param runtime {@code --runtime} (an OCI runtime binary); empty for podman's configured default
   * @param ulimits {@code --ulimit} values, e.g. {@code nofile=1024:1024}; empty for podman's defaults
   */
  public record Options(String podman, String runtime, List<String> ulimits) {
    public static final String PODMAN_ENV = "MODELSHIP_PODMAN";
    public static final String RUNTIME_ENV = "MODELSHIP_PODMAN_RUNTIME";
    public static final String ULIMITS_ENV = "MODELSHIP_PODMAN_ULIMITS";
    public static final Options DEFAULTS = new Options("podman", "/usr/sbin/runc",
        List.of("nofile=1024:1024", "nproc=1000:1000"));

    public Options {
      ulimits = List.copyOf(ulimits);
    }

    /** The defaults, each replaced by its environment variable where set (an empty one: podman's own default). */
    public static Options fromEnvironment(Map<String, String> env) {
      String ulimits = env.get(ULIMITS_ENV);
      return new Options(env.getOrDefault(PODMAN_ENV, DEFAULTS.podman()), env.getOrDefault(RUNTIME_ENV,
          DEFAULTS.runtime()).strip(), ulimits == null ? DEFAULTS.ulimits() : java.util.Arrays.stream(
          ulimits.split(",")).map(String::strip).filter(limit -> !limit.isEmpty()).toList());
    }
  }

  private final LocalImageStore images;
  private final PodmanCli podman;
  private final Options options;
  private final String home;
  private final Path logs;
  private final InstanceStartup startup;

  private PodmanInstanceLauncher(LocalImageStore images, PodmanCli podman, Options options, String home, Path logs,
                                 Duration readyTimeout) {
    this.images = images;
    this.podman = podman;
    this.options = options;
    this.home = home;
    this.logs = logs;
    this.startup = new InstanceStartup(readyTimeout);
  }

  /**
   * A launcher for the Modelship home {@code home}, after removing the containers a killed controller left there.
   *
   * @param logs where each container's log goes
   * @throws IllegalStateException saying how to install podman or runc when they are missing
   */
  public static PodmanInstanceLauncher create(LocalImageStore images, Path home, Path logs, Options options,
                                              Map<String, String> env, Duration readyTimeout)
      throws IOException, InterruptedException {
    PodmanCli podman = PodmanCli.locate(options.podman(), env);
    if (!options.runtime().isEmpty() && !Files.isExecutable(Path.of(options.runtime()))) {
      throw new IllegalStateException("the container runtime " + options.runtime() + " is missing: "
          + PodmanCli.INSTALL + ", or set " + Options.RUNTIME_ENV + " to another runtime (empty: podman's default)");
    }
    PodmanInstanceLauncher launcher = new PodmanInstanceLauncher(images, podman, options, homeLabel(home), logs,
        readyTimeout);
    launcher.removeLeftovers();
    return launcher;
  }

  /** The {@value #HOME_LABEL} of containers started for {@code home}: a hash of its absolute path. */
  static String homeLabel(Path home) {
    try {
      byte[] path = home.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(path)).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Removes this home's containers that no launcher of this controller started; returns their names. */
  List<String> removeLeftovers() throws IOException, InterruptedException {
    List<String> names = containers(HOME_LABEL + "=" + home);
    if (!names.isEmpty()) {
      List<String> remove = new ArrayList<>(List.of("rm", "--force", "--ignore"));
      remove.addAll(names);
      podman.run(COMMAND, remove);
      LOG.info("removed containers a previous controller left running: {}", names);
    }
    return names;
  }

  /** Names of the containers, running or not, with the label {@code label} ({@code key=value}). */
  List<String> containers(String label) throws IOException, InterruptedException {
    return podman.run(COMMAND, List.of("ps", "--all", "--filter", "label=" + label, "--format", "{{.Names}}"))
        .lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }

  @Override
  public Instance start(String app, String image, int index) throws Exception {
    LocalImageStore.Stored stored = images.resolve(image);
    LocalImageStore.ImageConfig config = LocalImageStore.config(stored.archive());
    String model = servedModel(image, config);
    String id = load(stored, config);
    int port = InstanceStartup.freePort();
    Files.createDirectories(logs);
    String name = containerName(app, index, stored.digest());
    Path log = logs.resolve(name + ".log").toAbsolutePath();
    podman.run(COMMAND, runArguments(options, name, port, app, home, log, id));
    ContainerInstance instance = new ContainerInstance(name, URI.create("http://127.0.0.1:" + port), podman, log);
    try {
      startup.awaitReady(name, instance.base(), instance);
      startup.warmUp(name, instance.base(), List.of(model));
    } catch (Exception e) {
      instance.stop(Duration.ZERO);
      throw e;
    }
    return instance;
  }

  /**
   * The model the image serves, from its labels, after checking it can run in a container.
   *
   * @throws IOException for an image on {@code --base scratch} (no Java inside) or one that is no serving image
   */
  static String servedModel(String image, LocalImageStore.ImageConfig config) throws IOException {
    if ("scratch".equals(config.label("org.opencontainers.image.base.name"))) {
      throw new IOException("image " + image + " was built on --base scratch and holds no Java runtime: "
          + NEEDS_JAVA);
    }
    String model = config.label("dev.modelship.model.name");
    if (model == null) {
      throw new IOException("image " + image + " has no dev.modelship.model.name label: not a Modelship serving "
          + "image");
    }
    return model;
  }

  /**
   * Loads the image into podman unless it already holds it: podman's image id is the config digest, so an image is
   * loaded once, across restarts too, and one removed from podman meanwhile is loaded again.
   */
  private synchronized String load(LocalImageStore.Stored stored, LocalImageStore.ImageConfig config)
      throws IOException, InterruptedException {
    String id = config.digest().substring("sha256:".length());
    if (!podman.succeeds(COMMAND, List.of("image", "exists", id))) {
      podman.run(LOAD, List.of("load", "--quiet", "--input", stored.archive().toString()));
      if (!podman.succeeds(COMMAND, List.of("image", "exists", id))) {
        throw new IOException("podman load of " + stored.archive() + " did not give image " + id);
      }
    }
    return id;
  }

  /** {@code modelship-<app>-<index>-<digest>-<random>}: unique, as staging and production may run the same image. */
  static String containerName(String app, int index, String digest) {
    String random = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(4)
        .putInt(java.util.concurrent.ThreadLocalRandom.current().nextInt()).array());
    return "modelship-" + app + "-" + index + "-" + digest.substring(7, 19) + "-" + random;
  }

  /** The {@code podman run} arguments for one instance. */
  static List<String> runArguments(Options options, String name, int port, String app, String home, Path log,
                                   String image) {
    List<String> args = new ArrayList<>(List.of("run", "--detach", "--rm"));
    if (!options.runtime().isEmpty()) {
      args.addAll(List.of("--runtime", options.runtime()));
    }
    for (String limit : options.ulimits()) {
      args.addAll(List.of("--ulimit", limit));
    }
    args.addAll(List.of("--publish", "127.0.0.1:" + port + ":" + ServingContainer.PORT, "--name", name,
        "--label", APP_LABEL + "=" + app, "--label", HOME_LABEL + "=" + home,
        "--log-driver", "k8s-file", "--log-opt", "path=" + log, image));
    args.addAll(RUNTIME_ARGS);
    return args;
  }

  /** A serving runtime container. */
  private record ContainerInstance(String name, URI base, PodmanCli podman, Path log)
      implements Instance, InstanceStartup.Watched {
    @Override
    public void stop(Duration drain) {
      try {
        // SIGTERM: the runtime stops admitting, finishes what it admitted, exits; SIGKILL after the drain and 5 s
        podman.run(drain.plusMinutes(1), List.of("stop", "--ignore", "--time", Long.toString(drain.toSeconds() + 5),
            name));
        podman.run(COMMAND, List.of("rm", "--force", "--ignore", name));
      } catch (IOException e) {
        LOG.warn("could not stop container {} (the next start removes it): {}", name, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public String exited() throws IOException, InterruptedException {
      String state;
      try {
        state = podman.run(COMMAND, List.of("container", "inspect", "--format", "{{.State.Status}} "
            + "{{.State.ExitCode}}", name)).strip();
      } catch (IOException gone) {
        return "and was removed";
      }
      String[] statusAndCode = state.split(" ");
      return statusAndCode[0].equals("running") || statusAndCode[0].equals("created") ? null
          : "with " + statusAndCode[statusAndCode.length - 1] + " (" + statusAndCode[0] + ")";
    }

    @Override
    public String tail() throws IOException {
      if (!Files.isRegularFile(log)) {
        return "(no log)";
      }
      List<String> lines = Files.readAllLines(log).stream()
          .map(line -> K8S_FILE_PREFIX.matcher(line).replaceFirst("")).toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
  }
}

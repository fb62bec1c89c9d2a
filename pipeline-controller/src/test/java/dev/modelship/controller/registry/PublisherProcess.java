package dev.modelship.controller.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A second process publishing into a registry, for the multi-process tests. Arguments:
 * {@code ROOT NAME READY_FILE GO_FILE (next PKG_DIR... | as VERSION PKG_DIR)}. It announces itself with READY_FILE,
 * waits for GO_FILE so that competing processes start together, then prints one line per publish:
 * {@code created|unchanged|conflict NAME:VERSION DIGEST}.
 */
public final class PublisherProcess {
  private PublisherProcess() {
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    String name = args[1];
    Files.createFile(Path.of(args[2]));
    Path go = Path.of(args[3]);
    dev.modelship.controller.testing.StartSignal.await(go); // all processes start their work together
    FileSystemModelRegistry registry = new FileSystemModelRegistry(root);
    if (args[4].equals("next")) {
      for (String dir : Arrays.asList(args).subList(5, args.length)) {
        report(ModelRegistries.publishAsNextVersion(registry, name, ModelPackage.fromDirectory(Path.of(dir))));
      }
    } else {
      ModelVersionRef ref = new ModelVersionRef(name, Long.parseLong(args[5]));
      ModelPackage pkg = ModelPackage.fromDirectory(Path.of(args[6]));
      try {
        report(registry.publish(ref, pkg));
      } catch (RegistryException e) {
        if (e.kind() != RegistryException.Kind.CONFLICT) {
          throw e;
        }
        System.out.println("conflict " + ref + " " + pkg.digest());
      }
    }
  }

  private static void report(ModelRegistry.PublishOutcome outcome) {
    System.out.println((outcome.created() ? "created " : "unchanged ") + outcome.version().ref() + " "
        + outcome.version().digest());
  }

  /** The command line that runs this class in a fresh JVM with the test classpath. */
  static List<String> command(String... args) {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath, PublisherProcess.class.getName()));
    command.addAll(Arrays.asList(args));
    return command;
  }
}

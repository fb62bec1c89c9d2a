package dev.modelship.controller.registry;

import dev.modelship.serving.model.ModelNames;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default registry: a folder {@code <root>/<name>/<version>/} per version, holding the package's files
 * and {@link VersionRecord version.json}.
 *
 * <p>A publish first copies the package into {@code <root>/.tmp/<random>/} and forces it to disk, then, holding
 * {@code <root>/.lock} (threads and processes), checks the version is still free and renames the folder into place
 * in one atomic step. A crash therefore leaves at most an entry under {@code .tmp}, which readers never look at and
 * a later publish removes once it is older than {@code staleTempAge}.
 */
public final class FileSystemModelRegistry implements ModelRegistry {
  public static final String TEMP_FOLDER = ".tmp";
  public static final String LOCK_FILE = ".lock";
  /** Long enough that no live publish is still copying into a temporary folder of that age. */
  public static final Duration DEFAULT_STALE_TEMP_AGE = Duration.ofHours(1);

  private static final Logger LOG = LoggerFactory.getLogger(FileSystemModelRegistry.class);

  private final Path root;
  private final Clock clock;
  private final Duration staleTempAge;
  private final RegistryLock lock;

  public FileSystemModelRegistry(Path root) {
    this(root, Clock.systemUTC(), DEFAULT_STALE_TEMP_AGE);
  }

  public FileSystemModelRegistry(Path root, Clock clock, Duration staleTempAge) {
    this.root = root;
    this.clock = clock;
    this.staleTempAge = staleTempAge;
    this.lock = new RegistryLock(root.resolve(LOCK_FILE));
  }

  public Path root() {
    return root;
  }

  @Override
  public String location() {
    return root.toString();
  }

  @Override
  public PublishOutcome publish(ModelVersionRef ref, ModelPackage pkg) throws RegistryException {
    ModelManifest manifest = ModelManifest.read(pkg.manifestFile());
    if (!manifest.name().equals(ref.name())) {
      throw new RegistryException(RegistryException.Kind.INVALID, pkg.manifestFile() + " names model '"
          + manifest.name() + "', which cannot be published as " + ref);
    }
    String digest = pkg.digest();
    Optional<PublishedVersion> existing = find(ref);
    if (existing.isPresent()) {
      return unchangedOrConflict(existing.get(), digest);
    }
    Path staged = stage(ref, pkg, digest);
    Optional<PublishOutcome> alreadyThere;
    try {
      alreadyThere = lock.holding(() -> {
        Optional<PublishedVersion> current = find(ref);
        if (current.isPresent()) {
          return Optional.of(unchangedOrConflict(current.get(), digest));
        }
        moveIntoPlace(staged, ref);
        return Optional.empty();
      });
    } catch (IOException e) {
      RegistryException failure = unwritable(ref, e);
      DurableFiles.deleteTreeAfterFailure(staged, failure);
      throw failure;
    } catch (RegistryException e) {
      DurableFiles.deleteTreeAfterFailure(staged, e);
      throw e;
    }
    if (alreadyThere.isPresent()) {
      deleteStaged(staged);
      return alreadyThere.get();
    }
    removeStaleTemporaryFolders();
    return new PublishOutcome(find(ref).orElseThrow(() -> new IllegalStateException(ref + " vanished right after "
        + "it was published in " + root)), true);
  }

  @Override
  public List<String> models() throws RegistryException {
    List<String> names = new ArrayList<>();
    for (Path entry : list(root)) {
      String name = entry.getFileName().toString();
      if (ModelNames.isValidName(name) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
          && !versionFolders(name).isEmpty()) {
        names.add(name);
      }
    }
    names.sort(Comparator.naturalOrder());
    return names;
  }

  @Override
  public List<PublishedVersion> versions(String name) throws RegistryException {
    List<PublishedVersion> versions = new ArrayList<>();
    for (ModelVersionRef ref : versionFolders(name)) {
      versions.add(VersionRecord.read(recordFile(ref), ref));
    }
    return versions;
  }

  @Override
  public Optional<PublishedVersion> find(ModelVersionRef ref) throws RegistryException {
    Path record = recordFile(ref);
    if (!Files.isDirectory(root.resolve(ref.name()), LinkOption.NOFOLLOW_LINKS)
        || !Files.isDirectory(record.getParent(), LinkOption.NOFOLLOW_LINKS)
        || !Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(VersionRecord.read(record, ref));
  }

  @Override
  public ModelPackage fetch(ModelVersionRef ref, Path directory) throws RegistryException {
    PublishedVersion version = find(ref).orElseThrow(() -> new RegistryException(RegistryException.Kind.NOT_FOUND,
        "no " + ref + " in " + root));
    return new VerifiedCopy(version, versionFolder(ref), directory).run();
  }

  /** Versions of a model that have a folder and a record, oldest first; {@code .tmp} and strays are ignored. */
  private List<ModelVersionRef> versionFolders(String name) throws RegistryException {
    if (!ModelNames.isValidName(name)) {
      throw new RegistryException(RegistryException.Kind.INVALID, "'" + name + "' is not a valid model name");
    }
    Path modelFolder = root.resolve(name);
    if (!Files.isDirectory(modelFolder, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<ModelVersionRef> refs = new ArrayList<>();
    for (Path entry : list(modelFolder)) {
      String folderName = entry.getFileName().toString();
      Optional<Long> number = ModelNames.parseVersion(folderName);
      if (number.isPresent() && number.get() >= 1 && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
          && Files.isRegularFile(entry.resolve(VersionRecord.FILE_NAME), LinkOption.NOFOLLOW_LINKS)) {
        refs.add(new ModelVersionRef(name, number.get()));
      }
    }
    refs.sort(Comparator.naturalOrder());
    return refs;
  }

  private Path stage(ModelVersionRef ref, ModelPackage pkg, String digest) throws RegistryException {
    Path staged = root.resolve(TEMP_FOLDER).resolve(ref.name() + "-" + ref.version() + "-" + UUID.randomUUID());
    try {
      Files.createDirectories(staged.getParent());
      Files.createDirectory(staged);
    } catch (IOException e) {
      throw unwritable(ref, e);
    }
    try {
      for (Map.Entry<String, String> file : pkg.fileDigests().entrySet()) {
        String copied = DurableFiles.copyAndForce(pkg.file(file.getKey()), staged.resolve(file.getKey()));
        if (!copied.equals(file.getValue())) {
          throw new RegistryException(RegistryException.Kind.INVALID, pkg.file(file.getKey()) + " changed while "
              + "it was being published (read as " + file.getValue() + ", copied as " + copied + "); push it again");
        }
      }
      PublishedVersion version = new PublishedVersion(ref, digest, pkg.fileDigests(), clock.instant());
      DurableFiles.writeAndForce(staged.resolve(VersionRecord.FILE_NAME), VersionRecord.of(version).toJson());
      DurableFiles.forceFolder(staged);
      return staged;
    } catch (IOException e) {
      RegistryException failure = unwritable(ref, e);
      DurableFiles.deleteTreeAfterFailure(staged, failure);
      throw failure;
    } catch (RegistryException e) {
      DurableFiles.deleteTreeAfterFailure(staged, e);
      throw e;
    }
  }

  /** Under the lock: the one step that makes the version visible, then the step that makes that durable. */
  private void moveIntoPlace(Path staged, ModelVersionRef ref) throws IOException {
    Path modelFolder = root.resolve(ref.name());
    boolean newModel = !Files.isDirectory(modelFolder, LinkOption.NOFOLLOW_LINKS);
    if (newModel) {
      Files.createDirectory(modelFolder);
      DurableFiles.forceFolder(root);
    }
    try {
      Files.move(staged, versionFolder(ref), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (newModel) {
        DurableFiles.deleteTreeAfterFailure(modelFolder, e);
      }
      throw e;
    }
    DurableFiles.forceFolder(modelFolder);
  }

  private static PublishOutcome unchangedOrConflict(PublishedVersion existing, String digest)
      throws RegistryException {
    if (existing.digest().equals(digest)) {
      return new PublishOutcome(existing, false);
    }
    throw new RegistryException(RegistryException.Kind.CONFLICT, existing.ref() + " is already published with "
        + "digest " + existing.digest() + "; this package has digest " + digest + " (versions are immutable: "
        + "push it as a new version)");
  }

  private void deleteStaged(Path staged) {
    try {
      DurableFiles.deleteTree(staged);
    } catch (IOException e) {
      LOG.warn("could not remove the temporary folder {}; it is ignored and removed by a later publish", staged, e);
    }
  }

  /** Leftovers of publishes that crashed; young ones may belong to a publish still copying, so they stay. */
  private void removeStaleTemporaryFolders() {
    Instant staleBefore = clock.instant().minus(staleTempAge);
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(root.resolve(TEMP_FOLDER))) {
      for (Path leftover : leftovers) {
        try {
          if (Files.getLastModifiedTime(leftover, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(staleBefore)) {
            DurableFiles.deleteTree(leftover);
          }
        } catch (NoSuchFileException e) {
          // another publisher removed it first
        }
      }
    } catch (IOException e) {
      LOG.warn("could not remove stale temporary folders under {}", root.resolve(TEMP_FOLDER), e);
    }
  }

  private Path versionFolder(ModelVersionRef ref) {
    return root.resolve(ref.name()).resolve(ref.versionText());
  }

  private Path recordFile(ModelVersionRef ref) {
    return versionFolder(ref).resolve(VersionRecord.FILE_NAME);
  }

  private static List<Path> list(Path folder) throws RegistryException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
      stream.forEach(entries::add);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "cannot list " + folder + ": " + e, e);
    }
    return entries;
  }

  private RegistryException unwritable(ModelVersionRef ref, IOException e) {
    return new RegistryException(RegistryException.Kind.UNAVAILABLE, "cannot publish " + ref + " into " + root
        + ": " + e, e);
  }

  @Override
  public String toString() {
    return "FileSystemModelRegistry[" + root + "]";
  }
}

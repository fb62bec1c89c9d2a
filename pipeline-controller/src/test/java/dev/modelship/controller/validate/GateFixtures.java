package dev.modelship.controller.validate;

import dev.modelship.controller.examples.ClickData;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.training.Trainer;
import dev.modelship.controller.training.TrainingOptions;
import dev.modelship.controller.training.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/** Model packages for gate tests: a good click model, a bad one, and copies of them edited into other cases. */
public final class GateFixtures {
  private GateFixtures() {
  }

  /** A logistic regression on 3,000 synthetic click rows, with a 20% holdout and thresholds derived from it. */
  public static TrainingResult trainGood(Path folder) throws Exception {
    Path csv = folder.resolve("clicks.csv");
    ClickData.writeCsv(csv, ClickData.generate(1, 3000, 0));
    return new Trainer(line -> { }).train(csv, ClickData.LABEL, "clicks",
        TrainingOptions.defaults().withOutput(folder.resolve("good")));
  }

  /**
   * The same rows with their labels shuffled, so there is nothing to learn, trained as the next version would
   * be: measured on the good model's holdout and held to its thresholds.
   */
  public static TrainingResult trainShuffled(Path folder, TrainingResult good) throws Exception {
    List<ClickData.Row> rows = ClickData.generate(1, 3000, 0);
    List<Boolean> labels = new ArrayList<>(rows.stream().map(ClickData.Row::clicked).toList());
    Collections.shuffle(labels, new Random(2));
    List<ClickData.Row> shuffled = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      ClickData.Row row = rows.get(i);
      shuffled.add(new ClickData.Row(row.userAge(), row.userSessions7d(), row.userCtr30d(), row.itemPrice(),
          row.itemDiscount(), row.itemPopularity(), row.position(), row.hourOfDay(), labels.get(i)));
    }
    Path csv = folder.resolve("shuffled.csv");
    ClickData.writeCsv(csv, shuffled);
    return new Trainer(line -> { }).train(csv, ClickData.LABEL, "clicks", TrainingOptions.defaults()
        .withHoldoutFile(good.pkg().file(ModelPackage.HOLDOUT_FILE)).withBars(good.manifest())
        .withOutput(folder.resolve("shuffled")));
  }

  /** A copy of a package's files in a new folder. */
  public static Path copy(ModelPackage pkg, Path to) throws IOException {
    Files.createDirectories(to);
    for (String file : pkg.fileDigests().keySet()) {
      Files.copy(pkg.file(file), to.resolve(file));
    }
    return to;
  }

  public static void rewriteManifest(Path packageDir, UnaryOperator<ModelManifest> change) throws Exception {
    Path file = packageDir.resolve(ModelPackage.MANIFEST_FILE);
    ModelManifest changed = change.apply(ModelManifest.read(file));
    Files.delete(file);
    changed.write(file);
  }

  public static ModelManifest withInputs(ModelManifest m, List<String> inputs) {
    return new ModelManifest(m.name(), m.task(), inputs, m.outputs(), m.label(), m.features(), m.classes(),
        m.thresholds(), m.championTolerance(), m.latency(), m.serving(), m.metrics());
  }

  public static ModelManifest withLatency(ModelManifest m, ModelManifest.Latency latency) {
    return new ModelManifest(m.name(), m.task(), m.inputs(), m.outputs(), m.label(), m.features(), m.classes(),
        m.thresholds(), m.championTolerance(), latency, m.serving(), m.metrics());
  }
}

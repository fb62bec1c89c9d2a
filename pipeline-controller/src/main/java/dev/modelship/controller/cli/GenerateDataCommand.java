package dev.modelship.controller.cli;

import dev.modelship.controller.examples.ClickData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code modelship examples generate-data}: a CSV of synthetic e-commerce clicks. */
@Command(name = "generate-data", mixinStandardHelpOptions = true,
    description = "Write synthetic e-commerce click data (user and item features, label 'clicked') as CSV.")
public final class GenerateDataCommand implements Callable<Integer> {

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write into.")
  Path out;

  @Option(names = "--file", defaultValue = "clicks.csv", description = "File name (default ${DEFAULT-VALUE}).")
  String fileName;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed; the same seed gives the same file "
      + "(default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--rows", defaultValue = "10000", description = "Number of rows (default ${DEFAULT-VALUE}).")
  int rows;

  @Option(names = "--drift", defaultValue = "0", description = "0 (none) to 1 (strong): shifts the feature "
      + "distributions and what drives clicks, to play a model trained on drift 0 against (default ${DEFAULT-VALUE}).")
  double drift;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (rows < 1) {
      err.println("error: --rows must be at least 1, got " + rows);
      return 2;
    }
    if (!(drift >= 0 && drift <= 1)) {
      err.println("error: --drift must be between 0 and 1, got " + drift);
      return 2;
    }
    if (fileName.isBlank() || Path.of(fileName).getNameCount() != 1) {
      err.println("error: --file must be a plain file name, got '" + fileName + "'");
      return 2;
    }
    Path file = out.resolve(fileName);
    List<ClickData.Row> generated = ClickData.generate(seed, rows, drift);
    try {
      ClickData.writeCsv(file, generated);
    } catch (IOException e) {
      err.println("error: cannot write " + file + ": " + e.getMessage());
      return 1;
    }
    long clicks = generated.stream().filter(ClickData.Row::clicked).count();
    spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d rows (%.1f%% clicked, seed %d, drift %s) to %s%n",
        rows, 100.0 * clicks / rows, seed, drift, file);
    spec.commandLine().getOut().println("columns: " + String.join(",", ClickData.FEATURES) + "," + ClickData.LABEL);
    return 0;
  }
}

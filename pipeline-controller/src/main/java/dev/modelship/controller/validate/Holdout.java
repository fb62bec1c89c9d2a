package dev.modelship.controller.validate;

import dev.modelship.controller.registry.ModelManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A holdout CSV arranged for one model: the features in the order of that model's input columns (its
 * modelship.yaml {@code features}) and the true label of each row. The same file arranged for the champion
 * may put the columns in another order.
 */
public record Holdout(double[][] features, List<String> labels, int[] lines) {

  public static Holdout read(Path csv, ModelManifest manifest) throws InvalidDataException, IOException {
    return from(CsvTable.read(csv), manifest);
  }

  public static Holdout from(CsvTable table, ModelManifest manifest) throws InvalidDataException {
    if (manifest.features().isEmpty() || manifest.label() == null) {
      throw new InvalidDataException("modelship.yaml of " + manifest.name() + " lists no features or no label, so "
          + "the holdout cannot be fed to it");
    }
    List<String> wanted = new ArrayList<>(manifest.features());
    wanted.add(manifest.label());
    List<String> missing = table.missingColumns(wanted);
    if (!missing.isEmpty()) {
      throw new InvalidDataException(table.source() + " lacks column(s) " + missing + " that modelship.yaml of "
          + manifest.name() + " names as features or label (holdout columns: " + table.header() + ")");
    }
    if (table.rows().isEmpty()) {
      throw new InvalidDataException(table.source() + " has a header but no rows");
    }
    int[] columns = manifest.features().stream().mapToInt(table::column).toArray();
    int labelColumn = table.column(manifest.label());
    double[][] features = new double[table.rows().size()][];
    List<String> labels = new ArrayList<>(features.length);
    int[] lines = new int[features.length];
    for (int r = 0; r < features.length; r++) {
      CsvTable.Row row = table.rows().get(r);
      features[r] = new double[columns.length];
      for (int c = 0; c < columns.length; c++) {
        features[r][c] = table.number(row, columns[c]);
      }
      labels.add(row.values().get(labelColumn));
      lines[r] = row.line();
    }
    return new Holdout(features, List.copyOf(labels), lines);
  }

  public int rows() {
    return features.length;
  }

  /** Each row's label as the index of its class in {@code classes} (a classifier's output-column order). */
  public int[] classIndices(List<String> classes) throws InvalidDataException {
    int[] indices = new int[labels.size()];
    for (int r = 0; r < indices.length; r++) {
      indices[r] = classes.indexOf(labels.get(r));
      if (indices[r] < 0) {
        throw new InvalidDataException("holdout line " + lines[r] + ": label '" + labels.get(r) + "' is not one of "
            + "the model's classes " + classes);
      }
    }
    return indices;
  }

  /** Each row's label as a number, for regression. */
  public double[] numericLabels() throws InvalidDataException {
    double[] values = new double[labels.size()];
    for (int r = 0; r < values.length; r++) {
      try {
        values[r] = Double.parseDouble(labels.get(r));
      } catch (NumberFormatException e) {
        values[r] = Double.NaN;
      }
      if (!Double.isFinite(values[r])) {
        throw new InvalidDataException("holdout line " + lines[r] + ": label '" + labels.get(r) + "' is not a "
            + "finite number, as a regression target must be");
      }
    }
    return values;
  }
}

package dev.modelship.controller.training;

import dev.modelship.controller.validate.CsvTable;
import dev.modelship.controller.validate.InvalidDataException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV ready to train on: every column but the label is a numeric feature; the label stays text (a class)
 * until a regression asks for numbers. Errors name the file, the line and the column.
 */
public final class TrainingData {
  private final CsvTable table;
  private final String label;
  private final int labelColumn;
  private final List<String> features;
  private final List<CsvTable.Row> rows;
  private final double[][] values;

  private TrainingData(CsvTable table, String label, List<CsvTable.Row> rows) throws InvalidDataException {
    this.table = table;
    this.label = label;
    this.labelColumn = table.column(label);
    this.rows = List.copyOf(rows);
    List<String> names = new ArrayList<>(table.header());
    names.remove(label);
    this.features = List.copyOf(names);
    this.values = new double[rows.size()][features.size()];
    for (int r = 0; r < rows.size(); r++) {
      CsvTable.Row row = rows.get(r);
      for (int f = 0; f < features.size(); f++) {
        values[r][f] = table.number(row, table.column(features.get(f)));
      }
      if (row.values().get(labelColumn).isEmpty()) {
        throw new InvalidDataException(table.source() + " line " + row.line() + ": the label column '" + label
            + "' is empty");
      }
    }
  }

  public static TrainingData read(Path csv, String label) throws InvalidDataException, IOException {
    return of(CsvTable.read(csv), label);
  }

  public static TrainingData of(CsvTable table, String label) throws InvalidDataException {
    if (table.column(label) < 0) {
      throw new InvalidDataException(table.source() + " has no label column '" + label + "' (columns: "
          + String.join(", ", table.header()) + ")");
    }
    if (table.header().size() < 2) {
      throw new InvalidDataException(table.source() + " has only the label column '" + label + "'; there is "
          + "nothing to learn from");
    }
    return new TrainingData(table, label, table.rows());
  }

  public Path source() {
    return table.source();
  }

  public String label() {
    return label;
  }

  /** Feature names in the CSV's column order. */
  public List<String> features() {
    return features;
  }

  public int rows() {
    return rows.size();
  }

  /** Feature values per row, in {@link #features()} order. */
  public double[][] values() {
    return values.clone();
  }

  /** The label of each row, as written. */
  public List<String> labels() {
    return rows.stream().map(row -> row.values().get(labelColumn)).toList();
  }

  /** The label of each row as a number: the target of a regression. */
  public double[] numericLabels() throws InvalidDataException {
    double[] targets = new double[rows.size()];
    for (int r = 0; r < targets.length; r++) {
      targets[r] = table.number(rows.get(r), labelColumn);
    }
    return targets;
  }

  /** The given rows (indices into this data), in that order. */
  public TrainingData select(int[] indices) throws InvalidDataException {
    List<CsvTable.Row> selected = new ArrayList<>(indices.length);
    for (int index : indices) {
      selected.add(rows.get(index));
    }
    return new TrainingData(table, label, selected);
  }

  /** Writes the header and these rows as they were read, so a holdout keeps the exact values. */
  public void writeCsv(Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(line(table.header()));
      for (CsvTable.Row row : rows) {
        out.write(line(row.values()));
      }
    }
  }

  private static String line(List<String> values) {
    List<String> quoted = new ArrayList<>(values.size());
    for (String value : values) {
      boolean needsQuotes = value.contains(",") || value.contains("\"") || !value.equals(value.trim());
      quoted.add(needsQuotes ? '"' + value.replace("\"", "\"\"") + '"' : value);
    }
    return String.join(",", quoted) + "\n";
  }
}

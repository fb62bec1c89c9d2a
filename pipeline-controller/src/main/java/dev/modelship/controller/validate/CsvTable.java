package dev.modelship.controller.validate;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A CSV file with a header row, read whole: the form of training data and of a package's {@code holdout.csv}.
 * Values are separated by commas and may be double-quoted (a quote inside a quoted value is doubled); blank
 * lines are ignored. Errors name the file and the line, counting the header as line 1.
 */
public final class CsvTable {
  /** One data row and the line it came from. */
  public record Row(int line, List<String> values) {
    public Row {
      values = List.copyOf(values);
    }
  }

  private final Path source;
  private final List<String> header;
  private final List<Row> rows;

  private CsvTable(Path source, List<String> header, List<Row> rows) {
    this.source = source;
    this.header = List.copyOf(header);
    this.rows = List.copyOf(rows);
  }

  public static CsvTable read(Path file) throws InvalidDataException, IOException {
    List<String> header = null;
    List<Row> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      for (String line; (line = in.readLine()) != null; ) {
        lineNumber++;
        if (lineNumber == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank()) {
          continue;
        }
        List<String> values = split(file, lineNumber, line);
        if (header == null) {
          header = checkHeader(file, values);
        } else if (values.size() != header.size()) {
          throw new InvalidDataException(file + " line " + lineNumber + " has " + values.size() + " values, but "
              + "the header has " + header.size() + " columns");
        } else {
          rows.add(new Row(lineNumber, values));
        }
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new InvalidDataException(file + " is not UTF-8 text");
    }
    if (header == null) {
      throw new InvalidDataException(file + " is empty (expected a header row, then one row per example)");
    }
    return new CsvTable(file, header, rows);
  }

  public Path source() {
    return source;
  }

  public List<String> header() {
    return header;
  }

  public List<Row> rows() {
    return rows;
  }

  /** The column's index, or -1. */
  public int column(String name) {
    return header.indexOf(name);
  }

  /** {@code names} that are not columns of this table, in the order given. */
  public List<String> missingColumns(List<String> names) {
    return names.stream().filter(name -> !header.contains(name)).distinct().toList();
  }

  /** A value as a finite number; anything else is an error naming the line and the column. */
  public double number(Row row, int column) throws InvalidDataException {
    String text = row.values().get(column);
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw notANumber(row, column, text.isEmpty() ? "is empty" : "'" + text + "' is not a number");
    }
    if (!Double.isFinite(value)) {
      throw notANumber(row, column, "'" + text + "' is not a finite number");
    }
    return value;
  }

  private InvalidDataException notANumber(Row row, int column, String problem) {
    return new InvalidDataException(source + " line " + row.line() + ", column '" + header.get(column) + "': "
        + problem);
  }

  private static List<String> checkHeader(Path file, List<String> names) throws InvalidDataException {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).isEmpty()) {
        throw new InvalidDataException(file + ": header column " + (i + 1) + " has no name");
      }
      if (!seen.add(names.get(i))) {
        throw new InvalidDataException(file + ": header names column '" + names.get(i) + "' twice");
      }
    }
    return names;
  }

  /** Splits one line; values are trimmed unless quoted. */
  static List<String> split(Path file, int lineNumber, String line) throws InvalidDataException {
    List<String> values = new ArrayList<>();
    StringBuilder value = new StringBuilder();
    int i = 0;
    while (true) {
      while (i < line.length() && line.charAt(i) == ' ') {
        i++;
      }
      if (i < line.length() && line.charAt(i) == '"') {
        i = readQuoted(file, lineNumber, line, i + 1, value);
        while (i < line.length() && line.charAt(i) == ' ') {
          i++;
        }
        if (i < line.length() && line.charAt(i) != ',') {
          throw new InvalidDataException(file + " line " + lineNumber + ": text after a closing quote in column "
              + (values.size() + 1));
        }
        values.add(value.toString());
      } else {
        int comma = line.indexOf(',', i);
        int end = comma < 0 ? line.length() : comma;
        values.add(line.substring(Math.min(i, end), end).trim());
        i = end;
      }
      value.setLength(0);
      if (i >= line.length()) {
        return values;
      }
      i++; // the comma
    }
  }

  private static int readQuoted(Path file, int lineNumber, String line, int start, StringBuilder value)
      throws InvalidDataException {
    int i = start;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c != '"') {
        value.append(c);
        i++;
      } else if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
        value.append('"');
        i += 2;
      } else {
        return i + 1;
      }
    }
    throw new InvalidDataException(file + " line " + lineNumber + ": a quoted value is not closed (values "
        + "spanning lines are not supported)");
  }
}

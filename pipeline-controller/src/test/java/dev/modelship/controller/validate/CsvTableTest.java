package dev.modelship.controller.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
  @TempDir
  Path dir;

  private Path csv(String text) throws Exception {
    return Files.writeString(dir.resolve("data.csv"), text);
  }

  @Test
  void readsHeaderAndRowsKeepingTheirLineNumbers() throws Exception {
    CsvTable table = CsvTable.read(csv("a,b,label\n1,2,x\n\n3, 4 ,y\n"));

    assertThat(table.header()).containsExactly("a", "b", "label");
    assertThat(table.rows()).extracting(CsvTable.Row::line).containsExactly(2, 4);
    assertThat(table.rows().get(1).values()).containsExactly("3", "4", "y");
    assertThat(table.column("label")).isEqualTo(2);
    assertThat(table.missingColumns(List.of("a", "c", "d"))).containsExactly("c", "d");
  }

  @Test
  void readsQuotedValuesWithCommasAndDoubledQuotes() throws Exception {
    CsvTable table = CsvTable.read(csv("\"name, full\",\"x\"\n\"say \"\"hi\"\", ok\",1\n"));

    assertThat(table.header()).containsExactly("name, full", "x");
    assertThat(table.rows().get(0).values()).containsExactly("say \"hi\", ok", "1");
  }

  @Test
  void ignoresAByteOrderMarkAndKeepsTrailingEmptyValues() throws Exception {
    CsvTable table = CsvTable.read(csv("\uFEFFa,b\n1,\n"));

    assertThat(table.header()).containsExactly("a", "b");
    assertThat(table.rows().get(0).values()).containsExactly("1", "");
  }

  @Test
  void aRowWithTheWrongNumberOfValuesNamesItsLine() throws Exception {
    Path file = csv("a,b\n1,2\n3\n");

    assertThatThrownBy(() -> CsvTable.read(file)).isInstanceOf(InvalidDataException.class)
        .hasMessage(file + " line 3 has 1 values, but the header has 2 columns");
  }

  @Test
  void numberNamesLineAndColumnOfAValueThatIsNotOne() throws Exception {
    CsvTable table = CsvTable.read(csv("a,price\n1,2\n1,cheap\n1,NaN\n1,\n"));

    assertThat(table.number(table.rows().get(0), 1)).isEqualTo(2.0);
    assertThatThrownBy(() -> table.number(table.rows().get(1), 1))
        .hasMessageEndingWith("line 3, column 'price': 'cheap' is not a number");
    assertThatThrownBy(() -> table.number(table.rows().get(2), 1))
        .hasMessageEndingWith("line 4, column 'price': 'NaN' is not a finite number");
    assertThatThrownBy(() -> table.number(table.rows().get(3), 1))
        .hasMessageEndingWith("line 5, column 'price': is empty");
  }

  @Test
  void rejectsAnEmptyFileAndADuplicatedColumn() throws Exception {
    Path empty = csv("\n\n");
    assertThatThrownBy(() -> CsvTable.read(empty)).hasMessageContaining("is empty");

    Path duplicated = csv("a,b,a\n1,2,3\n");
    assertThatThrownBy(() -> CsvTable.read(duplicated)).hasMessageContaining("names column 'a' twice");
  }

  @Test
  void rejectsAnUnclosedQuote() throws Exception {
    Path file = csv("a,b\n\"1,2\n");

    assertThatThrownBy(() -> CsvTable.read(file)).hasMessageContaining("line 2: a quoted value is not closed");
  }
}

package dev.modelship.controller.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarReaderTest {
  @TempDir
  Path dir;

  @Test
  void readsEntriesWithTheirTypesSizesAndContent() throws Exception {
    TestArchives.Tar tar = new TestArchives.Tar().folder("pkg/").file("pkg/a.txt", bytes("hello"))
        .link("pkg/link", '2', "/etc/passwd").file("pkg/b.txt", new byte[700]);

    List<String> seen = new ArrayList<>();
    TarReader reader = reader(tar);
    for (TarReader.Entry entry; (entry = reader.next()) != null; ) {
      String content = entry.name().endsWith("a.txt")
          ? new String(reader.data().readAllBytes(), StandardCharsets.UTF_8) : "";
      seen.add(entry.name() + " " + entry.type() + " " + entry.size() + " " + content);
    }

    assertThat(seen).containsExactly("pkg/ DIRECTORY 0 ", "pkg/a.txt FILE 5 hello", "pkg/link SYMBOLIC_LINK 0 ",
        "pkg/b.txt FILE 700 ");
  }

  @Test
  void aPaxPathOverridesTheHeaderNameOfTheNextEntryOnly() throws Exception {
    String longName = "pkg/" + "x".repeat(150) + "/model.onnx";
    TestArchives.Tar tar = new TestArchives.Tar().pax("path", longName).file("short", bytes("1"))
        .file("second", bytes("2"));

    TarReader reader = reader(tar);

    assertThat(reader.next().name()).isEqualTo(longName);
    assertThat(reader.next().name()).isEqualTo("second");
    assertThat(reader.next()).isNull();
  }

  @Test
  void aGnuLongNameNamesTheNextEntry() throws Exception {
    String longName = "pkg/" + "y".repeat(120) + "/modelship.yaml";
    TestArchives.Tar tar = new TestArchives.Tar().entry("././@LongLink", 'L', bytes(longName + "\0"), "")
        .file("truncated", bytes("x"));

    assertThat(reader(tar).next().name()).isEqualTo(longName);
  }

  @Test
  void aHeaderWithAWrongChecksumIsNotATar() throws Exception {
    byte[] archive = raw(new TestArchives.Tar().file("a", bytes("x")));
    archive[0] = 'b';

    assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(archive)).next())
        .isInstanceOf(IOException.class).hasMessageContaining("checksum");
  }

  @Test
  void anArchiveCutShortInsideAnEntryIsReported() throws Exception {
    byte[] whole = raw(new TestArchives.Tar().file("a", new byte[2000]));
    byte[] cut = java.util.Arrays.copyOf(whole, 1024);
    TarReader reader = new TarReader(new ByteArrayInputStream(cut));
    reader.next();

    assertThatThrownBy(() -> reader.data().readAllBytes()).hasMessageContaining("ends inside an entry");
  }

  private TarReader reader(TestArchives.Tar tar) throws IOException {
    return new TarReader(new ByteArrayInputStream(raw(tar)));
  }

  private byte[] raw(TestArchives.Tar tar) throws IOException {
    Path file = tar.writeGzip(Files.createTempFile(dir, "t", ".tar.gz"));
    try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

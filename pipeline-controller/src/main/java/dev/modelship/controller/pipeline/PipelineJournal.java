package dev.modelship.controller.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only record of pipeline runs ({@code .modelship/pipeline/journal.jsonl}): one JSON line per entry,
 * forced to disk before {@link #append} returns, so after a kill -9 the journal holds every entry whose effect
 * the controller may have acted on. A torn last line (the crash hit the write) is ignored on reading.
 */
public final class PipelineJournal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineJournal.class);
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path file;
  private final FileChannel channel;
  private long sequence;

  private PipelineJournal(Path file, FileChannel channel, long sequence) {
    this.file = file;
    this.channel = channel;
    this.sequence = sequence;
  }

  /** Opens (creating) the journal and returns it with the entries it already holds. */
  public static Opened open(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    List<JournalEntry> entries = read(file);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    channel.truncate(endOfLastCompleteLine(channel));
    channel.position(channel.size());
    long last = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).sequence();
    return new Opened(new PipelineJournal(file, channel, last), entries);
  }

  /** A journal and what was in it. */
  public record Opened(PipelineJournal journal, List<JournalEntry> entries) {
  }

  /** Where the last complete line ends: a torn line after it must go before anything is appended. */
  private static long endOfLastCompleteLine(FileChannel channel) throws IOException {
    long size = channel.size();
    ByteBuffer one = ByteBuffer.allocate(1);
    for (long position = size - 1; position >= 0; position--) {
      one.clear();
      channel.read(one, position);
      if (one.get(0) == '\n') {
        return position + 1;
      }
    }
    return 0;
  }

  public static List<JournalEntry> read(Path file) throws IOException {
    List<JournalEntry> entries = new ArrayList<>();
    if (!Files.exists(file)) {
      return entries;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        entries.add(JSON.readValue(line, JournalEntry.class));
      } catch (JsonProcessingException e) {
        if (i < lines.size() - 1) {
          throw new IOException(file + " line " + (i + 1) + " is damaged: " + e.getOriginalMessage(), e);
        }
        LOG.warn("ignoring the torn last line of {} (the controller stopped while writing it)", file);
      }
    }
    return entries;
  }

  /** Writes the entry (numbered next) and forces it to disk. */
  public synchronized JournalEntry append(JournalEntry entry) throws IOException {
    JournalEntry numbered = new JournalEntry(++sequence, entry.at(), entry.run(), entry.type(), entry.model(),
        entry.version(), entry.digest(), entry.stage(), entry.values(), entry.message(), entry.outcome());
    byte[] line = (JSON.writeValueAsString(numbered) + "\n").getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.wrap(line);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    channel.force(false);
    return numbered;
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}

package org.ntkengine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import org.ntkengine.io.AtomicFiles;

/** Writes the commands' {@code --json} reports, pretty-printed, through an atomic rename. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /**
   * Serialises a value to a file.
   *
   * @param path the file; nothing is written when null
   * @param value a record, map or list
   */
  static void write(Path path, Object value) {
    if (path == null) {
      return;
    }
    try {
      AtomicFiles.writeString(path, MAPPER.writeValueAsString(value) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the report: " + e.getMessage(), e);
    }
  }
}

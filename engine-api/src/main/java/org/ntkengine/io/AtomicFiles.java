package org.ntkengine.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import org.ntkengine.NtkException;

/**
 * Writes files through a temporary sibling renamed into place, so a reader never sees a
 * half-written file and a failure leaves the old file (or none) behind.
 */
public final class AtomicFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /**
   * Writes a file atomically.
   *
   * @param path the destination
   * @param content what to write
   * @throws NtkException (bad input) naming the directory when it cannot be written
   */
  public static void write(Path path, Npy.Content content) {
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = null;
    try {
      if (dir != null) {
        Files.createDirectories(dir);
      }
      // Not Files.createTempFile: its files are private (0600) whatever the umask, and the rename
      // would keep that mode; a new file created here gets the permissions a user expects.
      tmp =
          target.resolveSibling(
              "." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
      try (OutputStream out =
          Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        content.writeTo(out);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw NtkException.badInput(
          "cannot write " + target + " (" + reason(e) + "); choose a writable output location");
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The temporary file is hidden and harmless; the write error above is what matters.
        }
      }
    }
  }

  /** Says in words why a write failed, without exception class names. */
  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + e.getMessage();
    }
    if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
      return "a component of the path is a file, not a directory: " + e.getMessage();
    }
    if (e instanceof NoSuchFileException) {
      return "a directory on the path does not exist or cannot be created: " + e.getMessage();
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() == null ? "an I/O error" : e.getMessage();
  }

  /**
   * Writes a UTF-8 text file atomically.
   *
   * @param path the destination
   * @param text the content
   */
  public static void writeString(Path path, String text) {
    write(path, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }
}

package dev.vigil.node.cli;

import dev.vigil.consensus.attestation.Committee;
import dev.vigil.signing.Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A committee as a text file: one address per line in signer-index order, '#' comments. */
final class CommitteeFile {
  private CommitteeFile() {}

  /**
   * @throws IOException naming the file and line of a bad entry
   */
  static Committee read(Path file, long index) throws IOException {
    if (!Files.isRegularFile(file))
      throw new NoSuchFileException(file.toString(), null, "no committee file there");
    if (index < 0 || index > 0xFFFF_FFFFL)
      throw new IOException("committee index must be 0..4294967295, got " + index);
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Address> members = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String entry = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (entry.isEmpty()) continue;
      try {
        members.add(Address.fromHex(entry));
      } catch (IllegalArgumentException e) {
        throw new IOException(
            file
                + ":"
                + (i + 1)
                + ": expected an address (0x + 40 hex digits), got \""
                + entry
                + "\"");
      }
    }
    try {
      return new Committee(index, members);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
  }
}

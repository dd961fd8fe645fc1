package dev.vigil.node.config;

import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A node configuration that cannot be used. Carries every problem found, each naming its key path,
 * so an operator fixes them all in one round: the message reads
 *
 * <pre>
 * node.conf: 2 problems in the configuration
 *   vigil.node.chains.alpha.core-address: expected a 20-byte hex address, got "0x12" (node.conf:14)
 *   vigil.node.http.prot: unknown key (did you mean 'port'?) (node.conf:20)
 * </pre>
 *
 * Never carries a password or key material.
 */
public final class NodeConfigException extends ConfigException {
  /**
   * One problem: the key path it is about (empty for the file as a whole), and what was expected.
   */
  public record Problem(String path, String message) {
    public Problem {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return path.isEmpty() ? message : path + ": " + message;
    }
  }

  private final transient Path file;
  private final transient List<Problem> problems;

  public NodeConfigException(Path file, List<Problem> problems) {
    super(render(file, problems));
    this.file = file;
    this.problems = List.copyOf(problems);
  }

  /** The node file that was loaded. */
  public Path file() {
    return file;
  }

  /** Every problem found, in the order the keys were read. */
  public List<Problem> problems() {
    return problems;
  }

  private static String render(Path file, List<Problem> problems) {
    StringBuilder sb = new StringBuilder();
    sb.append(file).append(": ");
    if (problems.size() == 1) {
      sb.append(problems.get(0));
      return sb.toString();
    }
    sb.append(problems.size()).append(" problems in the configuration");
    for (Problem p : problems) sb.append("\n  ").append(p);
    return sb.toString();
  }
}

package dev.vigil.node.config;

import java.util.Map;
import java.util.Objects;

/**
 * How {@link NodeSettings#load(java.nio.file.Path, LoadOptions)} loads.
 *
 * @param checkFiles check what lies outside the file too: the key file exists, is owner-only and
 *     belongs to a committee member; the password file exists or the password variable is set; the
 *     data directory is not a file. {@code vigil run} checks; parsing templates and examples does
 *     not.
 * @param env the environment that {@code ${?VAR}} substitutions and password variables read
 */
public record LoadOptions(boolean checkFiles, Map<String, String> env) {
  public LoadOptions {
    env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  /** Everything checked, against the process environment. */
  public static LoadOptions strict() {
    return new LoadOptions(true, System.getenv());
  }

  /** The file alone: no key, password or data-dir checks (for templates and examples). */
  public static LoadOptions withoutFileChecks() {
    return new LoadOptions(false, System.getenv());
  }

  /** Never lists the environment, which may hold passwords. */
  @Override
  public String toString() {
    return "LoadOptions[checkFiles=" + checkFiles + ", env=" + env.size() + " variables]";
  }

  public LoadOptions withEnv(Map<String, String> env) {
    return new LoadOptions(checkFiles, env);
  }
}

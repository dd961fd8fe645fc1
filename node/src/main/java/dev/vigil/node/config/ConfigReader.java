package dev.vigil.node.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.vigil.node.config.NodeConfigException.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads from a resolved config that never throw: each read returns null when the value is
 * missing or malformed and records a {@link Problem} naming the key path, so that one load reports
 * every mistake. It also remembers which paths were read, so that whatever was not read is reported
 * as an unknown key (usually a typo).
 */
final class ConfigReader {
  private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

  private final Config config;
  private final Set<String> secretPaths;
  private final List<Problem> problems = new ArrayList<>();
  private final Set<String> consumed = new HashSet<>();
  private final Set<String> reportedObjects = new HashSet<>();

  ConfigReader(Config config, Set<String> secretPaths) {
    this.config = config;
    this.secretPaths = Set.copyOf(secretPaths);
  }

  List<Problem> problems() {
    return problems;
  }

  static String join(String parent, String key) {
    return parent + "." + ConfigUtil.joinPath(key);
  }

  void problem(String path, String message) {
    problems.add(new Problem(path, message));
  }

  /** A problem about a value that is there: the message gets the value's file and line. */
  void problem(String path, String message, ConfigValue at) {
    problems.add(new Problem(path, message + where(at)));
  }

  /** Marks a path as known without reading it (e.g. an object handled as a whole). */
  void consume(String path) {
    consumed.add(path);
  }

  /** Whether the path holds a non-null value; marks it known. */
  boolean has(String path) {
    consumed.add(path);
    return value(path) != null;
  }

  /** The value at path, or null when it is absent or null (or a parent is not an object). */
  ConfigValue value(String path) {
    consumed.add(path);
    List<String> parts = ConfigUtil.splitPath(path);
    String prefix = null;
    for (int i = 0; i < parts.size() - 1; i++) {
      prefix = prefix == null ? ConfigUtil.joinPath(parts.get(i)) : join(prefix, parts.get(i));
      if (!config.hasPathOrNull(prefix) || config.getIsNull(prefix)) return null;
      ConfigValue v = config.getValue(prefix);
      if (v.valueType() != ConfigValueType.OBJECT) {
        consumed.add(prefix); // reported here, not again as an unknown key
        if (reportedObjects.add(prefix))
          problem(prefix, "expected an object { ... }, got " + describe(prefix, v), v);
        return null;
      }
    }
    if (!config.hasPathOrNull(path) || config.getIsNull(path)) return null;
    return config.getValue(path);
  }

  private ConfigValue required(String path, String expected) {
    ConfigValue v = value(path);
    if (v == null && !underReportedObject(path))
      problem(path, "missing (expected " + expected + ")");
    return v;
  }

  /** Whether a parent of path was already reported as not being an object. */
  private boolean underReportedObject(String path) {
    for (String o : reportedObjects) if (path.startsWith(o + ".")) return true;
    return false;
  }

  String string(String path) {
    ConfigValue v = required(path, "a string");
    return v == null ? null : asString(path, v);
  }

  String optionalString(String path) {
    ConfigValue v = value(path);
    return v == null ? null : asString(path, v);
  }

  String asString(String path, ConfigValue v) {
    return switch (v.valueType()) {
      case STRING, NUMBER, BOOLEAN -> String.valueOf(v.unwrapped());
      default -> {
        problem(path, "expected a string, got " + describe(path, v), v);
        yield null;
      }
    };
  }

  /** An integer in [min, max]; a number or a string of digits. */
  Long integer(String path, long min, long max) {
    ConfigValue v = required(path, "an integer " + min + ".." + max);
    return v == null ? null : asInteger(path, v, min, max);
  }

  Long asInteger(String path, ConfigValue v, long min, long max) {
    Long n = null;
    if (v.valueType() == ConfigValueType.NUMBER) {
      Number num = (Number) v.unwrapped();
      if (num instanceof Integer || num instanceof Long) n = num.longValue();
      else if (num.doubleValue() == Math.rint(num.doubleValue())
          && Math.abs(num.doubleValue()) < 1e15) n = num.longValue();
    } else if (v.valueType() == ConfigValueType.STRING) {
      try {
        n = Long.parseLong(((String) v.unwrapped()).strip());
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    if (n == null) {
      problem(path, "expected an integer " + min + ".." + max + ", got " + describe(path, v), v);
      return null;
    }
    if (n < min || n > max) {
      problem(path, "expected an integer " + min + ".." + max + ", got " + n, v);
      return null;
    }
    return n;
  }

  Integer port(String path, int min) {
    Long p = integer(path, min, 65535);
    return p == null ? null : p.intValue();
  }

  /** A duration such as 2s or 24h; more than zero if {@code positive}, else zero or more. */
  Duration duration(String path, boolean positive) {
    ConfigValue v = required(path, "a duration such as 500ms, 2s or 24h");
    if (v == null) return null;
    Duration d;
    try {
      d = config.getDuration(path);
    } catch (ConfigException e) {
      problem(path, "expected a duration such as 500ms, 2s or 24h, got " + describe(path, v), v);
      return null;
    }
    if (positive ? d.isNegative() || d.isZero() : d.isNegative()) {
      problem(
          path,
          "expected a "
              + (positive ? "positive" : "non-negative")
              + " duration, got "
              + describe(path, v),
          v);
      return null;
    }
    return d;
  }

  /** A list; null (with a problem) when it is missing or not a list. */
  List<ConfigValue> list(String path) {
    ConfigValue v = required(path, "a list [ ... ]");
    if (v == null) return null;
    if (v.valueType() != ConfigValueType.LIST) {
      problem(path, "expected a list [ ... ], got " + describe(path, v), v);
      return null;
    }
    return new ArrayList<>(config.getList(path));
  }

  /** An object; null (with a problem if required) when it is missing or not an object. */
  ConfigObject object(String path, boolean required) {
    ConfigValue v = required ? required(path, "an object { ... }") : value(path);
    if (v == null) return null;
    if (v.valueType() != ConfigValueType.OBJECT) {
      if (reportedObjects.add(path))
        problem(path, "expected an object { ... }, got " + describe(path, v), v);
      return null;
    }
    return (ConfigObject) v;
  }

  /** A short rendering of a value for a message; secrets are never shown. */
  String describe(String path, ConfigValue v) {
    if (isSecret(path)) return "a " + typeName(v.valueType()) + " (not shown)";
    return switch (v.valueType()) {
      case LIST, OBJECT -> {
        String r = v.render(CONCISE);
        yield "a " + typeName(v.valueType()) + (r.length() <= 40 ? " " + r : "");
      }
      default -> {
        String r = v.render(CONCISE); // strings come out quoted: "0x12"
        yield r.length() <= 80 ? r : r.substring(0, 77) + "...";
      }
    };
  }

  private boolean isSecret(String path) {
    for (String s : secretPaths) if (path.equals(s) || path.startsWith(s + ".")) return true;
    return false;
  }

  private static String typeName(ConfigValueType t) {
    return switch (t) {
      case OBJECT -> "object";
      case LIST -> "list";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
      case NULL -> "null";
      case STRING -> "string";
    };
  }

  /** " (node.conf:14)" for a value from a file; "" when the origin has no line. */
  static String where(ConfigValue v) {
    if (v == null) return "";
    ConfigOrigin o = v.origin();
    String name =
        o.filename() != null ? Path.of(o.filename()).getFileName().toString() : o.resource();
    if (name == null || o.lineNumber() < 0) return "";
    return " (" + name + ":" + o.lineNumber() + ")";
  }

  /**
   * Reports every key under {@code root} that no read asked for, with a suggestion when a known
   * sibling is spelled alike.
   */
  void reportUnknownKeys(String root) {
    if (!config.hasPath(root)) return;
    ConfigValue v = config.getValue(root);
    if (v.valueType() != ConfigValueType.OBJECT) return; // reported when it was read
    walk(root, (ConfigObject) v);
  }

  private void walk(String path, ConfigObject obj) {
    for (String key : new TreeSet<>(obj.keySet())) {
      String child = join(path, key);
      ConfigValue cv = obj.get(key);
      if (cv.valueType() == ConfigValueType.OBJECT && hasConsumedBelow(child)) {
        walk(child, (ConfigObject) cv); // read key by key: look for unread keys inside
      } else if (!consumed.contains(child)) {
        String suggestion = suggest(path, key);
        problem(
            child,
            "unknown key" + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)"),
            cv);
      }
    }
  }

  private boolean hasConsumedBelow(String path) {
    String prefix = path + ".";
    for (String c : consumed) if (c.startsWith(prefix)) return true;
    return false;
  }

  private String suggest(String parent, String key) {
    String prefix = parent + ".";
    return consumed.stream()
        .filter(c -> c.startsWith(prefix))
        .map(c -> ConfigUtil.splitPath(c.substring(prefix.length())).get(0))
        .distinct()
        .filter(k -> !k.equals(key))
        .map(k -> new Object[] {k, distance(k, key)})
        .filter(a -> (int) a[1] <= Math.max(2, key.length() / 3))
        .min(Comparator.comparingInt(a -> (int) a[1]))
        .map(a -> (String) a[0])
        .orElse(null);
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}

package dev.vigil.node.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, written from the format's
 * specification (not from the writer under test): every line must be a HELP, TYPE or comment line,
 * blank, or a sample whose family was declared by a TYPE line before it. Histograms must have
 * cumulative buckets ending in +Inf equal to _count. Any violation fails with the line number.
 */
public final class PrometheusText {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( -?\\d+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

  /**
   * Samples by {@code name{label="value",...}} with labels sorted by name; families by name → type.
   */
  public record Exposition(Map<String, Double> samples, Map<String, String> types) {
    public double value(String key) {
      Double v = samples.get(key);
      if (v == null)
        throw new AssertionError("no sample " + key + "; samples: " + samples.keySet());
      return v;
    }
  }

  private PrometheusText() {}

  public static Exposition parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    Map<String, String> types = new HashMap<>();
    Map<String, Boolean> helped = new HashMap<>();
    String[] lines = text.split("\n", -1);
    if (!text.isEmpty() && !text.endsWith("\n"))
      throw new AssertionError("the exposition does not end with a newline");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int no = i + 1;
      if (line.isEmpty()) continue;
      if (line.startsWith("#")) {
        String[] p = line.split(" ", 4);
        if (p.length >= 3 && p[1].equals("HELP")) {
          name(p[2], no);
          if (helped.put(p[2], true) != null)
            throw new AssertionError("line " + no + ": second HELP for " + p[2]);
        } else if (p.length >= 3 && p[1].equals("TYPE")) {
          name(p[2], no);
          if (p.length != 4
              || !List.of("counter", "gauge", "histogram", "summary", "untyped").contains(p[3])) {
            throw new AssertionError("line " + no + ": bad TYPE line: " + line);
          }
          if (types.put(p[2], p[3]) != null)
            throw new AssertionError("line " + no + ": second TYPE for " + p[2]);
        }
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) throw new AssertionError("line " + no + ": not a sample: " + line);
      String name = m.group(1);
      String family = family(name, types);
      if (family == null)
        throw new AssertionError("line " + no + ": sample " + name + " has no TYPE line before it");
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null && !m.group(3).isEmpty()) {
        Matcher l = LABEL.matcher(m.group(3));
        int at = 0;
        while (at < m.group(3).length()) {
          if (!l.find(at) || l.start() != at)
            throw new AssertionError("line " + no + ": bad labels: " + m.group(3));
          if (labels.put(l.group(1), l.group(2)) != null)
            throw new AssertionError("line " + no + ": label " + l.group(1) + " twice");
          at = l.end();
        }
      }
      double value = value(m.group(4), no);
      String key = key(name, labels);
      if (samples.put(key, value) != null)
        throw new AssertionError("line " + no + ": sample " + key + " twice");
    }
    checkHistograms(samples, types);
    return new Exposition(samples, types);
  }

  public static String key(String name, Map<String, String> labels) {
    if (labels.isEmpty()) return name;
    StringBuilder sb = new StringBuilder(name).append('{');
    new TreeMap<>(labels).forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\","));
    sb.setLength(sb.length() - 1);
    return sb.append('}').toString();
  }

  private static String family(String sample, Map<String, String> types) {
    if (types.containsKey(sample)) return sample;
    for (String suffix : List.of("_total", "_created", "_bucket", "_sum", "_count")) {
      if (sample.endsWith(suffix)) {
        String f = sample.substring(0, sample.length() - suffix.length());
        String t = types.get(f);
        if (t == null) continue;
        boolean ok =
            switch (suffix) {
              case "_total" -> t.equals("counter");
              case "_created" ->
                  t.equals("counter") || t.equals("histogram") || t.equals("summary");
              case "_bucket" -> t.equals("histogram");
              default -> t.equals("histogram") || t.equals("summary");
            };
        if (ok) return f;
      }
    }
    return null;
  }

  private static void checkHistograms(Map<String, Double> samples, Map<String, String> types) {
    types.forEach(
        (family, type) -> {
          if (!type.equals("histogram")) return;
          Map<String, List<double[]>> bySeries = new HashMap<>();
          samples.forEach(
              (key, v) -> {
                if (!key.startsWith(family + "_bucket{")) return;
                String labels = key.substring(key.indexOf('{') + 1, key.length() - 1);
                Matcher le = Pattern.compile("(^|,)le=\"([^\"]+)\"").matcher(labels);
                if (!le.find()) throw new AssertionError("bucket without le: " + key);
                String series = labels.replace(le.group(0), "").replaceFirst("^,", "");
                bySeries
                    .computeIfAbsent(series, s -> new ArrayList<>())
                    .add(new double[] {value(le.group(2), 0), v});
              });
          if (bySeries.isEmpty()) return;
          bySeries.forEach(
              (series, buckets) -> {
                buckets.sort((a, b) -> Double.compare(a[0], b[0]));
                for (int i = 1; i < buckets.size(); i++) {
                  if (buckets.get(i)[1] < buckets.get(i - 1)[1])
                    throw new AssertionError(family + " buckets are not cumulative: " + series);
                }
                double[] last = buckets.get(buckets.size() - 1);
                if (last[0] != Double.POSITIVE_INFINITY)
                  throw new AssertionError(family + " has no +Inf bucket");
                String count = family + "_count" + (series.isEmpty() ? "" : "{" + series + "}");
                if (!samples.containsKey(count) || samples.get(count) != last[1]) {
                  throw new AssertionError(
                      family
                          + ": +Inf bucket "
                          + last[1]
                          + " != "
                          + count
                          + " "
                          + samples.get(count));
                }
              });
        });
  }

  private static void name(String name, int no) {
    if (!NAME.matcher(name).matches())
      throw new AssertionError("line " + no + ": bad metric name " + name);
  }

  private static double value(String text, int no) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new AssertionError("line " + no + ": bad value " + text);
        }
      }
    };
  }
}

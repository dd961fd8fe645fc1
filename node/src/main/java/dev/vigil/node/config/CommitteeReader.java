package dev.vigil.node.config;

import static dev.vigil.node.config.NodeSettingsLoader.ROOT;

import com.typesafe.config.ConfigValue;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vigil.node.committee} (who signs) and {@code vigil.node.governance} (who may change that).
 */
final class CommitteeReader {
  private final NodeValues values;
  private final ConfigReader reader;

  CommitteeReader(NodeValues values) {
    this.values = values;
    this.reader = values.reader();
  }

  CommitteeSettings committee() {
    String base = ROOT + ".committee";
    Long index = reader.integer(base + ".index", 0, 0xFFFF_FFFFL);
    Duration expiry = reader.duration(base + ".expiry-window", false);
    List<ConfigValue> list = reader.list(base + ".members");
    if (list == null) return null;
    String membersPath = base + ".members";
    boolean ok = true;
    if (list.isEmpty() || list.size() > Committee.MAX_MEMBERS) {
      reader.problem(
          membersPath,
          "a committee has 1 to " + Committee.MAX_MEMBERS + " members, got " + list.size(),
          reader.value(membersPath));
      return null;
    }
    List<Address> members = new ArrayList<>();
    Map<Address, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String p = membersPath + "[" + i + "]";
      Address a = values.address(p, list.get(i));
      if (a == null) {
        ok = false;
        continue;
      }
      Integer first = seen.putIfAbsent(a, i);
      if (first != null) {
        reader.problem(
            p,
            a
                + " is listed twice (also "
                + membersPath
                + "["
                + first
                + "]); the committee would count it once"
                + " and need quorum "
                + Committee.quorum(list.size())
                + " of fewer real members",
            list.get(i));
        ok = false;
      } else if (Address.wrap(new byte[Address.LENGTH]).equals(a)) {
        reader.problem(
            p,
            "the zero address cannot sign; its seat would count toward the size but never toward quorum",
            list.get(i));
        ok = false;
      }
      members.add(a);
    }
    if (!ok || index == null || expiry == null) return null;
    return new CommitteeSettings(index, members, expiry);
  }

  GovernanceSettings governance() {
    String base = ROOT + ".governance";
    Long chain = reader.integer(base + ".chain", 1, 0xFFFF);
    String addrPath = base + ".address";
    String s = reader.string(addrPath);
    Bytes32 emitter = null;
    if (s != null) {
      byte[] b = NodeValues.decodeHex(s);
      if (b != null && b.length == Bytes32.LENGTH) emitter = Bytes32.wrap(b);
      else if (b != null && b.length == Address.LENGTH)
        emitter = Bytes32.wrap(Address.wrap(b).toBytes32());
      else {
        reader.problem(
            addrPath,
            "expected a 32-byte emitter address (64 hex digits) or a 20-byte EVM address, got \""
                + s
                + "\"",
            reader.value(addrPath));
      }
    }
    return chain == null || emitter == null
        ? null
        : new GovernanceSettings(chain.intValue(), emitter);
  }
}

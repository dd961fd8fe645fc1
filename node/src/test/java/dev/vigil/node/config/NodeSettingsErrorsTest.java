package dev.vigil.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.signing.Address;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.keystore.DevKeys;
import dev.vigil.signing.keystore.KdfParams;
import dev.vigil.signing.keystore.KeyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per configuration mistake: the node file with that mistake appended must fail to load
 * with exactly one problem, naming the key, and a message saying what was expected.
 */
class NodeSettingsErrorsTest {
  @TempDir static Path tmp;
  static NodeFiles files;

  private static final String D0 = DevKeys.address(0).toChecksumHex();
  private static final String D1 = DevKeys.address(1).toChecksumHex();
  private static final String D2 = DevKeys.address(2).toChecksumHex();
  private static final String D3 = DevKeys.address(3).toChecksumHex();
  private static Address own;

  /** Guardian "own" (a key of its own, not a dev key) with password file {@code file}. */
  private static String ownKeyWithPasswordFile(String file) {
    return String.format(
        "vigil.node.committee.members = [\"%s\", \"%s\", \"%s\", \"%s\"]%n"
            + "vigil.node.key { file = keys/own.json, password-env = null, password-file = %s }",
        own.toChecksumHex(), D1, D2, D3, file);
  }

  @BeforeAll
  static void setUp() throws IOException {
    files = NodeFiles.create(tmp);
    Files.copy(tmp.resolve("keys/g0.json"), tmp.resolve("keys/loose.json"));
    Files.setPosixFilePermissions(
        tmp.resolve("keys/loose.json"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.copy(tmp.resolve("keys/g0.json"), tmp.resolve("keys/shared.json"));
    Files.setPosixFilePermissions(
        tmp.resolve("keys/shared.json"), PosixFilePermissions.fromString("rw--w----"));
    Files.copy(tmp.resolve("keys/g0.tls.key"), tmp.resolve("keys/loose.tls.key"));
    Files.setPosixFilePermissions(
        tmp.resolve("keys/loose.tls.key"), PosixFilePermissions.fromString("rw-r-----"));
    // a guardian with a key of its own (not a public dev key), for the password file's mode
    own =
        KeyFile.create(
            tmp.resolve("keys/own.json"),
            NodeFiles.PASSWORD.toCharArray(),
            PrivateKey.random(new SecureRandom()),
            KdfParams.LIGHT);
    for (String[] pw :
        new String[][] {
          {"own-password.txt", "rw-------"},
          {"loose-password.txt", "rw-r--r--"},
          {"shared-password.txt", "rw--w----"}
        }) {
      Files.writeString(tmp.resolve(pw[0]), NodeFiles.PASSWORD + "\n");
      Files.setPosixFilePermissions(tmp.resolve(pw[0]), PosixFilePermissions.fromString(pw[1]));
    }
    Files.writeString(tmp.resolve("a-file"), "not a directory");
    Files.writeString(tmp.resolve("keys/not-json.json"), "this is not json");
    Files.setPosixFilePermissions(
        tmp.resolve("keys/not-json.json"), PosixFilePermissions.fromString("rw-------"));
  }

  static Stream<Arguments> mistakes() {
    String many =
        IntStream.range(1, 257)
            .mapToObj(i -> "\"0x" + String.format("%040x", i) + "\"")
            .collect(Collectors.joining(","));
    return Stream.of(
        // typos: unknown keys, with a suggestion when a known key is spelled alike
        row(
            "typo at the top",
            "vigil.node.nmae = x",
            "vigil.node.nmae",
            "unknown key (did you mean 'name'?)"),
        row(
            "typo in a section",
            "vigil.node.http.prot = 80",
            "vigil.node.http.prot",
            "unknown key (did you mean 'port'?)"),
        row(
            "typo in a chain",
            "vigil.node.chains.alpha.rpc-url = [\"http://a:1\"]",
            "vigil.node.chains.alpha.rpc-url",
            "did you mean 'rpc-urls'?"),
        row(
            "unknown section",
            "vigil.node.metrics { port = 9 }",
            "vigil.node.metrics",
            "unknown key"),
        row("unknown module section", "vigil.nodes.name = x", "vigil.nodes", "unknown section"),
        // missing keys
        row(
            "missing name",
            "vigil.node.name = null",
            "vigil.node.name",
            "missing (expected a string)"),
        row("missing data dir", "vigil.node.data-dir = null", "vigil.node.data-dir", "missing"),
        row("missing key file", "vigil.node.key.file = null", "vigil.node.key.file", "missing"),
        row(
            "missing committee index",
            "vigil.node.committee.index = null",
            "vigil.node.committee.index",
            "missing"),
        row(
            "missing members",
            "vigil.node.committee.members = null",
            "vigil.node.committee.members",
            "missing (expected a list"),
        row(
            "missing governance address",
            "vigil.node.governance.address = null",
            "vigil.node.governance.address",
            "missing"),
        row("missing chains", "vigil.node.chains = null", "vigil.node.chains", "missing"),
        row(
            "missing chain id",
            "vigil.node.chains.alpha.id = null",
            "vigil.node.chains.alpha.id",
            "missing"),
        row(
            "missing core address",
            "vigil.node.chains.beta.core-address = null",
            "vigil.node.chains.beta.core-address",
            "missing"),
        row(
            "missing rpc urls",
            "vigil.node.chains.beta.rpc-urls = null",
            "vigil.node.chains.beta.rpc-urls",
            "missing"),
        // wrong types and ranges
        row(
            "section is not an object",
            "vigil.node.http = 8080",
            "vigil.node.http",
            "expected an object { ... }, got 8080"),
        row(
            "port is a word",
            "vigil.node.http.port = eighty",
            "vigil.node.http.port",
            "expected an integer 0..65535, got \"eighty\""),
        row(
            "port out of range",
            "vigil.node.cluster.port = 70000",
            "vigil.node.cluster.port",
            "expected an integer 0..65535, got 70000"),
        row(
            "fractional port",
            "vigil.node.cluster.port = 7401.5",
            "vigil.node.cluster.port",
            "expected an integer"),
        row(
            "negative committee index",
            "vigil.node.committee.index = -1",
            "vigil.node.committee.index",
            "0..4294967295"),
        row(
            "members not a list",
            "vigil.node.committee.members = \"" + D0 + "\"",
            "vigil.node.committee.members",
            "expected a list"),
        row(
            "bad expiry window",
            "vigil.node.committee.expiry-window = soon",
            "vigil.node.committee.expiry-window",
            "expected a duration such as 500ms, 2s or 24h, got \"soon\""),
        row(
            "bad poll interval",
            "vigil.node.chains.alpha.poll-interval = fast",
            "vigil.node.chains.alpha.poll-interval",
            "expected a duration"),
        row(
            "zero poll interval",
            "vigil.node.chains.alpha.poll-interval = 0s",
            "vigil.node.chains.alpha.poll-interval",
            "expected a positive duration, got \"0s\""),
        row(
            "negative start block",
            "vigil.node.chains.alpha.start-block = -1",
            "vigil.node.chains.alpha.start-block",
            "expected an integer 0..9223372036854775807, got -1"),
        row(
            "backoff below the poll interval",
            "vigil.node.chains.beta.max-backoff = 100ms",
            "vigil.node.chains.beta.max-backoff",
            "expected at least the poll interval (250ms) for chain 'beta', got 100ms"),
        row(
            "default backoff below a chain's poll interval",
                "vigil.node.chains.alpha.poll-interval = 2m",
            "vigil.node.chain-defaults.max-backoff",
                "expected at least the poll interval (120000ms) for chain 'alpha'"),
        row(
            "zero rpc timeout",
            "vigil.node.chains.alpha.rpc-timeout = 0s",
            "vigil.node.chains.alpha.rpc-timeout",
            "expected a positive duration"),
        row(
            "dispatcher block is not an object",
            "vigil.node.observer-dispatcher = 4",
            "vigil.node.observer-dispatcher",
            "expected an object"),
        row(
            "zero block range",
            "vigil.node.chains.beta.max-block-range = 0",
            "vigil.node.chains.beta.max-block-range",
            "expected an integer 1..1000000, got 0"),
        row(
            "bad chain default",
            "vigil.node.chain-defaults.max-block-range = lots",
            "vigil.node.chain-defaults.max-block-range",
            "expected an integer"),
        row(
            "bad name",
            "vigil.node.name = \"guardian zero\"",
            "vigil.node.name",
            "letters, digits"),
        row(
            "bad system name",
            "vigil.node.cluster.system-name = \"vigil node\"",
            "vigil.node.cluster.system-name",
            "actor system name"),
        row(
            "bad host",
            "vigil.node.http.host = \"http://localhost\"",
            "vigil.node.http.host",
            "expected a host name or IP address"),
        row(
            "bad bind host",
            "vigil.node.cluster.bind-host = \"a b\"",
            "vigil.node.cluster.bind-host",
            "expected a host name"),
        // addresses
        row(
            "short core address",
            "vigil.node.chains.beta.core-address = \"0x12\"",
            "vigil.node.chains.beta.core-address",
            "expected a 20-byte hex address, got \"0x12\""),
        row(
            "core address without 0x",
                "vigil.node.chains.beta.core-address = \"5FbDB2315678afecb367f032d93F642f64180aa3\"",
            "vigil.node.chains.beta.core-address", "expected a 20-byte hex address"),
        row(
            "bad checksum",
                "vigil.node.chains.alpha.core-address = \"0x5FbDB2315678afecb367f032d93F642f64180aA3\"",
            "vigil.node.chains.alpha.core-address", "bad EIP-55 checksum"),
        row(
            "bad member",
            "vigil.node.committee.members = [\""
                + D0
                + "\", \"nope\", \""
                + D2
                + "\", \""
                + D3
                + "\"]",
            "vigil.node.committee.members[1]",
            "expected a 20-byte hex address, got \"nope\""),
        row(
            "bad governance emitter",
            "vigil.node.governance.address = \"0x0004\"",
            "vigil.node.governance.address",
            "32-byte emitter address"),
        row(
            "governance chain 0",
            "vigil.node.governance.chain = 0",
            "vigil.node.governance.chain",
            "1..65535"),
        // committees that cannot reach quorum as written
        row(
            "no members",
            "vigil.node.committee.members = []",
            "vigil.node.committee.members",
            "1 to 255 members, got 0"),
        row(
            "too many members",
            "vigil.node.committee.members = [" + many + "]",
            "vigil.node.committee.members",
            "1 to 255 members, got 256"),
        row(
            "duplicate member",
            "vigil.node.committee.members = [\""
                + D0
                + "\", \""
                + D1
                + "\", \""
                + D2
                + "\", \""
                + D1.toLowerCase()
                + "\"]",
            "vigil.node.committee.members[3]",
            "listed twice (also vigil.node.committee.members[1])"),
        row(
            "zero-address member",
            "vigil.node.committee.members = [\""
                + D0
                + "\", \"0x"
                + "0".repeat(40)
                + "\", \""
                + D2
                + "\"]",
            "vigil.node.committee.members[1]",
            "the zero address cannot sign"),
        // chains
        row(
            "duplicate chain id",
            "vigil.node.chains.beta.id = 1",
            "vigil.node.chains.beta.id",
            "1 is also the id of chain 'alpha'"),
        row("chain id 0", "vigil.node.chains.beta.id = 0", "vigil.node.chains.beta.id", "1..65535"),
        row(
            "chain id too large",
            "vigil.node.chains.beta.id = 65536",
            "vigil.node.chains.beta.id",
            "1..65535"),
        row(
            "no chains",
            "vigil.node.chains = null\nvigil.node.chains {}",
            "vigil.node.chains",
            "at least one chain"),
        row(
            "bad chain name",
            "vigil.node.chains.Gamma { id = 3, rpc-urls = [\"http://a:1\"], core-address = \""
                + D0
                + "\" }",
            "vigil.node.chains.Gamma",
            "lower-case"),
        row(
            "no rpc urls",
            "vigil.node.chains.beta.rpc-urls = []",
            "vigil.node.chains.beta.rpc-urls",
            "at least one JSON-RPC URL"),
        row(
            "bad rpc scheme",
            "vigil.node.chains.beta.rpc-urls = [\"ftp://rpc.example.org\"]",
            "vigil.node.chains.beta.rpc-urls[0]",
            "expected an http or https URL"),
        row(
            "websocket rpc url",
            "vigil.node.chains.beta.rpc-urls = [\"ws://127.0.0.1:8546\"]",
            "vigil.node.chains.beta.rpc-urls[0]",
            "use the node's HTTP endpoint instead of its websocket"),
        row(
            "rpc url without host",
                "vigil.node.chains.alpha.rpc-urls = [\"http://127.0.0.1:8545\", \"localhost:8545\"]",
            "vigil.node.chains.alpha.rpc-urls[1]", "expected an http"),
        row(
            "finality word",
            "vigil.node.chains.alpha.finality = finalized",
            "vigil.node.chains.alpha.finality",
            "expected tags (the chain answers the safe and finalized block tags) or { confirmations = N }, got \"finalized\""),
        row(
            "zero confirmations",
            "vigil.node.chains.beta.finality.confirmations = 0",
            "vigil.node.chains.beta.finality.confirmations",
            "expected an integer 1..100000, got 0"),
        row(
            "finality with another key",
                "vigil.node.chains.beta.finality = { confirmations = 3, blocks = 3 }",
            "vigil.node.chains.beta.finality.blocks",
                "unknown key (finality is tags or { confirmations = N })"),
        row(
            "finality without confirmations",
                "vigil.node.chains.beta.finality = null\nvigil.node.chains.beta.finality {}",
            "vigil.node.chains.beta.finality.confirmations",
                "missing (expected an integer 1..100000)"),
        // cluster and http
        row(
            "seed without port",
                "vigil.node.cluster.seed-nodes = [\"127.0.0.1:7401\", \"localhost\"]",
            "vigil.node.cluster.seed-nodes[1]",
                "expected host:port such as 10.0.0.1:7100, got \"localhost\""),
        row(
            "seed as pekko url",
                "vigil.node.cluster.seed-nodes = [\"pekko://vigil@127.0.0.1:7401\"]",
            "vigil.node.cluster.seed-nodes[0]", "expected host:port"),
        row(
            "duplicate seed",
                "vigil.node.cluster.seed-nodes = [\"127.0.0.1:7401\", \"127.0.0.1:7401\"]",
            "vigil.node.cluster.seed-nodes[1]", "listed twice"),
        row(
            "no seeds for a committee of 4",
            "vigil.node.cluster.seed-nodes = []",
            "vigil.node.cluster.seed-nodes",
            "no seed nodes: the 4 guardians"),
        row(
            "http on the cluster port",
            "vigil.node.http.port = 7401",
            "vigil.node.http.port",
            "7401 is also vigil.node.cluster.port on the same host"),
        row(
            "agreement of more endpoints than there are",
            "vigil.node.chains.alpha.rpc-agreement = 3",
            "vigil.node.chains.alpha.rpc-agreement",
            "expected 0 (endpoints are alternatives) or 2..2 (how many of the 2 rpc-urls must"
                + " agree), got 3"),
        row(
            "agreement of one endpoint",
            "vigil.node.chains.alpha.rpc-agreement = 1",
            "vigil.node.chains.alpha.rpc-agreement",
            "got 1"),
        row(
            "more streams per client than in all",
            "vigil.node.http { max-streams = 10, max-streams-per-client = 11 }",
            "vigil.node.http.max-streams-per-client",
            "expected an integer 1..10, got 11"),
        row(
            "no streams at all",
            "vigil.node.http.max-streams = 0",
            "vigil.node.http.max-streams",
            "expected an integer 1..100000, got 0"),
        // key and password
        row(
            "two password sources",
            "vigil.node.key.password-file = password.txt",
            "vigil.node.key",
            "set at most one of password-env, password-file and password"),
        row(
            "bad password variable name",
            "vigil.node.key.password-env = \"MY-PASSWORD\"",
            "vigil.node.key.password-env",
            "expected an environment variable name"),
        row(
            "password variable not set",
            "vigil.node.key.password-env = NOT_SET_IN_THIS_TEST",
            "vigil.node.key.password-env",
            "environment variable NOT_SET_IN_THIS_TEST (the key file's password) is not set"),
        row(
            "default password variable not set",
            "vigil.node.key.password-env = null",
            "vigil.node.key.password-env",
            "VIGIL_KEY_PASSWORD"),
        row(
            "no password file",
                "vigil.node.key.password-env = null\nvigil.node.key.password-file = nope.txt",
            "vigil.node.key.password-file", "no password file at"),
        row(
            "password file readable by others",
            ownKeyWithPasswordFile("loose-password.txt"),
            "vigil.node.key.password-file",
            "password file "
                + tmp.resolve("loose-password.txt")
                + " is readable by group or others (mode rw-r--r--); restrict it with: chmod 600"),
        row(
            "password file writable by the group",
            ownKeyWithPasswordFile("shared-password.txt"),
            "vigil.node.key.password-file",
            "is writable by group or others (mode rw--w----): another user could change the key's"
                + " password"),
        row(
            "key file does not exist",
            "vigil.node.key.file = keys/nope.json",
            "vigil.node.key.file",
            "no key file at "
                + tmp.resolve("keys/nope.json")
                + " (create one with: vigil keygen --out"),
        row(
            "key file writable by the group",
            "vigil.node.key.file = keys/shared.json",
            "vigil.node.key.file",
            "is writable by group or others (mode rw--w----): another user could replace the key"),
        row(
            "tls key without certificate",
            "vigil.node.cluster.tls.key-file = keys/g0.tls.key",
            "vigil.node.cluster.tls.cert-file",
            "set both vigil.node.cluster.tls.key-file and .cert-file"),
        row(
            "tls certificate of another guardian",
            "vigil.node.cluster.tls { key-file = keys/g1.tls.key, cert-file = keys/g1.tls.crt }",
            "vigil.node.cluster.tls.cert-file",
            "is bound to " + D1 + ", not to this guardian's key " + D0),
        row(
            "tls key open to the group",
                "vigil.node.cluster.tls { key-file = keys/loose.tls.key, cert-file = keys/g0.tls.crt }",
            "vigil.node.cluster.tls.key-file",
                "is open to group or others (mode rw-r-----); restrict it with: chmod 600"),
        row(
            "tls key and certificate that do not belong together",
            "vigil.node.cluster.tls { key-file = keys/g1.tls.key, cert-file = keys/g0.json }",
            "vigil.node.cluster.tls.cert-file",
            "keys/g0.json has no PEM block"),
        row(
            "key file readable by others",
            "vigil.node.key.file = keys/loose.json",
            "vigil.node.key.file",
            "readable by group or others (mode rw-r--r--); restrict it with: chmod 600"),
        row(
            "key of a non-member",
            "vigil.node.key.file = keys/outsider.json",
            "vigil.node.key.file",
            "holds the key of " + DevKeys.address(5) + ", which is not a member of committee 7"),
        row(
            "key file is not a key file",
            "vigil.node.key.file = keys/not-json.json",
            "vigil.node.key.file",
            "cannot read key file"),
        row(
            "data dir is a file",
            "vigil.node.data-dir = a-file",
            "vigil.node.data-dir",
            "exists and is not a directory"),
        row(
            "empty data dir",
            "vigil.node.data-dir = \"\"",
            "vigil.node.data-dir",
            "expected a file path, got an empty string"));
  }

  private static Arguments row(String mistake, String hocon, String path, String expected) {
    return Arguments.of(mistake, hocon, path, expected);
  }

  @Test
  void anOwnerOnlyPasswordFileOfARealKeyLoads() throws IOException {
    NodeSettings s =
        NodeSettings.load(
            files.with(ownKeyWithPasswordFile("own-password.txt")), NodeFiles.strict());
    assertThat(s).isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void aMistakeIsReportedWithItsKeyPath(String mistake, String hocon, String path, String expected)
      throws IOException {
    Path file = files.with(hocon);
    assertThatThrownBy(() -> NodeSettings.load(file, NodeFiles.strict()))
        .isInstanceOf(NodeConfigException.class)
        .satisfies(
            e -> {
              NodeConfigException n = (NodeConfigException) e;
              assertThat(n.problems())
                  .as("problems for: %s", mistake)
                  .singleElement()
                  .satisfies(
                      p -> {
                        assertThat(p.path()).isEqualTo(path);
                        assertThat(p.message()).contains(expected);
                      });
              assertThat(n.getMessage()).contains(path + ": ").contains(expected);
            });
  }

  @org.junit.jupiter.api.Test
  void theBaseFileItselfLoads() {
    // guards the table: each row fails because of its own mistake, not because the base is broken
    assertThat(NodeSettings.load(files.node(), NodeFiles.strict()).name()).isEqualTo("g0");
  }
}

package dev.vigil.evm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a guardian's {@code GET /v1/evidence} serves into pieces: each with its message,
 * signer and index, and either the submission the staking contract takes or why there is none yet.
 */
public final class EvidenceFeed {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EvidenceFeed() {}

  /**
   * One piece of kept evidence. {@code number} is its position in the answer (what {@code --index}
   * picks).
   */
  public record Piece(
      int number,
      String message,
      String signer,
      Optional<EquivocationSubmission> submission,
      String incomplete) {
    /** A key that names this piece across polls: message, signer and the digests' bodies. */
    public String key() {
      return submission.map(s -> s.calldata()).orElse(message + "/" + signer + "/" + number);
    }
  }

  /**
   * The pieces of one answer.
   *
   * @throws IllegalArgumentException naming what is wrong when the text is not such an answer
   */
  public static List<Piece> parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    JsonNode list = root == null ? null : root.get("evidence");
    if (list == null || !list.isArray())
      throw new IllegalArgumentException("no \"evidence\" array in the answer");
    List<Piece> out = new ArrayList<>();
    int i = 0;
    for (JsonNode e : list) {
      int n = i++;
      String message = e.path("message").asText("?");
      String signer = e.path("signer").asText("?");
      JsonNode s = e.get("submission");
      if (s != null && s.isObject()) {
        try {
          out.add(
              new Piece(n, message, signer, Optional.of(EquivocationSubmission.fromJson(s)), null));
        } catch (IllegalArgumentException bad) {
          out.add(new Piece(n, message, signer, Optional.empty(), bad.getMessage()));
        }
      } else {
        String why =
            e.hasNonNull("incomplete")
                ? e.get("incomplete").asText()
                : e.has("undecodable") ? "the node cannot decode it" : "no submission";
        out.add(new Piece(n, message, signer, Optional.empty(), why));
      }
    }
    return out;
  }
}

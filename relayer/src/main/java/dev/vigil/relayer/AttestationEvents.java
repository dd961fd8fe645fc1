package dev.vigil.relayer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.DecodeResult;
import dev.vigil.signing.Hex;
import java.io.IOException;

/**
 * The attestation in one event of the API's stream: JSON whose {@code hex} is the attestation's
 * exact encoding, and whose event id is its message id ({@code chain/emitterHex/sequence}).
 */
final class AttestationEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AttestationEvents() {}

  /** An attestation as the node stored it. */
  record Received(Attestation attestation, byte[] raw) {}

  sealed interface Result {}

  record Ok(Received received) implements Result {}

  record Bad(String reason) implements Result {}

  /** Never throws: whatever the node sent, the answer is Ok or a reason why not. */
  static Result parse(SseParser.Event event) {
    JsonNode json;
    try {
      json = JSON.readTree(event.data());
    } catch (IOException | RuntimeException e) {
      return new Bad("data is not JSON: " + e.getMessage());
    }
    JsonNode hex = json == null ? null : json.get("hex");
    if (hex == null || !hex.isTextual()) return new Bad("no \"hex\" string in the event's JSON");
    byte[] raw;
    try {
      raw = Hex.decode(hex.asText());
    } catch (IllegalArgumentException e) {
      return new Bad("\"hex\" is not hex: " + e.getMessage());
    }
    return switch (AttestationCodec.decode(raw)) {
      case DecodeResult.Err<Attestation> err -> new Bad("\"hex\" is not an attestation: " + err);
      case DecodeResult.Ok<Attestation> ok -> {
        String id = ok.value().messageId().toString();
        if (event.id().isPresent() && !event.id().get().equals(id)) {
          yield new Bad(
              "event id " + event.id().get() + " is not the attestation's message id " + id);
        }
        yield new Ok(new Received(ok.value(), raw));
      }
    };
  }
}

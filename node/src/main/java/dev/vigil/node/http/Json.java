package dev.vigil.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.consensus.aggregation.Participation;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.GuardianSignature;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.signing.Hex;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The API's JSON shapes. Hex is 0x-prefixed lowercase, except in message ids, which use Wormhole's
 * {@code chain/emitterHex/sequence} form (the path form). A u64 (sequence) is a decimal string,
 * because a JSON number loses precision above 2^53 in most clients.
 */
public final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static byte[] bytes(Object node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain JSON nodes failed to serialize", e);
    }
  }

  static String string(Object node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain JSON nodes failed to serialize", e);
    }
  }

  static ObjectNode error(String error, String detail) {
    return MAPPER.createObjectNode().put("error", error).put("detail", detail);
  }

  /** {@code raw} is the exact stored or broadcast encoding of {@code a}. */
  static ObjectNode attestation(Attestation a, byte[] raw) {
    Body b = a.body();
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", a.messageId().toString());
    o.put("emitterChain", b.emitterChain());
    o.put("emitterAddress", "0x" + b.emitterAddress().toHex());
    o.put("sequence", Long.toUnsignedString(b.sequence()));
    o.put("digest", a.digest().toHex());
    o.put("version", a.version());
    o.put("committeeIndex", a.committeeIndex());
    ArrayNode indices = o.putArray("signerIndices");
    ArrayNode sigs = o.putArray("signatures");
    for (GuardianSignature s : a.signatures()) {
      indices.add(s.signerIndex());
      sigs.addObject()
          .put("signerIndex", s.signerIndex())
          .put("r", Hex.encode0x(s.signature().r()))
          .put("s", Hex.encode0x(s.signature().s()))
          .put("v", s.signature().v());
    }
    o.putObject("body")
        .put("timestamp", b.timestamp())
        .put("nonce", b.nonce())
        .put("emitterChain", b.emitterChain())
        .put("emitterAddress", "0x" + b.emitterAddress().toHex())
        .put("sequence", Long.toUnsignedString(b.sequence()))
        .put("consistencyLevel", b.consistencyLevel())
        .put("payload", Hex.encode0x(b.payload()));
    o.put("hex", Hex.encode0x(raw));
    o.put("base64", Base64.getEncoder().encodeToString(raw));
    return o;
  }

  /**
   * Kept equivocation evidence: each piece with both signed observations, and its {@code
   * submission} (the staking contract's input, with the encoded call) or, while a body is missing,
   * {@code "submission": null} and why ({@code incomplete}); undecodable bytes are shown raw.
   */
  public static ObjectNode evidence(
      java.util.List<dev.vigil.storage.EvidenceRecord> records, long total) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("total", total);
    ArrayNode list = o.putArray("evidence");
    for (dev.vigil.storage.EvidenceRecord r : records) {
      ObjectNode e = list.addObject();
      e.put("message", r.key().toString());
      e.put("signer", r.signer().toString());
      e.put("index", r.index());
      java.util.List<SignedObservation> both = WireCodec.decodeEquivocation(r.evidence());
      if (both == null) {
        e.put("undecodable", Hex.encode(r.evidence()));
        continue;
      }
      ArrayNode signed = e.putArray("signed");
      for (SignedObservation so : both) {
        ObjectNode one =
            signed
                .addObject()
                .put("committeeIndex", so.committeeIndex())
                .put("signerIndex", so.signerIndex())
                .put("message", so.messageId().toString())
                .put("digest", so.digest().toHex())
                .put("signature", Hex.encode(so.signature().toBytes()))
                .put("txHash", so.txHash().toHex());
        // Signatures travel without bodies: a body is here when this guardian knew it (its own
        // observation, or the attested one); without it the digest is all that was signed.
        if (so.body().isPresent()) one.put("body", Hex.encode(so.body().get().encode()));
        else one.putNull("body");
      }
      // Exactly what VigilStaking.submitEquivocation takes, or why it cannot be submitted yet.
      switch (dev.vigil.evm.EquivocationSubmission.from(both, r.signer())) {
        case dev.vigil.evm.EquivocationSubmission.Complete c ->
            c.submission().toJson(e.putObject("submission"));
        case dev.vigil.evm.EquivocationSubmission.Incomplete i -> {
          e.putNull("submission");
          e.put("incomplete", i.reason());
        }
      }
    }
    return o;
  }

  /** Messages without quorum yet ({@code GET /v1/pending}). */
  static ObjectNode pending(
      java.util.List<dev.vigil.consensus.aggregation.PendingMessage> list, Committee c) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("quorum", c.quorum());
    ArrayNode a = o.putArray("pending");
    for (var p : list) {
      ObjectNode e = a.addObject();
      e.put("message", p.id().toString());
      e.put("observedHere", p.observedHere());
      if (p.digest() != null) e.put("digest", p.digest().toHex());
      e.put("ageSeconds", p.ageMillis() / 1000.0);
      ArrayNode signed = e.putArray("signed");
      ArrayNode waiting = e.putArray("waitingFor");
      for (int i = 0; i < c.size(); i++) (p.signedBy().contains(i) ? signed : waiting).add(i);
    }
    return o;
  }

  /** Every guardian's participation as this node saw it ({@code GET /v1/guardians}). */
  static ObjectNode guardians(Participation.Report r, Instant now) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("committeeIndex", r.committee().index());
    o.put("time", now.toString());
    o.put("graceSeconds", r.grace().toMillis() / 1000.0);
    o.put("inGrace", r.inGrace());
    ArrayNode windows = o.putArray("windows");
    for (Participation.Window w : Participation.Window.values()) windows.add(w.label());
    ArrayNode list = o.putArray("guardians");
    for (Participation.Member m : r.members()) list.add(guardian(m, now));
    return o;
  }

  /** One guardian's entry, as in the list. */
  static ObjectNode guardian(Participation.Member m, Instant now) {
    ObjectNode o = MAPPER.createObjectNode();
    if (m.index().isPresent()) o.put("index", m.index().get());
    else o.putNull("index");
    o.put("address", m.address().toChecksumHex());
    o.put("nodeName", m.lastHeartbeat().map(Participation.Heartbeat::nodeName).orElse(null));
    o.put("member", m.member());
    if (m.lastHeartbeat().isPresent()) {
      long at = m.lastHeartbeat().get().atMillis();
      o.putObject("lastHeartbeat")
          .put("at", Instant.ofEpochMilli(at).toString())
          .put("ageSeconds", Math.max(0, now.toEpochMilli() - at) / 1000.0);
    } else {
      o.putNull("lastHeartbeat");
    }
    ObjectNode windows = o.putObject("windows");
    for (Participation.Window w : Participation.Window.values()) {
      Participation.Counts c = m.counts(w);
      ObjectNode wo =
          windows
              .putObject(w.label())
              .put("signed", c.signed())
              .put("late", c.late())
              .put("missed", c.missed())
              .put("equivocations", c.equivocations());
      if (c.participation().isPresent())
        wo.put("participation", Math.round(c.participation().getAsDouble() * 10_000) / 10_000.0);
      else wo.putNull("participation");
    }
    return o;
  }

  static ObjectNode committee(Committee c) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("index", c.index());
    o.put("size", c.size());
    o.put("quorum", c.quorum());
    ArrayNode members = o.putArray("members");
    for (int i = 0; i < c.size(); i++) {
      members.addObject().put("index", i).put("address", c.member(i).toChecksumHex());
    }
    return o;
  }

  static ObjectNode status(NodeStatus s, Instant now) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("nodeName", s.nodeName());
    o.put("version", s.version());
    o.put("committeeIndex", s.committeeIndex());
    o.put("selfIndex", s.selfIndex());
    o.put("time", now.toString());
    ArrayNode chains = o.putArray("chains");
    for (NodeStatus.Chain c : s.chains()) {
      ObjectNode co =
          chains
              .addObject()
              .put("chainId", c.chainId())
              .put("name", c.name())
              .put("height", c.height())
              .put("head", c.head())
              .put("safe", c.safe())
              .put("finalized", c.finalized())
              .put("rpcErrors", c.rpcErrors());
      if (c.lastError() != null) co.put("lastError", c.lastError());
    }
    ArrayNode peers = o.putArray("peers");
    for (NodeStatus.Peer p : s.peers()) {
      ObjectNode po =
          peers
              .addObject()
              .put("signerIndex", p.signerIndex())
              .put("address", p.address().toChecksumHex())
              .put("nodeName", p.nodeName().orElse(null))
              .put("reachable", p.reachable());
      if (p.lastHeartbeat().isPresent()) {
        Instant at = p.lastHeartbeat().get();
        po.put("lastHeartbeat", at.toString())
            .put("lastHeartbeatAgeMillis", Math.max(0, now.toEpochMilli() - at.toEpochMilli()));
      } else {
        po.putNull("lastHeartbeat").putNull("lastHeartbeatAgeMillis");
      }
      ObjectNode heights = po.putObject("heights");
      new TreeMap<>(p.heights()).forEach((chain, h) -> heights.put(Integer.toString(chain), h));
      ObjectNode peerCounts = po.putObject("counts");
      new TreeMap<>(p.counts()).forEach(peerCounts::put);
    }
    ObjectNode counts = o.putObject("counts");
    for (Map.Entry<String, Long> e : new TreeMap<>(s.counts()).entrySet())
      counts.put(e.getKey(), e.getValue());
    return o;
  }
}

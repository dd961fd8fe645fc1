package dev.vigil.consensus.actor;

import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.DecodeResult;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.signing.Address;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.storage.EvidenceRecord;
import dev.vigil.storage.VigilDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bodies of equivocation evidence in the node's database: which kept pieces lack a body, which
 * body this guardian holds for a digest (its own pending observations, its attestations, or other
 * evidence), and completing a piece with a body. Blocking calls, made only on the blocking
 * dispatcher.
 */
final class EvidenceBodyStore {
  /** A half of kept evidence whose body is not known here. */
  record Missing(MessageId messageId, Digest digest) {}

  private final VigilDatabase db;

  EvidenceBodyStore(VigilDatabase db) {
    this.db = db;
  }

  /**
   * Keeps evidence unless the same two digests are kept against that signer already; a copy that
   * knows a body the kept one lacks completes it instead. Returns true when something was written.
   */
  boolean append(SignedObservation first, SignedObservation second, Address signer) {
    for (EvidenceRecord r : db.evidence().get(first.messageId(), signer)) {
      List<SignedObservation> kept = WireCodec.decodeEquivocation(r.evidence());
      if (kept == null
          || !Set.of(kept.get(0).digest(), kept.get(1).digest())
              .equals(Set.of(first.digest(), second.digest()))) continue;
      boolean changed = false;
      for (SignedObservation so : List.of(first, second)) {
        if (so.body().isPresent()) {
          List<SignedObservation> more = withBody(kept, so.body().get());
          if (more != null) {
            kept = more;
            changed = true;
          }
        }
      }
      return changed
          && db.evidence().replace(r, WireCodec.encodeEquivocation(kept.get(0), kept.get(1)));
    }
    return db.evidence()
        .append(first.messageId(), signer, WireCodec.encodeEquivocation(first, second));
  }

  /**
   * Halves of kept evidence without a body, in key order, at most {@code limit}; those whose body
   * is held here after all (the message was observed or attested since) are completed on the way.
   */
  List<Missing> missing(int limit) {
    List<EvidenceRecord> incomplete = new ArrayList<>();
    db.evidence()
        .forEach(
            r -> {
              List<SignedObservation> pair = WireCodec.decodeEquivocation(r.evidence());
              if (pair != null && pair.stream().anyMatch(so -> so.body().isEmpty()))
                incomplete.add(r);
              return incomplete.size() < 4 * limit;
            });
    List<Missing> out = new ArrayList<>();
    for (EvidenceRecord r : incomplete) {
      List<SignedObservation> pair = WireCodec.decodeEquivocation(r.evidence());
      for (SignedObservation so : pair) {
        if (so.body().isPresent()) continue;
        Optional<Body> held = bodyFor(so.messageId(), so.digest());
        if (held.isPresent()) complete(held.get());
        else if (out.size() < limit) out.add(new Missing(so.messageId(), so.digest()));
      }
    }
    return out;
  }

  /** A body with exactly this digest and message id that this guardian holds, if any. */
  Optional<Body> bodyFor(MessageId id, Digest digest) {
    var attested = db.attestations().get(id);
    if (attested.isPresent()
        && AttestationCodec.decode(attested.get().bytes())
            instanceof DecodeResult.Ok<dev.vigil.consensus.attestation.Attestation> ok
        && ok.value().digest().equals(digest)) return Optional.of(ok.value().body());
    var pending = db.pendingOwn().get(id);
    if (pending.isPresent()) {
      var e = WireCodec.decodePendingOwn(pending.get());
      if (e != null && e.getValue().digest().equals(digest)) return Optional.of(e.getKey().body());
    }
    for (EvidenceRecord r : db.evidence().forMessage(id)) {
      List<SignedObservation> pair = WireCodec.decodeEquivocation(r.evidence());
      if (pair == null) continue;
      for (SignedObservation so : pair)
        if (so.digest().equals(digest) && so.body().isPresent()) return so.body();
    }
    return Optional.empty();
  }

  /**
   * Attaches {@code body} to every kept half of its message that signed its digest and lacks it.
   * The caller has checked nothing: a body is attached only where its own digest was signed.
   * Returns how many pieces were completed.
   */
  int complete(Body body) {
    int done = 0;
    for (EvidenceRecord r : db.evidence().forMessage(body.messageId())) {
      List<SignedObservation> pair = WireCodec.decodeEquivocation(r.evidence());
      if (pair == null) continue;
      List<SignedObservation> more = withBody(pair, body);
      if (more != null
          && db.evidence().replace(r, WireCodec.encodeEquivocation(more.get(0), more.get(1))))
        done++;
    }
    return done;
  }

  /** The pair with {@code body} attached where it fits, or null when it fits nowhere new. */
  private static List<SignedObservation> withBody(List<SignedObservation> pair, Body body) {
    Digest d = body.digest();
    SignedObservation a = pair.get(0).withBodyIfSigned(body, d);
    SignedObservation b = pair.get(1).withBodyIfSigned(body, d);
    if (a == pair.get(0) && b == pair.get(1)) return null;
    return List.of(a, b);
  }
}

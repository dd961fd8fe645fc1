package dev.vigil.node.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.DecodeResult;
import dev.vigil.node.metrics.NodeMetrics;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.storage.EvidenceRecord;
import dev.vigil.storage.StoredAttestation;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API's routes. Every answer that is not a stream or metrics is JSON, errors included. */
final class Routes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(Routes.class);
  private static final ContentType METRICS_TYPE = ContentTypes.parse(NodeMetrics.CONTENT_TYPE);
  private static final Duration STATUS_DEADLINE = Duration.ofSeconds(5);
  static final String ENDPOINTS =
      "GET /v1/attestations/{chain}/{emitter}/{sequence}, /v1/attestations/by-digest/{digest}, "
          + "/v1/attestations/stream, /v1/committee, /v1/evidence, /v1/status, /v1/pending,"
          + " /v1/guardians, /v1/guardians/{address}, /metrics, /healthz, /readyz, / (the dashboard)";
  static final int EVIDENCE_DEFAULT_LIMIT = 100;
  static final int EVIDENCE_MAX_LIMIT = 1000;

  private final HttpApi.Dependencies deps;
  private final HttpApiSettings settings;
  private final AttestationStream stream;
  private final Executor blocking;

  Routes(
      HttpApi.Dependencies deps,
      HttpApiSettings settings,
      AttestationStream stream,
      Executor blocking) {
    this.deps = deps;
    this.settings = settings;
    this.stream = stream;
    this.blocking = blocking;
  }

  Route route() {
    return withRequestTimeoutResponse(
        Routes::timedOut,
        () ->
            handleExceptions(
                exceptions(),
                () ->
                    handleRejections(
                        rejections(),
                        () ->
                            concat(
                                pathPrefix(
                                    "v1",
                                    () ->
                                        concat(
                                            pathPrefix(
                                                "attestations",
                                                () ->
                                                    concat(
                                                        path("stream", () -> get(this::stream)),
                                                        path(
                                                            segment("by-digest").slash(segment()),
                                                            d -> get(() -> byDigest(d))),
                                                        pathPrefix(
                                                            segment().slash(segment()),
                                                            (c, e) ->
                                                                path(
                                                                    segment(),
                                                                    s ->
                                                                        get(
                                                                            () ->
                                                                                byId(c, e, s)))))),
                                            path("committee", () -> get(this::committee)),
                                            path("evidence", () -> get(this::evidence)),
                                            path("status", () -> get(this::status)),
                                            path("pending", () -> get(this::pending)),
                                            pathPrefix(
                                                "guardians",
                                                () ->
                                                    concat(
                                                        pathEndOrSingleSlash(
                                                            () -> get(() -> guardians(null))),
                                                        path(
                                                            segment(),
                                                            a -> get(() -> guardians(a))))))),
                                pathSingleSlash(() -> get(() -> dashboard("index.html"))),
                                path(
                                    "dashboard",
                                    () -> redirect(Uri.create("/"), StatusCodes.FOUND)),
                                pathPrefix(
                                    "assets",
                                    () ->
                                        path(
                                            segment(),
                                            name ->
                                                DASHBOARD_ASSETS.contains(name)
                                                    ? get(() -> dashboard(name))
                                                    : reject())),
                                path("metrics", () -> get(this::metrics)),
                                path(
                                    "healthz",
                                    () ->
                                        get(
                                            () ->
                                                complete(
                                                    json(
                                                        StatusCodes.OK,
                                                        Json.MAPPER
                                                            .createObjectNode()
                                                            .put("status", "up"))))),
                                path("readyz", () -> get(this::readyz))))));
  }

  /** pekko-http's request timeout (pekko.http.server.request-timeout), answered as JSON too. */
  private static HttpResponse timedOut(org.apache.pekko.http.javadsl.model.HttpRequest req) {
    return json(
        StatusCodes.SERVICE_UNAVAILABLE,
        Json.error(
            "timeout",
            "the node did not answer "
                + req.method().name()
                + " "
                + Params.shorten(req.getUri().path())
                + " in time"));
  }

  // ---------------------------------------------------------------- endpoints

  private Route byId(String chain, String emitter, String sequence) {
    MessageId id = Params.messageId(chain, emitter, sequence);
    return async(
        () ->
            deps.attestations()
                .get(id)
                .map(this::attestationResponse)
                .orElseThrow(() -> ApiError.notFound("no attestation for message " + id)));
  }

  private Route byDigest(String digestText) {
    Digest digest = Digest.wrap(Params.digest("digest", digestText));
    return async(
        () ->
            deps.attestations()
                .getByDigest(digest)
                .map(this::attestationResponse)
                .orElseThrow(() -> ApiError.notFound("no attestation with digest " + digest)));
  }

  private HttpResponse attestationResponse(StoredAttestation stored) {
    byte[] raw = stored.bytes();
    return switch (AttestationCodec.decode(raw)) {
      case DecodeResult.Ok<Attestation> ok ->
          json(StatusCodes.OK, Json.attestation(ok.value(), raw));
      case DecodeResult.Err<Attestation> err -> {
        log.error("stored attestation {} does not decode: {}", stored.key(), err);
        throw new ApiError(
            StatusCodes.INTERNAL_SERVER_ERROR,
            "corrupt attestation",
            "the attestation stored for " + stored.key() + " does not decode: " + err);
      }
    };
  }

  private Route committee() {
    return complete(json(StatusCodes.OK, Json.committee(deps.committee().get())));
  }

  /**
   * Equivocation evidence this node kept: members that signed two digests for one message, with
   * both signed observations, so anyone can check the signatures themselves.
   */
  private Route evidence() {
    return parameterOptional(
        "limit",
        limitText -> {
          int limit =
              limitText
                  .map(t -> Params.limit("limit", t, EVIDENCE_MAX_LIMIT))
                  .orElse(EVIDENCE_DEFAULT_LIMIT);
          return async(
              () -> {
                List<EvidenceRecord> records = new java.util.ArrayList<>();
                long[] total = {0};
                deps.evidence()
                    .forEach(
                        r -> {
                          if (records.size() < limit) records.add(r);
                          total[0]++;
                          return true;
                        });
                return json(StatusCodes.OK, Json.evidence(records, total[0]));
              });
        });
  }

  private Route status() {
    CompletionStage<HttpResponse> response =
        deps.status()
            .status()
            .toCompletableFuture()
            .orTimeout(STATUS_DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .thenApply(s -> json(StatusCodes.OK, Json.status(s, Instant.now())))
            .exceptionally(
                err -> {
                  Throwable cause = unwrap(err);
                  String detail =
                      cause instanceof TimeoutException
                          ? "the node did not report its status within "
                              + STATUS_DEADLINE.toMillis()
                              + " ms"
                          : "the node could not report its status: "
                              + (cause.getMessage() != null
                                  ? cause.getMessage()
                                  : cause.getClass().getSimpleName());
                  log.warn("GET /v1/status failed: {}", cause.toString());
                  return json(
                      StatusCodes.SERVICE_UNAVAILABLE, Json.error("status unavailable", detail));
                });
    return completeWithFuture(response);
  }

  /** The dashboard's files, inside the jar: nothing is loaded from anywhere else. */
  static final java.util.Set<String> DASHBOARD_ASSETS =
      java.util.Set.of("dashboard.js", "dashboard.css");

  private Route dashboard(String name) {
    return respondWithHeader(
        RawHeader.create(
            "Content-Security-Policy",
            "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'"),
        () -> getFromResource("dev/vigil/node/http/dashboard/" + name));
  }

  private Route pending() {
    CompletionStage<HttpResponse> response =
        deps.status()
            .pending()
            .toCompletableFuture()
            .orTimeout(STATUS_DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .thenApply(list -> json(StatusCodes.OK, Json.pending(list, deps.committee().get())))
            .exceptionally(
                err ->
                    json(
                        StatusCodes.SERVICE_UNAVAILABLE,
                        Json.error(
                            "pending unavailable",
                            "the node could not list its pending messages: " + unwrap(err))));
    return completeWithFuture(response);
  }

  /**
   * Every guardian's participation as this node saw it, or one guardian's ({@code address} given):
   * 400 for a malformed address, 404 for one that is not a member and was never seen here.
   */
  private Route guardians(String addressText) {
    Address address = addressText == null ? null : Params.address("address", addressText);
    CompletionStage<HttpResponse> response =
        deps.status()
            .participation()
            .toCompletableFuture()
            .orTimeout(STATUS_DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .thenApply(
                r -> {
                  Instant now = Instant.now();
                  if (address == null) return json(StatusCodes.OK, Json.guardians(r, now));
                  return r.member(address)
                      .map(m -> json(StatusCodes.OK, Json.guardian(m, now)))
                      .orElseThrow(
                          () ->
                              ApiError.notFound(
                                  "no guardian "
                                      + address.toChecksumHex()
                                      + ": it is not a member of committee "
                                      + r.committee().index()
                                      + " and this node has never seen it sign or send a"
                                      + " heartbeat"));
                })
            .exceptionally(
                err -> {
                  Throwable cause = unwrap(err);
                  if (cause instanceof ApiError) return errorResponse(cause);
                  String detail =
                      cause instanceof TimeoutException
                          ? "the node did not report participation within "
                              + STATUS_DEADLINE.toMillis()
                              + " ms"
                          : "the node could not report participation: "
                              + (cause.getMessage() != null
                                  ? cause.getMessage()
                                  : cause.getClass().getSimpleName());
                  return json(
                      StatusCodes.SERVICE_UNAVAILABLE,
                      Json.error("participation unavailable", detail));
                });
    return completeWithFuture(response);
  }

  private Route metrics() {
    return complete(
        HttpResponse.create()
            .withEntity(HttpEntities.create(METRICS_TYPE, deps.metrics().scrape())));
  }

  private Route readyz() {
    CompletionStage<HttpResponse> response =
        deps.readiness()
            .evaluate(blocking, settings.readinessDeadline())
            .thenApply(
                outcomes -> {
                  List<String> failing =
                      outcomes.stream()
                          .filter(o -> !o.ready())
                          .map(Readiness.Outcome::name)
                          .toList();
                  ObjectNode body =
                      failing.isEmpty()
                          ? Json.MAPPER.createObjectNode()
                          : Json.error(
                              "not ready", "failing checks: " + String.join(", ", failing));
                  body.put("ready", failing.isEmpty());
                  ArrayNode checks = body.putArray("checks");
                  for (Readiness.Outcome o : outcomes) {
                    checks
                        .addObject()
                        .put("name", o.name())
                        .put("ready", o.ready())
                        .put("detail", o.detail());
                  }
                  return json(
                      failing.isEmpty() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body);
                });
    return completeWithFuture(response);
  }

  private Route stream() {
    return parameterOptional(
        "chain",
        chainText ->
            parameterOptional(
                "emitter",
                emitterText ->
                    parameterOptional(
                        "from",
                        fromText ->
                            optionalHeaderValueByName(
                                "Last-Event-ID",
                                lastId ->
                                    extractRequest(
                                        request -> {
                                          OptionalInt chain =
                                              chainText
                                                  .map(
                                                      t -> OptionalInt.of(Params.chain("chain", t)))
                                                  .orElse(OptionalInt.empty());
                                          Optional<Bytes32> emitter =
                                              emitterText.map(t -> Params.emitter("emitter", t));
                                          Optional<Long> from =
                                              fromText.map(t -> Params.sequence("from", t));
                                          if (emitter.isPresent() && chain.isEmpty()) {
                                            throw ApiError.badRequest(
                                                "invalid stream filter",
                                                "emitter needs chain: an emitter address is only unique within its chain");
                                          }
                                          if (from.isPresent() && emitter.isEmpty()) {
                                            throw ApiError.badRequest(
                                                "invalid stream filter",
                                                "from needs chain and emitter: a resume point is a sequence of one emitter");
                                          }
                                          if (stream.subscriberCount() >= settings.maxStreams()) {
                                            // checked before subscribing, so concurrent opens may
                                            // pass it together: a soft bound, a few over at most
                                            throw new ApiError(
                                                StatusCodes.SERVICE_UNAVAILABLE,
                                                "too many streams",
                                                "this node serves at most "
                                                    + settings.maxStreams()
                                                    + " attestation streams at once; try again later");
                                          }
                                          // the connection's address, not a header: a client
                                          // cannot claim to be another to get more streams
                                          String client =
                                              request
                                                  .getAttribute(AttributeKeys.remoteAddress)
                                                  .flatMap(RemoteAddress::getAddress)
                                                  .map(InetAddress::getHostAddress)
                                                  .orElse("unknown");
                                          if (stream.subscriberCount(client)
                                              >= settings.maxStreamsPerClient()) {
                                            throw new ApiError(
                                                StatusCodes.TOO_MANY_REQUESTS,
                                                "too many streams from this client",
                                                "this node serves at most "
                                                    + settings.maxStreamsPerClient()
                                                    + " attestation streams to one client ("
                                                    + client
                                                    + ") at once; close one first");
                                          }
                                          AttestationStream.Filter filter =
                                              new AttestationStream.Filter(chain, emitter);
                                          // A reconnecting EventSource repeats the URL and sends
                                          // the last id it saw; for a
                                          // one-emitter stream that id says where to go on.
                                          // Otherwise it is ignored.
                                          Optional<Long> resume =
                                              lastId
                                                  .flatMap(t -> resumeAfter(t, filter))
                                                  .or(() -> from);
                                          String who = client + " (" + filter + ")";
                                          return respondWithHeader(
                                              CacheControl.create(CacheDirectives.NO_CACHE),
                                              () ->
                                                  completeOK(
                                                      stream.open(filter, resume, client, who),
                                                      EventStreamMarshalling.toEventStream()));
                                        })))));
  }

  /**
   * The sequence after the one in {@code lastEventId}, if it is a message id of the filter's
   * emitter.
   */
  private static Optional<Long> resumeAfter(String lastEventId, AttestationStream.Filter filter) {
    if (filter.emitter().isEmpty()) return Optional.empty();
    MessageId last;
    try {
      last = MessageId.parse(lastEventId.strip());
    } catch (IllegalArgumentException notOurs) {
      return Optional.empty();
    }
    if (!filter.matches(last) || last.sequence() == -1L) return Optional.empty();
    return Optional.of(last.sequence() + 1);
  }

  // ---------------------------------------------------------------- plumbing

  /** Runs a store read on the blocking dispatcher; an ApiError becomes its JSON answer. */
  private Route async(Supplier<HttpResponse> read) {
    return completeWithFuture(
        CompletableFuture.supplyAsync(read, blocking)
            .exceptionally(err -> errorResponse(unwrap(err))));
  }

  static HttpResponse json(StatusCode status, Object body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.bytes(body)));
  }

  private static HttpResponse errorResponse(Throwable err) {
    if (err instanceof ApiError e) return json(e.status(), Json.error(e.error(), e.detail()));
    log.error("HTTP request failed", err);
    return json(
        StatusCodes.INTERNAL_SERVER_ERROR,
        Json.error(
            "internal error",
            "the node failed to answer (" + err.getClass().getSimpleName() + "); see its log"));
  }

  private static Throwable unwrap(Throwable err) {
    while ((err instanceof CompletionException || err instanceof ExecutionException)
        && err.getCause() != null) {
      err = err.getCause();
    }
    return err;
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .matchAny(err -> complete(errorResponse(unwrap(err))))
        .build();
  }

  private RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handleAll(
            MethodRejection.class,
            rejections -> {
              List<HttpMethod> allowed =
                  rejections.stream().map(MethodRejection::supported).distinct().toList();
              String names =
                  allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
              return extractRequest(
                  req ->
                      respondWithHeader(
                          Allow.create(allowed.toArray(HttpMethod[]::new)),
                          () ->
                              complete(
                                  json(
                                      StatusCodes.METHOD_NOT_ALLOWED,
                                      Json.error(
                                          "method not allowed",
                                          req.method().name()
                                              + " is not allowed on "
                                              + req.getUri().path()
                                              + "; allowed: "
                                              + names)))));
            })
        .handleNotFound(
            extractRequest(
                req ->
                    complete(
                        json(
                            StatusCodes.NOT_FOUND,
                            Json.error(
                                "not found",
                                "no endpoint at "
                                    + req.method().name()
                                    + " "
                                    + Params.shorten(req.getUri().path())
                                    + "; endpoints: "
                                    + ENDPOINTS)))))
        .build()
        // anything else (bad query string, unsupported content type…): the default status, as JSON
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(Routes::asJsonError);
  }

  private static HttpResponse asJsonError(HttpResponse response) {
    if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) return response;
    String text =
        response.entity() instanceof HttpEntity.Strict strict ? strict.getData().utf8String() : "";
    return response.withEntity(
        HttpEntities.create(
            ContentTypes.APPLICATION_JSON,
            Json.bytes(
                Json.error(response.status().reason().toLowerCase(java.util.Locale.ROOT), text))));
  }
}

package dev.vigil.node.http;

import java.util.Locale;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests too malformed to reach the routes (URI too long, bad request line, headers too
 * large) with the API's JSON error instead of pekko-http's plain text. pekko-http instantiates it
 * by class name ({@code pekko.http.server.parsing.error-handler}).
 */
final class JsonParsingErrorHandler extends ParsingErrorHandler {
  JsonParsingErrorHandler() {}

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    log.debug("malformed request: {}", info.formatPretty());
    return Routes.json(
        status, Json.error(status.reason().toLowerCase(Locale.ROOT), info.formatPretty()));
  }
}

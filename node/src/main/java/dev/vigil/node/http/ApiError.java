package dev.vigil.node.http;

import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * A request the API refuses, with the status and the JSON {@code {"error", "detail"}} it answers.
 * Thrown by parsers and handlers, turned into a response in one place; never carries a stack trace
 * to the client.
 */
final class ApiError extends RuntimeException {
  private final StatusCode status;
  private final String error;

  ApiError(StatusCode status, String error, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.error = error;
  }

  static ApiError badRequest(String error, String detail) {
    return new ApiError(StatusCodes.BAD_REQUEST, error, detail);
  }

  static ApiError notFound(String detail) {
    return new ApiError(StatusCodes.NOT_FOUND, "not found", detail);
  }

  StatusCode status() {
    return status;
  }

  String error() {
    return error;
  }

  String detail() {
    return getMessage();
  }
}

package dev.vigil.relayer;

import java.util.Optional;

/**
 * Server-sent-events framing (the WHATWG "event stream" rules), one line at a time: {@code field:
 * value} lines build an event, a blank line dispatches it, lines starting with ':' are comments.
 * Only an event with data is dispatched, with the {@code id:} of its own block (the API gives every
 * event one, so the spec's id carried over from earlier blocks is not needed); a bare {@code data:}
 * line makes an event with empty data, which is pekko-http's keep-alive. Lines arrive already split
 * (CR, LF or CRLF), as {@code BodyHandlers.ofLines()} gives them.
 */
final class SseParser {
  /**
   * A dispatched event; {@code type} is empty for plain (untyped) events, {@code id} if its block
   * had none.
   */
  record Event(Optional<String> id, Optional<String> type, String data) {}

  private String id;
  private String type;
  private StringBuilder data;

  /** Feeds one line (without its terminator); returns the event it completes, if any. */
  Optional<Event> line(String line) {
    if (line.isEmpty()) return dispatch();
    if (line.startsWith(":")) return Optional.empty();
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) value = value.substring(1);
    switch (field) {
      case "data" ->
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      case "event" -> type = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) id = value; // the spec ignores an id with NUL
      }
      default -> {} // "retry" and unknown fields: nothing the relayer uses
    }
    return Optional.empty();
  }

  private Optional<Event> dispatch() {
    Optional<Event> out =
        data == null
            ? Optional.empty()
            : Optional.of(
                new Event(
                    Optional.ofNullable(id).filter(s -> !s.isEmpty()),
                    Optional.ofNullable(type).filter(s -> !s.isEmpty() && !s.equals("message")),
                    data.toString()));
    id = null;
    type = null;
    data = null;
    return out;
  }
}

package io.minirpc.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.Status;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP status of each call outcome, and the timeout header's values. */
class HttpStatusesTest {

  @Test
  void everyCodeHasItsHttpStatus() {
    Map<Status.Code, Integer> expected = new EnumMap<>(Status.Code.class);
    expected.put(Status.Code.OK, 200);
    expected.put(Status.Code.CANCELLED, 499);
    expected.put(Status.Code.DEADLINE_EXCEEDED, 504);
    expected.put(Status.Code.UNAVAILABLE, 503);
    expected.put(Status.Code.NOT_FOUND, 404);
    expected.put(Status.Code.INVALID_ARGUMENT, 400);
    expected.put(Status.Code.SERIALIZATION, 400);
    expected.put(Status.Code.APPLICATION_ERROR, 500);
    expected.put(Status.Code.RESOURCE_EXHAUSTED, 503);
    expected.put(Status.Code.UNAUTHENTICATED, 401);
    expected.put(Status.Code.PERMISSION_DENIED, 403);
    expected.put(Status.Code.UNIMPLEMENTED, 501);
    expected.put(Status.Code.INTERNAL, 500);
    assertThat(expected).hasSize(Status.Code.values().length);
    expected.forEach(
        (code, status) ->
            assertThat(HttpStatuses.of(code).code()).as(code.name()).isEqualTo(status));
  }

  @Test
  void timeoutHeaderTakesWholePositiveMillisecondsThatFitAnInt() {
    assertThat(RestDispatcher.parseTimeout("1")).isEqualTo(1);
    assertThat(RestDispatcher.parseTimeout("2500")).isEqualTo(2500);
    assertThat(RestDispatcher.parseTimeout("2147483647")).isEqualTo(Integer.MAX_VALUE);
    assertThat(RestDispatcher.parseTimeout("2147483648")).isEqualTo(-1);
    assertThat(RestDispatcher.parseTimeout("99999999999")).isEqualTo(-1);
    assertThat(RestDispatcher.parseTimeout("0")).isEqualTo(-1);
    assertThat(RestDispatcher.parseTimeout("")).isEqualTo(-1);
    assertThat(RestDispatcher.parseTimeout("-5")).isEqualTo(-1);
    assertThat(RestDispatcher.parseTimeout("1.5")).isEqualTo(-1);
    assertThat(RestDispatcher.parseTimeout(" 5")).isEqualTo(-1);
  }
}

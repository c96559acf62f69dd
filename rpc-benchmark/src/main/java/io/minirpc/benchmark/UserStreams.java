package io.minirpc.benchmark;

import io.minirpc.benchmark.grpc.GrpcUserStreams;
import io.minirpc.benchmark.minirpc.MinirpcUserStreams;
import java.util.List;

/**
 * A caller of the streaming workload: one server stream of users at a time, counted as it comes.
 */
public interface UserStreams extends AutoCloseable {

  /** The backends whose servers stream users. */
  List<Backend> BACKENDS =
      List.of(Backend.MINIRPC_KRYO, Backend.MINIRPC_PROTOBUF, Backend.GRPC_DIRECT);

  /** The stream caller of one of {@link #BACKENDS}, connected to its server at this address. */
  static UserStreams connect(Backend backend, String host, int port) {
    return switch (backend) {
      case MINIRPC_KRYO -> MinirpcUserStreams.kryo(host, port);
      case MINIRPC_PROTOBUF -> MinirpcUserStreams.protobuf(host, port);
      case GRPC_DIRECT -> GrpcUserStreams.connect(host, port, true);
      default -> throw new IllegalArgumentException(backend.id() + " has no stream caller");
    };
  }

  /**
   * Streams users 1 to {@code count} and waits for the stream's end.
   *
   * @return the number of users received
   */
  long streamUsers(int count) throws Exception;

  @Override
  void close();
}

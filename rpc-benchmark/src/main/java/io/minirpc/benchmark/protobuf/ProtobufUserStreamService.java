package io.minirpc.benchmark.protobuf;

import io.minirpc.RpcService;
import io.minirpc.benchmark.protobuf.UserProtos.StreamUsersRequest;
import java.util.concurrent.Flow;

/**
 * The streaming workload with protobuf messages, the shape minirpc's Protocol Buffers serializer
 * carries: the same messages as the gRPC service's {@code StreamUsers}.
 */
@RpcService(name = "minirpc.benchmark.ProtobufUserStreamService")
public interface ProtobufUserStreamService {

  Flow.Publisher<UserProtos.User> streamUsers(StreamUsersRequest request);
}

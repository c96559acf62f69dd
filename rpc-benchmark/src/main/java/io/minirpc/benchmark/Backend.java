package io.minirpc.benchmark;

import io.minirpc.benchmark.ceiling.CeilingAsyncUserCalls;
import io.minirpc.benchmark.ceiling.CeilingServer;
import io.minirpc.benchmark.ceiling.CeilingUserCalls;
import io.minirpc.benchmark.grpc.GrpcAsyncUserCalls;
import io.minirpc.benchmark.grpc.GrpcServer;
import io.minirpc.benchmark.grpc.GrpcUserCalls;
import io.minirpc.benchmark.minirpc.MinirpcAsyncUserCalls;
import io.minirpc.benchmark.minirpc.MinirpcServer;
import io.minirpc.benchmark.minirpc.MinirpcUserCalls;
import io.minirpc.benchmark.minirpc.ProtobufAsyncUserCalls;
import io.minirpc.benchmark.minirpc.ProtobufUserCalls;
import io.minirpc.benchmark.report.CeilingRatios;
import io.minirpc.benchmark.rest.RestAsyncUserCalls;
import io.minirpc.benchmark.rest.RestServer;
import io.minirpc.benchmark.rest.RestUserCalls;
import io.minirpc.serialize.JsonSerializer;
import io.minirpc.serialize.KryoSerializer;
import java.util.Arrays;
import java.util.List;

/**
 * The RPC stacks the benchmark compares, and the bare-Netty ceiling they are measured against: how
 * to start each one's server and how to connect its caller. minirpc's servers use their defaults
 * (the bounded business executor); gRPC runs once with {@code directExecutor()} on both sides, its
 * fastest configuration, and once with its defaults.
 */
public enum Backend {
  /**
   * Not an RPC stack: bare Netty frames of the sizes minirpc-kryo puts on the wire, answered with
   * pre-built replies, nothing encoded or decoded. The reports give every row's calls/s as a ratio
   * of this one's, how close it gets to what the wire and the machine allow.
   */
  NETTY_CEILING(CeilingRatios.CEILING, true) {
    @Override
    public RunningServer startServer() {
      return CeilingServer.start();
    }

    @Override
    public UserCalls connect(String host, int port) {
      return CeilingUserCalls.connect(host, port);
    }

    @Override
    public AsyncUserCalls connectAsync(String host, int port) {
      return CeilingAsyncUserCalls.connect(host, port);
    }
  },
  MINIRPC_KRYO("minirpc-kryo", true) {
    @Override
    public RunningServer startServer() {
      return MinirpcServer.startUserService(false);
    }

    @Override
    public UserCalls connect(String host, int port) {
      return MinirpcUserCalls.connect(host, port, KryoSerializer.create());
    }

    @Override
    public AsyncUserCalls connectAsync(String host, int port) {
      return MinirpcAsyncUserCalls.connect(host, port, KryoSerializer.create());
    }
  },
  MINIRPC_PROTOBUF("minirpc-protobuf", true) {
    @Override
    public RunningServer startServer() {
      return MinirpcServer.startProtobufUserService();
    }

    @Override
    public UserCalls connect(String host, int port) {
      return ProtobufUserCalls.connect(host, port);
    }

    @Override
    public AsyncUserCalls connectAsync(String host, int port) {
      return ProtobufAsyncUserCalls.connect(host, port);
    }
  },
  MINIRPC_JSON("minirpc-json", true) {
    @Override
    public RunningServer startServer() {
      return MinirpcServer.startUserService(false);
    }

    @Override
    public UserCalls connect(String host, int port) {
      return MinirpcUserCalls.connect(host, port, JsonSerializer.create());
    }

    @Override
    public AsyncUserCalls connectAsync(String host, int port) {
      return MinirpcAsyncUserCalls.connect(host, port, JsonSerializer.create());
    }
  },
  /**
   * minirpc's REST bridge: HTTP/1.1 and JSON, one keep-alive connection per caller (blocking) or
   * per call in flight (asynchronous).
   */
  REST("rest", true) {
    @Override
    public RunningServer startServer() {
      return RestServer.start();
    }

    @Override
    public UserCalls connect(String host, int port) {
      return RestUserCalls.connect(host, port);
    }

    @Override
    public AsyncUserCalls connectAsync(String host, int port) {
      return RestAsyncUserCalls.connect(host, port);
    }
  },
  GRPC_DIRECT("grpc-direct", true) {
    @Override
    public RunningServer startServer() {
      return GrpcServer.start(true);
    }

    @Override
    public UserCalls connect(String host, int port) {
      return GrpcUserCalls.connect(host, port, true);
    }

    @Override
    public AsyncUserCalls connectAsync(String host, int port) {
      return GrpcAsyncUserCalls.connect(host, port, true);
    }
  },
  GRPC_DEFAULT("grpc-default", true) {
    @Override
    public RunningServer startServer() {
      return GrpcServer.start(false);
    }

    @Override
    public UserCalls connect(String host, int port) {
      return GrpcUserCalls.connect(host, port, false);
    }

    @Override
    public AsyncUserCalls connectAsync(String host, int port) {
      return GrpcAsyncUserCalls.connect(host, port, false);
    }
  },
  /**
   * Kryo with service methods on the server's I/O threads, the counterpart of grpc-direct; not in
   * the default comparison, ask for it with {@code --backends=}.
   */
  MINIRPC_KRYO_DIRECT("minirpc-kryo-direct", false) {
    @Override
    public RunningServer startServer() {
      return MinirpcServer.startUserService(true);
    }

    @Override
    public UserCalls connect(String host, int port) {
      return MinirpcUserCalls.connect(host, port, KryoSerializer.create());
    }

    @Override
    public AsyncUserCalls connectAsync(String host, int port) {
      return MinirpcAsyncUserCalls.connect(host, port, KryoSerializer.create());
    }
  };

  private final String id;
  private final boolean compared;

  Backend(String id, boolean compared) {
    this.id = id;
    this.compared = compared;
  }

  /** The backend's name in arguments, tables and charts: {@code minirpc-kryo}. */
  public String id() {
    return id;
  }

  /** Starts this backend's UserService server on a free loopback port of this JVM. */
  public abstract RunningServer startServer();

  /** A caller connected to a server of this backend. */
  public abstract UserCalls connect(String host, int port);

  /**
   * An asynchronous caller connected to a server of this backend.
   *
   * @throws UnsupportedOperationException if the backend has none: see {@link #supportsAsync()}
   */
  public AsyncUserCalls connectAsync(String host, int port) {
    throw new UnsupportedOperationException(id + " has no asynchronous caller");
  }

  /** Whether {@link #connectAsync} gives a caller: today every backend's does. */
  public boolean supportsAsync() {
    return true;
  }

  /** The backends of the default comparison, in table order. */
  public static List<Backend> compared() {
    return Arrays.stream(values()).filter(b -> b.compared).toList();
  }

  /**
   * The backend of this name.
   *
   * @throws IllegalArgumentException if there is none; the message lists the names
   */
  public static Backend named(String id) {
    for (Backend backend : values()) {
      if (backend.id.equals(id)) {
        return backend;
      }
    }
    throw new IllegalArgumentException(
        "unknown backend "
            + id
            + "; the backends are "
            + Arrays.stream(values()).map(Backend::id).toList());
  }
}

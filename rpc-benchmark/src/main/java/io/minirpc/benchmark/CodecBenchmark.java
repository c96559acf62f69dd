package io.minirpc.benchmark;

import io.minirpc.MethodCodec;
import io.minirpc.MethodSignature;
import io.minirpc.example.user.Page;
import io.minirpc.example.user.User;
import io.minirpc.example.user.UserService;
import io.minirpc.example.user.UserServiceImpl;
import io.minirpc.serialize.KryoSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Kryo codec of the workload alone, on one thread and without a network: the time to write and
 * to read getUser's result (one user) and listUser's (a page of 15). A change to the serializer
 * shows here far above the noise of the end-to-end trials, where the codec is a third of the CPU:
 *
 * <pre>
 * java -cp rpc-benchmark/target/minirpc-benchmark.jar org.openjdk.jmh.Main CodecBenchmark -prof gc
 * </pre>
 *
 * <p>The streams are byte-array ones, where the transport gives Netty buffers' streams; both hand
 * Kryo's buffer whole blocks, so the codec's own work is what is timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgs = {"-Xms1g", "-Xmx1g"})
public class CodecBenchmark {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
  private MethodCodec getUser;
  private MethodCodec listUser;
  private User user;
  private Page<User> page;
  private byte[] userBytes;
  private byte[] pageBytes;

  @Setup
  public void prepare() throws IOException {
    Map<String, MethodCodec> codecs = new HashMap<>();
    List<MethodSignature> signatures =
        List.of(signature("getUser", long.class), signature("listUser", int.class));
    KryoSerializer.create()
        .prepare(UserService.class, signatures)
        .forEach((signature, codec) -> codecs.put(signature.method().getName(), codec));
    getUser = codecs.get("getUser");
    listUser = codecs.get("listUser");
    user = UserServiceImpl.user(1);
    page = new UserServiceImpl().listUser(1);
    write(getUser, user);
    userBytes = out.toByteArray();
    write(listUser, page);
    pageBytes = out.toByteArray();
  }

  @Benchmark
  public int writeUser() throws IOException {
    return write(getUser, user);
  }

  @Benchmark
  public Object readUser() throws IOException {
    return getUser.readResult(new ByteArrayInputStream(userBytes));
  }

  @Benchmark
  public int writePage() throws IOException {
    return write(listUser, page);
  }

  @Benchmark
  public Object readPage() throws IOException {
    return listUser.readResult(new ByteArrayInputStream(pageBytes));
  }

  /** Writes into the reused stream; returns the size, so that nothing is copied out. */
  private int write(MethodCodec codec, Object result) throws IOException {
    out.reset();
    codec.writeResult(result, out);
    return out.size();
  }

  private static MethodSignature signature(String name, Class<?> parameter) {
    try {
      Method method = UserService.class.getMethod(name, parameter);
      return new MethodSignature(
          method, List.of(method.getGenericParameterTypes()), method.getGenericReturnType());
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }
}

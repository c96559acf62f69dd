package io.minirpc.fuzz;

import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import io.minirpc.OneWay;
import io.minirpc.RpcService;
import io.minirpc.testing.Person;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Services for fuzzing: every method answers at once whatever its arguments (nothing blocks, and no
 * argument sizes a result), so that hostile frames test the framework, not the service.
 */
final class FuzzTargets {

  private FuzzTargets() {}

  @RpcService(name = "fuzz.Calls", version = "1")
  interface CallsTarget {
    String echo(String text);

    int add(int a, int b);

    Person person(Person person);

    Map<String, Integer> count(List<String> words);

    byte[] reverse(byte[] data);

    void record(String event);

    @OneWay
    void fire(String event);

    CompletableFuture<String> echoAsync(String text);

    /** Throws an IllegalStateException with this message. */
    String fail(String message);
  }

  @RpcService(name = "fuzz.Proto")
  interface ProtoTarget {
    StringValue echo(StringValue text);

    Struct nest(Struct struct);
  }

  static final class Calls implements CallsTarget {
    @Override
    public String echo(String text) {
      return text;
    }

    @Override
    public int add(int a, int b) {
      return a + b;
    }

    @Override
    public Person person(Person person) {
      return person;
    }

    @Override
    public Map<String, Integer> count(List<String> words) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      if (words != null) {
        for (String w : words) {
          counts.merge(String.valueOf(w), 1, Integer::sum);
        }
      }
      return counts;
    }

    @Override
    public byte[] reverse(byte[] data) {
      if (data == null) {
        return null;
      }
      byte[] reversed = new byte[data.length];
      for (int i = 0; i < data.length; i++) {
        reversed[i] = data[data.length - 1 - i];
      }
      return reversed;
    }

    @Override
    public void record(String event) {}

    @Override
    public void fire(String event) {}

    @Override
    public CompletableFuture<String> echoAsync(String text) {
      return CompletableFuture.supplyAsync(() -> text);
    }

    @Override
    public String fail(String message) {
      throw new IllegalStateException(message);
    }
  }

  static final class Proto implements ProtoTarget {
    @Override
    public StringValue echo(StringValue text) {
      return text;
    }

    @Override
    public Struct nest(Struct struct) {
      return struct;
    }
  }
}

package io.minirpc.testing;

import io.minirpc.CallTimeout;
import io.minirpc.OneWay;
import io.minirpc.RpcService;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A service with one method of each kind the framework must carry, for end-to-end tests. */
@RpcService(name = "test.Calls", version = "1")
public interface CallsService {

  String echo(String text);

  int add(int a, int b);

  Person person(Person person);

  List<Person> people(int count);

  /** A person whose tags list is of a class no serializer was told about: Kryo cannot write it. */
  Person oddPerson(long id);

  Map<String, Integer> count(List<String> words);

  LocalDateTime plusDays(LocalDateTime time, long days);

  byte[] reverse(byte[] data);

  /** Returns a string of this many bytes: large results. */
  String sized(int bytes);

  void record(String event);

  @OneWay
  void fire(String event);

  CompletableFuture<String> echoAsync(String text);

  CompletableFuture<Void> recordAsync(String event);

  /** Blocks until the test opens the gate of this name, then answers it. */
  String await(String gate);

  @CallTimeout(millis = 300)
  String awaitWithShortTimeout(String gate);

  /** Throws an IllegalStateException with this message. */
  String fail(String message);

  /** Throws an RpcException of this code with this message. */
  String failWithStatus(String code, String message);

  default String greeting() {
    return "hello from " + getClass().getSimpleName();
  }
}

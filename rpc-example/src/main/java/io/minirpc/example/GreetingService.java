package io.minirpc.example;

import io.minirpc.OneWay;
import io.minirpc.RpcService;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The demo's service: a greeting in each of the ways minirpc can call. */
@RpcService(name = "demo.Greeting", version = "1")
public interface GreetingService {

  /** A blocking call. */
  String greet(String name);

  /** An asynchronous call: returns at once, completes when the answer arrives. */
  CompletableFuture<String> greetLater(String name);

  /** Greets several people at once: collections travel as they are. */
  List<String> greetAll(List<String> names);

  /** A one-way call: sent, never answered. */
  @OneWay
  void remember(String name);

  /** How many names were remembered so far. */
  int remembered();

  /** Answers after a pause: a caller with a shorter deadline sees DEADLINE_EXCEEDED. */
  String greetSlowly(String name, int delayMillis);

  /** Refuses an empty name with an exception, which reaches the caller as APPLICATION_ERROR. */
  String greetStrictly(String name);
}

package io.minirpc.testing;

import io.minirpc.RpcException;
import io.minirpc.Status;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The implementation of {@link CallsService}, counting each method's executions for tests. */
public final class CallsServiceImpl implements CallsService {

  private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
  private final Queue<String> events = new ConcurrentLinkedQueue<>();

  /** How many times the method of this name has started executing. */
  public int executions(String method) {
    AtomicInteger n = executions.get(method);
    return n == null ? 0 : n.get();
  }

  /** The events received by {@code record}, {@code fire} and {@code recordAsync}, in order. */
  public List<String> events() {
    return new ArrayList<>(events);
  }

  /** Lets the calls waiting at this gate, and those that come to it later, answer. */
  public void open(String gate) {
    gate(gate).countDown();
  }

  private CountDownLatch gate(String name) {
    return gates.computeIfAbsent(name, k -> new CountDownLatch(1));
  }

  private void executed(String method) {
    executions.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public String echo(String text) {
    executed("echo");
    return text;
  }

  @Override
  public int add(int a, int b) {
    executed("add");
    return a + b;
  }

  @Override
  public Person person(Person person) {
    executed("person");
    return person;
  }

  @Override
  public List<Person> people(int count) {
    executed("people");
    List<Person> people = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      people.add(Person.sample(i));
    }
    return people;
  }

  @Override
  public Person oddPerson(long id) {
    executed("oddPerson");
    Person person = Person.sample(id);
    person.setTags(new OddList());
    return person;
  }

  /** A list type reachable from no service signature. */
  public static final class OddList extends ArrayList<String> {
    private static final long serialVersionUID = 1L;
  }

  @Override
  public Map<String, Integer> count(List<String> words) {
    executed("count");
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String w : words) {
      counts.merge(w, 1, Integer::sum);
    }
    return counts;
  }

  @Override
  public LocalDateTime plusDays(LocalDateTime time, long days) {
    executed("plusDays");
    return time.plusDays(days);
  }

  @Override
  public byte[] reverse(byte[] data) {
    executed("reverse");
    byte[] reversed = Arrays.copyOf(data, data.length);
    for (int i = 0; i < reversed.length / 2; i++) {
      byte b = reversed[i];
      reversed[i] = reversed[reversed.length - 1 - i];
      reversed[reversed.length - 1 - i] = b;
    }
    return reversed;
  }

  @Override
  public String sized(int bytes) {
    executed("sized");
    return "x".repeat(bytes);
  }

  @Override
  public void record(String event) {
    executed("record");
    events.add(event);
  }

  @Override
  public void fire(String event) {
    executed("fire");
    events.add(event);
  }

  @Override
  public CompletableFuture<String> echoAsync(String text) {
    executed("echoAsync");
    // Completed later, by another thread, as a real asynchronous service would.
    return CompletableFuture.supplyAsync(() -> text);
  }

  @Override
  public CompletableFuture<Void> recordAsync(String event) {
    executed("recordAsync");
    events.add(event);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public String await(String gate) {
    executed("await");
    return waitAt(gate);
  }

  @Override
  public String awaitWithShortTimeout(String gate) {
    executed("awaitWithShortTimeout");
    return waitAt(gate);
  }

  private String waitAt(String gate) {
    try {
      // Bounded, so that a test that forgets to open a gate cannot hang the suite.
      if (!gate(gate).await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate " + gate + " was never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted at gate " + gate, e);
    }
    return "passed " + gate;
  }

  @Override
  public String fail(String message) {
    executed("fail");
    throw new IllegalStateException(message);
  }

  @Override
  public String failWithStatus(String code, String message) {
    executed("failWithStatus");
    throw new RpcException(Status.Code.valueOf(code).toStatus().withDescription(message));
  }
}

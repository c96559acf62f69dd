package io.minirpc.serialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.esotericsoftware.kryo.io.Output;
import io.minirpc.RpcException;
import io.minirpc.RpcService;
import io.minirpc.Status;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class KryoSerializerSafetyTest {

  private static final String PREFIX = "io.minirpc.serialize.KryoSerializerSafetyTest";

  /** Counts its instances, so a test can prove that a payload created none. */
  static final class Tracked {
    static final AtomicInteger created = new AtomicInteger();

    String label;

    Tracked() {
      created.incrementAndGet();
    }
  }

  static final class Secret {
    String value = "s";
  }

  record Note(String text, List<Object> attachments, Object extra) {}

  static class Animal {
    String name;

    @Override
    public boolean equals(Object o) {
      return o != null && o.getClass() == getClass() && ((Animal) o).name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }
  }

  static final class Dog extends Animal {}

  interface Shape {}

  record Circle(double radius) implements Shape {}

  record Square(double side) implements Shape {}

  record Node(String value, Node next) {}

  @RpcService
  interface NoteService {
    Note save(Note note);

    List<String> tags(List<String> tags);

    Animal adopt(Animal animal);

    Node chain(Node node);

    String echo(String text);

    byte[] blob(byte[] data);

    String[] words(String[] words);

    Map<String, Integer> counts(Map<String, Integer> counts);
  }

  @RpcService
  interface ShapeService {
    double area(Shape shape);

    List<Shape> all();
  }

  @RpcService
  interface ObjectService {
    Object echo(Object value);
  }

  @RpcService
  interface RawService {
    @SuppressWarnings("rawtypes")
    int size(List items);
  }

  @RpcService
  interface WildcardService {
    void sendAll(List<? super Integer> values);
  }

  @RpcService
  interface SocketService {
    void connect(Socket socket);
  }

  @RpcService
  interface SocketFieldService {
    void send(Holder holder);
  }

  record Holder(Socket socket) {}

  @RpcService
  interface GenericMethodService {
    <T> T first(List<T> values);
  }

  private final KryoTestCodecs notes = KryoTestCodecs.of(NoteService.class);

  @BeforeEach
  void resetCounter() {
    Tracked.created.set(0);
  }

  @Test
  void unregisteredClassInAnObjectFieldFailsWithSerializationNamingIt() {
    Note note = new Note("hi", new ArrayList<>(List.of("ok", new Secret())), null);

    RpcException e =
        catchThrowableOfType(RpcException.class, () -> notes.writeArguments("save", note));

    assertThat(e.code()).isEqualTo(Status.Code.SERIALIZATION);
    assertThat(e.status().description())
        .isEqualTo(
            "class "
                + PREFIX
                + "$Secret is not allowed by the Kryo serializer of service "
                + PREFIX
                + "$NoteService: it is not reachable from the service's method signatures;"
                + " register it on both sides with KryoSerializer.builder().register("
                + PREFIX
                + ".Secret.class)");
  }

  @Test
  void registeredClassInAnObjectFieldRoundTrips() throws Exception {
    KryoTestCodecs registered =
        new KryoTestCodecs(
            NoteService.class,
            KryoSerializer.builder().register(Secret.class).build(),
            KryoSerializer.builder().register(Secret.class).build());
    Note note = new Note("hi", new ArrayList<>(List.of("ok", new Secret())), 42);

    Note copy = (Note) registered.arguments("save", note)[0];

    assertThat(copy.attachments()).hasSize(2).element(1).isInstanceOf(Secret.class);
    assertThat(copy.extra()).isEqualTo(42);
  }

  @Test
  void unregisteredSubclassOfADeclaredClassFailsWithSerializationNamingIt() {
    Dog dog = new Dog();
    dog.name = "Rex";

    assertThatThrownBy(() -> notes.writeArguments("adopt", dog))
        .isInstanceOf(RpcException.class)
        .extracting(e -> ((RpcException) e).status())
        .isEqualTo(
            Status.SERIALIZATION.withDescription(
                "class "
                    + PREFIX
                    + "$Dog is not allowed by the Kryo serializer of service "
                    + PREFIX
                    + "$NoteService: it is not reachable from the service's method signatures;"
                    + " register it on both sides with KryoSerializer.builder().register("
                    + PREFIX
                    + ".Dog.class)"));
  }

  @Test
  void registeredSubclassOfADeclaredClassKeepsItsClass() throws Exception {
    KryoTestCodecs registered =
        new KryoTestCodecs(
            NoteService.class,
            KryoSerializer.builder().register(Dog.class).build(),
            KryoSerializer.builder().register(Dog.class).build());
    Dog dog = new Dog();
    dog.name = "Rex";
    Animal cat = new Animal();
    cat.name = "Tom";

    assertThat(registered.arguments("adopt", dog)).containsExactly(dog);
    assertThat(registered.result("adopt", cat)).isEqualTo(cat);
  }

  @Test
  void unmodifiableWrappersAreNotAllowed() {
    List<String> wrapped = Collections.unmodifiableList(new ArrayList<>(List.of("a")));

    assertThatThrownBy(() -> notes.writeArguments("tags", wrapped))
        .isInstanceOf(RpcException.class)
        .hasMessage(
            "SERIALIZATION: class java.util.Collections$UnmodifiableRandomAccessList is not"
                + " allowed by the Kryo serializer of service "
                + PREFIX
                + "$NoteService: it is a JDK-internal class; send a copy in an allowed one"
                + " instead, such as ArrayList, HashMap or List.copyOf(..)");
  }

  @Test
  void interfaceWithRegisteredImplementationsRoundTrips() throws Exception {
    KryoTestCodecs shapes =
        new KryoTestCodecs(
            ShapeService.class,
            KryoSerializer.builder().register(Square.class, Circle.class).build(),
            KryoSerializer.builder().register(Circle.class, Square.class).build());

    assertThat(shapes.arguments("area", new Circle(2))).containsExactly(new Circle(2));
    assertThat(shapes.result("all", List.of(new Square(1), new Circle(3))))
        .isEqualTo(List.of(new Square(1), new Circle(3)));
  }

  @Test
  void interfaceWithoutImplementationsIsRefusedAtPrepare() {
    assertThatThrownBy(() -> KryoTestCodecs.of(ShapeService.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Kryo serializer cannot carry "
                + PREFIX
                + "$Shape in result (java.util.List<"
                + PREFIX
                + "$Shape>): no allowed class implements it; register its implementations on both"
                + " sides with KryoSerializer.builder().register(..)\n"
                + "    for method ShapeService.all");
  }

  @Test
  void objectParameterIsRefusedAtPrepare() {
    assertThatThrownBy(() -> KryoTestCodecs.of(ObjectService.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Kryo serializer cannot carry java.lang.Object in parameter 'value'"
                + " (java.lang.Object): no class could be created for it without a class name"
                + " from the wire; declare a concrete type\n"
                + "    for method ObjectService.echo");
  }

  @Test
  void rawCollectionIsRefusedAtPrepare() {
    assertThatThrownBy(() -> KryoTestCodecs.of(RawService.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Kryo serializer cannot carry java.util.List in parameter 'items' (java.util.List):"
                + " a raw type does not tell which classes its values hold; declare its type"
                + " arguments\n"
                + "    for method RawService.size");
  }

  @Test
  void lowerBoundedWildcardIsRefusedAtPrepare() {
    assertThatThrownBy(() -> KryoTestCodecs.of(WildcardService.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Kryo serializer cannot carry ? super java.lang.Integer in parameter 'values'")
        .hasMessageEndingWith("for method WildcardService.sendAll");
  }

  @Test
  void unboundTypeVariableIsRefusedAtPrepare() {
    assertThatThrownBy(() -> KryoTestCodecs.of(GenericMethodService.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Kryo serializer cannot carry java.lang.Object in parameter 'values'")
        .hasMessageEndingWith("for method GenericMethodService.first");
  }

  @Test
  void unsupportedJdkClassIsRefusedAtPrepareEvenInAField() {
    assertThatThrownBy(() -> KryoTestCodecs.of(SocketService.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Kryo serializer cannot carry java.net.Socket in parameter 'socket'"
                + " (java.net.Socket): it is not among the JDK classes the Kryo serializer allows;"
                + " if Kryo can carry it, register it on both sides with"
                + " KryoSerializer.builder().register(java.net.Socket.class)\n"
                + "    for method SocketService.connect");
    assertThatThrownBy(() -> KryoTestCodecs.of(SocketFieldService.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Kryo serializer cannot carry java.net.Socket in parameter 'holder' ("
                + PREFIX
                + "$Holder), field Holder.socket: ");
  }

  @Test
  void builderRefusesClassesThatCannotBeCreated() {
    assertThatThrownBy(() -> KryoSerializer.builder().register(Shape.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            PREFIX + "$Shape is an interface or abstract: register the classes that implement it");
    assertThatThrownBy(() -> KryoSerializer.builder().register(int.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KryoSerializer.builder().maxDepth(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDepth must be positive: 0");
  }

  @Test
  void unknownRegistrationIdFailsAndCreatesNothing() throws Exception {
    // The writer allows Tracked, the reader does not: the id it reads means nothing to it.
    KryoTestCodecs mismatched =
        new KryoTestCodecs(
            NoteService.class,
            KryoSerializer.builder().register(Tracked.class).build(),
            KryoSerializer.create());
    Note note = new Note("hi", new ArrayList<>(List.of(new Tracked())), null);
    byte[] bytes = mismatched.writeArguments("save", note);
    Tracked.created.set(0);

    RpcException e =
        catchThrowableOfType(RpcException.class, () -> mismatched.readArguments("save", bytes));

    assertThat(e.code()).isEqualTo(Status.Code.SERIALIZATION);
    assertThat(e.status().description())
        .startsWith("could not read the arguments of NoteService.save: ");
    assertThat(Tracked.created).hasValue(0);
  }

  @Test
  void classNameOnTheWireIsRefusedBeforeAnyClassIsLoaded() {
    Output output = new Output(128);
    output.writeByte(1); // the note is not null
    // Kryo writes a record's components by name: attachments first, then its class.
    output.writeVarInt(1, true); // Kryo's marker for "a class name follows"
    output.writeString(PREFIX + "$Tracked");
    byte[] bytes = output.toBytes();

    assertThatThrownBy(() -> notes.readArguments("save", bytes))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("names a class by name, which is never accepted");
    assertThat(Tracked.created).hasValue(0);
  }

  @Test
  @Timeout(20)
  void hostileLengthsFailBeforeAnythingThatLargeIsAllocated() {
    int huge = 600_000_000;
    Output string = new Output(16);
    string.writeVarIntFlag(true, huge + 1, true);
    Output bytes = new Output(16);
    bytes.writeVarInt(huge + 1, true);
    Output arrayList = new Output(16);
    arrayList.writeVarInt(baseId(ArrayList.class) + 2, true);
    arrayList.writeVarIntFlag(true, huge + 1, true);
    Output immutableList = new Output(16);
    immutableList.writeVarInt(baseId(List.of(1, 2, 3).getClass()) + 2, true);
    immutableList.writeVarIntFlag(true, huge + 1, true);
    Output hashMap = new Output(16);
    hashMap.writeVarInt(baseId(java.util.HashMap.class) + 2, true);
    hashMap.writeVarInt(huge + 1, true);

    assertClaimRefused("echo", string.toBytes(), "a string");
    assertClaimRefused("blob", bytes.toBytes(), "an array");
    assertClaimRefused("words", bytes.toBytes(), "an array");
    assertClaimRefused("tags", arrayList.toBytes(), "a collection");
    assertClaimRefused("tags", immutableList.toBytes(), "a collection");
    assertClaimRefused("counts", hashMap.toBytes(), "a map");
  }

  private void assertClaimRefused(String method, byte[] payload, String what) {
    assertThatThrownBy(() -> notes.readArguments(method, payload))
        .as(method)
        .isInstanceOf(RpcException.class)
        .hasMessageContaining(what + " claims 600000000 elements but only ");
  }

  private static int baseId(Class<?> type) {
    return KryoAllowList.FIRST_BASE_ID + KryoAllowList.BASE.indexOf(type);
  }

  @Test
  void valuesThatTheLengthChecksGuardStillRoundTrip() throws Exception {
    String text = "é".repeat(10_000);
    byte[] data = new byte[10_000];
    String[] words = {"a", null, "ü"};
    List<String> withNull = java.util.stream.Stream.of("a", null, "c").toList();

    assertThat(notes.arguments("echo", text)).containsExactly(text);
    assertThat(notes.arguments("blob", (Object) data)).containsExactly((Object) data);
    assertThat(notes.arguments("words", (Object) words)).containsExactly((Object) words);
    assertThat(notes.arguments("tags", withNull)).containsExactly(withNull);
    assertThat(notes.arguments("counts", Map.of("a", 1, "b", 2)))
        .containsExactly(Map.of("a", 1, "b", 2));
  }

  @Test
  @Timeout(60)
  void randomAndMutatedPayloadsOnlyEverFailWithSerialization() throws Exception {
    KryoTestCodecs users = KryoTestCodecs.of(KryoSerializerTest.UserService.class);
    KryoSerializerTest.Team team = new KryoSerializerTest.Team();
    team.name = "core";
    team.lead = new KryoSerializerTest.User(1, "Alice", KryoSerializerTest.Role.ADMIN, null);
    team.members = new ArrayList<>(List.of(team.lead, team.lead));
    team.offices = new java.util.HashMap<>(Map.of("hq", new KryoSerializerTest.Address("a", "b")));
    team.roles = new KryoSerializerTest.Role[] {KryoSerializerTest.Role.MEMBER};
    byte[] valid = users.writeArguments("team", team);
    byte[] validList = users.writeResult("listUsers", List.of(team.lead));
    java.util.Random random = new java.util.Random(20261123);

    for (int i = 0; i < 400; i++) {
      byte[] noise = new byte[1 + random.nextInt(48)];
      random.nextBytes(noise);
      byte[] mutated = mutate(i % 2 == 0 ? valid : validList, random);
      String method = i % 2 == 0 ? "team" : "listUsers";

      readOrSerializationFailure(() -> users.readArguments("team", noise));
      readOrSerializationFailure(() -> users.readArguments("byName", noise));
      readOrSerializationFailure(() -> users.readArguments("find", noise));
      readOrSerializationFailure(
          () ->
              method.equals("team")
                  ? users.readArguments(method, mutated)
                  : users.readResult(method, mutated));
    }
    assertThat(Tracked.created).hasValue(0);
  }

  private static byte[] mutate(byte[] valid, java.util.Random random) {
    byte[] copy = valid.clone();
    for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return copy;
  }

  private static void readOrSerializationFailure(ThrowingRead read) {
    try {
      read.run();
    } catch (RpcException e) {
      assertThat(e.code()).isEqualTo(Status.Code.SERIALIZATION);
    } catch (Throwable e) {
      throw new AssertionError("expected success or SERIALIZATION, got " + e, e);
    }
  }

  private interface ThrowingRead {
    Object run() throws Exception;
  }

  @Test
  void truncatedInputFailsWithSerialization() throws Exception {
    byte[] bytes = notes.writeArguments("tags", List.of("alpha", "beta"));

    assertThatThrownBy(() -> notes.readArguments("tags", Arrays.copyOf(bytes, bytes.length - 2)))
        .isInstanceOf(RpcException.class)
        .hasMessageStartingWith("SERIALIZATION: could not read the arguments of NoteService.tags");
  }

  @Test
  void garbageInputFailsWithSerialization() {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 3, 4};

    assertThatThrownBy(() -> notes.readArguments("tags", garbage))
        .isInstanceOf(RpcException.class)
        .extracting(e -> ((RpcException) e).code())
        .isEqualTo(Status.Code.SERIALIZATION);
    assertThatThrownBy(() -> notes.readArguments("save", new byte[] {1, (byte) 0x81, 0x7f, 9}))
        .isInstanceOf(RpcException.class);
    assertThat(Tracked.created).hasValue(0);
  }

  @Test
  void payloadOfAnotherAllowedClassThanDeclaredFailsAfterReading() throws Exception {
    // Both are allowed, but a list was declared and the payload holds a string.
    byte[] string = KryoTestCodecs.of(NoteService.class).writeResult("tags", List.of("x"));
    string[0] = 3; // the registration id of String, shifted by two as Kryo writes it

    assertThatThrownBy(() -> notes.readResult("tags", string))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("where the result of NoteService.tags is declared as java.util.List");
  }

  @Test
  void graphsDeeperThanMaxDepthFail() throws Exception {
    KryoTestCodecs shallow =
        new KryoTestCodecs(
            NoteService.class,
            KryoSerializer.builder().maxDepth(8).build(),
            KryoSerializer.builder().maxDepth(8).build());
    Node deep = null;
    for (int i = 0; i < 20; i++) {
      deep = new Node("n" + i, deep);
    }
    Node node = deep;

    assertThatThrownBy(() -> shallow.writeArguments("chain", node))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("Max depth exceeded");
    byte[] bytes = notes.writeArguments("chain", node);
    assertThatThrownBy(() -> shallow.readArguments("chain", bytes))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("Max depth exceeded");
    assertThat(notes.readArguments("chain", bytes)).containsExactly(node);
  }

  @Test
  void wrongArgumentCountFailsWithSerialization() {
    assertThatThrownBy(() -> notes.writeArguments("tags", List.of(), List.of()))
        .isInstanceOf(RpcException.class)
        .hasMessage("SERIALIZATION: NoteService.tags takes 1 arguments, got 2");
  }

  @Test
  void failedCallsLeaveTheCodecsUsable() throws Exception {
    for (int i = 0; i < 50; i++) {
      assertThatThrownBy(() -> notes.readArguments("tags", new byte[] {(byte) 0xff}))
          .isInstanceOf(RpcException.class);
      assertThatThrownBy(
              () -> notes.writeArguments("save", new Note("x", List.of(new Secret()), null)))
          .isInstanceOf(RpcException.class);
    }

    assertThat(notes.arguments("tags", List.of("still", "fine")))
        .containsExactly(List.of("still", "fine"));
    assertThat(notes.reader("save").readArguments(new ByteArrayInputStream(new byte[] {0})))
        .containsExactly((Object) null);
  }
}

package io.minirpc.serialize;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.minirpc.MethodCodec;
import io.minirpc.MethodSignature;
import io.minirpc.RpcException;
import io.minirpc.RpcService;
import io.minirpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JsonSerializerTest {

  enum Color {
    RED,
    GREEN
  }

  record Address(String city, int zip) {}

  record User(long id, String name, Address address, List<String> tags) {}

  record Team(String name, List<User> members, Map<String, Address> offices) {}

  /** A mutable bean, for the getter/setter path of Jackson rather than the record one. */
  static final class Holder {
    private String name;
    private int count;
    private Holder child;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public int getCount() {
      return count;
    }

    public void setCount(int count) {
      this.count = count;
    }

    public Holder getChild() {
      return child;
    }

    public void setChild(Holder child) {
      this.child = child;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Holder other
          && Objects.equals(name, other.name)
          && count == other.count
          && Objects.equals(child, other.child);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, count, child);
    }
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Circle.class, name = "circle"),
    @JsonSubTypes.Type(value = Square.class, name = "square")
  })
  interface Shape {}

  record Circle(double radius) implements Shape {}

  record Square(double side) implements Shape {}

  /** Counts its instances, so a test can tell whether a payload managed to create one. */
  static final class Gadget {
    static final AtomicInteger CREATED = new AtomicInteger();

    public int x;

    public Gadget() {
      CREATED.incrementAndGet();
    }
  }

  @RpcService
  interface Everything {
    int add(int a, long b, double c, boolean d, char e, byte f, short g, float h);

    String echo(String text);

    void touch(String text);

    CompletableFuture<User> find(long id);

    CompletableFuture<Void> forget(long id);

    List<User> list(Map<String, User> byName, Set<Color> colors);

    Duration times(LocalDate date, LocalDateTime dateTime, Instant instant, Duration duration);

    Color paint(Color color);

    Team team(Team team);

    Holder holder(Holder holder);

    List<Shape> shapes(List<Shape> shapes);

    Map<String, Object> any(Map<String, Object> data);

    List<Object> objects(List<Object> data);

    int[] numbers(int[] numbers);
  }

  @RpcService
  interface ObjectParameter {
    void take(String name, Object value);
  }

  @RpcService
  interface ObjectResult {
    Object get();
  }

  @RpcService
  interface TypeVariableResult {
    <T> T get(String key);
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
  interface Animal {}

  record Dog(String name) implements Animal {}

  record Zoo(String name, List<Animal> animals) {}

  record Cage(@JsonTypeInfo(use = JsonTypeInfo.Id.MINIMAL_CLASS) Object pet) {}

  record Plain(String name) {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
  interface ClassNamesMixIn {}

  @RpcService
  interface AnimalParameter {
    void feed(Animal animal);
  }

  @RpcService
  interface DogResult {
    CompletableFuture<Dog> adopt();
  }

  @RpcService
  interface NestedAnimal {
    void visit(Map<String, Zoo> zoos);
  }

  @RpcService
  interface PropertyTypeInfo {
    void lock(Cage cage);
  }

  @RpcService
  interface PlainParameter {
    void send(Plain plain);
  }

  @Test
  void idAndNameAreFixed() throws Exception {
    JsonSerializer serializer = JsonSerializer.create();

    assertThat(serializer.id()).isEqualTo(3);
    assertThat(serializer.name()).isEqualTo("json");
  }

  @Test
  void primitivesRoundTrip() throws Exception {
    Object[] arguments = {1, 2L, 3.5, true, 'x', (byte) 6, (short) 7, 8.25f};

    assertThat(roundTripArguments(Everything.class, "add", arguments)).containsExactly(arguments);
    assertThat(roundTripResult(Everything.class, "add", 42)).isEqualTo(42);
  }

  @Test
  void stringsRoundTrip() throws Exception {
    assertThat(roundTripArguments(Everything.class, "echo", "héllo \"wörld\" \n ✓"))
        .containsExactly("héllo \"wörld\" \n ✓");
    assertThat(roundTripResult(Everything.class, "echo", "")).isEqualTo("");
  }

  @Test
  void nullArgumentsAndResultsRoundTrip() throws Exception {
    assertThat(roundTripArguments(Everything.class, "echo", (Object) null))
        .containsExactly((Object) null);
    assertThat(roundTripArguments(Everything.class, "list", null, null))
        .containsExactly(null, null);
    assertThat(roundTripResult(Everything.class, "echo", null)).isNull();
    assertThat(roundTripResult(Everything.class, "find", null)).isNull();
  }

  @Test
  void voidResultIsWrittenAsNull() throws Exception {
    Codecs codecs = codecs(Everything.class, "touch");

    byte[] bytes = writeResult(codecs.writer(), null);

    assertThat(new String(bytes, UTF_8)).isEqualTo("null");
    assertThat(codecs.reader().readResult(new ByteArrayInputStream(bytes))).isNull();
    assertThat(roundTripResult(Everything.class, "forget", null)).isNull();
  }

  @Test
  void voidResultOtherThanNullFails() throws Exception {
    MethodCodec reader = codecs(Everything.class, "touch").reader();

    assertSerializationFailure(
        () -> reader.readResult(stream("1")),
        "could not read the result of Everything.touch: expected null for a void method");
  }

  @Test
  void argumentsAreOneJsonArrayAndResultOneValue() throws Exception {
    Codecs codecs = codecs(Everything.class, "echo");

    assertThat(new String(writeArguments(codecs.writer(), "a"), UTF_8)).isEqualTo("[\"a\"]");
    assertThat(new String(writeResult(codecs.writer(), "b"), UTF_8)).isEqualTo("\"b\"");
    assertThat(
            new String(
                writeArguments(codecs(Everything.class, "list").writer(), null, null), UTF_8))
        .isEqualTo("[null,null]");
  }

  @Test
  void nestedRecordsAndCollectionsRoundTrip() throws Exception {
    User ada = new User(1, "Ada", new Address("London", 1815), List.of("math", "engines"));
    User alan = new User(2, "Alan", null, List.of());
    Map<String, User> byName = new LinkedHashMap<>();
    byName.put("ada", ada);
    byName.put("alan", alan);
    Team team =
        new Team("pioneers", List.of(ada, alan), Map.of("hq", new Address("Manchester", 1948)));

    assertThat(
            roundTripArguments(
                Everything.class, "list", byName, EnumSet.of(Color.RED, Color.GREEN)))
        .containsExactly(byName, Set.of(Color.RED, Color.GREEN));
    assertThat(roundTripResult(Everything.class, "list", List.of(alan, ada)))
        .isEqualTo(List.of(alan, ada));
    assertThat(roundTripArguments(Everything.class, "team", team)).containsExactly(team);
    assertThat(roundTripResult(Everything.class, "find", ada)).isEqualTo(ada);
  }

  @Test
  void beansRoundTrip() throws Exception {
    Holder child = new Holder();
    child.setName("child");
    Holder parent = new Holder();
    parent.setName("parent");
    parent.setCount(3);
    parent.setChild(child);

    assertThat(roundTripArguments(Everything.class, "holder", parent)).containsExactly(parent);
    assertThat(roundTripResult(Everything.class, "holder", parent)).isEqualTo(parent);
  }

  @Test
  void arraysRoundTrip() throws Exception {
    assertThat(roundTripArguments(Everything.class, "numbers", (Object) new int[] {1, 2, 3}))
        .containsExactly((Object) new int[] {1, 2, 3});
  }

  @Test
  void javaTimeTypesRoundTripAsIsoStrings() throws Exception {
    LocalDate date = LocalDate.of(2024, 2, 29);
    LocalDateTime dateTime = LocalDateTime.of(2024, 2, 29, 12, 30, 15, 123_000_000);
    Instant instant = Instant.parse("2024-02-29T12:30:15.123456789Z");
    Duration duration = Duration.ofMinutes(90);
    Codecs codecs = codecs(Everything.class, "times");

    byte[] bytes = writeArguments(codecs.writer(), date, dateTime, instant, duration);

    assertThat(new String(bytes, UTF_8))
        .isEqualTo(
            "[\"2024-02-29\",\"2024-02-29T12:30:15.123\",\"2024-02-29T12:30:15.123456789Z\","
                + "\"PT1H30M\"]");
    assertThat(codecs.reader().readArguments(new ByteArrayInputStream(bytes)))
        .containsExactly(date, dateTime, instant, duration);
    assertThat(roundTripResult(Everything.class, "times", duration)).isEqualTo(duration);
  }

  @Test
  void enumsRoundTrip() throws Exception {
    assertThat(roundTripArguments(Everything.class, "paint", Color.GREEN))
        .containsExactly(Color.GREEN);
    assertThat(roundTripResult(Everything.class, "paint", Color.RED)).isEqualTo(Color.RED);
  }

  @Test
  void unknownEnumConstantFails() throws Exception {
    MethodCodec reader = codecs(Everything.class, "paint").reader();

    assertThatThrownBy(() -> reader.readArguments(stream("[\"BLUE\"]")))
        .isInstanceOf(RpcException.class)
        .hasMessageStartingWith(
            "SERIALIZATION: could not read argument 0 of Everything.paint: Cannot deserialize");
  }

  @Test
  void subtypesNamedByJsonTypeInfoNameRoundTrip() throws Exception {
    List<Shape> shapes = List.of(new Circle(1.5), new Square(2));

    assertThat(roundTripArguments(Everything.class, "shapes", shapes)).containsExactly(shapes);
  }

  @Test
  void severalMebibyteStringRoundTrips() throws Exception {
    String big = "0123456789abcdef".repeat(6 * 1024 * 1024 / 16) + "✓";

    assertThat(roundTripArguments(Everything.class, "echo", big)).containsExactly(big);
    assertThat(roundTripResult(Everything.class, "echo", big)).isEqualTo(big);
  }

  @Test
  void tooFewArgumentsFail() throws Exception {
    MethodCodec reader = codecs(Everything.class, "list").reader();

    assertSerializationFailure(
        () -> reader.readArguments(stream("[{}]")),
        "could not read the arguments of Everything.list: expected 2 arguments, got 1");
  }

  @Test
  void tooManyArgumentsFail() throws Exception {
    MethodCodec reader = codecs(Everything.class, "echo").reader();

    assertSerializationFailure(
        () -> reader.readArguments(stream("[\"a\",\"b\"]")),
        "could not read the arguments of Everything.echo: expected 1 arguments, got more");
  }

  @Test
  void argumentsThatAreNotAnArrayFail() throws Exception {
    MethodCodec reader = codecs(Everything.class, "echo").reader();

    assertSerializationFailure(
        () -> reader.readArguments(stream("{\"text\":\"a\"}")),
        "could not read the arguments of Everything.echo: expected a JSON array of 1 arguments");
  }

  @Test
  void contentAfterTheArgumentsFails() throws Exception {
    MethodCodec reader = codecs(Everything.class, "echo").reader();

    assertSerializationFailure(
        () -> reader.readArguments(stream("[\"a\"] [\"b\"]")),
        "could not read the arguments of Everything.echo: content after the array");
  }

  @Test
  void writingTheWrongNumberOfArgumentsFails() throws Exception {
    MethodCodec writer = codecs(Everything.class, "echo").writer();

    assertSerializationFailure(
        () -> writer.writeArguments(new Object[] {"a", "b"}, new ByteArrayOutputStream()),
        "could not write the arguments of Everything.echo: expected 1, got 2");
  }

  @Test
  void garbageInputFails() throws Exception {
    MethodCodec reader = codecs(Everything.class, "find").reader();

    assertThatThrownBy(() -> reader.readArguments(stream("\u0000\u00ffnot json")))
        .isInstanceOf(RpcException.class)
        .hasMessageStartingWith("SERIALIZATION: could not read the arguments of Everything.find")
        .satisfies(e -> assertThat(((RpcException) e).code()).isEqualTo(Status.Code.SERIALIZATION))
        .hasCauseInstanceOf(IOException.class);
    assertThatThrownBy(() -> reader.readArguments(stream("[12")))
        .isInstanceOf(RpcException.class)
        .hasMessageStartingWith("SERIALIZATION: could not read");
    assertThatThrownBy(() -> reader.readArguments(stream("[\"twelve\"]")))
        .isInstanceOf(RpcException.class)
        .hasMessageStartingWith("SERIALIZATION: could not read argument 0 of Everything.find");
    assertThatThrownBy(() -> reader.readResult(stream("{\"id\":")))
        .isInstanceOf(RpcException.class)
        .hasMessageStartingWith("SERIALIZATION: could not read the result of Everything.find");
    assertSerializationFailure(
        () -> reader.readResult(stream("")),
        "could not read the result of Everything.find: no JSON value");
  }

  @Test
  void payloadNestedDeeperThanTheLimitFails() throws Exception {
    MethodCodec reader = codecs(Everything.class, "objects").reader();
    String deep = "[" + "[".repeat(600) + "]".repeat(600) + "]";

    assertThatThrownBy(() -> reader.readArguments(stream(deep)))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("nesting depth (501) exceeds the maximum allowed (500");
  }

  @Test
  void numberLongerThanTheLimitFails() throws Exception {
    MethodCodec reader = codecs(Everything.class, "objects").reader();
    String longNumber = "[[" + "9".repeat(1001) + "]]";

    assertThatThrownBy(() -> reader.readArguments(stream(longNumber)))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("exceeds the maximum allowed (1000");
  }

  @Test
  void classNamesInThePayloadCreateNothing() throws Exception {
    String gadget = Gadget.class.getName();
    Gadget.CREATED.set(0);

    Object[] map =
        codecs(Everything.class, "any")
            .reader()
            .readArguments(stream("[{\"@class\":\"" + gadget + "\",\"x\":1}]"));
    Object[] list =
        codecs(Everything.class, "objects")
            .reader()
            .readArguments(
                stream("[[\"" + gadget + "\",{\"x\":1},\"java.net.URL\",\"http://example.com\"]]"));
    Object[] holder =
        codecs(Everything.class, "holder")
            .reader()
            .readArguments(stream("[{\"@class\":\"" + gadget + "\",\"name\":\"n\"}]"));

    assertThat(Gadget.CREATED).hasValue(0);
    assertThat(map[0]).isEqualTo(Map.of("@class", gadget, "x", 1));
    assertThat(list[0])
        .isEqualTo(List.of(gadget, Map.of("x", 1), "java.net.URL", "http://example.com"));
    assertThat((List<?>) list[0])
        .noneMatch(element -> element instanceof URL || element instanceof Gadget);
    assertThat(holder[0]).isExactlyInstanceOf(Holder.class);
    assertThat(((Holder) holder[0]).getName()).isEqualTo("n");
  }

  @Test
  void objectParameterIsRefusedAtPrepare() throws Exception {
    assertRefused(
        ObjectParameter.class,
        "ObjectParameter.take: parameter 1 has type java.lang.Object, which would need a class"
            + " name from the wire; the JSON serializer reads values only as their declared"
            + " types");
  }

  @Test
  void objectResultIsRefusedAtPrepare() throws Exception {
    assertRefused(
        ObjectResult.class,
        "ObjectResult.get: the result has type java.lang.Object, which would need a class name"
            + " from the wire; the JSON serializer reads values only as their declared types");
  }

  @Test
  void typeVariableResultIsRefusedAtPrepare() throws Exception {
    assertRefused(
        TypeVariableResult.class,
        "TypeVariableResult.get: the result has type T, which would need a class name from the"
            + " wire; the JSON serializer reads values only as their declared types");
  }

  @Test
  void classNameTypeInfoIsRefusedAtPrepare() throws Exception {
    assertRefused(
        AnimalParameter.class,
        "AnimalParameter.feed: parameter 0 has type "
            + Animal.class.getName()
            + ", which would"
            + " need a class name from the wire ("
            + Animal.class.getName()
            + " uses"
            + " @JsonTypeInfo(use = Id.CLASS)); the JSON serializer reads values only as their"
            + " declared types");
  }

  @Test
  void classNameTypeInfoInheritedBySubtypeIsRefusedAtPrepare() throws Exception {
    assertRefused(
        DogResult.class,
        "DogResult.adopt: the result has type "
            + Dog.class.getName()
            + ", which would need a"
            + " class name from the wire ("
            + Dog.class.getName()
            + " uses"
            + " @JsonTypeInfo(use = Id.CLASS)); the JSON serializer reads values only as their"
            + " declared types");
  }

  @Test
  void classNameTypeInfoNestedInCollectionsIsRefusedAtPrepare() throws Exception {
    assertRefused(
        NestedAnimal.class,
        "NestedAnimal.visit: parameter 0 has type java.util.Map<java.lang.String, "
            + Zoo.class.getName()
            + ">, which would need a class name from the wire ("
            + Animal.class.getName()
            + " uses @JsonTypeInfo(use = Id.CLASS)); the JSON"
            + " serializer reads values only as their declared types");
  }

  @Test
  void minimalClassTypeInfoOnPropertyIsRefusedAtPrepare() throws Exception {
    assertRefused(
        PropertyTypeInfo.class,
        "PropertyTypeInfo.lock: parameter 0 has type "
            + Cage.class.getName()
            + ", which would"
            + " need a class name from the wire (property 'pet' of "
            + Cage.class.getName()
            + " uses @JsonTypeInfo(use = Id.MINIMAL_CLASS)); the JSON serializer reads values"
            + " only as their declared types");
  }

  @Test
  void classNameTypeInfoFromMixInIsRefusedAtPrepare() throws Exception {
    ObjectMapper mapper = JsonMapper.builder().addMixIn(Plain.class, ClassNamesMixIn.class).build();
    JsonSerializer serializer = JsonSerializer.builder().mapper(mapper).build();

    assertThatThrownBy(
            () -> serializer.prepare(PlainParameter.class, signatures(PlainParameter.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "PlainParameter.send: parameter 0 has type "
                + Plain.class.getName()
                + ", which would"
                + " need a class name from the wire ("
                + Plain.class.getName()
                + " uses"
                + " @JsonTypeInfo(use = Id.CLASS)); the JSON serializer reads values only as"
                + " their declared types");
    assertThat(
            JsonSerializer.create().prepare(PlainParameter.class, signatures(PlainParameter.class)))
        .hasSize(1);
  }

  @Test
  void mapperWithDefaultTypingIsRefused() throws Exception {
    ObjectMapper mapper =
        JsonMapper.builder()
            .activateDefaultTyping(BasicPolymorphicTypeValidator.builder().build())
            .build();

    assertThatThrownBy(() -> JsonSerializer.builder().mapper(mapper).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the mapper has default typing activated, which reads class names from the wire;"
                + " the JSON serializer reads values only as their declared types");
  }

  @Test
  void givenMapperGetsJavaTimeAndIsoDatesWithoutBeingChanged() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonSerializer serializer = JsonSerializer.builder().mapper(mapper).build();
    MethodCodec codec = codec(serializer, Everything.class, "times");

    byte[] bytes =
        writeArguments(
            codec,
            LocalDate.of(2024, 1, 2),
            LocalDateTime.of(2024, 1, 2, 3, 4),
            Instant.EPOCH,
            Duration.ofSeconds(5));

    assertThat(new String(bytes, UTF_8))
        .isEqualTo("[\"2024-01-02\",\"2024-01-02T03:04:00\",\"1970-01-01T00:00:00Z\",\"PT5S\"]");
    assertThat(mapper.getRegisteredModuleIds()).isEmpty();
    assertThat(mapper.getFactory().streamReadConstraints().getMaxNestingDepth()).isNotEqualTo(500);
  }

  @Test
  void givenMapperWithJavaTimeModuleKeepsItsDateSettings() throws Exception {
    ObjectMapper mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    JsonSerializer serializer = JsonSerializer.builder().mapper(mapper).build();
    Codecs codecs =
        new Codecs(
            codec(serializer, Everything.class, "times"),
            codec(JsonSerializer.builder().mapper(mapper).build(), Everything.class, "times"));
    Object[] arguments = {
      LocalDate.of(2024, 1, 2), LocalDateTime.of(2024, 1, 2, 3, 4), Instant.EPOCH, Duration.ZERO
    };

    byte[] bytes = writeArguments(codecs.writer(), arguments);

    assertThat(new String(bytes, UTF_8)).startsWith("[[2024,1,2],[2024,1,2,3,4],0.0");
    assertThat(codecs.reader().readArguments(new ByteArrayInputStream(bytes)))
        .containsExactly(arguments);
  }

  @Test
  void streamsAreNotClosed() throws Exception {
    Codecs codecs = codecs(Everything.class, "echo");
    TrackingOutputStream out = new TrackingOutputStream();

    codecs.writer().writeArguments(new Object[] {"a"}, out);
    codecs.writer().writeResult("b", out);
    TrackingInputStream in = new TrackingInputStream(writeArguments(codecs.writer(), "a"));
    codecs.reader().readArguments(in);

    assertThat(out.closed).isFalse();
    assertThat(in.closed).isFalse();
  }

  @Test
  void codecsAreSharedSafelyBetweenThreads() throws Exception {
    Codecs codecs = codecs(Everything.class, "find");
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      long id = t;
      calls.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < 200; i++) {
                    User user = new User(id, "u" + i, new Address("c" + i, i), List.of("t" + id));
                    byte[] bytes = writeResult(codecs.writer(), user);
                    assertThat(codecs.reader().readResult(new ByteArrayInputStream(bytes)))
                        .isEqualTo(user);
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }));
    }

    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
  }

  // Test helpers.

  private record Codecs(MethodCodec writer, MethodCodec reader) {}

  /** The codecs of one method, prepared in two serializers as a client and a server would. */
  private static Codecs codecs(Class<?> service, String method) {
    return new Codecs(
        codec(JsonSerializer.create(), service, method),
        codec(JsonSerializer.create(), service, method));
  }

  private static MethodCodec codec(JsonSerializer serializer, Class<?> service, String method) {
    List<MethodSignature> signatures = signatures(service);
    Map<MethodSignature, MethodCodec> codecs = serializer.prepare(service, signatures);
    return signatures.stream()
        .filter(signature -> signature.method().getName().equals(method))
        .map(codecs::get)
        .findFirst()
        .orElseThrow();
  }

  static List<MethodSignature> signatures(Class<?> service) {
    List<MethodSignature> signatures = new ArrayList<>();
    for (Method method : service.getDeclaredMethods()) {
      Type result = method.getGenericReturnType();
      if (method.getReturnType() == CompletableFuture.class) {
        result = ((ParameterizedType) result).getActualTypeArguments()[0];
      }
      signatures.add(
          new MethodSignature(method, Arrays.asList(method.getGenericParameterTypes()), result));
    }
    return signatures;
  }

  private static Object[] roundTripArguments(Class<?> service, String method, Object... args)
      throws IOException {
    Codecs codecs = codecs(service, method);
    return codecs
        .reader()
        .readArguments(new ByteArrayInputStream(writeArguments(codecs.writer(), args)));
  }

  private static Object roundTripResult(Class<?> service, String method, Object result)
      throws IOException {
    Codecs codecs = codecs(service, method);
    return codecs
        .reader()
        .readResult(new ByteArrayInputStream(writeResult(codecs.writer(), result)));
  }

  private static byte[] writeArguments(MethodCodec codec, Object... arguments) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    codec.writeArguments(arguments, out);
    return out.toByteArray();
  }

  private static byte[] writeResult(MethodCodec codec, Object result) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    codec.writeResult(result, out);
    return out.toByteArray();
  }

  private static InputStream stream(String json) {
    return new ByteArrayInputStream(json.getBytes(UTF_8));
  }

  private static void assertRefused(Class<?> service, String message) {
    assertThatThrownBy(() -> JsonSerializer.create().prepare(service, signatures(service)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  private static void assertSerializationFailure(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String description) {
    assertThatThrownBy(call)
        .isInstanceOf(RpcException.class)
        .hasMessage("SERIALIZATION: " + description)
        .satisfies(e -> assertThat(((RpcException) e).code()).isEqualTo(Status.Code.SERIALIZATION));
  }

  private static final class TrackingOutputStream extends OutputStream {
    boolean closed;

    @Override
    public void write(int b) {}

    @Override
    public void close() {
      closed = true;
    }
  }

  private static final class TrackingInputStream extends ByteArrayInputStream {
    boolean closed;

    TrackingInputStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}

package io.minirpc.serialize;

import static org.assertj.core.api.Assertions.assertThat;

import io.minirpc.RpcService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KryoSerializerTest {

  enum Role {
    ADMIN,
    MEMBER {
      @Override
      public String toString() {
        return "member";
      }
    }
  }

  record Address(String city, String zip) {}

  record User(long id, String name, Role role, Address address) {}

  /** A plain class without a no-arg constructor, as value classes often are. */
  static final class Money {
    private final BigDecimal amount;
    private final Currency currency;

    Money(BigDecimal amount, Currency currency) {
      this.amount = amount;
      this.currency = currency;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Money m && amount.equals(m.amount) && currency.equals(m.currency);
    }

    @Override
    public int hashCode() {
      return Objects.hash(amount, currency);
    }
  }

  static final class Team {
    String name;
    User lead;
    List<User> members = new ArrayList<>();
    Map<String, Address> offices = new HashMap<>();
    Role[] roles;
    Money budget;
    transient String cache = "not sent";

    @Override
    public boolean equals(Object o) {
      return o instanceof Team t
          && Objects.equals(name, t.name)
          && Objects.equals(lead, t.lead)
          && Objects.equals(members, t.members)
          && Objects.equals(offices, t.offices)
          && Arrays.equals(roles, t.roles)
          && Objects.equals(budget, t.budget);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, lead);
    }
  }

  /** A generic class of the service's own, bound differently in two places. */
  record Page<T>(int number, List<T> items) {}

  @RpcService
  interface UserService {
    int add(int a, int b);

    long ping(boolean flag, byte b, short s, char c, float f, double d, long l);

    String echo(String text);

    User getUser(long id);

    void audit(String event);

    void clear();

    CompletableFuture<List<User>> listUsers(int page);

    Map<String, User> byName(Set<User> users);

    Instant shift(LocalDate date, LocalDateTime dateTime, Instant instant, Duration duration);

    ZonedDateTime zoned(ZonedDateTime time);

    Role promote(Role role);

    byte[] blob(byte[] data);

    Team team(Team team);

    Page<Address> addresses(Page<User> users);

    List<String> names(List<String> names);

    Set<Integer> numbers(Set<Integer> numbers);

    Map<String, Integer> counts(Map<String, Integer> counts);

    Optional<User> find(UUID id, BigDecimal limit);

    int[][] matrix(int[][] values);

    EnumSet<Role> roles(EnumSet<Role> roles);
  }

  private final KryoTestCodecs codecs = KryoTestCodecs.of(UserService.class);

  private static User alice() {
    return new User(1, "Alice", Role.ADMIN, new Address("Paris", "75001"));
  }

  private static User bob() {
    return new User(2, "Bob", Role.MEMBER, null);
  }

  @Test
  void describesItselfAsKryoWithIdOne() {
    KryoSerializer serializer = KryoSerializer.create();

    assertThat(serializer.id()).isEqualTo(1);
    assertThat(serializer.name()).isEqualTo("kryo");
    assertThat(serializer.maxDepth()).isEqualTo(KryoSerializer.DEFAULT_MAX_DEPTH);
  }

  @Test
  void primitivesAndStringsRoundTrip() throws Exception {
    assertThat(codecs.arguments("add", 40, 2)).containsExactly(40, 2);
    assertThat(codecs.result("add", 42)).isEqualTo(42);
    assertThat(
            codecs.arguments(
                "ping", true, (byte) -1, (short) 300, 'é', 1.5f, -2.25d, Long.MIN_VALUE))
        .containsExactly(true, (byte) -1, (short) 300, 'é', 1.5f, -2.25d, Long.MIN_VALUE);
    assertThat(codecs.arguments("echo", "héllo, 世界")).containsExactly("héllo, 世界");
    assertThat(codecs.arguments("echo", "")).containsExactly("");
  }

  @Test
  void nullArgumentsAndResultsRoundTrip() throws Exception {
    assertThat(codecs.arguments("echo", (Object) null)).containsExactly((Object) null);
    assertThat(codecs.arguments("team", (Object) null)).containsExactly((Object) null);
    assertThat(codecs.arguments("byName", (Object) null)).containsExactly((Object) null);
    assertThat(codecs.result("getUser", null)).isNull();
    assertThat(codecs.result("listUsers", null)).isNull();
    assertThat(codecs.result("find", null)).isNull();
  }

  @Test
  void voidResultTakesNoBytesAndReadsAsNull() throws Exception {
    assertThat(codecs.writeResult("audit", null)).isEmpty();
    assertThat(codecs.readResult("audit", new byte[0])).isNull();
  }

  @Test
  void methodWithoutParametersTakesNoBytes() throws Exception {
    // A dynamic proxy passes null rather than an empty array for such a method.
    assertThat(codecs.writeArguments("clear", (Object[]) null)).isEmpty();
    assertThat(codecs.readArguments("clear", new byte[0])).isEmpty();
  }

  @Test
  void nestedUserObjectsRoundTrip() throws Exception {
    Team team = new Team();
    team.name = "core";
    team.lead = alice();
    team.members = new ArrayList<>(List.of(alice(), bob()));
    team.offices = new HashMap<>(Map.of("hq", new Address("Lyon", "69001")));
    team.roles = new Role[] {Role.ADMIN, Role.MEMBER};
    team.budget = new Money(new BigDecimal("1234.50"), Currency.getInstance("EUR"));
    team.cache = "local only";

    Team copy = (Team) codecs.arguments("team", team)[0];

    assertThat(copy).isEqualTo(team).isNotSameAs(team);
    assertThat(copy.cache).as("a transient field keeps the reader's default").isEqualTo("not sent");
    assertThat(codecs.result("getUser", alice())).isEqualTo(alice());
  }

  @Test
  void collectionsOfUserObjectsRoundTrip() throws Exception {
    List<User> users = new LinkedList<>(List.of(alice(), bob()));
    assertThat(codecs.result("listUsers", users)).isEqualTo(users).isInstanceOf(LinkedList.class);

    Set<User> set = Set.of(alice(), bob());
    assertThat(codecs.arguments("byName", set)).containsExactly(set);

    Map<String, User> map = new TreeMap<>(Map.of("alice", alice(), "bob", bob()));
    assertThat(codecs.result("byName", map)).isEqualTo(map).isInstanceOf(TreeMap.class);
  }

  @Test
  void genericClassesOfTheServiceRoundTrip() throws Exception {
    Page<User> users = new Page<>(3, List.of(alice(), bob()));
    Page<Address> addresses = new Page<>(1, List.of(new Address("Nice", "06000")));

    assertThat(codecs.arguments("addresses", users)).containsExactly(users);
    assertThat(codecs.result("addresses", addresses)).isEqualTo(addresses);
  }

  @Test
  void immutableAndSpecialJdkCollectionsRoundTrip() throws Exception {
    List<List<String>> lists =
        List.of(
            List.of(),
            List.of("a"),
            List.of("a", "b"),
            List.of("a", "b", "c"),
            List.of("a", "b", "c").subList(1, 3),
            List.copyOf(new ArrayList<>(List.of("x", "y", "z"))),
            java.util.stream.Stream.of("s", "t").toList(),
            Collections.emptyList(),
            Collections.singletonList("one"),
            Arrays.asList("p", "q"),
            new LinkedList<>(List.of("l")));
    for (List<String> list : lists) {
      assertThat(codecs.arguments("names", list))
          .as(list.getClass().getName())
          .containsExactly(list);
    }

    List<Set<Integer>> sets =
        List.of(
            Set.of(),
            Set.of(1),
            Set.of(1, 2),
            Set.of(1, 2, 3),
            Collections.emptySet(),
            Collections.singleton(7),
            new TreeSet<>(Set.of(3, 1, 2)));
    for (Set<Integer> set : sets) {
      assertThat(codecs.arguments("numbers", set))
          .as(set.getClass().getName())
          .containsExactly(set);
    }

    List<Map<String, Integer>> maps =
        List.of(
            Map.of(),
            Map.of("a", 1),
            Map.of("a", 1, "b", 2, "c", 3),
            Collections.emptyMap(),
            Collections.singletonMap("s", 1),
            new LinkedHashMap<>(Map.of("l", 1)));
    for (Map<String, Integer> map : maps) {
      assertThat(codecs.arguments("counts", map)).as(map.getClass().getName()).containsExactly(map);
    }
  }

  @Test
  void javaTimeTypesRoundTrip() throws Exception {
    LocalDate date = LocalDate.of(2026, 11, 23);
    LocalDateTime dateTime = LocalDateTime.of(2026, 11, 23, 9, 15, 30, 123_456_789);
    Instant instant = Instant.ofEpochSecond(1_800_000_000L, 42);
    Duration duration = Duration.ofMillis(-1500);
    ZonedDateTime zoned = ZonedDateTime.of(dateTime, ZoneId.of("Europe/Paris"));

    assertThat(codecs.arguments("shift", date, dateTime, instant, duration))
        .containsExactly(date, dateTime, instant, duration);
    assertThat(codecs.result("shift", instant)).isEqualTo(instant);
    assertThat(codecs.arguments("zoned", zoned)).containsExactly(zoned);
  }

  @Test
  void enumsRoundTripIncludingConstantsWithBodies() throws Exception {
    assertThat(codecs.arguments("promote", Role.ADMIN)).containsExactly(Role.ADMIN);
    assertThat(codecs.arguments("promote", Role.MEMBER)).containsExactly(Role.MEMBER);
    assertThat(codecs.result("promote", Role.MEMBER)).isSameAs(Role.MEMBER);
  }

  @Test
  void enumSetsRoundTrip() throws Exception {
    assertThat(codecs.arguments("roles", EnumSet.of(Role.MEMBER)))
        .containsExactly(EnumSet.of(Role.MEMBER));
    assertThat(codecs.result("roles", EnumSet.noneOf(Role.class)))
        .isEqualTo(EnumSet.noneOf(Role.class));
  }

  @Test
  void registrationIdsArePinnedSoThatVersionsAgree() throws Exception {
    // Base ids are wire format: a reordered base list would break peers on another version.
    assertThat(KryoAllowList.BASE.indexOf(byte[].class) + KryoAllowList.FIRST_BASE_ID)
        .isEqualTo(10);
    assertThat(KryoAllowList.BASE.indexOf(ArrayList.class) + KryoAllowList.FIRST_BASE_ID)
        .isEqualTo(26);
    assertThat(KryoAllowList.BASE.indexOf(HashMap.class) + KryoAllowList.FIRST_BASE_ID)
        .isEqualTo(29);
    assertThat(KryoAllowList.BASE.indexOf(Instant.class) + KryoAllowList.FIRST_BASE_ID)
        .isEqualTo(55);
    assertThat(KryoAllowList.BASE).hasSize(64);
    // The service's own classes follow from 100, sorted by Class.getName().
    assertThat(
            KryoAllowList.scan(KryoTestCodecs.signatures(UserService.class), List.of())
                .userClasses())
        .containsExactly(
            Role[].class, // "[Lio.minirpc..." sorts before "[[I"
            int[][].class,
            Address.class,
            Money.class,
            Page.class,
            Role.class,
            Team.class,
            User.class);
    // An ArrayList result starts with ArrayList's id, shifted by two as Kryo writes ids.
    assertThat(codecs.writeResult("listUsers", new ArrayList<>())[0]).isEqualTo((byte) 28);
  }

  @Test
  void otherJdkValuesRoundTrip() throws Exception {
    UUID id = UUID.randomUUID();
    BigDecimal limit = new BigDecimal("-0.000001");
    int[][] matrix = {{1, 2}, {3}, {}};

    assertThat(codecs.arguments("find", id, limit)).containsExactly(id, limit);
    assertThat(codecs.result("find", Optional.of(alice()))).isEqualTo(Optional.of(alice()));
    assertThat(codecs.result("find", Optional.empty())).isEqualTo(Optional.empty());
    assertThat((int[][]) codecs.arguments("matrix", (Object) matrix)[0]).isDeepEqualTo(matrix);
  }

  @Test
  void severalMebibyteValuesRoundTrip() throws Exception {
    byte[] data = new byte[5 * 1024 * 1024 + 3];
    new java.util.Random(7).nextBytes(data);
    String text = "minirpc ".repeat(512 * 1024) + "é";

    assertThat((byte[]) codecs.arguments("blob", (Object) data)[0]).isEqualTo(data);
    assertThat(codecs.result("blob", data)).isEqualTo(data);
    assertThat(codecs.arguments("echo", text)).containsExactly(text);
  }

  @Test
  void declaredConcreteTypesTravelWithoutClassIds() throws Exception {
    // "Not null", then the record's components by name: a null list (its class id slot) and a
    // small int (zig-zag encoded, so 5 is 10). Nothing names the Page class itself.
    byte[] bytes = codecs.writeArguments("addresses", new Page<>(5, null));

    assertThat(bytes).containsExactly(1, 0, 10);
  }

  @Test
  void writesOnlyToTheGivenStreamAndLeavesItOpen() throws Exception {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream() {
          @Override
          public void close() {
            throw new AssertionError("the codec closed the stream");
          }
        };
    codecs.writer("echo").writeArguments(new Object[] {"a"}, out);
    ByteArrayInputStream in =
        new ByteArrayInputStream(out.toByteArray()) {
          @Override
          public void close() {
            throw new AssertionError("the codec closed the stream");
          }
        };

    assertThat(codecs.reader("echo").readArguments(in)).containsExactly("a");
  }

  @Test
  void extraClassesAgreeWhateverOrderTheyWereRegisteredIn() throws Exception {
    KryoTestCodecs registered =
        new KryoTestCodecs(
            UserService.class,
            KryoSerializer.builder().register(Money.class, java.util.BitSet.class).build(),
            KryoSerializer.builder()
                .register(java.util.BitSet.class)
                .register(Money.class)
                .build());

    assertThat(registered.arguments("team", new Team())).containsExactly(new Team());
    assertThat(registered.result("getUser", alice())).isEqualTo(alice());
  }

  @Test
  void threadsRoundTripConcurrentlyThroughSharedCodecs() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        tasks.add(
            () -> {
              for (int i = 0; i < 500; i++) {
                User user = new User(seed * 1000L + i, "u" + i, Role.MEMBER, new Address("c", "z"));
                List<User> users = List.of(user, alice());
                assertThat(codecs.arguments("getUser", user.id())).containsExactly(user.id());
                assertThat(codecs.result("getUser", user)).isEqualTo(user);
                assertThat(codecs.result("listUsers", users)).isEqualTo(users);
              }
              return null;
            });
      }
      for (Future<Void> result : executor.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
        result.get();
      }
    } finally {
      executor.shutdownNow();
    }
  }
}

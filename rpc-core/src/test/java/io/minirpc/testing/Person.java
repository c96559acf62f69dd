package io.minirpc.testing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A value with nested objects, collections and Java time types, as services exchange them. */
public final class Person {
  private long id;
  private String name;
  private LocalDate birthday;
  private Instant lastSeen;
  private List<String> tags;
  private Map<String, Integer> scores;
  private Address address;

  public Person() {}

  public Person(
      long id,
      String name,
      LocalDate birthday,
      Instant lastSeen,
      List<String> tags,
      Map<String, Integer> scores,
      Address address) {
    this.id = id;
    this.name = name;
    this.birthday = birthday;
    this.lastSeen = lastSeen;
    this.tags = tags;
    this.scores = scores;
    this.address = address;
  }

  /** A sample person whose fields all depend on the id. */
  public static Person sample(long id) {
    return new Person(
        id,
        "Zoë Ünal " + id,
        LocalDate.of(1990, 1, 1).plusDays(id),
        Instant.ofEpochSecond(1_700_000_000L + id, 123_456_789),
        List.of("t" + id, "common"),
        Map.of("a", (int) id, "b", 2),
        new Address("Zürich", "Bahnhofstrasse " + id));
  }

  public long getId() {
    return id;
  }

  public void setId(long id) {
    this.id = id;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public LocalDate getBirthday() {
    return birthday;
  }

  public void setBirthday(LocalDate birthday) {
    this.birthday = birthday;
  }

  public Instant getLastSeen() {
    return lastSeen;
  }

  public void setLastSeen(Instant lastSeen) {
    this.lastSeen = lastSeen;
  }

  public List<String> getTags() {
    return tags;
  }

  public void setTags(List<String> tags) {
    this.tags = tags;
  }

  public Map<String, Integer> getScores() {
    return scores;
  }

  public void setScores(Map<String, Integer> scores) {
    this.scores = scores;
  }

  public Address getAddress() {
    return address;
  }

  public void setAddress(Address address) {
    this.address = address;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Person p
        && id == p.id
        && Objects.equals(name, p.name)
        && Objects.equals(birthday, p.birthday)
        && Objects.equals(lastSeen, p.lastSeen)
        && Objects.equals(tags, p.tags)
        && Objects.equals(scores, p.scores)
        && Objects.equals(address, p.address);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, birthday, lastSeen, tags, scores, address);
  }

  @Override
  public String toString() {
    return "Person{" + id + ", " + name + "}";
  }
}

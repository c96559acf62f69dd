package io.minirpc.testing;

import java.util.Objects;

/** A nested value of {@link Person}. */
public final class Address {
  private String city;
  private String street;

  public Address() {}

  public Address(String city, String street) {
    this.city = city;
    this.street = street;
  }

  public String getCity() {
    return city;
  }

  public void setCity(String city) {
    this.city = city;
  }

  public String getStreet() {
    return street;
  }

  public void setStreet(String street) {
    this.street = street;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Address a
        && Objects.equals(city, a.city)
        && Objects.equals(street, a.street);
  }

  @Override
  public int hashCode() {
    return Objects.hash(city, street);
  }

  @Override
  public String toString() {
    return "Address{" + city + ", " + street + "}";
  }
}

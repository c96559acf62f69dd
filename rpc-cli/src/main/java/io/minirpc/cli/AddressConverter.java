package io.minirpc.cli;

import io.minirpc.Provider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code host:port}, so that a malformed address is a usage error, not a failed call. */
final class AddressConverter implements ITypeConverter<String> {

  @Override
  public String convert(String value) {
    try {
      return Provider.parse(value).address();
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}

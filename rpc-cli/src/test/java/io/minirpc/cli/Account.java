package io.minirpc.cli;

/** What {@link Accounts#account} answers. */
public record Account(long id, String name) {}

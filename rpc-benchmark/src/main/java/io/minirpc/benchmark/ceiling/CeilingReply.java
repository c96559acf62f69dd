package io.minirpc.benchmark.ceiling;

import io.minirpc.benchmark.Operation;

/**
 * What a ceiling call returns: which operation's reply came and its size on the wire. One instance
 * per operation, made at connect, so a call allocates nothing for its result; there is no user or
 * page to return, since the ceiling decodes nothing.
 */
public record CeilingReply(Operation operation, int bytes) {}

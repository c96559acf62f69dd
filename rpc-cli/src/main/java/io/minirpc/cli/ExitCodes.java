package io.minirpc.cli;

import io.minirpc.Status;

/**
 * The exit codes of {@code minirpc}, stable from one release to the next so that scripts may test
 * them (docs/CLI.md has the table):
 *
 * <pre>
 *  0        the command did what it was asked; health: SERVING
 *  1        a local failure: a file that cannot be read, a bad certificate, a bug
 *  2        a usage error: an unknown option, a missing argument (picocli's own code)
 *  3        health: NOT_SERVING
 * 10 + n    the call failed with the status code whose wire number is n (docs/PROTOCOL.md):
 *           12 DEADLINE_EXCEEDED, 13 UNAVAILABLE, 14 NOT_FOUND, 15 INVALID_ARGUMENT, ...
 * </pre>
 */
final class ExitCodes {

  static final int OK = 0;
  static final int LOCAL_FAILURE = 1;
  static final int USAGE = 2;
  static final int NOT_SERVING = 3;

  /** The exit code of the first status code; the others follow by wire number. */
  static final int STATUS_BASE = 10;

  private ExitCodes() {}

  /** The exit code of a call that failed with this code: 10 plus its wire number. */
  static int of(Status.Code code) {
    return code == Status.Code.OK ? OK : STATUS_BASE + code.value();
  }
}

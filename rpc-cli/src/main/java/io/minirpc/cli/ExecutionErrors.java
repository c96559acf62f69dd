package io.minirpc.cli;

import io.minirpc.RpcException;
import io.minirpc.Status;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints why a command failed on stderr, one line, and picks its exit code (see {@link ExitCodes}):
 * {@code ERROR <STATUS CODE>: <description>} for a failed call, {@code ERROR: <message>} for a
 * local failure.
 */
final class ExecutionErrors implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(
      Exception failure, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    RpcException rpc = rpcException(failure);
    if (rpc != null) {
      Status status = rpc.status();
      err.println(
          "ERROR "
              + status.code()
              + (status.description() == null ? "" : ": " + status.description()));
      err.flush();
      return ExitCodes.of(status.code());
    }
    err.println("ERROR: " + message(failure));
    err.flush();
    return ExitCodes.LOCAL_FAILURE;
  }

  private static RpcException rpcException(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RpcException e) {
        return e;
      }
    }
    return null;
  }

  private static String message(Exception failure) {
    boolean plain =
        failure instanceof IllegalArgumentException
            || failure instanceof IllegalStateException
            || failure instanceof UncheckedIOException;
    return plain && failure.getMessage() != null ? failure.getMessage() : failure.toString();
  }
}

package io.minirpc.example;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Calls the provider's services through its REST bridge with a plain HTTP client, as curl would,
 * printing what happens.
 *
 * <p>Usage: {@code java -cp minirpc-example.jar io.minirpc.example.RestCaller host:restPort}.
 */
public final class RestCaller {

  private RestCaller() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: RestCaller host:restPort");
      System.exit(2);
    }
    run(args[0], System.out);
  }

  /** Makes the demo's HTTP calls to the REST bridge at this address, printing a line for each. */
  static void run(String address, PrintStream out) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://" + address;
    CallerMain.print(
        out,
        "REST",
        "POST /demo.Greeting:1/greet",
        post(http, base + "/demo.Greeting:1/greet", "[\"Ada\"]"));
    CallerMain.print(
        out,
        "REST",
        "POST /example.UserService/existUser",
        post(http, base + "/example.UserService/existUser", "[\"a@b.c4\"]"));
    CallerMain.print(
        out,
        "REST",
        "POST /demo.Greeting:1/greetStrictly",
        post(http, base + "/demo.Greeting:1/greetStrictly", "[\"\"]"));
    CallerMain.print(
        out,
        "REST",
        "POST /demo.Greeting:1/nosuch",
        post(http, base + "/demo.Greeting:1/nosuch", "[]"));
  }

  /** "200 body": the HTTP status and the JSON body of one call. */
  private static String post(HttpClient http, String url, String arguments)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(arguments, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response =
        http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return response.statusCode() + " " + response.body();
  }
}

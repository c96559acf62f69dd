package io.minirpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.minirpc.server.RpcServer;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * minirpc as a named module: what it exports, that its internals cannot be imported, and that a
 * modular application set up as README.md says serves and calls a service on the module path. (The
 * other tests run on the class path, as most applications do.)
 */
class ModularApplicationTest {

  /** The runtime's own jars that the module path needs, found on this test's class path. */
  private static final List<String> RUNTIME_JARS =
      List.of(
          "/io/netty/",
          "/com/esotericsoftware/",
          "/org/objenesis/",
          "/com/google/protobuf/",
          "/com/fasterxml/jackson/",
          "/org/slf4j/slf4j-api/",
          // So that what goes wrong in the child JVM is in its output.
          "/org/slf4j/slf4j-simple/");

  @TempDir Path dir;

  @Test
  void coreExportsItsApiPackagesOnly() {
    ModuleDescriptor core = descriptorOf(RpcServer.class);

    assertThat(core.name()).isEqualTo("io.minirpc.core");
    Set<String> exported = core.exports().stream().map(Exports::source).collect(Collectors.toSet());
    assertThat(exported)
        .containsExactlyInAnyOrder(
            "io.minirpc.auth",
            "io.minirpc.client",
            "io.minirpc.cluster",
            "io.minirpc.serialize",
            "io.minirpc.server",
            "io.minirpc.tls");
    assertThat(core.exports()).allMatch(e -> !e.isQualified());
    assertThat(core.packages()).contains("io.minirpc.internal.dispatch", "io.minirpc.http");
    ModuleDescriptor api = descriptorOf(RpcException.class);
    assertThat(api.exports())
        .extracting(Exports::source, Exports::targets)
        .containsExactlyInAnyOrder(
            tuple("io.minirpc", Set.of()),
            tuple("io.minirpc.health", Set.of()),
            tuple("io.minirpc.reflection", Set.of()),
            // Making a served call's context is for the runtime only.
            tuple("io.minirpc.internal.call", Set.of("io.minirpc.core")));
  }

  @Test
  void anInternalClassCannotBeImportedFromAModule() throws IOException {
    Path src =
        writeModule(
            "demo.bad",
            "requires io.minirpc.core;",
            Map.of(
                "Bad.java",
                "package demo.bad;\n"
                    + "public class Bad { io.minirpc.internal.dispatch.ServerCall call; }\n"));

    StringWriter errors = new StringWriter();
    boolean compiled = compile(src, dir.resolve("bad-out"), errors);

    assertThat(compiled).isFalse();
    assertThat(errors.toString())
        .contains("package io.minirpc.internal.dispatch is not visible")
        .contains("does not export it");
  }

  @Test
  void aModuleCannotForgeTheContextOfACall() throws IOException {
    Path src =
        writeModule(
            "demo.forger",
            "requires io.minirpc.core;",
            Map.of(
                "Forger.java",
                "package demo.forger;\n"
                    + "public class Forger {\n"
                    + "  Object forged = io.minirpc.internal.call.ServerCallContexts.create(\n"
                    + "      \"s\", \"m\", io.minirpc.Attachments.EMPTY, null, null);\n"
                    + "}\n"));

    StringWriter errors = new StringWriter();

    assertThat(compile(src, dir.resolve("forger-out"), errors)).isFalse();
    assertThat(errors.toString())
        .contains("package io.minirpc.internal.call is not visible")
        .contains("does not export it to module demo.forger");
  }

  @Test
  void aModularApplicationServesAndCallsOnTheModulePath() throws Exception {
    Path src =
        writeModule(
            "demo.app",
            "requires io.minirpc.core;\n"
                + "  exports demo.app to io.minirpc.core;\n"
                + "  opens demo.app to com.esotericsoftware.kryo;",
            Map.of(
                "Greeter.java",
                "package demo.app;\n"
                    + "@io.minirpc.RpcService public interface Greeter {\n"
                    + "  Greeting greet(String name);\n"
                    + "}\n",
                "Greeting.java",
                "package demo.app;\n" + "public record Greeting(String text, int length) {}\n",
                "Main.java",
                "package demo.app;\n"
                    + "import io.minirpc.client.RpcClient;\n"
                    + "import io.minirpc.server.RpcServer;\n"
                    + "public class Main {\n"
                    + "  public static void main(String[] args) {\n"
                    + "    Greeter impl = name -> new Greeting(\"hello \" + name, name.length());\n"
                    + "    try (RpcServer server = RpcServer.builder().host(\"127.0.0.1\")\n"
                    + "            .addService(Greeter.class, impl).build().start();\n"
                    + "        RpcClient client = RpcClient.builder()\n"
                    + "            .addresses(\"127.0.0.1:\" + server.port()).build()) {\n"
                    + "      // Patient: the first call also starts Kryo and the JIT, on a machine that may\n"
                    + "      // be busy; this test is about modules, not speed.\n"
                    + "      Greeting g = client.stub(Greeter.class, io.minirpc.CallOptions.DEFAULT\n"
                    + "          .withTimeout(java.time.Duration.ofSeconds(30))).greet(\"modules\");\n"
                    + "      System.out.println(\"answer=\" + g.text() + \"/\" + g.length()\n"
                    + "          + \" named=\" + Main.class.getModule().isNamed()\n"
                    + "          + \" core=\" + RpcServer.class.getModule().getName());\n"
                    + "    }\n"
                    + "  }\n"
                    + "}\n"));
    Path out = dir.resolve("app-out");
    StringWriter errors = new StringWriter();
    assertThat(compile(src, out, errors)).as(errors.toString()).isTrue();

    Process java =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path",
                out + File.pathSeparator + modulePath(),
                "--module",
                "demo.app/demo.app.Main")
            .redirectErrorStream(true)
            .start();
    boolean exited = java.waitFor(60, TimeUnit.SECONDS);
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!exited) {
      java.destroyForcibly();
    }

    assertThat(exited).as(output).isTrue();
    assertThat(java.exitValue()).as(output).isZero();
    assertThat(output).contains("answer=hello modules/7 named=true core=io.minirpc.core");
  }

  private Path writeModule(String name, String directives, Map<String, String> sources)
      throws IOException {
    Path root = dir.resolve(name);
    Path pkg = root.resolve(name.replace('.', '/'));
    Files.createDirectories(pkg);
    Files.writeString(
        root.resolve("module-info.java"), "module " + name + " {\n  " + directives + "\n}\n");
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Files.writeString(pkg.resolve(source.getKey()), source.getValue());
    }
    return root;
  }

  private static boolean compile(Path sourceRoot, Path out, StringWriter errors)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    // In-process javac would otherwise take this JVM's class path, where minirpc's packages are
    // all visible: only the module path may serve.
    List<String> args =
        new ArrayList<>(List.of("-d", out.toString(), "-cp", out.toString(), "-p", modulePath()));
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
    }
    return javac.run(null, null, new WriterStream(errors), args.toArray(String[]::new)) == 0;
  }

  /** rpc-api and rpc-core as built (jar or classes folder), and the jars they require. */
  private static String modulePath() {
    List<String> path = new ArrayList<>();
    path.add(location(RpcException.class));
    path.add(location(RpcServer.class));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String unix = entry.replace(File.separatorChar, '/');
      if (unix.endsWith(".jar")
          && !unix.contains("tcnative")
          && RUNTIME_JARS.stream().anyMatch(unix::contains)) {
        path.add(entry);
      }
    }
    return String.join(File.pathSeparator, path);
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The descriptor of the module a class was loaded from, as a jar or a classes folder. */
  private static ModuleDescriptor descriptorOf(Class<?> type) {
    return ModuleFinder.of(Path.of(location(type))).findAll().iterator().next().descriptor();
  }

  /** Hands javac's messages to a writer the assertions can read. */
  private static final class WriterStream extends java.io.OutputStream {
    private final StringWriter target;

    WriterStream(StringWriter target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      target.write(b);
    }
  }
}

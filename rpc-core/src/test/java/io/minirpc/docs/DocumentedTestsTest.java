package io.minirpc.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs prove their claims by naming the tests that show them ("... | `LivenessTest`"). A test
 * renamed, moved or deleted would leave the claim unproven while it still reads as proven: every
 * test class the README and docs/ name must exist, and so must every method they name as {@code
 * SomeTest.method} or list after it as {@code SomeTest} ({@code method}, {@code other}).
 */
class DocumentedTestsTest {

  private static final Path ROOT = Path.of("..");

  /** A test class, then optionally {@code .method} or a list of methods in parentheses. */
  private static final Pattern REFERENCE =
      Pattern.compile(
          "\\b(?:[a-z]+\\.)*([A-Z][A-Za-z0-9]*Test)\\b"
              + "(?:\\.([a-z][A-Za-z0-9]*)|`?\\s*\\(((?:`[a-z][A-Za-z0-9]*`[,\\s]*)+)\\))?");

  private static final Pattern LISTED_METHOD = Pattern.compile("`([a-z][A-Za-z0-9]*)`");

  @Test
  void everyTestTheDocsNameExists() throws IOException {
    Map<String, String> sources = testSources();
    List<String> missing = new ArrayList<>();
    int references = 0;
    for (Path doc : docs()) {
      Matcher m = REFERENCE.matcher(Files.readString(doc, StandardCharsets.UTF_8));
      while (m.find()) {
        references++;
        String where = ROOT.relativize(doc) + ": ";
        String source = sources.get(m.group(1));
        if (source == null) {
          missing.add(where + m.group(1));
          continue;
        }
        List<String> methods = new ArrayList<>();
        if (m.group(2) != null) {
          methods.add(m.group(2));
        }
        if (m.group(3) != null) {
          Matcher listed = LISTED_METHOD.matcher(m.group(3));
          while (listed.find()) {
            methods.add(listed.group(1));
          }
        }
        for (String method : methods) {
          if (!source.matches("(?s).*\\b" + method + "\\s*\\(.*")) {
            missing.add(where + m.group(1) + "." + method);
          }
        }
      }
    }
    // The docs do cite tests: a pattern that found none would prove nothing.
    assertThat(references).isGreaterThan(50);
    assertThat(missing).as("tests the docs name that do not exist").isEmpty();
  }

  private static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  /** Every test class of every module, by simple name, with its source. */
  private static Map<String, String> testSources() throws IOException {
    Map<String, String> sources = new HashMap<>();
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path tests :
          modules.map(m -> m.resolve("src/test/java")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(tests)) {
          for (Path file : files.filter(p -> p.toString().endsWith("Test.java")).toList()) {
            String name = file.getFileName().toString().replace(".java", "");
            sources.merge(name, Files.readString(file, StandardCharsets.UTF_8), String::concat);
          }
        }
      }
    }
    return sources;
  }
}

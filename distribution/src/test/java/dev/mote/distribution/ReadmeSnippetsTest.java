package dev.mote.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Java snippet in README.md compiles against Mote's modules as they are: a snippet with a class is compiled
 * as it is; one with a method (e.g. a {@code @Test}) becomes a class member; any other becomes a method body. The
 * imports a snippet needs must be in the snippet.
 */
class ReadmeSnippetsTest {
    private static final Pattern PUBLIC_CLASS = Pattern.compile("(?m)^public\\s+(?:final\\s+)?class\\s+(\\w+)");
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile("(?m)^(?:public\\s+)?(?:final\\s+)?(?:class|record)\\s+\\w+");

    @TestFactory
    List<DynamicTest> everyJavaSnippetCompiles() {
        List<Readme.Block> snippets = Readme.read().blocks("java");
        assertFalse(snippets.isEmpty(), "README.md has no ```java blocks");
        List<DynamicTest> tests = new ArrayList<>();
        for (Readme.Block snippet : snippets) {
            tests.add(DynamicTest.dynamicTest("README.md line " + snippet.line(), () -> {
                String name = "ReadmeSnippetAtLine" + snippet.line();
                String source = compilationUnit(snippet.text(), name);
                Matcher cls = PUBLIC_CLASS.matcher(source);
                String file = cls.find() ? cls.group(1) : name;
                String errors = compile(file, source);
                assertEquals("", errors, "README.md line " + snippet.line() + " does not compile:\n" + source);
            }));
        }
        return tests;
    }

    @Test
    void aBrokenSnippetIsReported() {
        // The check itself: a snippet with an unknown type and a variable declared twice must fail to compile.
        String source = compilationUnit("float y = 1;\nfloat y = dev.mote.runtime.NoSuchType.x();\n", "Broken");
        assertTrue(compile("Broken", source).contains("already defined"));
    }

    /** Splits the snippet's imports from its body and wraps the body as the rules above say. */
    static String compilationUnit(String snippet, String className) {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.split("\n", -1)) {
            if (line.startsWith("import ")) {
                imports.append(line).append('\n');
            } else {
                body.append(line).append('\n');
            }
        }
        String text = body.toString();
        if (TOP_LEVEL_TYPE.matcher(text).find()) {
            return imports + text;
        }
        boolean member = text.strip().startsWith("@") || text.strip().matches("(?s)^(?:static\\s+)?void\\s+\\w+\\(.*");
        if (member) {
            return imports + "class " + className + " {\n" + text + "}\n";
        }
        return imports + "class " + className + " {\n  void snippet() throws Exception {\n" + text + "  }\n}\n";
    }

    /** Compiles one source file on the test class path; returns the error diagnostics, empty when it compiled. */
    static String compile(String className, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        StringWriter out = new StringWriter();
        List<String> options = List.of("-proc:none", "-d", System.getProperty("java.io.tmpdir") + "/mote-readme-snippets",
                "-classpath", System.getProperty("java.class.path"), "-Xlint:none");
        javac.getTask(out, null, diagnostics, options, null, List.of(file)).call();
        StringBuilder errors = new StringBuilder();
        diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
                .forEach(d -> errors.append("line ").append(d.getLineNumber()).append(": ")
                        .append(d.getMessage(null)).append('\n'));
        return errors.toString();
    }
}

package dev.mote.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user gets from README.md's "Use Mote in your project": Mote is installed from a copy of this source tree
 * into a fresh local repository, then the README's {@code pom.xml} and {@code HelloMote.java} are built in an empty
 * folder against it by a separate Maven, and the program is run. Third-party artifacts come from the build's own
 * local repository (read as a remote one), so nothing is downloaded twice and the user's repository is not touched.
 *
 * <p>Needs {@code mvn} on the PATH (skipped with a message without it).
 */
class ConsumerProjectTest {
    private static final Pattern FOREIGN_PLATFORM = Pattern.compile(
            "-(android|ios|macosx|windows|linux-arm|linux-ppc|linux-armhf)[-a-z0-9_]*\\.jar$");
    private static final List<String> UNUSED_HEAVY = List.of("opencv", "ffmpeg", "leptonica", "hdf5", "fastutil",
            "nd4j-native-platform", "datavec-data-image", "deeplearning4j-modelimport");

    @TempDir
    static Path work;
    private static Path repository;
    private static Path settings;

    @BeforeAll
    static void installMoteIntoAFreshRepository() throws Exception {
        assumeTrue(onPath("mvn"), "mvn is not on the PATH: the consumer-project test needs it");
        repository = work.resolve("repository");
        settings = work.resolve("settings.xml");
        Files.writeString(settings, settingsReadingTheHostCache(), StandardCharsets.UTF_8);
        Path source = work.resolve("mote-source");
        copyTree(Readme.projectRoot(), source);
        Result install = maven(source, "-pl", "mote,bom", "-am", "install", "-DskipTests", "-Dmote.fuzz=0",
                "-Dmaven.javadoc.skip=true", "-Dmaven.source.skip=true");
        assertEquals(0, install.exit(), "installing Mote into a fresh repository failed:\n" + install.output());
    }

    @Test
    void theReadmeProjectBuildsAndRunsWithOneDependencyBlock() throws Exception {
        Readme readme = Readme.read();
        Path project = work.resolve("hello-mote");
        Files.createDirectories(project.resolve("src/main/java"));
        Files.writeString(project.resolve("pom.xml"), readme.captioned("`pom.xml`:").text());
        Readme.Block program = readme.captioned("`src/main/java/HelloMote.java`:");
        Files.writeString(project.resolve("src/main/java/HelloMote.java"), program.text());
        List<String> runCommand = List.of(readme.next(program).text().trim().split("\\s+"));
        assertEquals("mvn", runCommand.get(0), "the README's run command after HelloMote.java");

        Result build = maven(project, "package",
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                "-Dmdep.outputFile=classpath.txt");
        assertEquals(0, build.exit(), "the README's project does not build:\n" + build.output());
        List<Path> jars = Arrays.stream(Files.readString(project.resolve("classpath.txt")).trim().split(":"))
                .map(Path::of).toList();

        long bytes = 0;
        for (Path jar : jars) {
            bytes += Files.size(jar);
        }
        System.out.printf(Locale.ROOT, "CONSUMER class path of dev.mote:mote: %d jars, %,d bytes (%.1f MB)%n",
                jars.size(), bytes, bytes / 1e6);
        List<String> names = jars.stream().map(j -> j.getFileName().toString()).toList();
        names.stream().sorted().forEach(n -> System.out.println("CONSUMER   " + n));

        assertTrue(names.stream().noneMatch(n -> FOREIGN_PLATFORM.matcher(n).find()),
                "natives of another platform on the class path: " + names);
        for (String heavy : UNUSED_HEAVY) {
            assertTrue(names.stream().noneMatch(n -> n.startsWith(heavy)), heavy + " is on the class path: " + names);
        }
        List<String> nd4jNatives = names.stream().filter(n -> n.startsWith("nd4j-native-1") && n.contains("-x86_64")
                || n.startsWith("nd4j-native-1") && n.contains("arm64")).toList();
        assertEquals(1, nd4jNatives.size(), "exactly one nd4j native jar for the host: " + nd4jNatives);
        assertEquals(1, names.stream().filter(n -> n.startsWith("flatbuffers-java-")).count(),
                "one flatbuffers-java: " + names);
        assertTrue(names.contains("flatbuffers-java-25.2.10.jar"), "micro-runtime's flatbuffers-java wins: " + names);

        Result run = maven(project, runCommand.subList(1, runCommand.size()).toArray(String[]::new));
        assertEquals(0, run.exit(), "HelloMote failed:\n" + run.output());
        System.out.println("CONSUMER output:\n" + run.output());
        java.util.regex.Matcher said = Pattern.compile("sin\\(1\\.5\\) = 0\\.9975; the int8 model on micro-runtime says "
                + "(-?[0-9.]+)").matcher(run.output());
        assertTrue(said.find(), "the program printed its prediction:\n" + run.output());
        assertEquals(Math.sin(1.5), Double.parseDouble(said.group(1)), 0.1,
                "the int8 model's sin(1.5), trained as the README says, within 0.1:\n" + run.output());
        assertFalse(run.output().contains("SLF4J:"), "SLF4J warnings in a user's program:\n" + run.output());
        assertTrue(Files.size(project.resolve("sine.tflite")) > 0);
        assertTrue(Files.exists(project.resolve("firmware/sine_model_data.cc")));
        assertTrue(Files.readString(project.resolve("sine.html")).contains("FULLY_CONNECTED"));
    }

    @Test
    void microRuntimeAloneIsTheJdkPlusFlatbuffers() throws Exception {
        Path project = work.resolve("runtime-only");
        Files.createDirectories(project);
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId><artifactId>runtime-only</artifactId><version>1.0</version>
                  <dependencyManagement><dependencies><dependency>
                    <groupId>dev.mote</groupId><artifactId>mote-bom</artifactId><version>0.1.0-SNAPSHOT</version>
                    <type>pom</type><scope>import</scope>
                  </dependency></dependencies></dependencyManagement>
                  <dependencies><dependency>
                    <groupId>dev.mote</groupId><artifactId>mote-micro-runtime</artifactId>
                  </dependency></dependencies>
                </project>
                """);
        Result build = maven(project, "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                "-Dmdep.outputFile=classpath.txt");
        assertEquals(0, build.exit(), build.output());
        List<String> names = Arrays.stream(Files.readString(project.resolve("classpath.txt")).trim().split(":"))
                .map(p -> Path.of(p).getFileName().toString()).sorted().toList();
        assertEquals(List.of("flatbuffers-java-25.2.10.jar", "mote-micro-runtime-0.1.0-SNAPSHOT.jar",
                "mote-vocabulary-0.1.0-SNAPSHOT.jar"), names);
    }

    private record Result(int exit, String output) {
    }

    private static Result maven(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-q", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repository));
        command.addAll(List.of(args));
        return run(dir, command, 900);
    }

    private static Result run(Path dir, List<String> command, long timeoutSeconds) throws Exception {
        Path log = Files.createTempFile(work, "process", ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            return new Result(-1, "timed out after " + timeoutSeconds + " s: " + command + "\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }

    /**
     * Settings that read third-party artifacts from the outer build's local repository as a remote repository (the
     * same layout), before Maven Central.
     */
    private static String settingsReadingTheHostCache() {
        String host = System.getProperty("mote.host.repository",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        String url = Path.of(host).toUri().toString();
        String repo = "<id>host-cache</id><url>" + url + "</url>"
                + "<releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>"
                + "<snapshots><enabled>false</enabled></snapshots>";
        return "<settings><profiles><profile><id>host-cache</id>"
                + "<repositories><repository>" + repo + "</repository></repositories>"
                + "<pluginRepositories><pluginRepository>" + repo + "</pluginRepository></pluginRepositories>"
                + "</profile></profiles><activeProfiles><activeProfile>host-cache</activeProfile></activeProfiles>"
                + "</settings>\n";
    }

    /** Copies the source tree without build output and version control. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path relative = from.relativize(p);
                String first = relative.getNameCount() > 0 ? relative.getName(0).toString() : "";
                if (first.equals(".git") || relative.toString().contains("target")
                        && Arrays.stream(relative.toString().split("/")).anyMatch("target"::equals)) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

}

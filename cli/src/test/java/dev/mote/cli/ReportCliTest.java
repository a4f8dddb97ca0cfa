package dev.mote.cli;

import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mote report}: the page, its figures against {@code mote arena}'s, and the errors with exit code 1 or 2. */
class ReportCliTest {

    @Test
    void writesThePageWithTheFiguresMoteArenaPrints(@TempDir Path dir) throws IOException {
        for (String name : List.of("hello_world_int8.tflite", "micro_speech_quantized.tflite")) {
            String model = ReferenceModels.require(name).toString();
            Path page = dir.resolve(name + ".html");
            CliRun r = CliRun.of("report", model, "--html", page.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("wrote " + page), r.out());
            String html = Files.readString(page);
            assertTrue(html.contains("<h1>" + name + "</h1>"), "titled with the file name");

            CliRun arena = CliRun.of("arena", model, "--json");
            assertEquals(0, arena.exitCode(), arena.err());
            List<String> targets = values(arena.out(), "target", "\"([a-z0-9-]+)\"");
            List<String> heads = values(arena.out(), "headBytes", "(\\d+)");
            List<String> tails = values(arena.out(), "tailBytes", "(\\d+)");
            List<String> used = values(arena.out(), "arenaUsedBytes", "(\\d+)");
            List<String> minimum = values(arena.out(), "minimumArenaBytes", "(\\d+)");
            assertEquals(List.of("host64", "cortex-m"), targets);
            for (int i = 0; i < targets.size(); i++) {
                String id = "fig-" + targets.get(i) + "-";
                assertTrue(html.contains(id + "head\">" + grouped(heads.get(i)) + "<"), id + "head");
                assertTrue(html.contains(id + "tail\">" + grouped(tails.get(i)) + "<"), id + "tail");
                assertTrue(html.contains(id + "used\">" + grouped(used.get(i)) + "<"), id + "used");
                assertTrue(html.contains(id + "min\">" + grouped(minimum.get(i)) + "<"), id + "min");
            }
        }
    }

    private static List<String> values(String json, String key, String value) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*" + value).matcher(json);
        List<String> all = new ArrayList<>();
        while (m.find()) {
            all.add(m.group(1));
        }
        return all;
    }

    private static String grouped(String number) {
        return String.format(Locale.ROOT, "%,d", Long.parseLong(number));
    }

    @Test
    void theTitleOptionHeadsThePage(@TempDir Path dir) throws IOException {
        String model = ReferenceModels.require("hello_world_int8.tflite").toString();
        Path page = dir.resolve("p.html");
        assertEquals(0, CliRun.of("report", model, "--html", page.toString(), "--title", "Sine <1>").exitCode());
        assertTrue(Files.readString(page).contains("<h1>Sine &lt;1&gt;</h1>"));
    }

    @Test
    void missingHtmlIsAUsageError() {
        String model = ReferenceModels.require("hello_world_int8.tflite").toString();
        CliRun r = CliRun.of("report", model);
        assertEquals(2, r.exitCode(), r.out());
        assertTrue(r.err().contains("--html"), r.err());
    }

    @Test
    void aMissingFolderIsAOneLineErrorNamingTheFile(@TempDir Path dir) {
        String model = ReferenceModels.require("hello_world_int8.tflite").toString();
        Path page = dir.resolve("nope").resolve("p.html");
        CliRun r = CliRun.of("report", model, "--html", page.toString());
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.oneLineError() && r.err().contains(page.toString()), r.err());
        assertFalse(Files.exists(page.getParent()));
    }

    @Test
    void anInvalidModelIsAOneLineErrorNamingTheModel(@TempDir Path dir) throws IOException {
        Path junk = Files.write(dir.resolve("junk.tflite"), new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
        Path page = dir.resolve("p.html");
        CliRun r = CliRun.of("report", junk.toString(), "--html", page.toString());
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.oneLineError() && r.err().contains(junk.toString()), r.err());
        assertFalse(Files.exists(page));
    }
}

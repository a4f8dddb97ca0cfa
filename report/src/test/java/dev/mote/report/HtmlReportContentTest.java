package dev.mote.report;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.InvalidModelException;
import dev.mote.runtime.ModelFootprints;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.ModelWriter;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.runtime.internal.memory.TflmMemoryPlan;
import dev.mote.vocabulary.MoteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the page says: every operator, micro-runtime's arena figures (and real TFLM's), MACs, escaping, writing. */
class HtmlReportContentTest {

    /** The number in the element with {@code id}, without thousands separators. */
    static long figure(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\">([0-9,]+)<").matcher(html);
        assertTrue(m.find(), "no figure " + id);
        long v = Long.parseLong(m.group(1).replace(",", ""));
        assertFalse(m.find(), "figure " + id + " twice");
        return v;
    }

    static int count(String html, String needle) {
        int n = 0;
        for (int at = html.indexOf(needle); at >= 0; at = html.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello_world_int8.tflite", "micro_speech_quantized.tflite"})
    void everyOperatorAndTheArenaFiguresOfMicroRuntime(String file) {
        byte[] bytes = Models.bytes(file);
        String html = HtmlReport.of(bytes).title(file).html();
        Model model = ModelReader.read(bytes);
        Subgraph main = model.mainSubgraph();
        assertEquals(main.operators().size(), count(html, "<span class=\"op-name\">"), "one card per operator");
        for (int i = 0; i < main.operators().size(); i++) {
            Operator op = main.operators().get(i);
            String name = model.operatorCodes().get(op.opcodeIndex()).displayName();
            assertTrue(html.contains("id=\"op-0-" + i + "\">\n<div class=\"op-head\"><span class=\"idx\">" + i
                    + "</span><span class=\"op-name\">" + name + "</span>"), "operator " + i + " " + name);
        }
        for (Tensor t : main.tensors()) {
            assertTrue(html.contains(t.name()), "tensor " + t.name());
        }
        for (ArenaTarget target : ArenaTarget.values()) {
            ArenaReport r = ArenaReport.of(bytes, target);
            String id = "fig-" + target.cliName() + "-";
            assertEquals(r.headBytes(), figure(html, id + "head"), id + "head");
            assertEquals(r.tailBytes(), figure(html, id + "tail"), id + "tail");
            assertEquals(r.minimumArenaBytes(), figure(html, id + "min"), id + "min");
            assertEquals(r.peakOperator(), figure(html, id + "peak-op"), id + "peak-op");
            // the card in the header and the table below say the same
            assertEquals(r.usedBytes(), figure(html, id + "used"), id + "used");
            assertEquals(r.usedBytes(), figure(html, "card-" + target.cliName() + "-used"), "card " + id + "used");
            for (ArenaReport.TailItem item : r.tail()) {
                assertTrue(html.contains(">" + item.category() + "</td>"), item.category());
            }
            for (ArenaReport.BufferUse b : r.peakTensors()) {
                assertTrue(html.contains(String.format(Locale.ROOT, "%,d B @%,d", b.bytes(), b.offset())), b.name());
            }
        }
        assertEquals(bytes.length, figure(html, "fig-flash-file"));
    }

    /** Real TFLM's figures from ../shared/models/README.md (x86-64 host build and Cortex-M build, reference kernels). */
    @Test
    void theFiguresAreRealTflmsOnBothAbis() {
        record Tflm(String file, int hostUsed, int hostMin, int cmHead, int cmTail, int cmMin) {
        }
        for (Tflm t : List.of(new Tflm("hello_world_int8.tflite", 1184, 1608, 32, 644, 1068),
                new Tflm("micro_speech_quantized.tflite", 7312, 7304, 5968, 820, 6800))) {
            String html = HtmlReport.of(Models.require(t.file())).html();
            assertEquals(t.hostUsed(), figure(html, "fig-host64-used") , t.file());
            assertEquals(t.hostMin(), figure(html, "fig-host64-min"), t.file());
            assertEquals(t.cmHead(), figure(html, "fig-cortex-m-head"), t.file());
            assertEquals(t.cmTail(), figure(html, "fig-cortex-m-tail"), t.file());
            assertEquals(t.cmHead() + t.cmTail(), figure(html, "fig-cortex-m-used"), t.file());
            assertEquals(t.cmMin(), figure(html, "fig-cortex-m-min"), t.file());
        }
        // micro_speech: "7,312 (non-persistent head 5,968)" on the host
        assertEquals(5968, figure(HtmlReport.of(Models.bytes("micro_speech_quantized.tflite")).html(),
                "fig-host64-head"));
    }

    @Test
    void helloWorldDoes288Macs() {
        String html = HtmlReport.of(Models.bytes("hello_world_int8.tflite")).html();
        // 1x16 + 16x16 + 16x1
        assertEquals(288, figure(html, "fig-macs-total"));
        assertTrue(html.contains(">16 MACs<") && html.contains(">256 MACs<"), "per operator");
        assertFalse(html.contains("incomplete"));
    }

    @Test
    void microSpeechMacsAndFlash() {
        String html = HtmlReport.of(Models.bytes("micro_speech_quantized.tflite")).html();
        // DEPTHWISE_CONV_2D: 25x20x8 outputs x 10x8 kernel; FULLY_CONNECTED: 4 outputs x 4000 inputs
        assertEquals(25 * 20 * 8 * 10 * 8 + 4 * 4000, figure(html, "fig-macs-total"));
        // the constant tensors: 8x10x8 int8 + 8 int32 + 4x4000 int8 + 4 int32 + the RESHAPE's int32[2] shape
        assertEquals(640 + 32 + 16000 + 16 + 16, figure(html, "fig-flash-constant"));
    }

    /** The timeline draws micro-runtime's plan: every planned tensor of the main subgraph is one rectangle. */
    @Test
    void theTimelineDrawsThePlanAndItsPeak() {
        byte[] bytes = Models.bytes("micro_speech_quantized.tflite");
        Model model = ModelReader.read(bytes);
        String html = HtmlReport.of(bytes).html();
        for (ArenaTarget target : ArenaTarget.values()) {
            TflmMemoryPlan plan = TflmMemoryPlan.of(model, ModelFootprints.record(model, OpResolver.allBuiltins(),
                    target));
            ArenaReport r = ArenaReport.of(model, target);
            String svg = svg(html, target);
            assertEquals(plan.bufferCount(), count(svg, "<g class=\"buf"), target.toString());
            for (TflmMemoryPlan.Buffer b : plan.buffers()) {
                if (b.isScratch()) {
                    continue;
                }
                String name = model.mainSubgraph().tensor(b.tensor()).name();
                assertTrue(svg.contains("<title>" + name + ": " + String.format(Locale.ROOT, "%,d B at offset %,d",
                        b.alignedBytes(), b.offset())), name);
            }
            // the peak's tensors as the arena report names them are drawn as peak buffers
            for (ArenaReport.BufferUse b : r.peakTensors()) {
                assertTrue(svg.contains("<g class=\"buf peak\"><rect") && svg.contains(
                        "<title>" + b.name() + ": " + String.format(Locale.ROOT, "%,d B at offset %,d", b.bytes(),
                                b.offset())), b.name());
            }
            // micro_speech has two buffers alive at its peak (the report lists up to three)
            assertEquals(r.peakTensors().size(), count(svg, "<g class=\"buf peak\">"), target.toString());
            assertTrue(svg.contains("planned head " + String.format(Locale.ROOT, "%,d", r.headBytes()) + " B"));
        }
    }

    static String svg(String html, ArenaTarget target) {
        int from = html.indexOf("<svg", html.indexOf("id=\"timeline-" + target.cliName() + "\"") - 200);
        return html.substring(from, html.indexOf("</svg>", from));
    }

    @Test
    void thePageLoadsNothingAndRunsNothing() {
        String html = HtmlReport.of(Models.bytes("micro_speech_quantized.tflite")).html();
        String lower = html.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("<script"), "no scripts");
        assertFalse(lower.contains(" src="), "no external resources");
        assertFalse(lower.contains("url("), "no external resources");
        assertFalse(lower.contains("@import"), "no external resources");
        assertFalse(lower.replace("xmlns=\"http://www.w3.org/2000/svg\"", "").replace("http-equiv", "")
                .contains("http"), "no links");
        assertTrue(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""), "a CSP that says so");
    }

    @Test
    void hostileNamesAreEscaped() {
        Model model = ModelReader.read(Models.bytes("hello_world_int8.tflite"));
        Subgraph sg = model.mainSubgraph();
        String[] hostile = {"<script>alert(1)</script>", "\"><img src=x onerror=alert(2)>", "a&b</title><b>x",
            "'onmouseover='alert(3)", "</svg><script>alert(4)</script>"};
        List<Tensor> renamed = new ArrayList<>();
        for (int t = 0; t < sg.tensors().size(); t++) {
            Tensor d = sg.tensor(t);
            renamed.add(new Tensor(d.shape(), d.type(), d.buffer(), hostile[t % hostile.length] + t,
                    d.quantization(), d.isVariable()));
        }
        Model evil = new Model(model.version(), model.operatorCodes(), List.of(new Subgraph(renamed, sg.inputs(),
                sg.outputs(), sg.operators(), "<script>alert(5)</script>")), model.description(), model.buffers(),
                model.metadata());
        String html = HtmlReport.of(ModelWriter.write(evil)).title("<script>alert(6)</script>").html();
        String lower = html.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("<script"), "no script element");
        assertFalse(lower.contains("<img"), "no img element");
        assertFalse(lower.contains("'onmouseover='"), "no attribute break-out");
        assertFalse(html.contains("a&b"), "& escaped");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;0"), "the name is shown, escaped");
        assertTrue(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;1"));
        assertTrue(html.contains("<title>&lt;script&gt;alert(6)&lt;/script&gt; \u2014 Mote report</title>"));
        assertEquals(2, count(html, "</svg>"), "both timelines are there");
    }

    @Test
    void writeToWritesTheWholePageAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("hello.html");
        Files.writeString(file, "old");
        HtmlReport report = HtmlReport.of(Models.require("hello_world_int8.tflite"));
        assertEquals(file, report.writeTo(file));
        assertEquals(report.html(), Files.readString(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void writingIntoAMissingFolderIsATypedErrorNamingTheFile(@TempDir Path dir) {
        Path file = dir.resolve("no-such-folder").resolve("r.html");
        HtmlReport report = HtmlReport.of(Models.bytes("hello_world_int8.tflite"));
        ReportException e = assertThrows(ReportException.class, () -> report.writeTo(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("does not exist"),
                e.getMessage());
        assertFalse(Files.exists(file.getParent()));
        ReportException folder = assertThrows(ReportException.class, () -> report.writeTo(dir));
        assertTrue(folder.getMessage().contains("is a directory"), folder.getMessage());
    }

    @Test
    void unreadableOrInvalidModelsAreTypedErrors(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.tflite");
        ReportException e = assertThrows(ReportException.class, () -> HtmlReport.of(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("no such file"),
                e.getMessage());
        Path junk = Files.write(dir.resolve("junk.tflite"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ReportException bad = assertThrows(ReportException.class, () -> HtmlReport.of(junk));
        assertTrue(bad.getMessage().contains(junk.toString()), bad.getMessage());
        assertTrue(bad.getCause() instanceof InvalidModelException, String.valueOf(bad.getCause()));
        assertThrows(MoteException.class, () -> HtmlReport.of(new byte[] {1, 2, 3}));
    }
}

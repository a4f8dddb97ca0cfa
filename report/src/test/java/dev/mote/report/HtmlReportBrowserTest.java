package dev.mote.report;

import dev.mote.report.internal.HtmlPage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real browser shows the page: headless Chromium renders micro_speech's and hello_world's reports, the screenshot
 * holds the timeline's peak colour in a good number of pixels, and the DOM has every operator. Skipped where no
 * Chromium is installed. {@code -Dmote.report.screenshot=PATH} also keeps micro_speech's screenshot (docs/report.png).
 */
class HtmlReportBrowserTest {
    private static final long TIMEOUT_SECONDS = 90;

    static Path chromium() {
        Path usual = Path.of("/usr/bin/chromium");
        if (Files.isExecutable(usual)) {
            return usual;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                for (String name : new String[] {"chromium", "chromium-browser"}) {
                    Path p = Path.of(dir, name);
                    if (Files.isExecutable(p)) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    /** Runs Chromium headless on {@code page} with {@code extra} arguments; its standard output. */
    static String runChromium(Path page, Path work, String... extra) throws IOException, InterruptedException {
        Path chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "no Chromium at /usr/bin/chromium or on PATH; skipping the "
                + "browser test");
        Path profile = Files.createTempDirectory(work, "profile");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=1400,1500"));
        cmd.addAll(List.of(extra));
        cmd.add(page.toUri().toString());
        Path stdout = work.resolve("chromium-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("Chromium did not finish within " + TIMEOUT_SECONDS + " s; killed it");
        }
        assertEquals(0, p.exitValue(), "Chromium's exit code");
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    /** Pixels within a small distance of {@code rgb}. */
    static int pixelsNear(BufferedImage img, int rgb) {
        int r0 = rgb >> 16 & 0xff;
        int g0 = rgb >> 8 & 0xff;
        int b0 = rgb & 0xff;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                if (Math.abs((c >> 16 & 0xff) - r0) <= 6 && Math.abs((c >> 8 & 0xff) - g0) <= 6
                        && Math.abs((c & 0xff) - b0) <= 6) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void chromiumShowsMicroSpeechsTimelineAndOperators(@TempDir Path dir) throws Exception {
        Path page = HtmlReport.of(Models.require("micro_speech_quantized.tflite")).title("micro_speech_quantized.tflite")
                .writeTo(dir.resolve("micro_speech.html"));
        Path png = dir.resolve("micro_speech.png");
        runChromium(page, dir, "--screenshot=" + png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null && img.getWidth() == 1400, "a 1400-pixel-wide screenshot");
        int peak = pixelsNear(img, Integer.parseInt(HtmlPage.PEAK_COLOUR.substring(1), 16));
        // the two peak buffers of each timeline are large rectangles: tens of thousands of pixels
        assertTrue(peak > 20_000, peak + " pixels of the peak colour");
        int blue = pixelsNear(img, Integer.parseInt(HtmlPage.HEAD_COLOUR.substring(1), 16));
        assertTrue(blue > 2_000, blue + " pixels of the head colour");
        String keep = System.getProperty("mote.report.screenshot");
        if (keep != null && !keep.isBlank()) {
            Files.copy(png, Path.of(keep), StandardCopyOption.REPLACE_EXISTING);
        }

        String dom = runChromium(page, dir, "--dump-dom");
        for (String op : List.of("RESHAPE", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX")) {
            assertTrue(dom.contains("<span class=\"op-name\">" + op + "</span>"), op);
        }
        assertTrue(dom.contains("id=\"fig-cortex-m-used\">6,788<"), "the Cortex-M figure in the DOM");
        assertTrue(dom.contains("id=\"timeline-host64\"") && dom.contains("id=\"timeline-cortex-m\""));
    }

    @Test
    void chromiumShowsHelloWorld(@TempDir Path dir) throws Exception {
        Path page = HtmlReport.of(Models.require("hello_world_int8.tflite")).writeTo(dir.resolve("hello.html"));
        Path png = dir.resolve("hello.png");
        runChromium(page, dir, "--screenshot=" + png);
        BufferedImage img = ImageIO.read(png.toFile());
        int peak = pixelsNear(img, Integer.parseInt(HtmlPage.PEAK_COLOUR.substring(1), 16));
        assertTrue(peak > 10_000, peak + " pixels of the peak colour");
        String dom = runChromium(page, dir, "--dump-dom");
        assertEquals(3, dom.split("<span class=\"op-name\">FULLY_CONNECTED</span>", -1).length - 1);
        assertTrue(dom.contains("id=\"fig-macs-total\">288<"));
    }
}

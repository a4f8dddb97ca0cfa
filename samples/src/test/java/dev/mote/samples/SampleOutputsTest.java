package dev.mote.samples;

import dev.mote.codegen.GeneratedC;
import dev.mote.exporter.ExportedModel;
import dev.mote.vocabulary.FileWriteException;
import dev.mote.vocabulary.testing.FolderSnapshot;
import dev.mote.vocabulary.testing.NewFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The samples write their output folder as one set, all or nothing, with the permissions of any new file. */
class SampleOutputsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static byte[] plot() throws IOException {
        return new CurvePlot("test", "x", "y").add("line", new double[] {0, 1}, new double[] {0, 1}).png();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void helloWorldWritesItsSevenFilesWithTheUsualPermissions(@TempDir Path dir) throws IOException {
        ExportedModel exported = QuickRuns.helloWorld().exported();
        GeneratedC standalone = exported.generatedC("hello_world");
        byte[] png = plot();
        List<Path> written = HelloWorldSine.outputs(exported, standalone, png, dir).write();
        assertEquals(List.of("hello_world.c", "hello_world.h", "hello_world.png", "hello_world.tflite",
                "hello_world_model_data.cc", "hello_world_model_data.h", "hello_world_model_data_op_resolver.h"),
                names(dir));
        assertEquals(names(dir), written.stream().map(p -> p.getFileName().toString()).sorted().toList());
        assertArrayEquals(exported.bytes(), Files.readAllBytes(dir.resolve("hello_world.tflite")));
        byte[] pngOnDisk = Files.readAllBytes(dir.resolve("hello_world.png"));
        assertArrayEquals(png, pngOnDisk);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(pngOnDisk, PNG_SIGNATURE.length));
        assertEquals(standalone.source(), Files.readString(dir.resolve("hello_world.c")));
        NewFilePermissions.assertUsual(written);
    }

    @Test
    void helloWorldWithThePlotADirectoryWritesNothing(@TempDir Path dir) throws IOException {
        ExportedModel exported = QuickRuns.helloWorld().exported();
        Files.write(dir.resolve("hello_world.tflite"), new byte[] {1, 2, 3});
        Files.writeString(dir.resolve("hello_world.h"), "/* previous */");
        Files.createDirectory(dir.resolve("hello_world.png"));
        FolderSnapshot before = FolderSnapshot.of(dir);
        FileWriteException e = assertThrows(FileWriteException.class,
                () -> HelloWorldSine.outputs(exported, exported.generatedC("hello_world"), plot(), dir).write());
        assertEquals(dir.resolve("hello_world.png"), e.path());
        assertEquals(before, FolderSnapshot.of(dir), "the previous files, and nothing else");
    }

    @Test
    void fashionMnistWritesItsOutputsWithTheUsualPermissions(@TempDir Path dir) throws IOException {
        FashionMnistCnn.Result r = QuickRuns.fashion();
        List<Path> written = FashionMnistCnn.writeOutputs(r, dir.resolve("out"));
        assertEquals(9, written.size(), written.toString());
        assertEquals(written.stream().map(p -> p.getFileName().toString()).sorted().toList(),
                names(dir.resolve("out")), "exactly the files written, no temporary file");
        assertTrue(Files.readString(dir.resolve("out/results.md")).contains("confusion matrix"));
        NewFilePermissions.assertUsual(written);
    }
}

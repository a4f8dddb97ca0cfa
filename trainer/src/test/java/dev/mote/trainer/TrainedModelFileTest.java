package dev.mote.trainer;

import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.exporter.TfliteExporter;
import dev.mote.vocabulary.FileWriteException;
import dev.mote.vocabulary.MoteException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TrainedModel#save} / {@link TrainedModel#load}: a loaded model exports to the same .tflite bytes and
 * predicts the same as the model that was saved, keeps its provenance and QAT ranges, fine-tunes like it, and
 * every broken file is a {@link TrainedModelFileException} naming the file.
 */
class TrainedModelFileTest {

    /** Hello World declared with the DSL itself: 1 → 16 relu → 16 relu → 1. */
    static final ModelSpec HELLO = MicroModel.sequential("hello_world").input(1).dense(16).relu().dense(16).relu()
            .dense(1).build();

    @TempDir
    static Path dir;

    static TrainingData sine;
    static Trainer trainer;
    static TrainedModel floatModel;
    static TrainedModel ptq;
    static TrainedModel qat;

    @BeforeAll
    static void train() {
        sine = TrainerTest.sine(400, 11);
        trainer = Trainer.builder().epochs(30).batchSize(400).learningRate(0.02).seed(7).progressBar(false).build();
        floatModel = trainer.train(HELLO, sine);
        ptq = Calibrator.minMax().calibrate(floatModel, sine);
        qat = trainer.toBuilder().epochs(3).learningRate(1e-3).build().fineTuneQuantized(ptq, sine);
    }

    static byte[] tflite(TrainedModel m) {
        return TfliteExporter.export(m.spec(), m).bytes();
    }

    private static TrainedModel roundTrip(TrainedModel m, String name) {
        Path p = dir.resolve(name);
        m.save(p);
        return TrainedModel.load(p);
    }

    private static void assertSameModel(TrainedModel expected, TrainedModel actual, INDArray x) {
        assertEquals(expected.spec(), actual.spec());
        assertArrayEquals(tflite(expected), tflite(actual), "exported .tflite bytes differ");
        assertEquals(Predictor.floatModel(expected).predict(x), Predictor.floatModel(actual).predict(x));
        assertEquals(Predictor.int8Simulation(expected).predict(x), Predictor.int8Simulation(actual).predict(x));
        for (int i = 0; i < expected.spec().nodes().size(); i++) {
            assertArrayEquals(expected.weights(i), actual.weights(i), "weights of node " + i);
            assertArrayEquals(expected.bias(i), actual.bias(i), "bias of node " + i);
            assertEquals(expected.outputRange(i), actual.outputRange(i), "range of node " + i);
            assertEquals(expected.quantization().isInt8Tensor(i), actual.quantization().isInt8Tensor(i));
        }
        assertEquals(expected.quantization().rangeSource(), actual.quantization().rangeSource());
        assertEquals(expected.provenance(), actual.provenance());
    }

    @Test
    void helloWorldRoundTripsToTheSameTfliteBytesPredictionsAndProvenance() throws IOException {
        TrainedModel loaded = roundTrip(ptq, "hello.mote");
        assertSameModel(ptq, loaded, sine.features());
        // provenance against the configuration, not against the saved model only
        Provenance p = loaded.provenance();
        assertEquals(Provenance.Phase.CALIBRATED, p.phase());
        assertEquals(7, p.seed());
        assertEquals(30, p.epochsRun());
        assertEquals(30, p.bestEpoch());
        assertEquals(400, p.dataSize());
        assertEquals("0.1.0-SNAPSHOT", p.moteVersion());
        assertEquals(QuantizationChoices.RangeSource.MIN_MAX, loaded.quantization().rangeSource());
        assertEquals(Provenance.Phase.FLOAT, roundTrip(floatModel, "float.mote").provenance().phase());
        // one model, one byte sequence
        Path again = dir.resolve("hello-again.mote");
        loaded.save(again);
        assertArrayEquals(Files.readAllBytes(dir.resolve("hello.mote")), Files.readAllBytes(again));
    }

    @Test
    void qatRoundTripKeepsTheTrackedRanges() {
        assertEquals(Provenance.Phase.QAT, qat.provenance().phase());
        assertEquals(3, qat.provenance().epochsRun());
        TrainedModel loaded = roundTrip(qat, "qat.mote");
        assertSameModel(qat, loaded, sine.features());
        assertEquals(QuantizationChoices.RangeSource.QAT_MOVING_AVERAGE, loaded.quantization().rangeSource());
        assertFalse(java.util.Arrays.equals(tflite(ptq), tflite(loaded)), "QAT changed nothing: a weak test");
    }

    @Test
    void aLoadedModelFineTunesExactlyLikeTheOriginal() {
        Trainer qatTrainer = trainer.toBuilder().epochs(3).learningRate(1e-3).build();
        TrainedModel fromFile = qatTrainer.fineTuneQuantized(roundTrip(ptq, "to-finetune.mote"), sine);
        assertArrayEquals(tflite(qat), tflite(fromFile));
        assertEquals(qat.provenance(), fromFile.provenance());
    }

    @Test
    void smallCnnRoundTrips() {
        ModelSpec spec = TestNets.cnn();
        INDArray x = TestNets.randomFeatures(spec, 48, 8);
        INDArray y = Nd4j.zeros(48, 5);
        for (int i = 0; i < 48; i++) {
            y.putScalar(i, (int) (Math.abs(x.getFloat(i, 0)) * 3) % 5, 1f);
        }
        TrainingData data = TrainingData.of(x, y);
        Trainer cnnTrainer = Trainer.builder().epochs(2).batchSize(16).seed(3).progressBar(false).build();
        TrainedModel calibrated = Calibrator.percentile(99.9).calibrate(cnnTrainer.train(spec, data), data);
        TrainedModel loaded = roundTrip(calibrated, "cnn.mote");
        assertSameModel(calibrated, loaded, x);
        assertEquals(99.9, loaded.quantization().percentile());
        TrainedModel cnnQat = cnnTrainer.fineTuneQuantized(calibrated, data);
        assertSameModel(cnnQat, roundTrip(cnnQat, "cnn-qat.mote"), x);
    }

    @Test
    void everySpecOfTheTestNetsRoundTrips() {
        for (ModelSpec spec : new ModelSpec[] {TestNets.mlp(), TestNets.cnn(), TestNets.paddedRegression(),
                TestNets.residual(), TestNets.graphFlatten(), TestNets.dropoutAfterBatchNorm(), TestNets.reshapes()}) {
            TrainedModel m = Calibrator.minMax().calibrate(CalibratorTest.randomModel(spec),
                    TestNets.randomFeatures(spec, 8, 1));
            TrainedModel loaded = roundTrip(m, spec.name() + ".mote");
            assertEquals(spec, loaded.spec());
            assertArrayEquals(tflite(m), tflite(loaded), spec.name());
        }
    }

    @Test
    void namesWithAnyCharactersRoundTrip() {
        ModelSpec spec = MicroModel.sequential(" modèle #1 = ∑\\n").input(2).dense(3).named("dense\n=: ü\\u0041")
                .relu().named("!relu\t").dense(1).named("  x").build();
        TrainedModel m = Calibrator.minMax().calibrate(CalibratorTest.randomModel(spec),
                TestNets.randomFeatures(spec, 8, 1));
        TrainedModel loaded = roundTrip(m, "names.mote");
        assertEquals(spec, loaded.spec());
        assertEquals(" modèle #1 = ∑\\n", loaded.spec().name());
        assertArrayEquals(tflite(m), tflite(loaded));
    }

    // ---- broken files ---------------------------------------------------------------------------------------

    private static byte[] saved() {
        return TrainedModelFile.encode(ptq);
    }

    private static TrainedModelFileException loadFails(byte[] bytes, String name) {
        Path p = dir.resolve(name);
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        TrainedModelFileException e = assertThrows(TrainedModelFileException.class, () -> TrainedModel.load(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertEquals(p, e.path());
        return e;
    }

    private static void assertMessage(TrainedModelFileException e, String part) {
        assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }

    @Test
    void everyTruncationIsATypedException() {
        byte[] full = saved();
        for (int length = 0; length < full.length; length += Math.max(1, full.length / 200)) {
            loadFails(java.util.Arrays.copyOf(full, length), "truncated.mote");
        }
        assertMessage(loadFails(new byte[0], "empty.mote"), "empty");
    }

    @Test
    void everySingleByteCorruptionIsRejectedOrHarmless() {
        byte[] full = saved();
        byte[] expected = tflite(ptq);
        Path p = dir.resolve("flipped.mote");
        int rejected = 0;
        for (int i = 0; i < full.length; i++) {
            byte[] bad = full.clone();
            bad[i] ^= (byte) 0x5a;
            try {
                Files.write(p, bad);
                TrainedModel m = TrainedModel.load(p);
                // only bytes no reader looks at (timestamps, local header copies) may change without an error
                assertArrayEquals(expected, tflite(m), "byte " + i + " changed the model without an error");
            } catch (TrainedModelFileException e) {
                rejected++;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        assertTrue(rejected > full.length / 2, rejected + " of " + full.length + " corruptions rejected");
    }

    @Test
    void garbageAndOtherFilesAreNotModels() throws IOException {
        byte[] garbage = new byte[5000];
        new Random(1).nextBytes(garbage);
        assertMessage(loadFails(garbage, "garbage.mote"), "not a Mote model file");
        byte[] pkGarbage = garbage.clone();
        System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, pkGarbage, 0, 4);
        loadFails(pkGarbage, "pk-garbage.mote");
        assertMessage(loadFails(tflite(ptq), "model.tflite"), "not a Mote model file");
        Map<String, byte[]> noManifest = entries(saved());
        noManifest.remove(TrainedModelFile.MANIFEST);
        assertMessage(loadFails(zip(noManifest), "no-manifest.mote"), "entry mote-model.properties is missing");
        assertMessage(loadFails(withManifest("format=mote-trained-model", "format=something-else"), "other.mote"),
                "not a Mote model file");
        assertMessage(loadFails(withManifest("format.version=1", "format.version=2"), "newer.mote"),
                "format version 2");
        Path missing = dir.resolve("missing.mote");
        assertMessage(assertThrows(TrainedModelFileException.class, () -> TrainedModel.load(missing)), "no such file");
        assertMessage(assertThrows(TrainedModelFileException.class, () -> TrainedModel.load(dir)), "directory");
    }

    @Test
    void inconsistentManifestsAreTypedExceptions() {
        assertMessage(loadFails(withManifest("node.1.layer.units=16", "node.1.layer.units=17"), "units.mote"),
                "invalid");
        assertMessage(loadFails(withManifest("node.1.type=Dense", "node.1.type=Teleport"), "type.mote"),
                "unknown layer type 'Teleport'");
        assertMessage(loadFails(withManifest("node.1.layer.units=16", "node.1.layer.units=sixteen"), "nan.mote"),
                "node.1.layer.units");
        assertMessage(loadFails(withManifest("provenance.phase=CALIBRATED", "provenance.phase=BAKED"), "phase.mote"),
                "provenance.phase");
        assertMessage(loadFails(withManifest("range.0=", "range.0=5.0 -5.0 #"), "range.mote"), "range.0");
        assertMessage(loadFails(withManifest("node.2.inputs=1", "node.2.inputs=7"), "inputs.mote"), "invalid");
        String manifest = new String(entries(saved()).get(TrainedModelFile.MANIFEST), StandardCharsets.US_ASCII);
        assertMessage(loadFails(withManifest(manifest, manifest.replaceAll("(?m)^provenance\\.seed=.*\\n", "")),
                "seedless.mote"), "provenance.seed");
    }

    @Test
    void oversizedDeclarationsFailBeforeAllocating() {
        assertMessage(loadFails(withManifest("nodes=6", "nodes=2000000000"), "nodes.mote"), "2000000000 nodes");
        // 1 → 2^30 units: 2^31 weights declared, none present
        byte[] huge = withManifest("node.1.layer.units=16", "node.1.layer.units=1073741824");
        huge = rewrite(huge, "node.1.outputShape=16", "node.1.outputShape=1073741824");
        huge = rewrite(huge, "node.2.outputShape=16", "node.2.outputShape=1073741824");
        TrainedModelFileException e = loadFails(huge, "huge.mote");
        assertTrue(e.getMessage().contains("parameters") || e.getMessage().contains("invalid"), e.getMessage());
        // more weight bytes than the spec implies, and fewer
        Map<String, byte[]> longer = entries(saved());
        longer.put("weights/1.f32", new byte[64 << 20]);
        assertMessage(loadFails(zip(longer), "long-weights.mote"), "weights/1.f32");
        Map<String, byte[]> shorter = entries(saved());
        shorter.put("bias/1.f32", new byte[60]);
        assertMessage(loadFails(zip(shorter), "short-bias.mote"), "expected exactly 64");
        Map<String, byte[]> nan = entries(saved());
        nan.put("bias/1.f32", ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putFloat(8, Float.NaN).array());
        assertMessage(loadFails(zip(nan), "nan-bias.mote"), "non-finite");
        Map<String, byte[]> bigManifest = entries(saved());
        bigManifest.put(TrainedModelFile.MANIFEST, new byte[TrainedModelFile.MAX_MANIFEST_BYTES + 1]);
        assertMessage(loadFails(zip(bigManifest), "big-manifest.mote"), "expected at most");
    }

    @Test
    void unwritablePathsAreTypedExceptions() throws IOException {
        Path noFolder = dir.resolve("no/such/folder/m.mote");
        FileWriteException e = assertThrows(FileWriteException.class, () -> ptq.save(noFolder));
        assertTrue(e.getMessage().contains(noFolder.toString()), e.getMessage());
        assertFalse(Files.exists(noFolder));
        Path folder = Files.createDirectories(dir.resolve("a-folder.mote"));
        MoteException d = assertThrows(MoteException.class, () -> ptq.save(folder));
        assertTrue(d.getMessage().contains("directory"), d.getMessage());
        // an existing model is replaced only by a complete file
        Path kept = dir.resolve("kept.mote");
        floatModel.save(kept);
        assertNotNull(TrainedModel.load(kept));
    }

    // ---- zip surgery --------------------------------------------------------------------------------------------

    static Map<String, byte[]> entries(byte[] zip) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] withManifest(String from, String to) {
        return rewrite(saved(), from, to);
    }

    private static byte[] rewrite(byte[] file, String from, String to) {
        Map<String, byte[]> e = entries(file);
        String manifest = new String(e.get(TrainedModelFile.MANIFEST), StandardCharsets.US_ASCII);
        assertTrue(manifest.contains(from), "no '" + from + "' in\n" + manifest);
        e.put(TrainedModelFile.MANIFEST, manifest.replace(from, to).getBytes(StandardCharsets.US_ASCII));
        return zip(e);
    }
}

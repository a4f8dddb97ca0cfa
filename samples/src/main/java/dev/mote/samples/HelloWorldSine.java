package dev.mote.samples;

import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.codegen.GeneratedC;
import dev.mote.exporter.ExportedModel;
import dev.mote.exporter.ModelReport;
import dev.mote.exporter.TfliteExporter;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.trainer.Predictor;
import dev.mote.trainer.TrainedModel;
import dev.mote.trainer.Trainer;
import dev.mote.trainer.TrainingData;
import dev.mote.vocabulary.FileSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * The TinyML "Hello World" end to end in one main: declare 1 → 16 relu → 16 relu → 1, train it on noisy sin(x),
 * fine-tune it quantization-aware, export the int8 .tflite and C array, verify the exported bytes on
 * micro-runtime within a RAM budget, and plot sin(x), the float model and the int8 model.
 *
 * <p>Arguments: {@code [outputFolder] [ramBudgetBytes]} (defaults {@code target/hello_world}, 2048).
 */
public final class HelloWorldSine {
    /** Float training epochs (at most; early stopping) and QAT epochs of the sample. */
    public static final int EPOCHS = 1500;
    public static final int QAT_EPOCHS = 60;
    /** The int8 model's file in the output folder. */
    static final String TFLITE_FILE = "hello_world.tflite";

    private HelloWorldSine() {
    }

    /**
     * The sample's model after training: the declaration, the float model, the QAT model and its int8 export.
     *
     * @param exported the int8 model {@code main} writes and runs ({@code hello_world.tflite})
     */
    public record Trained(ModelSpec spec, TrainedModel floatModel, TrainedModel qat, ExportedModel exported) {
    }

    /** 1 → 16 relu → 16 relu → 1. */
    public static ModelSpec spec() {
        return MicroModel.sequential("hello_world").input(1).dense(16).relu().dense(16).relu().dense(1).build();
    }

    /** The sample's data: 1,000 samples of sin(x) + 0.1·N(0, 1) noise, x uniform in [0, 2π), seed 42. */
    public static TrainingData data() {
        Random random = new Random(42);
        int n = 1000;
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextDouble() * 2 * Math.PI);
            y[i] = (float) (Math.sin(x[i]) + 0.1 * random.nextGaussian());
        }
        return TrainingData.regression(x, y);
    }

    /**
     * Steps 2–4 of the sample: train on 1,000 noisy samples of sin(x) (seed 42), fine-tune quantization-aware and
     * export int8. {@code main} uses {@link #EPOCHS} and {@link #QAT_EPOCHS}; fewer give the same model structure
     * (bytes, arena) with less accurate weights, e.g. for a budget test.
     */
    public static Trained train(int epochs, int qatEpochs, boolean progressBar) {
        ModelSpec spec = spec();
        TrainingData data = data();
        Trainer trainer = Trainer.builder().epochs(epochs).batchSize(100).learningRate(0.01).seed(42)
                .validationSplit(0.2).earlyStopping(300).progressBar(progressBar).build();
        TrainedModel floatModel = trainer.train(spec, data);
        TrainedModel qat = trainer.toBuilder().epochs(qatEpochs).learningRate(0.001).earlyStopping(20).build()
                .fineTuneQuantized(floatModel, data);
        return new Trained(spec, floatModel, qat, TfliteExporter.export(spec, qat));
    }

    /**
     * The sample's output folder as one {@link FileSet}, written all or nothing: {@value #TFLITE_FILE}, the C array
     * and op resolver header ({@code hello_world_model_data.h/.cc}, {@code hello_world_model_data_op_resolver.h}),
     * the standalone C ({@code hello_world.h/.c}) and the plot ({@code hello_world.png}).
     */
    static FileSet outputs(ExportedModel exported, GeneratedC standalone, byte[] plotPng, Path out) {
        FileSet files = new FileSet().add(out.resolve(TFLITE_FILE), exported.bytes());
        exported.cArray("hello_world_model_data", ArenaTarget.CORTEX_M).addTo(files, out);
        standalone.addTo(files, out);
        return files.add(out.resolve("hello_world.png"), plotPng);
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Path out = Path.of(args.length > 0 ? args[0] : "target/hello_world");
        int ramBudget = args.length > 1 ? Integer.parseInt(args[1]) : 2048;

        System.out.println(ModelReport.of(spec()));
        Trained trained = train(EPOCHS, QAT_EPOCHS, true);
        TrainedModel floatModel = trained.floatModel();
        ExportedModel exported = trained.exported();
        GeneratedC standalone = exported.generatedC("hello_world");

        MicroInterpreter device = new MicroInterpreter(exported.bytes(), OpResolver.allBuiltins(), ramBudget,
                ArenaTarget.CORTEX_M);
        device.allocateTensors();
        Predictor floatPredictor = Predictor.floatModel(floatModel);

        int points = 101;
        double[] xs = new double[points];
        double[] sin = new double[points];
        double[] fl = new double[points];
        double[] q = new double[points];
        float[][] grid = new float[points][1];
        for (int i = 0; i < points; i++) {
            xs[i] = 2 * Math.PI * i / (points - 1);
            grid[i][0] = (float) xs[i];
        }
        float[][] floatPredictions = floatPredictor.predict(grid);
        double floatSq = 0;
        double int8Sq = 0;
        System.out.printf(Locale.ROOT, "%n%8s %9s %9s %9s%n", "x", "sin(x)", "float", "int8");
        for (int i = 0; i < points; i++) {
            device.input(0).setFloats((float) xs[i]);
            device.invoke();
            sin[i] = Math.sin(xs[i]);
            fl[i] = floatPredictions[i][0];
            q[i] = device.output(0).dequantize(0);
            floatSq += (fl[i] - sin[i]) * (fl[i] - sin[i]);
            int8Sq += (q[i] - sin[i]) * (q[i] - sin[i]);
            if (i % 10 == 0) {
                System.out.printf(Locale.ROOT, "%8.4f %9.4f %9.4f %9.4f%n", xs[i], sin[i], fl[i], q[i]);
            }
        }
        byte[] plot = new CurvePlot("Hello World: sin(x) and its models", "x", "y").add("sin(x)", xs, sin)
                .add("float model", xs, fl).add("int8 model on micro-runtime", xs, q).png();
        Files.createDirectories(out);
        outputs(exported, standalone, plot, out).write();
        Path tflite = out.resolve(TFLITE_FILE);

        System.out.printf(Locale.ROOT, "%nRMSE vs sin(x) over %d points: float %.4f, int8 %.4f%n", points,
                Math.sqrt(floatSq / points), Math.sqrt(int8Sq / points));
        System.out.printf(Locale.ROOT, "model: %,d bytes (%s)%n", exported.size(), tflite.toAbsolutePath());
        System.out.printf(Locale.ROOT, "arena: %,d bytes used of a %,d-byte budget on %s (%s)%n",
                device.arenaUsedBytes(), ramBudget, device.target(), device.arenaReport());
        System.out.printf(Locale.ROOT, "standalone C: hello_world.h/.c, %d bytes of arena (TFLM needs %d on "
                + "Cortex-M)%n", standalone.arenaBytes(), exported.arenaReport(ArenaTarget.CORTEX_M).usedBytes());
        System.out.printf(Locale.ROOT, "C array, op resolver header, standalone C and plot in %s%n",
                out.toAbsolutePath());
        System.out.printf(Locale.ROOT, "total time %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
}

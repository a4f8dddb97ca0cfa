package dev.mote.samples;

import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.exporter.ExportOptions;
import dev.mote.exporter.ExportedModel;
import dev.mote.exporter.TfliteExporter;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.trainer.Calibrator;
import dev.mote.trainer.TrainedModel;
import dev.mote.trainer.Trainer;
import dev.mote.trainer.TrainingData;
import dev.mote.vocabulary.TensorType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * float32, int8 and 16x8 (int16 activations, int8 weights) side by side on two regression models, every figure
 * measured on micro-runtime from the exported bytes: the Hello World sine model and a thermistor linearisation whose
 * output spans 100 °C, where int8's 256 activation levels cost tenths of a degree.
 *
 * <pre>{@code
 * List<PrecisionComparison.Row> rows = PrecisionComparison.run(PrecisionComparison.thermistor(), 1500, 60);
 * System.out.println(PrecisionComparison.table(rows));
 * }</pre>
 *
 * <p>Each case trains one float model, then exports it five ways: float32; int8 and 16x8 after min/max
 * calibration (PTQ); int8 and 16x8 after quantization-aware fine-tuning (QAT) at their own bit width. Errors are
 * RMSE over an even grid of the input range against the true function and against the float model (the
 * quantization error itself).
 *
 * <p>Arguments: {@code [epochs] [qatEpochs]} (defaults {@link HelloWorldSine#EPOCHS}, {@link HelloWorldSine#QAT_EPOCHS}).
 */
public final class PrecisionComparison {
    /** Grid points each variant is evaluated on. */
    static final int GRID = 201;

    private PrecisionComparison() {
    }

    /**
     * One regression task: the model, its data, the function it learns over {@code [from, to]}, and the unit of its
     * output for the table.
     */
    public record Case(String name, ModelSpec spec, TrainingData data, DoubleUnaryOperator truth, double from,
                       double to, String unit) {
    }

    /** One exported variant of a case, measured on micro-runtime. */
    public record Row(String model, String variant, ExportedModel exported, double rmseVsTruth,
                      double rmseVsFloat, double maxVsFloat, int arenaCortexM, int arenaX86) {
    }

    /** Hello World: 1 → 16 relu → 16 relu → 1 on noisy sin(x), x in [0, 2π) (the sample's own data). */
    public static Case helloWorld() {
        return new Case("hello_world", HelloWorldSine.spec(), HelloWorldSine.data(), Math::sin, 0, 2 * Math.PI, "");
    }

    /**
     * A 10 kΩ NTC thermistor (β = 3950 K, 25 °C) under a 10 kΩ pull-up: the ADC fraction {@code v = 10k / (R + 10k)}
     * in, the temperature in °C out, for −20 to 80 °C. 2,000 exact samples, seed 7.
     */
    public static Case thermistor() {
        ModelSpec spec = MicroModel.sequential("thermistor").input(1).dense(32).relu().dense(32).relu().dense(1)
                .build();
        Random random = new Random(7);
        int n = 2000;
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double celsius = -20 + 100 * random.nextDouble();
            x[i] = (float) adcFraction(celsius);
            y[i] = (float) celsius;
        }
        return new Case("thermistor", spec, TrainingData.regression(x, y), PrecisionComparison::celsiusOf,
                adcFraction(-20), adcFraction(80), " °C");
    }

    /** The thermistor's ADC fraction at {@code celsius}. */
    static double adcFraction(double celsius) {
        double resistance = 10_000 * Math.exp(3950 * (1 / (celsius + 273.15) - 1 / 298.15));
        return 10_000 / (resistance + 10_000);
    }

    /** The inverse of {@link #adcFraction}: the temperature the β equation gives for a fraction. */
    static double celsiusOf(double fraction) {
        double resistance = 10_000 * (1 / fraction - 1);
        return 1 / (1 / 298.15 + Math.log(resistance / 10_000) / 3950) - 273.15;
    }

    /** Trains {@code c}'s float model for at most {@code epochs} and its two QAT models for {@code qatEpochs}. */
    public static List<Row> run(Case c, int epochs, int qatEpochs) {
        Trainer trainer = Trainer.builder().epochs(epochs).batchSize(100).learningRate(0.01).seed(42)
                .validationSplit(0.2).earlyStopping(300).progressBar(false).build();
        TrainedModel floatModel = trainer.train(c.spec(), c.data());
        TrainedModel calibrated = Calibrator.minMax().calibrate(floatModel, c.data());
        Trainer qat = trainer.toBuilder().epochs(qatEpochs).learningRate(0.001).earlyStopping(20).build();
        TrainedModel qatInt8 = qat.fineTuneQuantized(floatModel, c.data());
        TrainedModel qat16 = qat.toBuilder().quantizedActivations(TensorType.INT16).build()
                .fineTuneQuantized(floatModel, c.data());

        ExportedModel floatExport = TfliteExporter.export(c.spec(), floatModel, ExportOptions.float32());
        double[] xs = grid(c);
        double[] reference = outputs(floatExport, xs);
        List<Row> rows = new ArrayList<>();
        rows.add(row(c, "float32", floatExport, xs, reference));
        rows.add(row(c, "int8 PTQ", TfliteExporter.export(c.spec(), calibrated, ExportOptions.int8()), xs, reference));
        rows.add(row(c, "int8 QAT", TfliteExporter.export(c.spec(), qatInt8, ExportOptions.int8()), xs, reference));
        rows.add(row(c, "16x8 PTQ", TfliteExporter.export(c.spec(), calibrated, ExportOptions.int16x8()), xs,
                reference));
        rows.add(row(c, "16x8 QAT", TfliteExporter.export(c.spec(), qat16, ExportOptions.int16x8()), xs, reference));
        return rows;
    }

    static double[] grid(Case c) {
        double[] xs = new double[GRID];
        for (int i = 0; i < GRID; i++) {
            xs[i] = c.from() + (c.to() - c.from()) * i / (GRID - 1);
        }
        return xs;
    }

    /** The model's dequantized output at each point, computed by micro-runtime from the exported bytes. */
    static double[] outputs(ExportedModel model, double[] xs) {
        MicroInterpreter device = model.interpreter(ArenaTarget.CORTEX_M);
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            device.input(0).setFloats((float) xs[i]);
            device.invoke();
            out[i] = device.output(0).dequantize(0);
        }
        return out;
    }

    private static Row row(Case c, String variant, ExportedModel model, double[] xs, double[] reference) {
        double[] out = outputs(model, xs);
        double truthSq = 0;
        double floatSq = 0;
        double floatMax = 0;
        for (int i = 0; i < xs.length; i++) {
            double t = out[i] - c.truth().applyAsDouble(xs[i]);
            double f = out[i] - reference[i];
            truthSq += t * t;
            floatSq += f * f;
            floatMax = Math.max(floatMax, Math.abs(f));
        }
        return new Row(c.name(), variant, model, Math.sqrt(truthSq / xs.length), Math.sqrt(floatSq / xs.length),
                floatMax, model.arenaReport(ArenaTarget.CORTEX_M).usedBytes(),
                model.arenaReport(ArenaTarget.HOST_64).usedBytes());
    }

    /**
     * The share of int8's quantization error (RMSE against the float32 model) that 16x8 removes, for the variants
     * made {@code how} ("PTQ" or "QAT"): 1 means 16x8 computes what float32 computes, 0 no better than int8.
     */
    public static double quantizationErrorRemoved(List<Row> rows, String how) {
        return 1 - find(rows, "16x8 " + how).rmseVsFloat() / find(rows, "int8 " + how).rmseVsFloat();
    }

    /**
     * The share of int8 QAT's extra error against the true function (over float32's) that 16x8 QAT closes, or NaN
     * where int8 is within 5 % of float32's own error (no gap to close).
     */
    public static double truthGapClosed(List<Row> rows) {
        double f = find(rows, "float32").rmseVsTruth();
        double q8 = find(rows, "int8 QAT").rmseVsTruth();
        double q16 = find(rows, "16x8 QAT").rmseVsTruth();
        return q8 - f > 0.05 * f ? (q8 - q16) / (q8 - f) : Double.NaN;
    }

    static Row find(List<Row> rows, String variant) {
        return rows.stream().filter(r -> r.variant().equals(variant)).findFirst().orElseThrow();
    }

    /** The rows as a Markdown table. */
    public static String table(List<Row> rows) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "| model | variant | RMSE vs truth | RMSE vs float | max vs float | model bytes | arena Cortex-M |"
                        + " arena x86-64 |%n|---|---|---|---|---|---|---|---|%n"));
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %.5f | %.5f | %.5f | %,d | %,d | %,d |%n", r.model(),
                    r.variant(), r.rmseVsTruth(), r.rmseVsFloat(), r.maxVsFloat(), r.exported().size(),
                    r.arenaCortexM(), r.arenaX86()));
        }
        return s.toString();
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : HelloWorldSine.EPOCHS;
        int qatEpochs = args.length > 1 ? Integer.parseInt(args[1]) : HelloWorldSine.QAT_EPOCHS;
        List<Row> all = new ArrayList<>();
        for (Case c : List.of(helloWorld(), thermistor())) {
            List<Row> rows = run(c, epochs, qatEpochs);
            all.addAll(rows);
            double gap = truthGapClosed(rows);
            System.out.printf(Locale.ROOT, "%s: 16x8 removes %.1f %% (PTQ) and %.1f %% (QAT) of int8's error against "
                            + "the float model; against the truth it closes %s of int8 QAT's gap%n", c.name(),
                    100 * quantizationErrorRemoved(rows, "PTQ"), 100 * quantizationErrorRemoved(rows, "QAT"),
                    Double.isNaN(gap) ? "none (int8 is within 5 %% of float)" : String.format(Locale.ROOT, "%.1f %%", 100 * gap));
        }
        System.out.println();
        System.out.print(table(all));
        System.out.printf(Locale.ROOT, "%ntotal time %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
}

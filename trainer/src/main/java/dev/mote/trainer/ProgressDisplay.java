package dev.mote.trainer;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What a training run shows while it runs: a console progress bar (epoch, batch, loss, metric, ETA) when stderr is
 * an interactive terminal, plain epoch lines (same figures, ETA included; the first and last epoch and at most one
 * line per {@value #LINE_INTERVAL_SECONDS} s in between) when it is not — a CI log or a redirected file would otherwise
 * fill with carriage-return redraws — or nothing when disabled.
 * The system property {@code mote.progress} ({@code bar}, {@code lines} or {@code off}) overrides the choice.
 * Unless disabled, training ends with the {@link TrainingSummary#line() summary line} (best epoch, its figures,
 * epochs run, time).
 */
final class ProgressDisplay implements AutoCloseable {

    private enum Mode { BAR, LINES, OFF }

    private static final int LINE_INTERVAL_SECONDS = 10;

    private final Mode mode;
    private final ProgressBar bar;
    private final PrintStream out;
    private final String phase;
    private final int epochs;
    private final long startNanos = System.nanoTime();
    private String lastEpoch = "";
    private String lastBatch = "";
    private EpochResult unprinted;
    private long lastLineNanos;
    private TrainingSummary summary;

    private ProgressDisplay(Mode mode, ProgressBar bar, String phase, int epochs) {
        this.mode = mode;
        this.bar = bar;
        this.out = System.err;
        this.phase = phase;
        this.epochs = epochs;
    }

    /** @param batchesPerEpoch -1 when unknown (a stream) */
    static ProgressDisplay open(boolean enabled, String phase, int epochs, int batchesPerEpoch) {
        Mode mode = chooseMode(enabled);
        ProgressBar bar = mode != Mode.BAR ? null : new ProgressBarBuilder()
                .setTaskName(phase)
                .setInitialMax(batchesPerEpoch < 0 ? -1 : (long) epochs * batchesPerEpoch)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setUnit(" batches", 1)
                .setConsumer(new ConsoleProgressBarConsumer(System.err, 160))
                .build();
        return new ProgressDisplay(mode, bar, phase, epochs);
    }

    private static Mode chooseMode(boolean enabled) {
        if (!enabled) {
            return Mode.OFF;
        }
        String forced = System.getProperty("mote.progress", "").trim().toLowerCase(Locale.ROOT);
        switch (forced) {
            case "bar": return Mode.BAR;
            case "lines": return Mode.LINES;
            case "off": return Mode.OFF;
            default: return System.console() != null ? Mode.BAR : Mode.LINES;
        }
    }

    void batch(int epoch, int batch, int batches, double meanLoss) {
        if (mode != Mode.BAR) {
            return;
        }
        bar.step();
        lastBatch = String.format(Locale.ROOT, "epoch %d/%d batch %d%s loss %.5g", epoch, epochs, batch,
                batches < 0 ? "" : "/" + batches, meanLoss);
        bar.setExtraMessage(lastBatch + lastEpoch);
    }

    void epoch(EpochResult r) {
        if (mode == Mode.OFF) {
            return;
        }
        lastEpoch = String.format(Locale.ROOT, " |%s %s %.4g%s", Double.isNaN(r.validationLoss()) ? ""
                : String.format(Locale.ROOT, " val %.5g", r.validationLoss()), r.metricName(), r.metric(),
                Double.isNaN(r.learningRate()) ? "" : String.format(Locale.ROOT, " lr %.3g", r.learningRate()));
        if (mode == Mode.BAR) {
            bar.setExtraMessage(lastBatch + lastEpoch);
            return;
        }
        long now = System.nanoTime();
        if (r.epoch() == 1 || r.epoch() == epochs || now - lastLineNanos >= LINE_INTERVAL_SECONDS * 1_000_000_000L) {
            printLine(r, now);
        } else {
            unprinted = r;
        }
    }

    private void printLine(EpochResult r, long now) {
        double elapsed = (now - startNanos) / 1e9;
        int done = r.epoch();
        double eta = done >= epochs ? 0 : elapsed / done * (epochs - done);
        out.printf(Locale.ROOT, "%s epoch %d/%d loss %.5g%s | %.1f s elapsed, ETA %.0f s%n",
                phase, done, epochs, r.trainingLoss(), lastEpoch, elapsed, eta);
        lastLineNanos = now;
        unprinted = null;
    }

    /** The run's summary, printed on {@link #close()}. */
    void summary(TrainingSummary s) {
        this.summary = s;
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
        if (unprinted != null) {
            printLine(unprinted, System.nanoTime());
        }
        if (summary != null && mode != Mode.OFF) {
            out.println(summary.line());
        }
    }
}

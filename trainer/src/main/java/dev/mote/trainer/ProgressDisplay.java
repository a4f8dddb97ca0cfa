package dev.mote.trainer;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Locale;

/** The console progress bar of a training run (epoch, batch, loss, metric, ETA), or nothing when disabled. */
final class ProgressDisplay implements AutoCloseable {

    private final ProgressBar bar;
    private final int epochs;
    private String lastEpoch = "";
    private String lastBatch = "";

    private ProgressDisplay(ProgressBar bar, int epochs) {
        this.bar = bar;
        this.epochs = epochs;
    }

    static ProgressDisplay open(boolean enabled, String phase, int epochs, int batchesPerEpoch) {
        if (!enabled) {
            return new ProgressDisplay(null, epochs);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(phase)
                .setInitialMax((long) epochs * batchesPerEpoch)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setUnit(" batches", 1)
                .setConsumer(new ConsoleProgressBarConsumer(System.err, 160))
                .build();
        return new ProgressDisplay(bar, epochs);
    }

    void batch(int epoch, int batch, int batches, double meanLoss) {
        if (bar == null) {
            return;
        }
        bar.step();
        lastBatch = String.format(Locale.ROOT, "epoch %d/%d batch %d/%d loss %.5g", epoch, epochs, batch, batches,
                meanLoss);
        bar.setExtraMessage(lastBatch + lastEpoch);
    }

    void epoch(EpochResult r) {
        if (bar == null) {
            return;
        }
        lastEpoch = String.format(Locale.ROOT, " |%s %s %.4g", Double.isNaN(r.validationLoss()) ? ""
                : String.format(Locale.ROOT, " val %.5g", r.validationLoss()), r.metricName(), r.metric());
        bar.setExtraMessage(lastBatch + lastEpoch);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}

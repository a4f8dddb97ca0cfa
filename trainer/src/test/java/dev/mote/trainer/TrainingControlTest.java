package dev.mote.trainer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingControlTest {

    @Test
    void aListenerStopsTrainingAtTheEpochItAsksFor() {
        List<Integer> seen = new ArrayList<>();
        TrainingHistory history = new TrainingHistory();
        TrainingListener stopAtFour = new TrainingListener() {
            @Override
            public void epochEnded(EpochResult result) {
            }

            @Override
            public void epochEnded(EpochResult result, TrainingControl control) {
                if (result.epoch() == 4) {
                    control.stop("enough at 4");
                }
            }
        };
        Trainer.builder().epochs(20).batchSize(100).progressBar(false)
                .listener(TrainingListener.all(r -> seen.add(r.epoch()), stopAtFour, history)).build()
                .train(TrainerTest.SINE, TrainerTest.sine(300, 1));
        assertEquals(List.of(1, 2, 3, 4), seen);
        assertEquals(4, history.epochs().size());
        TrainingSummary s = history.summary();
        assertEquals(4, s.epochsRun());
        assertEquals(20, s.epochsPlanned());
        assertEquals("enough at 4", s.stopReason());
        assertFalse(s.restoredBest());
    }

    @Test
    void stopWhenStopsAtTheFirstEpochMeetingTheCondition() {
        TrainingHistory history = new TrainingHistory();
        Trainer.builder().epochs(200).batchSize(100).learningRate(0.01).progressBar(false)
                .listener(TrainingListener.all(history, TrainingListener.stopWhen(r -> r.trainingLoss() < 0.1)))
                .build().train(TrainerTest.SINE, TrainerTest.sine(300, 1));
        List<EpochResult> epochs = history.epochs();
        EpochResult last = epochs.get(epochs.size() - 1);
        assertTrue(epochs.size() < 200, "never reached the goal: " + last);
        assertTrue(last.trainingLoss() < 0.1, last.toString());
        for (EpochResult e : epochs.subList(0, epochs.size() - 1)) {
            assertTrue(e.trainingLoss() >= 0.1, e.toString());
        }
        assertTrue(history.summary().stopReason().contains("epoch " + last.epoch()), history.summary().line());
    }

    @Test
    void theSummaryNamesTheBestEpochAndThePrintedLineMatches() {
        TrainingHistory history = new TrainingHistory();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        String before = System.getProperty("mote.progress");
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setProperty("mote.progress", "lines");
        try {
            Trainer.builder().epochs(12).batchSize(50).learningRate(0.01).validationSplit(0.25).listener(history)
                    .build().train(TrainerTest.SINE, TrainerTest.sine(400, 1));
        } finally {
            System.setErr(original);
            if (before == null) {
                System.clearProperty("mote.progress");
            } else {
                System.setProperty("mote.progress", before);
            }
        }
        TrainingSummary s = history.summary();
        // the oracle: the epoch with the lowest validation loss among the recorded ones
        EpochResult best = history.epochs().stream()
                .min((a, b) -> Double.compare(a.validationLoss(), b.validationLoss())).orElseThrow();
        assertEquals(best.epoch(), s.bestEpoch());
        assertEquals(best.validationLoss(), s.validationLoss());
        assertEquals(best.metric(), s.metric());
        assertEquals(12, s.epochsRun());
        assertEquals("completed", s.stopReason());
        assertTrue(s.seconds() > 0);
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(s.line(), lines[lines.length - 1]);
        assertTrue(s.line().startsWith("train: 12 of 12 epochs (completed); best epoch " + best.epoch()
                + " (last epoch's weights kept): loss "), s.line());
        assertTrue(lines[0].contains(" lr 0.0100"), lines[0]);
    }

    @Test
    void earlyStoppingIsTheStopReasonAndTheRestoredEpochIsTheBest() {
        TrainingHistory history = new TrainingHistory();
        Trainer.builder().epochs(300).batchSize(50).learningRate(0.05).validationSplit(0.25).earlyStopping(3)
                .progressBar(false).listener(history).build().train(TrainerTest.SINE, TrainerTest.sine(200, 9));
        TrainingSummary s = history.summary();
        if (s.epochsRun() < 300) {
            assertEquals("early stopping", s.stopReason());
            assertEquals(s.epochsRun() - 3, s.bestEpoch());
        }
        assertTrue(s.restoredBest());
    }
}

package dev.mote.trainer;

import dev.mote.dsl.FlatLayer;
import dev.mote.dsl.ImageLayer;
import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.Shape;
import dev.mote.vocabulary.MoteException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every layer the trainer cannot build is refused with a typed Mote exception naming the layer and the fix. */
class TrainerRefusalsTest {

    private static UnsupportedLayerException refused(ModelSpec spec) {
        TrainingData unused = TrainingData.of(new float[][] {{0f}}, new float[][] {{0f}});
        Trainer trainer = Trainer.builder().epochs(1).progressBar(false).build();
        return assertThrows(UnsupportedLayerException.class, () -> trainer.train(spec, unused));
    }

    private static void assertNames(UnsupportedLayerException e, int index, String name, String... parts) {
        assertInstanceOf(MoteException.class, e);
        assertInstanceOf(TrainerException.class, e);
        assertEquals(index, e.layerIndex(), e.getMessage());
        assertEquals(name, e.layerName(), e.getMessage());
        assertTrue(e.getMessage().startsWith("layer " + index + " '" + name + "': the trainer cannot "),
                e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    @Test
    void aSequenceOutputIsRefusedNamingTheOutputLayer() {
        ModelSpec spec = MicroModel.sequential("frames").input(4, 3).conv1d(2, 1).build();
        assertNames(refused(spec), 1, "conv1d", "output shape [4, 2]", "lastStep(), globalAvgPool1d()");
    }

    @Test
    void anImageOutputIsRefusedNamingTheOutputLayer() {
        ModelSpec spec = MicroModel.sequential("map").input(6, 6, 1).conv2d(2, 3, 3).build();
        assertNames(refused(spec), 1, "conv2d", "output shape [4, 4, 2]", "globalAvgPool2d()");
    }

    @Test
    void reshapingAFlattenedFeatureMapBackIsRefusedNamingTheReshape() {
        ModelSpec spec = MicroModel.sequential("back").input(4, 4, 2).flatten().reshape(4, 4, 2)
                .globalAvgPool2d().dense(2).build();
        assertNames(refused(spec), 2, "reshape", "flattened feature map back to [4, 4, 2]", "reshape before");
    }

    @Test
    void joiningFlattenedFeatureMapsIsRefusedNamingTheJoin() {
        MicroModel g = MicroModel.graph("join");
        ImageLayer x = g.input(4, 4, 2);
        FlatLayer a = x.flatten();
        FlatLayer b = x.conv2d(2, 1, 1).flatten();
        ModelSpec spec = g.add(a, b).reshape(4, 4, 2).globalAvgPool2d().dense(2).build();
        assertNames(refused(spec), 4, "add", "Add of flattened feature maps", "before flattening");
    }

    @Test
    void divergenceIsATrainerException() {
        assertTrue(MoteException.class.isAssignableFrom(TrainingDivergedException.class));
        assertTrue(TrainerException.class.isAssignableFrom(TrainingDivergedException.class));
    }
}

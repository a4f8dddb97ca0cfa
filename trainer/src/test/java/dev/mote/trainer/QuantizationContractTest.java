package dev.mote.trainer;

import dev.mote.dsl.FlatLayer;
import dev.mote.dsl.ImageLayer;
import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.exporter.ExportedModel;
import dev.mote.exporter.TfliteExporter;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.format.Subgraph;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.Padding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What quantization-aware training simulated is what the export writes: for every layer kind the DSL offers, each
 * fake-quant site of the network QAT trained in uses exactly the scale and zero point of the exported int8 tensor
 * that holds that node's value (read back from the exported bytes).
 */
class QuantizationContractTest {

    static List<ModelSpec> specs() {
        FlatLayer dense = MicroModel.sequential("dense_kinds").input(6)
                .dense(8).relu().dense(8).tanh().dense(8).sigmoid().dense(8).leakyRelu(0.2f)
                .dense(8).hardSwish().dropout(0.2).dense(8).withoutBias().relu6();
        ModelSpec denseKinds = dense.dense(3).softmax().build();

        ModelSpec imageKinds = MicroModel.sequential("image_kinds").input(8, 8, 2)
                .zeroPad2d(1).conv2d(4, 3, 3).withoutBias().batchNorm().relu()
                .depthwiseConv2d(3, 3).relu6().maxPool2d(2, 2).avgPool2d(2, 2)
                .reshape(2, 2, 1).flatten().dense(3).build();

        ModelSpec pooled = MicroModel.sequential("global_pool").input(6, 6, 3)
                .depthwiseConv2d(3, 3).withoutBias().conv2d(4, 1, 1).globalAvgPool2d().dense(2).build();

        MicroModel g = MicroModel.graph("branches");
        ImageLayer x = g.input(6, 6, 2);
        ImageLayer a = x.conv2d(4, 3, 3).padding(Padding.SAME).relu();
        ImageLayer b = x.conv2d(4, 1, 1).tanh();          // a fixed-range input: requantized before the concat
        ImageLayer c = x.conv2d(4, 1, 1);
        ImageLayer sum = g.add(a, c);
        ImageLayer joined = g.concatenate(sum, b, a.maxPool2d(1, 1));
        ModelSpec branches = joined.globalAvgPool2d().dense(3).build();
        ModelSpec transposed = MicroModel.sequential("conv_transpose").input(4, 4, 2)
                .conv2dTranspose(3, 3, 3).stride(2).padding(Padding.SAME).relu()
                .conv2dTranspose(2, 2, 2).withoutBias().flatten().dense(3).build();
        return List.of(denseKinds, imageKinds, pooled, branches, transposed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyFakeQuantSiteUsesTheExportedParameters(ModelSpec spec) {
        INDArray features = TestNets.randomFeatures(spec, 64, 7);
        java.util.Random random = new java.util.Random(11);
        float[][] targets = new float[64][spec.outputShape().dim(0)];
        for (float[] row : targets) {
            for (int k = 0; k < row.length; k++) {
                row[k] = random.nextFloat();
            }
        }
        TrainingData data = TrainingData.of(features, Nd4j.create(targets));
        Trainer trainer = Trainer.builder().epochs(2).batchSize(16).learningRate(0.01).seed(3).progressBar(false)
                .build();
        TrainedModel trained = Calibrator.minMax().calibrate(trainer.train(spec, data), features);
        Trainer.FineTuned qat = trainer.toBuilder().epochs(2).learningRate(0.001).build().fineTune(trained, data);

        ExportedModel exported = TfliteExporter.export(spec, qat.model());
        Subgraph graph = ModelReader.read(exported.bytes()).mainSubgraph();
        Set<Integer> sites = new HashSet<>();
        for (FakeQuantActivation fq : qat.network().fakeQuantActivations()) {
            int node = fq.nodeIndex();
            Quantization q = graph.tensor(exported.tensorOfNode(node)).quantization();
            FakeQuant.ActivationParams simulated = fq.tracker().params();
            String where = spec.name() + " node " + node + " '" + spec.node(node).name() + "'";
            assertEquals(q.scale(), simulated.scale(), 0f, where + " scale");
            assertEquals(q.zeroPoints()[0], simulated.zeroPoint(), where + " zero point");
            sites.add(node);
        }
        assertTrue(sites.size() >= 4, spec.name() + ": only " + sites.size() + " fake-quant sites");
        if (spec.name().equals("branches")) {
            assertTrue(exported.operators().contains(BuiltinOperator.QUANTIZE),
                    "the tanh input of the concatenation is requantized in the export");
        }
    }
}

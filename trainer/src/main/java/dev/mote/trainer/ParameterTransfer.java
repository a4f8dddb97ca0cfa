package dev.mote.trainer;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.Lowering;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.SequenceImage;
import dev.mote.dsl.Shape;
import dev.mote.dsl.plan.PlannedWeights;
import dev.mote.dsl.plan.TensorPlan;
import dev.mote.dsl.ValueRange;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves weights between a DL4J network and a {@link TrainedModel}, through {@link TfliteLayout}, folding BatchNorm
 * on the way out of a float training network.
 */
final class ParameterTransfer {

    private ParameterTransfer() {
    }

    /** The network's weights in TFLite layout, BatchNorm folded, with {@code ranges} (one per node). */
    static TrainedModel extract(SpecNetwork net, ValueRange[] ranges, QuantizationChoices.RangeSource source,
                                double percentile) {
        ModelSpec spec = net.spec();
        TensorPlan plan = TensorPlan.of(spec);
        TrainedModel.Builder b = TrainedModel.builder(spec).rangeSource(source, percentile);
        for (LayerNode node : spec.nodes()) {
            if (node.layer() instanceof LayerSpec.Lstm) {
                Layer lstm = net.layer(node.index());
                b.parameters(node.index(), TfliteLayout.lstmWeightsToTflite(lstm.getParam("W"), lstm.getParam("RW")),
                        TfliteLayout.lstmBiasToTflite(lstm.getParam("b")));
                continue;
            }
            PlannedWeights planned = plan.weights(node.index());
            if (planned == null) {
                continue;
            }
            Layer layer = net.layer(node.index());
            float[] w = weightsToTflite(spec, node, layer.getParam("W"));
            int outputs = planned.outputChannels();
            INDArray bias = layer.paramTable().get("b");
            float[] bv = bias == null ? new float[outputs] : TfliteLayout.flat(bias);
            LayerNode bn = foldedBatchNorm(plan, node);
            if (bn != null && net.layer(bn.index()) != null) {
                Layer bnLayer = net.layer(bn.index());
                LayerSpec.BatchNorm bs = (LayerSpec.BatchNorm) bn.layer();
                BatchNormFolding.fold(w, bv, planned,
                        TfliteLayout.flat(bnLayer.getParam("gamma")), TfliteLayout.flat(bnLayer.getParam("beta")),
                        TfliteLayout.flat(bnLayer.getParam("mean")), TfliteLayout.flat(bnLayer.getParam("var")),
                        bs.epsilon());
            }
            b.parameters(node.index(), w, bv);
        }
        for (int i = 0; i < ranges.length; i++) {
            b.range(i, ranges[i]);
        }
        return b.build();
    }

    /** Loads a model's (folded) weights into a FOLDED or FAKE_QUANT network. */
    static void load(TrainedModel model, SpecNetwork net) {
        ModelSpec spec = model.spec();
        for (LayerNode node : spec.nodes()) {
            if (model.weightShape(node.index()) == null) {
                continue;
            }
            Layer layer = net.layer(node.index());
            if (node.layer() instanceof LayerSpec.Lstm lstm) {
                int features = spec.node(node.input()).outputShape().dim(1);
                INDArray[] wr = TfliteLayout.lstmWeightsToDl4j(model.weights(node.index()), lstm.units(), features);
                assign(layer.getParam("W"), wr[0]);
                assign(layer.getParam("RW"), wr[1]);
                assign(layer.getParam("b"), TfliteLayout.lstmBiasToDl4j(model.bias(node.index())));
                continue;
            }
            INDArray w = weightsToDl4j(spec, node, model.weights(node.index()), model.weightShape(node.index()));
            assign(layer.getParam("W"), w);
            if (layer.paramTable().containsKey("b")) {
                assign(layer.getParam("b"), Nd4j.create(model.bias(node.index())));
            } // else a Deconvolution2D without bias: its TFLite bias is zeros
        }
    }

    private static void assign(INDArray param, INDArray value) {
        param.assign(value.reshape(param.shape()).castTo(param.dataType()));
    }

    /** The batch norm the plan folds into {@code node}, or null. */
    static LayerNode foldedBatchNorm(TensorPlan plan, LayerNode node) {
        for (LayerNode other : plan.spec().nodes()) {
            if (plan.lowering().role(other.index()) == Lowering.Role.FOLDED
                    && plan.lowering().into(other.index()) == node.index()) {
                return other;
            }
        }
        return null;
    }

    static float[] weightsToTflite(ModelSpec spec, LayerNode node, INDArray w) {
        LayerSpec layer = SequenceImage.equivalent2d(node.layer());
        if (layer instanceof LayerSpec.Dense && perStep(spec, node)) {
            return TfliteLayout.convToTflite(w); // [units, f, 1, 1] → [units, 1, 1, f], i.e. [units, f]
        } else if (layer instanceof LayerSpec.Dense) {
            return TfliteLayout.denseToTflite(w, TfliteLayout.flattenedImageBefore(spec, node.input()));
        } else if (layer instanceof LayerSpec.Conv2D) {
            return TfliteLayout.convToTflite(w);
        } else if (layer instanceof LayerSpec.Conv2DTranspose) {
            return TfliteLayout.deconvToTflite(w);
        }
        return TfliteLayout.depthwiseToTflite(w);
    }

    /** True for a Dense applied to every step of a sequence (a 1×1 convolution in DL4J). */
    private static boolean perStep(ModelSpec spec, LayerNode node) {
        return spec.node(node.input()).outputShape().rank() == 2;
    }

    static INDArray weightsToDl4j(ModelSpec spec, LayerNode node, float[] w, int[] shape) {
        LayerSpec layer = SequenceImage.equivalent2d(node.layer());
        if (layer instanceof LayerSpec.Dense && perStep(spec, node)) {
            return TfliteLayout.convToDl4j(w, shape[0], 1, 1, shape[1]);
        } else if (layer instanceof LayerSpec.Dense) {
            Shape image = TfliteLayout.flattenedImageBefore(spec, node.input());
            return TfliteLayout.denseToDl4j(w, shape[0], shape[1], image);
        } else if (layer instanceof LayerSpec.Conv2D) {
            return TfliteLayout.convToDl4j(w, shape[0], shape[1], shape[2], shape[3]);
        } else if (layer instanceof LayerSpec.Conv2DTranspose) {
            return TfliteLayout.deconvToDl4j(w, shape[0], shape[1], shape[2], shape[3]);
        }
        LayerSpec.DepthwiseConv2D d = (LayerSpec.DepthwiseConv2D) layer;
        return TfliteLayout.depthwiseToDl4j(w, shape[1], shape[2], shape[3] / d.depthMultiplier(),
                d.depthMultiplier());
    }
}

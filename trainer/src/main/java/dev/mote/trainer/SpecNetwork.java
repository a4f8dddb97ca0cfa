package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A DL4J network built from a {@link ModelSpec} (a {@link MultiLayerNetwork} or a {@link ComputationGraph}) with
 * the mapping from spec nodes to DL4J layers, so that the rest of the trainer never cares which of the two it is.
 * Inputs and activations here are in DL4J layout.
 */
final class SpecNetwork {

    private final ModelSpec spec;
    private final MultiLayerNetwork chain;
    private final ComputationGraph graph;
    private final String[] nodeStep;
    private final String[] nodeLayer;
    private final Map<String, Integer> activationIndex;
    private final Map<String, List<InputPreProcessor>> preprocessors;

    private SpecNetwork(ModelSpec spec, MultiLayerNetwork chain, ComputationGraph graph, String[] nodeStep,
                        String[] nodeLayer, Map<String, Integer> activationIndex,
                        Map<String, List<InputPreProcessor>> preprocessors) {
        this.preprocessors = preprocessors;
        this.spec = spec;
        this.chain = chain;
        this.graph = graph;
        this.nodeStep = nodeStep;
        this.nodeLayer = nodeLayer;
        this.activationIndex = activationIndex;
    }

    /**
     * @param activationIndex chains: index in {@code feedForward}'s list of each step's output
     * @param preprocessors   chains: the preprocessors (in order) that turn that output into a preprocessor step's
     */
    static SpecNetwork of(ModelSpec spec, Model net, String[] nodeStep, String[] nodeLayer,
                          Map<String, Integer> activationIndex, Map<String, List<InputPreProcessor>> preprocessors) {
        if (net instanceof MultiLayerNetwork m) {
            return new SpecNetwork(spec, m, null, nodeStep, nodeLayer, activationIndex, preprocessors);
        }
        return new SpecNetwork(spec, null, (ComputationGraph) net, nodeStep, nodeLayer, null, preprocessors);
    }

    ModelSpec spec() {
        return spec;
    }

    /** The underlying DL4J model ({@link MultiLayerNetwork} for chains, else {@link ComputationGraph}). */
    Model model() {
        return chain != null ? chain : graph;
    }

    /** One optimization step on one mini-batch. */
    void fit(DataSet batch) {
        if (chain != null) {
            chain.fit(batch);
        } else {
            graph.fit(batch);
        }
    }

    /** The loss of the last mini-batch fitted. */
    double score() {
        return model().score();
    }

    /** The loss over {@code data} in inference mode. */
    double score(DataSet data) {
        return chain != null ? chain.score(data, false) : graph.score(data, false);
    }

    /** The network's output (after the final activation) in inference mode. */
    INDArray output(INDArray features) {
        return chain != null ? chain.output(features, false) : graph.outputSingle(false, features);
    }

    /** Node {@code i}'s output for {@code features} in inference mode, DL4J layout, per node (null: unknown). */
    INDArray[] nodeOutputs(INDArray features) {
        INDArray[] out = new INDArray[spec.nodes().size()];
        if (chain != null) {
            List<INDArray> acts = chain.feedForward(features, false);
            for (int i = 0; i < out.length; i++) {
                INDArray a = acts.get(activationIndex.get(nodeStep[i]));
                for (InputPreProcessor p : preprocessors.getOrDefault(nodeStep[i], List.of())) {
                    a = p.preProcess(a, (int) a.size(0), LayerWorkspaceMgr.noWorkspaces());
                }
                out[i] = a;
            }
        } else {
            Map<String, INDArray> acts = graph.feedForward(features, false);
            for (int i = 0; i < out.length; i++) {
                out[i] = acts.get(nodeStep[i]);
            }
        }
        return out;
    }

    /** The DL4J layer holding node {@code i}'s parameters, or null. */
    Layer layer(int node) {
        String name = nodeLayer[node];
        if (name == null) {
            return null;
        }
        if (chain != null) {
            return chain.getLayer(activationIndex.get(name) - 1);
        }
        return graph.getLayer(name);
    }

    /** The fake-quant activations in the network (empty unless built for QAT). */
    List<FakeQuantActivation> fakeQuantActivations() {
        List<FakeQuantActivation> found = new ArrayList<>();
        Layer[] layers = chain != null ? chain.getLayers() : graph.getLayers();
        for (Layer l : layers) {
            if (l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer a) {
                IActivation fn = a.getActivationFn();
                if (fn instanceof FakeQuantActivation f) {
                    if (f.tracker() == null) {
                        throw new IllegalStateException("DL4J copied a fake-quant activation without its range");
                    }
                    found.add(f);
                }
            }
        }
        return found;
    }

    /** The cell-state taps of the network's LSTMs (empty unless built for QAT). */
    List<CellStateTap> cellStateTaps() {
        List<CellStateTap> found = new ArrayList<>();
        Layer[] layers = chain != null ? chain.getLayers() : graph.getLayers();
        for (Layer l : layers) {
            if (l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer a
                    && a.getActivationFn() instanceof CellStateTap tap) {
                found.add(tap);
            }
        }
        return found;
    }

    /** Points every cell-state tap at the DL4J layer of its LSTM. */
    SpecNetwork bindCellStateTaps() {
        for (CellStateTap tap : cellStateTaps()) {
            tap.bind(layer(tap.nodeIndex()));
        }
        return this;
    }

    /** Every range tracker QAT moves: the fake-quant activations', then the cell-state taps'. */
    List<RangeTracker> rangeTrackers() {
        List<RangeTracker> trackers = new ArrayList<>();
        for (FakeQuantActivation fq : fakeQuantActivations()) {
            trackers.add(fq.tracker());
        }
        for (CellStateTap tap : cellStateTaps()) {
            trackers.add(tap.tracker());
        }
        return trackers;
    }

    /** The flat parameter vector (a view). */
    INDArray params() {
        return model().params();
    }

    void setParams(INDArray params) {
        model().setParams(params);
    }
}

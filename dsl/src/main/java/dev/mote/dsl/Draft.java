package dev.mote.dsl;

/** A node before shape inference: its name, what it computes and the indices of the nodes it reads. */
record Draft(String name, LayerSpec layer, int[] inputs) {

    Draft {
        inputs = inputs.clone();
    }

    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    Draft withLayer(LayerSpec newLayer) {
        return new Draft(name, newLayer, inputs);
    }

    Draft withName(String newName) {
        return new Draft(newName, layer, inputs);
    }
}

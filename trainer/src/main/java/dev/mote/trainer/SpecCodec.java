package dev.mote.trainer;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.Shape;
import dev.mote.vocabulary.MoteException;
import dev.mote.vocabulary.Padding;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A {@link ModelSpec} as text keys of a {@link TrainedModelFile} manifest, and back through {@link ModelSpec#of},
 * which runs every check of the DSL again. Per node {@code i}:
 *
 * <pre>
 * node.i.name=conv2d
 * node.i.type=Conv2D                  the simple name of the {@link LayerSpec} record
 * node.i.inputs=0                     comma-separated node indices (empty for the input)
 * node.i.outputShape=6,5,4
 * node.i.layer.filters=4              one key per record component, by its name:
 * node.i.layer.padding=SAME           int, float, double, boolean as Java prints them (exact round trip),
 * ...                                 enums by name, shapes as comma-separated dimensions
 * </pre>
 *
 * Keys are derived from the records, so a new {@link LayerSpec} with components of these types needs no change here.
 */
final class SpecCodec {

    /** The most nodes a file may declare. */
    static final int MAX_NODES = 100_000;
    /** The most dimensions of a shape. */
    private static final int MAX_RANK = 8;

    private SpecCodec() {
    }

    /** Appends {@code spec}'s keys to {@code out} (in order). */
    static void write(ModelSpec spec, Map<String, String> out) {
        out.put("model.name", spec.name());
        out.put("nodes", Integer.toString(spec.nodes().size()));
        for (LayerNode node : spec.nodes()) {
            String prefix = "node." + node.index() + ".";
            LayerSpec layer = node.layer();
            out.put(prefix + "name", node.name());
            out.put(prefix + "type", layer.getClass().getSimpleName());
            out.put(prefix + "inputs", join(node.inputs()));
            out.put(prefix + "outputShape", join(node.outputShape().dims()));
            for (RecordComponent c : layer.getClass().getRecordComponents()) {
                out.put(prefix + "layer." + c.getName(), encode(value(layer, c)));
            }
        }
    }

    /**
     * The spec the keys describe.
     *
     * @param fail makes the typed exception from a problem and its cause (may be null)
     */
    static ModelSpec read(Map<String, String> keys, BiFunction<String, Throwable, TrainedModelFileException> fail) {
        Reader r = new Reader(keys, fail);
        String name = r.get("model.name");
        int n = r.integer("nodes");
        if (n < 1 || n > MAX_NODES) {
            throw fail.apply("declares " + n + " nodes; a model has 1 to " + MAX_NODES, null);
        }
        List<LayerNode> nodes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String prefix = "node." + i + ".";
            String type = r.get(prefix + "type");
            Class<?> recordType = layerType(type);
            if (recordType == null) {
                throw fail.apply("node " + i + " has unknown layer type '" + type + "'", null);
            }
            RecordComponent[] components = recordType.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] values = new Object[components.length];
            for (int c = 0; c < components.length; c++) {
                types[c] = components[c].getType();
                values[c] = r.value(prefix + "layer." + components[c].getName(), types[c]);
            }
            LayerSpec layer;
            try {
                Constructor<?> canonical = recordType.getDeclaredConstructor(types);
                layer = (LayerSpec) canonical.newInstance(values);
            } catch (InvocationTargetException e) {
                throw fail.apply("node " + i + " (" + type + ") is invalid: " + e.getCause().getMessage(),
                        e.getCause());
            } catch (ReflectiveOperationException | IllegalArgumentException e) {
                throw fail.apply("node " + i + " (" + type + ") cannot be rebuilt: " + e, e);
            }
            int[] inputs = r.ints(prefix + "inputs", n);
            Shape shape = Shape.of(r.ints(prefix + "outputShape", MAX_RANK));
            nodes.add(new LayerNode(i, r.get(prefix + "name"), layer, inputs, shape));
        }
        try {
            return ModelSpec.of(name, nodes);
        } catch (MoteException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
            throw fail.apply("the model it describes is invalid: " + e.getMessage(), e);
        }
    }

    private static Class<?> layerType(String simpleName) {
        for (Class<?> c : LayerSpec.class.getPermittedSubclasses()) {
            if (c.isRecord() && c.getSimpleName().equals(simpleName)) {
                return c;
            }
        }
        return null;
    }

    private static Object value(LayerSpec layer, RecordComponent c) {
        try {
            return c.getAccessor().invoke(layer);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + layer, e);
        }
    }

    private static String encode(Object v) {
        if (v instanceof Integer || v instanceof Boolean || v instanceof Double || v instanceof Float) {
            return v.toString();
        } else if (v instanceof Enum<?> e) {
            return e.name();
        } else if (v instanceof Shape s) {
            return join(s.dims());
        }
        throw new IllegalStateException("no file encoding for a layer option of type " + v.getClass().getName()
                + "; extend SpecCodec");
    }

    private static String join(int[] values) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < values.length; k++) {
            sb.append(k == 0 ? "" : ",").append(values[k]);
        }
        return sb.toString();
    }

    /** Typed reads of the keys, each failure naming the key. */
    private record Reader(Map<String, String> keys, BiFunction<String, Throwable, TrainedModelFileException> fail) {

        String get(String key) {
            String v = keys.get(key);
            if (v == null) {
                throw fail.apply("the manifest has no " + key, null);
            }
            return v;
        }

        int integer(String key) {
            String v = get(key);
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw fail.apply(key + " is '" + v + "', not an integer", null);
            }
        }

        int[] ints(String key, int maxCount) {
            String v = get(key);
            if (v.isEmpty()) {
                return new int[0];
            }
            String[] parts = v.split(",", maxCount + 1);
            if (parts.length > maxCount) {
                throw fail.apply(key + " has more than " + maxCount + " values", null);
            }
            int[] out = new int[parts.length];
            for (int k = 0; k < parts.length; k++) {
                try {
                    out[k] = Integer.parseInt(parts[k]);
                } catch (NumberFormatException e) {
                    throw fail.apply(key + " is '" + v + "', not comma-separated integers", null);
                }
            }
            return out;
        }

        Object value(String key, Class<?> type) {
            String v = get(key);
            try {
                if (type == int.class) {
                    return Integer.parseInt(v);
                } else if (type == float.class) {
                    return Float.parseFloat(v);
                } else if (type == double.class) {
                    return Double.parseDouble(v);
                } else if (type == boolean.class) {
                    if (!v.equals("true") && !v.equals("false")) {
                        throw new IllegalArgumentException("not true or false");
                    }
                    return Boolean.parseBoolean(v);
                } else if (type == Padding.class) {
                    return Padding.valueOf(v);
                } else if (type == ActivationKind.class) {
                    return ActivationKind.valueOf(v);
                } else if (type == Shape.class) {
                    return Shape.of(ints(key, MAX_RANK));
                }
            } catch (IllegalArgumentException e) {
                throw fail.apply(key + " is '" + v + "', not a " + type.getSimpleName(), null);
            }
            throw fail.apply(key + " has type " + type.getName() + ", which this Mote cannot read", null);
        }
    }
}

package dev.mote.exporter;

import dev.mote.dsl.Lowering;
import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.vocabulary.Padding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The export has exactly the operators the DSL's {@link Lowering} (which {@code ModelSpec.summary()} shows) says,
 * in the same order: the exporter takes its decisions from it. The only extra operators are QUANTIZE requantizing an
 * input of CONCATENATION onto the concatenation's scale, a quantization detail the lowering does not decide, and the
 * RESHAPEs the plan inserts around the 4-D view of a sequence (which the summary's operators include).
 */
class LoweringAgreementTest {

    private static void assertAgrees(ModelSpec spec) {
        Model m = ModelReader.read(TfliteExporter.export(spec, new RandomParameters(spec, 1)).bytes());
        List<BuiltinOperator> exported = new ArrayList<>();
        m.mainSubgraph().operators().forEach(o -> exported.add(m.operatorCodes().get(o.opcodeIndex()).builtin()));
        exported.removeIf(op -> op == BuiltinOperator.QUANTIZE);
        assertEquals(spec.summary().ops(), exported, spec.name());
    }

    @Test
    void everyZooModel() {
        for (LayerZoo.Case c : LayerZoo.all()) {
            assertAgrees(c.spec());
        }
    }

    @Test
    void modelsDeclaredWithTheDsl() {
        assertAgrees(MicroModel.sequential("kws").input(49, 10, 1)
                .conv2d(8, 10, 4).stride(2).padding(Padding.SAME).batchNorm().relu()
                .depthwiseConv2d(3, 3).padding(Padding.SAME).batchNorm().relu6()
                .avgPool2d(5, 5).flatten().dropout(0.2).dense(12).softmax().build());
        MicroModel g = MicroModel.graph("res");
        var x = g.input(8, 8, 4).conv2d(4, 3, 3).padding(Padding.SAME).relu();
        var y = x.conv2d(4, 3, 3).padding(Padding.SAME).batchNorm();
        assertAgrees(g.add(x, y).relu6().flatten().dense(3).build());
    }
}

package dev.mote.exporter;

import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ModelSummary;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The summary's flash bytes per layer are the bytes of the weight and bias tensors the export really writes. */
class SummaryFlashBytesTest {

    @Test
    void layersWithoutBiasCountTheBiasTheExportWrites() {
        ModelSpec spec = MicroModel.sequential("no_bias").input(6, 6, 1)
                .conv2d(4, 3, 3).withoutBias().relu()
                .depthwiseConv2d(3, 3).withoutBias()
                .flatten().dense(5).withoutBias().dense(2).build();
        ExportedModel exported = TfliteExporter.export(spec, PlaceholderParameters.of(spec));
        Subgraph graph = ModelReader.read(exported.bytes()).mainSubgraph();
        ModelSummary summary = spec.summary();
        int checked = 0;
        for (ModelSummary.Row row : summary.rows()) {
            if (row.flashBytes() == 0) {
                continue;
            }
            Operator writer = writerOf(graph, exported.tensorOfNode(row.index()));
            long written = 0;
            for (int k = 1; k < writer.inputCount(); k++) {
                int t = writer.input(k);
                if (t >= 0) {
                    written += graph.tensor(t).byteSize();
                }
            }
            assertEquals(written, row.flashBytes(), row.name());
            checked++;
        }
        assertEquals(4, checked);
    }

    private static Operator writerOf(Subgraph graph, int tensor) {
        for (Operator op : graph.operators()) {
            if (op.output(0) == tensor) {
                return op;
            }
        }
        throw new AssertionError("no operator writes tensor " + tensor);
    }
}

package dev.mote.runtime;

import dev.mote.runtime.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfilerTest {

    @Test
    void profilesEveryOperatorWithItsOutputBytes() {
        MicroInterpreter interpreter = new MicroInterpreter(ReferenceModels.bytes("hello_world_int8.tflite"),
                OpResolver.allBuiltins(), 2048);
        interpreter.allocateTensors();
        interpreter.input(0).setFloats(1.0f);
        Profiler.Profile p = Profiler.profile(interpreter, 2, 5);
        assertEquals(3, p.operators().size());
        assertEquals(5, p.invocations());
        assertEquals(16, p.operators().get(0).outputBytes());
        assertEquals(16, p.operators().get(1).outputBytes());
        assertEquals(1, p.operators().get(2).outputBytes());
        for (Profiler.OperatorProfile o : p.operators()) {
            assertEquals("FULLY_CONNECTED", o.op());
            assertTrue(o.meanNanos() >= 0);
        }
        String[] csv = p.toCsv().split("\n");
        assertEquals("index,op,mean_ns,output_bytes", csv[0]);
        assertEquals(4, csv.length);
        assertTrue(csv[3].startsWith("2,FULLY_CONNECTED,") && csv[3].endsWith(",1"), csv[3]);
        assertTrue(p.toTable().contains("total"));
    }

    @Test
    void refusesNoInvocations() {
        MicroInterpreter interpreter = new MicroInterpreter(ReferenceModels.bytes("hello_world_int8.tflite"),
                OpResolver.allBuiltins(), 2048);
        interpreter.allocateTensors();
        assertThrows(IllegalArgumentException.class, () -> Profiler.profile(interpreter, 0, 0));
    }
}

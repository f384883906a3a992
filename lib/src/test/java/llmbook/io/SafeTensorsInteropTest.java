package llmbook.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safetensors files written by someone else. The fixture {@code safetensors/numpy-fixture.safetensors}
 * (300 bytes) was made once by {@code lib/src/test/python/write_safetensors_fixture.py} with Debian's
 * numpy 1.24.2, in the layout of the Hugging Face library (compact JSON, space padding, a 0-d tensor).
 */
class SafeTensorsInteropTest {
    @TempDir Path dir;

    @Test
    void readsTheFileNumpyWrote() throws Exception {
        Path f = Path.of(getClass().getResource("/safetensors/numpy-fixture.safetensors").toURI());
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(List.of("wte.weight", "ln_f.bias", "scalar"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new int[] {2, 3}, c.tensors().get("wte.weight").shape());
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, c.tensors().get("wte.weight").data());
        assertArrayEquals(new float[] {0.25f, -0f, 3.0e-38f, 1e10f}, c.tensors().get("ln_f.bias").data());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(c.tensors().get("ln_f.bias").data()[1]));
        assertArrayEquals(new int[0], c.tensors().get("scalar").shape());
        assertArrayEquals(new float[] {7.5f}, c.tensors().get("scalar").data());
        assertEquals("pt", c.metadata().get("format"));
        assertEquals("numpy 1.24.2", c.metadata().get("writer"));
    }

    /** The other direction: numpy parses what we write. Skipped where Debian's python3 with numpy is absent. */
    @Test
    void numpyReadsTheFileWeWrite() throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Map<String, SafeTensors.Entry> m = new LinkedHashMap<>();
        m.put("a", new SafeTensors.Entry(new int[] {2, 2}, new float[] {1, 2, 3, -4.5f}));
        m.put("b", new SafeTensors.Entry(new int[] {3}, new float[] {0.125f, 1e-3f, 6}));
        Path f = dir.resolve("ours.safetensors");
        SafeTensors.write(f, m, Map.of("step", "7"));
        String script = """
                import json, struct, sys
                import numpy as np
                raw = open(sys.argv[1], 'rb').read()
                n = struct.unpack('<Q', raw[:8])[0]
                h = json.loads(raw[8:8 + n])
                out = [h['__metadata__']['step']]
                for k in ('a', 'b'):
                    b, e = h[k]['data_offsets']
                    t = np.frombuffer(raw[8 + n + b:8 + n + e], dtype='<f4').reshape(h[k]['shape'])
                    out.append(k + str(list(t.shape)) + ' ' + ' '.join(repr(float(x)) for x in t.ravel()))
                print('|'.join(out))
                """;
        Process p = new ProcessBuilder(python.toString(), "-c", script, f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        Assumptions.assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && !out.contains("No module named 'numpy'"), "numpy unavailable");
        assertEquals("7|a[2, 2] 1.0 2.0 3.0 -4.5|b[3] 0.125 0.0010000000474974513 6.0", out);
    }
}

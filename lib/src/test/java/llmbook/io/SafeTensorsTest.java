package llmbook.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir Path dir;

    private Map<String, SafeTensors.Entry> sample() {
        Map<String, SafeTensors.Entry> m = new LinkedHashMap<>();
        m.put("wte", new SafeTensors.Entry(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f}));
        m.put("ln.bias", new SafeTensors.Entry(new int[] {3}, new float[] {0.25f, Float.MIN_VALUE, -0f}));
        m.put("empty", new SafeTensors.Entry(new int[] {0, 4}, new float[0]));
        return m;
    }

    @Test
    void roundTripsTensorsAndMetadataInOrder() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, sample(), Map.of("step", "42"));
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(java.util.List.of("wte", "ln.bias", "empty"), java.util.List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6.5f}, c.tensors().get("wte").data());
        assertArrayEquals(new int[] {2, 3}, c.tensors().get("wte").shape());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(c.tensors().get("ln.bias").data()[2]), "bits are kept exactly");
        assertEquals("42", c.metadata().get("step"));
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "header padded to 8 bytes");
        try (var s = Files.list(dir)) { assertEquals(1, s.count(), "no temp file left"); }
    }

    @Test
    void readsAFileWrittenByHandInTheSpecsLayout() throws IOException {
        // As another implementation writes it: header without padding, little-endian F32 data.
        byte[] json = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).putFloat(1.5f).putFloat(-2f);
        Path f = dir.resolve("hand.safetensors");
        Files.write(f, b.array());
        assertArrayEquals(new float[] {1.5f, -2f}, SafeTensors.read(f).tensors().get("x").data());
    }

    private String refusal(byte[] bytes) {
        Path f = dir.resolve("bad.safetensors");
        try {
            Files.write(f, bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return assertThrows(IOException.class, () -> SafeTensors.read(f)).getMessage();
    }

    private static byte[] file(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        return b.array();
    }

    @Test
    void refusesBadFilesWithTheReason() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafeTensors.write(good, sample(), Map.of());
        byte[] bytes = Files.readAllBytes(good);
        assertTrue(refusal(Arrays.copyOf(bytes, 5)).contains("too short"));
        assertTrue(refusal(Arrays.copyOf(bytes, bytes.length - 4)).contains("truncated"));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 4);
        assertTrue(refusal(longer).contains("trailing bytes"));
        byte[] hugeHeader = bytes.clone();
        ByteBuffer.wrap(hugeHeader).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        assertTrue(refusal(hugeHeader).contains("header length"));
        assertTrue(refusal(file("{\"x\":{\"dtype\":\"F32\",", 0)).contains("not valid JSON"));
        assertTrue(refusal(file("{\"x\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)).contains("dtype F16"));
        assertTrue(refusal(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)).contains("needs 12 bytes"));
        assertTrue(refusal(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)).contains("hole"));
        assertTrue(refusal(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0)).contains("non-negative"));
    }

    @Test
    void aFailedWriteLeavesThePreviousFileWhole() throws IOException {
        Path f = dir.resolve("ckpt.safetensors");
        SafeTensors.write(f, sample(), Map.of("v", "1"));
        Map<String, SafeTensors.Entry> bad = new LinkedHashMap<>(sample());
        bad.put("__metadata__", new SafeTensors.Entry(new int[] {1}, new float[] {1}));   // refused before anything is replaced
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(f, bad, Map.of("v", "2")));
        assertEquals("1", SafeTensors.read(f).metadata().get("v"));
    }
}

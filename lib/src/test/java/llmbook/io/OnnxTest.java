package llmbook.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ONNX reader on a hand-built model (every field checked, every bit flipped) and on all-MiniLM-L6-v2. */
class OnnxTest {
    /** A protobuf writer for test models: the wire format of {@link Protobuf}, written by hand. */
    static final class W {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        W varint(long v) {
            while ((v & ~0x7fL) != 0) { out.write((int) (v & 0x7f) | 0x80); v >>>= 7; }
            out.write((int) v);
            return this;
        }
        W int64(int field, long v) { return varint((long) field << 3).varint(v); }
        W bytes(int field, byte[] b) { varint((long) field << 3 | 2).varint(b.length); out.writeBytes(b); return this; }
        W string(int field, String s) { return bytes(field, s.getBytes(StandardCharsets.UTF_8)); }
        W message(int field, W m) { return bytes(field, m.out.toByteArray()); }
        W float32(int field, float f) {
            varint((long) field << 3 | 5);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(f).array());
            return this;
        }
        byte[] bytes() { return out.toByteArray(); }
    }

    static byte[] le(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    /** y = x @ W + eps, with W (2, 3) in raw_data, eps in a Constant node, a bias in packed float_data. */
    static byte[] tinyModel() {
        W weight = new W().int64(1, 2).int64(1, 3).int64(2, Onnx.FLOAT).string(8, "W").bytes(9, le(1, 2, 3, 4, 5, 6));
        W bias = new W().bytes(1, new W().varint(3).bytes()).int64(2, Onnx.FLOAT).string(8, "b").bytes(4, le(0.5f, -0.5f, 2));
        W epsTensor = new W().int64(2, Onnx.FLOAT).bytes(9, le(1e-12f));
        W matmul = new W().string(1, "x").string(1, "W").string(2, "xw").string(3, "/mm/MatMul").string(4, "MatMul");
        W constant = new W().string(2, "eps").string(3, "/Constant").string(4, "Constant")
                .message(5, new W().string(1, "value").message(5, epsTensor).int64(20, 4));
        W softmax = new W().string(1, "xw").string(2, "y").string(3, "/Softmax").string(4, "Softmax")
                .message(5, new W().string(1, "axis").int64(3, -1).int64(20, 2))
                .message(5, new W().string(1, "alpha").float32(2, 0.25f).int64(20, 1))
                .message(5, new W().string(1, "perm").bytes(8, new W().varint(0).varint(2).varint(1).bytes()).int64(20, 7));
        W graph = new W().message(1, matmul).message(1, constant).message(1, softmax).string(2, "tiny")
                .message(5, weight).message(5, bias)
                .message(11, new W().string(1, "x")).message(12, new W().string(1, "y"));
        return new W().int64(1, 8).string(2, "test").message(7, graph).bytes();
    }

    @Test
    void readsEveryFieldOfAHandBuiltModel() throws IOException {
        Onnx.Graph g = Onnx.read(tinyModel(), "tiny");
        assertEquals(2, g.initializers().size());
        Onnx.Initializer w = g.weightOf("/mm/MatMul");
        assertEquals("W", w.name());
        assertArrayEquals(new int[] {2, 3}, w.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.floats());
        assertArrayEquals(new float[] {0.5f, -0.5f, 2}, g.initializers().get("b").floats());
        assertArrayEquals(new float[] {1e-12f}, g.constant("eps").floats());
        assertEquals(0, g.constant("eps").dims().length, "a scalar");
        Onnx.Node sm = g.node("/Softmax");
        assertEquals("Softmax", sm.opType());
        assertEquals(-1, sm.attributes().get("axis").i());
        assertEquals(0.25f, sm.attributes().get("alpha").f());
        assertArrayEquals(new long[] {0, 2, 1}, sm.attributes().get("perm").ints());
        assertEquals(java.util.List.of("x"), g.inputs());
        assertEquals(java.util.List.of("y"), g.outputs());
        var e = assertThrows(IllegalArgumentException.class, () -> g.weightOf("/Softmax"));
        assertTrue(e.getMessage().contains("reads no initializer"), e.getMessage());
    }

    @Test
    void everyTruncationIsRefusedWithTheReason() {
        byte[] model = tinyModel();
        for (int n = 0; n < model.length; n++) {
            byte[] cut = Arrays.copyOf(model, n);
            int len = n;
            var e = assertThrows(IOException.class, () -> Onnx.read(cut, "cut.onnx"), () -> "truncated to " + len + " bytes");
            assertTrue(e.getMessage().startsWith("cut.onnx: not a valid ONNX file ("), e.getMessage());
        }
    }

    /** Any single flipped bit either still parses (a changed name or value) or is refused as an IOException, never another exception. */
    @Test
    void everyFlippedBitParsesOrIsRefusedCleanly() {
        byte[] model = tinyModel();
        int refused = 0;
        for (int bit = 0; bit < model.length * 8; bit++) {
            byte[] bad = model.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            try {
                Onnx.Graph g = Onnx.read(bad, "flipped.onnx");
                for (Onnx.Initializer t : g.initializers().values()) if (t.dataType() == Onnx.FLOAT) t.floats();
            } catch (IOException e) {
                assertTrue(e.getMessage().startsWith("flipped.onnx: "), e.getMessage());
                refused++;
            } catch (RuntimeException e) {
                fail("bit " + bit + " gave " + e);
            }
        }
        assertTrue(refused > model.length, "most flips in the structure are detected: " + refused + " of " + model.length * 8);
    }

    @Test
    void aWrongSizeOrAnExternalTensorIsRefused() {
        W short1 = new W().int64(1, 2).int64(1, 3).int64(2, Onnx.FLOAT).string(8, "W").bytes(9, le(1, 2, 3, 4, 5));
        byte[] m1 = new W().int64(1, 8).message(7, new W().message(5, short1)).bytes();
        var e = assertThrows(IOException.class, () -> Onnx.read(m1, "m1"));
        assertTrue(e.getMessage().contains("tensor 'W' of shape [2, 3] needs 24 bytes, raw_data holds 20"), e.getMessage());
        W ext = new W().int64(1, 2).int64(2, Onnx.FLOAT).string(8, "E").int64(14, 1);
        byte[] m2 = new W().int64(1, 8).message(7, new W().message(5, ext)).bytes();
        e = assertThrows(IOException.class, () -> Onnx.read(m2, "m2"));
        assertTrue(e.getMessage().contains("external file"), e.getMessage());
        e = assertThrows(IOException.class, () -> Onnx.read("hello, I am text".getBytes(StandardCharsets.UTF_8), "text.txt"));
        assertTrue(e.getMessage().startsWith("text.txt: not a valid ONNX file"), e.getMessage());
    }

    @Test
    void aMissingFileOrJarIsNamed(@TempDir Path dir) throws IOException {
        var e = assertThrows(IOException.class, () -> Onnx.read(dir.resolve("nope.onnx")));
        assertTrue(e.getMessage().endsWith("nope.onnx: no such file"), e.getMessage());
        e = assertThrows(IOException.class, () -> MiniLmJar.read(dir.resolve("nope.jar"), MiniLmJar.ONNX));
        assertTrue(e.getMessage().contains("nope.jar: no such file"), e.getMessage());
        Path notZip = dir.resolve("bad.jar");
        Files.writeString(notZip, "not a zip");
        e = assertThrows(IOException.class, () -> MiniLmJar.read(notZip, MiniLmJar.ONNX));
        assertTrue(e.getMessage().contains("bad.jar: not a readable jar"), e.getMessage());
        Path other = dir.resolve("other.jar");
        try (var z = new ZipOutputStream(Files.newOutputStream(other))) {
            z.putNextEntry(new ZipEntry("README"));
            z.write(1);
        }
        e = assertThrows(IOException.class, () -> MiniLmJar.read(other, MiniLmJar.ONNX));
        assertTrue(e.getMessage().contains("holds no entry all-minilm-l6-v2.onnx"), e.getMessage());
    }

    @Test
    void allMiniLmFromTheJar() throws IOException {
        byte[] bytes = MiniLmJar.read(MiniLmJar.ONNX);
        Onnx.Graph g = Onnx.read(bytes, MiniLmJar.ONNX);
        assertEquals(102, g.initializers().size());
        long values = 0;
        for (Onnx.Initializer t : g.initializers().values()) values += t.size();
        assertEquals(22_565_888, values);
        assertEquals(java.util.List.of("input_ids", "attention_mask", "token_type_ids"), g.inputs());
        assertEquals(java.util.List.of("last_hidden_state"), g.outputs());
        Onnx.Initializer q = g.weightOf("/encoder/layer.0/attention/self/query/MatMul");
        assertEquals("onnx::MatMul_787", q.name());
        assertArrayEquals(new int[] {384, 384}, q.shape());
        assertArrayEquals(new int[] {1536, 384}, g.weightOf("/encoder/layer.5/output/dense/MatMul").shape());
        assertArrayEquals(new int[] {30522, 384}, g.initializers().get("embeddings.word_embeddings.weight").shape());
        // LayerNorm is spelled out: ... + eps, with eps a Constant feeding /embeddings/LayerNorm/Add.
        Onnx.Node add = g.node("/embeddings/LayerNorm/Add");
        assertArrayEquals(new float[] {1e-12f}, g.constant(add.inputs().get(1)).floats());
        // A truncated copy of the real file is refused.
        var e = assertThrows(IOException.class, () -> Onnx.read(Arrays.copyOf(bytes, bytes.length / 2), "half.onnx"));
        assertTrue(e.getMessage().contains("half.onnx: not a valid ONNX file (truncated"), e.getMessage());
    }
}

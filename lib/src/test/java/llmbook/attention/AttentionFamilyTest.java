package llmbook.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.nn.Linear;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** MHA → GQA → MQA → MLA: how the variants relate (copied weights give equal outputs) and what each caches. */
class AttentionFamilyTest {
    static final int B = 2, T = 5, C = 12, H = 4, D = C / H;

    private static void copy(Linear from, Linear to) {
        System.arraycopy(from.weight.data(), 0, to.weight.data(), 0, from.weight.numel());
        if (from.bias != null) System.arraycopy(from.bias.data(), 0, to.bias.data(), 0, from.bias.numel());
    }

    /** Rows of a (G·d, C) K or V projection expanded to (H·d, C): head h gets the rows of its group h / (H/G). */
    private static void expandHeads(Linear grouped, Linear full, int groups) {
        int per = H / groups;
        for (int h = 0; h < H; h++) {
            int g = h / per;
            System.arraycopy(grouped.weight.data(), g * D * C, full.weight.data(), h * D * C, D * C);
            if (grouped.bias != null) System.arraycopy(grouped.bias.data(), g * D, full.bias.data(), h * D, D);
        }
    }

    /** GQA with G = H is exactly GPT-2's fused-projection MHA once the weights are the same. */
    @Test void gqaWithAllGroupsIsMultiHeadAttention() {
        var gqa = new GroupedQueryAttention(C, H, H, new Rng(1));
        var mha = new MultiHeadAttention(C, H, new Rng(2));
        float[] w = mha.cAttn.weight.data(), b = mha.cAttn.bias.data();
        Linear[] parts = {((Linear) gqa.get("q")), ((Linear) gqa.get("k")), ((Linear) gqa.get("v"))};
        for (int p = 0; p < 3; p++) {
            System.arraycopy(parts[p].weight.data(), 0, w, p * C * C, C * C);
            System.arraycopy(parts[p].bias.data(), 0, b, p * C, C);
        }
        copy(((Linear) gqa.get("o")), mha.cProj);
        Tensor x = Tensor.randn(new Rng(3), B, T, C);
        assertArrayEquals(mha.forward(x, Mask.CAUSAL).toArray(), gqa.forward(x, Mask.CAUSAL).toArray(), 1e-5f);
    }

    /** MQA is MHA whose heads all use one K and one V projection; GQA is MHA whose heads share them in groups. */
    @Test void mqaAndGqaAreMhaWithSharedKvProjections() {
        for (int groups : new int[] {1, 2}) {
            var small = new GroupedQueryAttention(C, H, groups, new Rng(10 + groups)).captureWeights(true);
            var mha = new GroupedQueryAttention(C, H, H, new Rng(20)).captureWeights(true);
            copy(((Linear) small.get("q")), ((Linear) mha.get("q")));
            copy(((Linear) small.get("o")), ((Linear) mha.get("o")));
            expandHeads(((Linear) small.get("k")), ((Linear) mha.get("k")), groups);
            expandHeads(((Linear) small.get("v")), ((Linear) mha.get("v")), groups);
            Tensor x = Tensor.randn(new Rng(30), B, T, C);
            assertArrayEquals(mha.forward(x, Mask.CAUSAL).toArray(), small.forward(x, Mask.CAUSAL).toArray(), 1e-5f, "groups " + groups);
            assertArrayEquals(mha.lastWeights().toArray(), small.lastWeights().toArray(), 1e-6f, "groups " + groups);
        }
    }

    /** fp32 bytes of cache per token, computed by hand for C = 12, H = 4 (d = 3). */
    @Test void kvCacheBytesPerToken() {
        assertEquals(2 * 12 * 4, new MultiHeadAttention(C, H, new Rng(1)).kvCacheBytesPerToken());            // MHA: 2·C·4 = 96
        assertEquals(2 * 12 * 4, new GroupedQueryAttention(C, H, H, new Rng(1)).kvCacheBytesPerToken());      // 96
        assertEquals(2 * 12 * 2 / 4 * 4, new GroupedQueryAttention(C, H, 2, new Rng(1)).kvCacheBytesPerToken()); // GQA: 2·C·G/H·4 = 48
        assertEquals(2 * 3 * 4, new GroupedQueryAttention(C, H, 1, new Rng(1)).kvCacheBytesPerToken());       // MQA: 2·(C/H)·4 = 24
        assertEquals((6 + 2) * 4, new MultiHeadLatentAttention(C, H, 6, 2, new Rng(1)).kvCacheBytesPerToken()); // MLA: (d_c + d_R)·4 = 32
        // a LLaMA-2-70B-sized layer: C = 8192, H = 64, G = 8 → 2·8·128·4 = 8192 bytes, 8× less than MHA's 65536
        assertEquals(8192, new AttentionConfig(8192, 64, 8).kvCacheBytesPerToken());
        assertEquals(65536, new AttentionConfig(8192, 64, 64).kvCacheBytesPerToken());
        // and a preallocated cache really holds that many bytes per token (measured from its arrays: bytes / (B · capacity))
        int[] want = {96, 96, 48, 24, 32};
        SelfAttention[] layers = {new MultiHeadAttention(C, H, new Rng(1)), new GroupedQueryAttention(C, H, H, new Rng(1)),
                new GroupedQueryAttention(C, H, 2, new Rng(1)), new GroupedQueryAttention(C, H, 1, new Rng(1)),
                new MultiHeadLatentAttention(C, H, 6, 2, new Rng(1))};
        for (int i = 0; i < layers.length; i++) {
            KvCache cache = layers[i].newCache(3, 10);
            assertEquals(want[i], cache.bytesPerToken(), cache.toString());
            assertEquals(3L * 10 * want[i], cache.bytes(), cache.toString());
        }
    }

    /** The cache of MLA is what it says: the output depends on x only through c_KV, k^R and the queries. */
    @Test void mlaKeysAndValuesComeOnlyFromTheLatent() {
        var mla = new MultiHeadLatentAttention(C, H, 6, 2, new Rng(5));
        Tensor x = Tensor.randn(new Rng(6), B, T, C);
        assertArrayEquals(new int[] {B, T, 6}, mla.latent(x).shape());
        assertArrayEquals(new int[] {B, 1, T, 2}, mla.ropeKey(x).shape());
        // a projection from C to the latent of rank d_c: zeroing W_DKV zeroes every value, so the output is the bias-free 0
        java.util.Arrays.fill(((Linear) mla.get("dkv")).weight.data(), 0f);
        float[] y = mla.forward(x, Mask.CAUSAL).toArray();
        for (float v : y) assertEquals(0f, v, 0f);
    }

    /** Parameter counts, by hand, for C = 12, H = 4, d = 3 (all with biases except MLA). */
    @Test void parameterCounts() {
        assertEquals(4 * 12 * 12 + 4 * 12, new MultiHeadAttention(C, H, new Rng(1)).numParameters());                 // 4C² + 4C = 624
        assertEquals(4 * 12 * 12 + 4 * 12, new GroupedQueryAttention(C, H, H, new Rng(1)).numParameters());           // 624
        assertEquals(2 * (12 * 12 + 12) + 2 * (12 * 6 + 6), new GroupedQueryAttention(C, H, 2, new Rng(1)).numParameters()); // K, V: (G·d)×C + G·d
        assertEquals(2 * (12 * 12 + 12) + 2 * (12 * 3 + 3), new GroupedQueryAttention(C, H, 1, new Rng(1)).numParameters());
        // MLA, d_c = 6, d_R = 2: W_DKV 6×12, W_UK and W_UV 12×6, W_KR 2×12, W_Q 12×12, W_QR 8×12, W_O 12×12
        assertEquals(72 + 72 + 72 + 24 + 144 + 96 + 144, new MultiHeadLatentAttention(C, H, 6, 2, new Rng(1)).numParameters());
    }

    @Test void configsRejectBadShapesWithClearMessages() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AttentionConfig(10, 4, 4));
        assertTrue(e.getMessage().contains("nHeads=4 must divide dModel=10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AttentionConfig(12, 4, 3));
        assertTrue(e.getMessage().contains("nKvGroups=3 must divide nHeads=4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AttentionConfig(12, 4, 8));
        assertTrue(e.getMessage().contains("nKvGroups=8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AttentionConfig(12, 4, 2, false, true));
        assertTrue(e.getMessage().contains("RoPE needs an even head size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MlaConfig(12, 4, 6, 3));
        assertTrue(e.getMessage().contains("dRope must be even"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MlaConfig(12, 5, 6, 2));
        assertTrue(e.getMessage().contains("nHeads=5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MlaConfig(12, 4, 0, 2));
        assertTrue(e.getMessage().contains("dLatent must be >= 1, got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GroupedQueryAttention(12, 4, 3, new Rng(1)));
    }
}

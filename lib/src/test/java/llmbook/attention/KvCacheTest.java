package llmbook.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decoding with a KV cache equals the full causal forward, for every self-attention (for MLA, with the up-projections
 * absorbed); and the bytes the cache really holds per token are the advertised {@code kvCacheBytesPerToken()}.
 */
class KvCacheTest {
    static final int B = 2, T = 6, C = 8;

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> layers() { return SelfAttentionContractTest.layers(); }

    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void pieceByPieceEqualsFullForward(String name, Supplier<SelfAttention> make) {
        SelfAttention a = make.get();
        try (var g = Tensor.noGrad()) {
            Tensor x = Tensor.randn(new Rng(50), B, T, C);
            float[] full = a.forward(x, Mask.CAUSAL).toArray();
            KvCache cache = a.newCache();
            assertEquals(0, cache.length());
            // a prompt of 3 tokens, then one token at a time
            Tensor[] pieces = {x.slice(1, 0, 3), x.slice(1, 3, 4), x.slice(1, 4, 5), x.slice(1, 5, 6)};
            float[] got = new float[full.length];
            int at = 0;
            for (Tensor piece : pieces) {
                int n = piece.size(1);
                float[] y = a.forward(piece, cache).toArray();
                for (int b = 0; b < B; b++) System.arraycopy(y, b * n * C, got, (b * T + at) * C, n * C);
                at += n;
                assertEquals(at, cache.length(), name);
            }
            assertArrayEquals(full, got, 2e-5f, name);
            assertEquals(a.kvCacheBytesPerToken(), cache.bytesPerToken(), name + ": " + cache);
        }
    }

    /** A growing cache has no storage (so no bytes per token) before its first tokens. */
    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void emptyGrowingCacheHasNoBytesPerToken(String name, Supplier<SelfAttention> make) {
        assertThrows(IllegalStateException.class, () -> make.get().newCache().bytesPerToken());
    }

    /**
     * Greedy-decoding equivalence: feeding the sequence one token at a time through a preallocated cache (the decoding
     * kernel) gives, at EVERY position, the output of one causal forward over the whole sequence (≤ 1e-5).
     */
    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void tokenByTokenEqualsFullForwardAtEveryPosition(String name, Supplier<SelfAttention> make) {
        SelfAttention a = make.get();
        int len = 9;
        try (var g = Tensor.noGrad()) {
            Tensor x = Tensor.randn(new Rng(60), B, len, C);
            float[] full = a.forward(x, Mask.CAUSAL).toArray();
            KvCache cache = a.newCache(B, len);
            for (int t = 0; t < len; t++) {
                float[] y = a.forward(x.slice(1, t, t + 1), cache).toArray();   // (B, 1, C)
                for (int b = 0; b < B; b++)
                    for (int c = 0; c < C; c++) {
                        float want = full[(b * len + t) * C + c];
                        assertEquals(want, y[b * C + c], 1e-5 * Math.max(1, Math.abs(want)), name + ": position " + t + " batch " + b);
                    }
            }
            assertEquals(len, cache.length());
            var e = assertThrows(IllegalArgumentException.class, () -> a.forward(x.slice(1, 0, 1), cache));
            assertTrue(e.getMessage().contains("exceed the capacity " + len), e.getMessage());
            cache.reset();
            assertEquals(0, cache.length());
            assertArrayEquals(java.util.Arrays.copyOfRange(full, 0, C), java.util.Arrays.copyOfRange(a.forward(x.slice(1, 0, 1), cache).toArray(), 0, C),
                    1e-5f, name + ": after reset the next token is position 0 again");
        }
    }

    /** The composed path (weights captured) over the cache gives the same outputs as the decoding kernel. */
    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void cachedKernelEqualsComposedCachedPath(String name, Supplier<SelfAttention> make) {
        SelfAttention a = make.get();
        try (var g = Tensor.noGrad()) {
            Tensor x = Tensor.randn(new Rng(61), B, 5, C);
            float[][] out = new float[2][];
            for (int run = 0; run < 2; run++) {
                a.captureWeights(run == 1);
                KvCache cache = a.newCache(B, 8);
                a.forward(x.slice(1, 0, 3), cache);
                out[run] = a.forward(x.slice(1, 3, 5), cache).toArray();
            }
            assertArrayEquals(out[1], out[0], 1e-5f, name);
            assertArrayEquals(new int[] {B, 4, 2, 5}, a.lastWeights().shape(), name + ": (B, H, T_new, T_cached)");
        }
    }

    /** reorder(rows): row i of the new cache is row rows[i] of the old; decoding then continues each chosen history. */
    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void reorderKeepsTheChosenRows(String name, Supplier<SelfAttention> make) {
        SelfAttention a = make.get();
        try (var g = Tensor.noGrad()) {
            Tensor x = Tensor.randn(new Rng(62), B, 4, C);
            KvCache cache = a.newCache(B, 6);
            a.forward(x.slice(1, 0, 3), cache);
            cache.reorder(new int[] {1, 1, 0});                        // beams: two copies of sequence 1, then sequence 0
            assertEquals(3, cache.batch());
            assertEquals(3, cache.length());
            Tensor next = Tensor.concat(0, x.slice(0, 1, 2), x.slice(0, 1, 2), x.slice(0, 0, 1)).slice(1, 3, 4);   // (3, 1, C)
            float[] got = a.forward(next, cache).toArray();
            float[] full = a.forward(x, Mask.CAUSAL).toArray();        // (B, 4, C)
            int[] src = {1, 1, 0};
            for (int i = 0; i < 3; i++)
                for (int c = 0; c < C; c++)
                    assertEquals(full[(src[i] * 4 + 3) * C + c], got[i * C + c], 1e-5, name + ": beam " + i);
            var e = assertThrows(IllegalArgumentException.class, () -> cache.reorder(new int[] {3}));
            assertTrue(e.getMessage().contains("row 3 outside the batch [0, 3)"), e.getMessage());
        }
    }

    /** Parts are views of what is cached, shaped as documented. */
    @org.junit.jupiter.api.Test
    void partsHaveTheDocumentedShapes() {
        try (var g = Tensor.noGrad()) {
            Tensor x = Tensor.randn(new Rng(63), B, 3, C);
            var gqa = new GroupedQueryAttention(C, 4, 2, new Rng(1));
            KvCache c = gqa.newCache(B, 10);
            assertEquals(null, c.part("k"));
            gqa.forward(x, c);
            assertArrayEquals(new int[] {B, 2, 3, 2}, c.part("k").shape());
            assertArrayEquals(new int[] {B, 2, 3, 2}, c.part("v").shape());
            var mla = new MultiHeadLatentAttention(C, 4, 6, 2, new Rng(2));
            KvCache m = mla.newCache(B, 10);
            mla.forward(x, m);
            assertArrayEquals(new int[] {B, 3, 6}, m.part("c_kv").shape());
            assertArrayEquals(new int[] {B, 1, 3, 2}, m.part("k_rope").shape());
            assertArrayEquals(mla.latent(x).toArray(), m.part("c_kv").toArray(), 0f);
            assertArrayEquals(mla.ropeKey(x).toArray(), m.part("k_rope").toArray(), 0f);
            var e = assertThrows(IllegalArgumentException.class, () -> m.part("k"));
            assertTrue(e.getMessage().contains("parts are c_kv, k_rope"), e.getMessage());
        }
    }
}

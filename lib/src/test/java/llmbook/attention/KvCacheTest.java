package llmbook.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @ParameterizedTest(name = "{0}") @MethodSource("layers")
    void emptyCacheHasNoBytesPerToken(String name, Supplier<SelfAttention> make) {
        assertThrows(IllegalStateException.class, () -> make.get().newCache().bytesPerToken());
    }
}

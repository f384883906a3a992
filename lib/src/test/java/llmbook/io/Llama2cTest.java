package llmbook.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.CharTokenizer;

/** The llama2.c export: the layout read back, and run.c's forward pass on the file gives our logits. */
class Llama2cTest {
    @TempDir Path dir;

    static Decoder llama(boolean tied, int kvHeads) {
        var c = TransformerConfig.llama(23).toBuilder().context(16).layers(2).heads(4).width(32).hidden(40).gqa(kvHeads).tied(tied).build();
        return new Decoder(c, new Rng(5));
    }

    @Test
    void theFileHoldsEveryWeightInLlama2cOrder() throws IOException {
        Decoder m = llama(false, 2);
        Path f = dir.resolve("model.bin");
        Llama2c.write(m, f);
        Llama2c.Checkpoint ck = Llama2c.read(f);
        assertEquals(new Llama2c.Header(32, 40, 2, 4, 2, 23, 16, false), ck.header());
        Map<String, Tensor> p = m.namedParameters();
        assertArrayEquals(p.get("wte.weight").toArray(), ck.arrays().get("token_embedding"));
        assertArrayEquals(p.get("head.weight").toArray(), ck.arrays().get("wcls"));
        assertArrayEquals(p.get("ln_f.weight").toArray(), ck.arrays().get("rms_final_weight"));
        int d = 8;
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(p.get("h." + l + ".attn.q.weight").toArray(), Llama2c.deinterleave(layer(ck, "wq", l, 32 * 32), 4, d, 32));
            assertArrayEquals(p.get("h." + l + ".attn.k.weight").toArray(), Llama2c.deinterleave(layer(ck, "wk", l, 16 * 32), 2, d, 32));
            assertArrayEquals(p.get("h." + l + ".attn.v.weight").toArray(), layer(ck, "wv", l, 16 * 32));
            assertArrayEquals(p.get("h." + l + ".mlp.w2.weight").toArray(), layer(ck, "w2", l, 32 * 40));
            assertArrayEquals(p.get("h." + l + ".ln_2.weight").toArray(), layer(ck, "rms_ffn_weight", l, 32));
        }
        // the permutation moves rows: row 1 of head 0 in the file is our row d/2
        float[] wq = ck.arrays().get("wq"), q = p.get("h.0.attn.q.weight").toArray();
        assertArrayEquals(Arrays.copyOfRange(q, (d / 2) * 32, (d / 2 + 1) * 32), Arrays.copyOfRange(wq, 32, 64));
        assertEquals(1.0f, ck.arrays().get("freq_cis_real")[0]);           // cos(0)
    }

    static float[] layer(Llama2c.Checkpoint ck, String name, int l, int n) {
        return Arrays.copyOfRange(ck.arrays().get(name), l * n, (l + 1) * n);
    }

    @Test
    void runCsForwardOnTheFileGivesOurLogits() throws IOException {
        for (boolean tied : new boolean[] {false, true})
            for (int g : new int[] {4, 2, 1}) {
                Decoder m = llama(tied, g);
                Path f = dir.resolve("m" + tied + g + ".bin");
                Llama2c.write(m, f);
                int[] tokens = {3, 17, 0, 22, 9, 9, 1, 14, 5, 11};
                float[] ours;
                try (var ng = Tensor.noGrad()) {
                    ours = m.logits(tokens, 1, tokens.length).toArray();
                }
                float[] theirs = RunC.logits(Llama2c.read(f), tokens);
                for (int i = 0; i < ours.length; i++)
                    assertEquals(ours[i], theirs[i], 2e-4f, "tied " + tied + ", kv heads " + g + ", logit " + i);
            }
    }

    @Test
    void otherPresetsAreRefusedWithTheReason() {
        Decoder gpt = new Decoder(TransformerConfig.gpt2(23).toBuilder().context(16).layers(1).heads(2).width(16).hidden(32).build(), new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> Llama2c.write(gpt, dir.resolve("x.bin")));
        assertTrue(e.getMessage().contains("positions are LEARNED"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.bin")));
        Decoder biased = new Decoder(llama(false, 2).config.toBuilder().bias(true).build(), new Rng(1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Llama2c.write(biased, dir.resolve("x.bin"))).getMessage().contains("biases"));
    }

    @Test
    void aTruncatedFileIsRejectedNamingIt() throws IOException {
        Path f = dir.resolve("model.bin");
        Llama2c.write(llama(false, 2), f);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 4));
        var e = assertThrows(IOException.class, () -> Llama2c.read(f));
        assertTrue(e.getMessage().contains("model.bin") && e.getMessage().contains("needs"), e.getMessage());
    }

    @Test
    void theTokenizerFileHasRunCsLayout() throws IOException {
        CharTokenizer tok = CharTokenizer.fit("abcé ");
        Path f = dir.resolve("tokenizer.bin");
        Llama2c.writeTokenizer(tok, f);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        int max = 0;
        for (int i = 0; i < tok.vocabSize(); i++) max = Math.max(max, tok.decode(new int[] {i}).getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertTrue(max >= 2);                                            // é is two UTF-8 bytes
        assertEquals(max, b.getInt());
        for (int i = 0; i < tok.vocabSize(); i++) {
            assertEquals(0f, b.getFloat());
            byte[] s = new byte[b.getInt()];
            b.get(s);
            assertEquals(tok.decode(new int[] {i}), new String(s, java.nio.charset.StandardCharsets.UTF_8));
        }
        assertFalse(b.hasRemaining());
    }

    /** llama2.c's run.c forward pass, transcribed (one token at a time, neighbour-pair RoPE), on the read-back arrays. */
    static final class RunC {
        static float[] logits(Llama2c.Checkpoint ck, int[] tokens) {
            var h = ck.header();
            var a = ck.arrays();
            int C = h.dim(), hid = h.hiddenDim(), H = h.heads(), hs = C / H, kvDim = h.kvHeads() * hs, kvMul = H / h.kvHeads(), V = h.vocab(), T = tokens.length;
            float[][][] kc = new float[h.layers()][T][], vc = new float[h.layers()][T][];
            float[] wcls = h.sharedClassifier() ? a.get("token_embedding") : a.get("wcls");
            float[] out = new float[T * V];
            for (int pos = 0; pos < T; pos++) {
                float[] x = Arrays.copyOfRange(a.get("token_embedding"), tokens[pos] * C, tokens[pos] * C + C);
                for (int l = 0; l < h.layers(); l++) {
                    float[] xb = rmsnorm(x, a.get("rms_att_weight"), l * C);
                    float[] q = matmul(xb, a.get("wq"), l * C * C, C, C), k = matmul(xb, a.get("wk"), l * kvDim * C, C, kvDim),
                            v = matmul(xb, a.get("wv"), l * kvDim * C, C, kvDim);
                    for (int i = 0; i < C; i += 2) {
                        int headDim = i % hs;
                        float freq = (float) (1.0 / Math.pow(10000.0, headDim / (double) hs)), val = pos * freq;
                        float fcr = (float) Math.cos(val), fci = (float) Math.sin(val);
                        for (int w = 0; w < (i < kvDim ? 2 : 1); w++) {
                            float[] vec = w == 0 ? q : k;
                            float v0 = vec[i], v1 = vec[i + 1];
                            vec[i] = v0 * fcr - v1 * fci;
                            vec[i + 1] = v0 * fci + v1 * fcr;
                        }
                    }
                    kc[l][pos] = k;
                    vc[l][pos] = v;
                    float[] att = new float[pos + 1];
                    xb = new float[C];
                    for (int hh = 0; hh < H; hh++) {
                        int ko = (hh / kvMul) * hs;
                        float max = Float.NEGATIVE_INFINITY, sum = 0;
                        for (int t = 0; t <= pos; t++) {
                            float s = 0;
                            for (int i = 0; i < hs; i++) s += q[hh * hs + i] * kc[l][t][ko + i];
                            att[t] = s / (float) Math.sqrt(hs);
                            max = Math.max(max, att[t]);
                        }
                        for (int t = 0; t <= pos; t++) sum += att[t] = (float) Math.exp(att[t] - max);
                        for (int t = 0; t <= pos; t++)
                            for (int i = 0; i < hs; i++) xb[hh * hs + i] += att[t] / sum * vc[l][t][ko + i];
                    }
                    float[] xb2 = matmul(xb, a.get("wo"), l * C * C, C, C);
                    for (int i = 0; i < C; i++) x[i] += xb2[i];
                    xb = rmsnorm(x, a.get("rms_ffn_weight"), l * C);
                    float[] hb = matmul(xb, a.get("w1"), l * hid * C, C, hid), hb2 = matmul(xb, a.get("w3"), l * hid * C, C, hid);
                    for (int i = 0; i < hid; i++) hb[i] = hb[i] / (1f + (float) Math.exp(-hb[i])) * hb2[i];
                    xb = matmul(hb, a.get("w2"), l * C * hid, hid, C);
                    for (int i = 0; i < C; i++) x[i] += xb[i];
                }
                x = rmsnorm(x, a.get("rms_final_weight"), 0);
                System.arraycopy(matmul(x, wcls, 0, C, V), 0, out, pos * V, V);
            }
            return out;
        }

        static float[] rmsnorm(float[] x, float[] w, int off) {
            float ss = 0;
            for (float v : x) ss += v * v;
            ss = 1f / (float) Math.sqrt(ss / x.length + 1e-5f);
            float[] o = new float[x.length];
            for (int i = 0; i < x.length; i++) o[i] = w[off + i] * (ss * x[i]);
            return o;
        }

        /** W (d, n) at offset off, row-major, times x (n). */
        static float[] matmul(float[] x, float[] w, int off, int n, int d) {
            float[] o = new float[d];
            for (int i = 0; i < d; i++) {
                float s = 0;
                for (int j = 0; j < n; j++) s += w[off + i * n + j] * x[j];
                o[i] = s;
            }
            return o;
        }
    }
}

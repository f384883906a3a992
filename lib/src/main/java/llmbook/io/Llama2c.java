package llmbook.io;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import llmbook.attention.Rope;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.Tokenizer;
import llmbook.util.AtomicFiles;

/**
 * Our LLaMA-preset decoder in the checkpoint format of Karpathy's llama2.c ({@code run.c}, the "legacy" version 0
 * that {@code run.c} reads), so the same weights run in that C program. Q50 (interop).
 *
 * <p>The file is little-endian: a header of seven int32 {@code dim, hidden_dim, n_layers, n_heads, n_kv_heads,
 * vocab_size, seq_len} (vocab_size negative = the output matrix is stored separately, not tied to the embedding),
 * then float32 arrays in this order, every matrix row-major as (out, in), exactly like our {@code Linear} weights:
 * <pre>
 *   llama2.c              ours                         shape
 *   token_embedding       wte.weight                   (V, C)
 *   rms_att_weight        h.L.ln_1.weight, all L        (L, C)
 *   wq, wk, wv, wo        h.L.attn.{q,k,v,o}.weight     (L, C, C) (L, G·d, C) (L, G·d, C) (L, C, C)
 *   rms_ffn_weight        h.L.ln_2.weight               (L, C)
 *   w1, w2, w3            h.L.mlp.{w1,w2,w3}.weight     (L, h, C) (L, C, h) (L, h, C)
 *   rms_final_weight      ln_f.weight                   (C)
 *   freq_cis_real, _imag  cos, sin of RoPE (unused)     (T, d/2) each
 *   wcls                  head.weight (if untied)       (V, C)
 * </pre>
 * One permutation is needed. Our {@link Rope} rotates the pairs {@code (i, i + d/2)} of each head ("rotate half");
 * {@code run.c} rotates neighbours {@code (2i, 2i+1)}, with the same angle {@code p·10000^(−2i/d)} for pair i. So
 * within every head the rows of wq and wk are reordered: llama2.c row {@code 2i} = our row {@code i}, row {@code
 * 2i+1} = our row {@code i + d/2}. Queries and keys are permuted alike, so every score q·k is unchanged; values and
 * wo are not touched. What must match and is checked before writing: RMSNorm with ε = 1e-5, SwiGLU, RoPE with base
 * 10000 and no scaling, MHA/GQA/MQA, no biases, no post-norm, no mixture of experts, a full softmax head.
 *
 * <p>{@link #writeTokenizer} writes {@code tokenizer.bin} in run.c's format (int max_token_length, then per token a
 * float score, an int length and the UTF-8 bytes). run.c assumes token 1 is BOS and 2 is EOS (it prepends 1 to the
 * prompt and stops when it samples 1); our tokenizers have no such tokens, so run.c's text differs at those ids.
 */
public final class Llama2c {
    private Llama2c() {}

    /** The seven header fields; {@code sharedClassifier} is the sign of vocab_size. */
    public record Header(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocab, int seqLen, boolean sharedClassifier) {
        int headSize() { return dim / heads; }
    }

    /** A read-back file: its header and every array by its llama2.c name, in file order. */
    public record Checkpoint(Header header, Map<String, float[]> arrays) {}

    /** Why {@code c} cannot be written in llama2.c's format, or null when it can. */
    public static String incompatibility(TransformerConfig c) {
        if (c.positions() != TransformerConfig.Positions.ROPE) return "positions are " + c.positions() + ", llama2.c needs ROPE";
        if (c.norm() != TransformerConfig.Norm.RMS_NORM) return "norm is " + c.norm() + ", llama2.c needs RMS_NORM";
        if (Math.abs(c.normEps() - 1e-5f) > 1e-9f) return "RMSNorm epsilon is " + c.normEps() + ", llama2.c uses 1e-5";
        if (c.ffn() != TransformerConfig.Ffn.SWIGLU) return "feed-forward is " + c.ffn() + ", llama2.c needs SWIGLU";
        if (c.attention() == TransformerConfig.Attention.MLA) return "latent attention (MLA) has no llama2.c layout";
        if (c.bias()) return "the model has biases; llama2.c has none";
        if (c.postNorm()) return "post-norm blocks; llama2.c is pre-norm";
        if (c.experts() > 0) return "mixture of experts; llama2.c has one MLP per block";
        if (c.head() != TransformerConfig.Head.FULL) return "output head is " + c.head() + ", llama2.c needs a full softmax";
        if (c.ropeScaling() != null && c.ropeScaling() != Rope.Scaling.NONE) return "RoPE scaling " + c.ropeScaling() + "; llama2.c has plain RoPE";
        if (!c.residual() || !c.normalize()) return "blocks without residuals or norms; llama2.c has both";
        return null;
    }

    static int kvHeads(TransformerConfig c) {
        return switch (c.attention()) {
            case MQA -> 1;
            case GQA -> c.kvHeads();
            default -> c.heads();
        };
    }

    /** Writes {@code model} to {@code file} (atomically); refuses a config llama2.c cannot run, saying why. */
    public static void write(Decoder model, Path file) throws IOException {
        TransformerConfig c = model.config;
        String why = incompatibility(c);
        if (why != null) throw new IllegalArgumentException("llama2c export: the model is not a llama-preset model: " + why
                + " (train one with --preset llama)");
        int L = c.layers(), C = c.width(), H = c.heads(), G = kvHeads(c), d = C / H;
        Map<String, Tensor> p = model.namedParameters();
        AtomicFiles.replace(file, tmp -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                for (int v : new int[] {C, c.hidden(), L, H, G, c.tied() ? c.vocab() : -c.vocab(), c.context()}) out.writeInt(Integer.reverseBytes(v));
                floats(out, get(p, "wte.weight"));
                for (int l = 0; l < L; l++) floats(out, get(p, "h." + l + ".ln_1.weight"));
                for (int l = 0; l < L; l++) floats(out, interleave(get(p, "h." + l + ".attn.q.weight"), H, d, C));
                for (int l = 0; l < L; l++) floats(out, interleave(get(p, "h." + l + ".attn.k.weight"), G, d, C));
                for (int l = 0; l < L; l++) floats(out, get(p, "h." + l + ".attn.v.weight"));
                for (int l = 0; l < L; l++) floats(out, get(p, "h." + l + ".attn.o.weight"));
                for (int l = 0; l < L; l++) floats(out, get(p, "h." + l + ".ln_2.weight"));
                for (String w : new String[] {"w1", "w2", "w3"})
                    for (int l = 0; l < L; l++) floats(out, get(p, "h." + l + ".mlp." + w + ".weight"));
                floats(out, get(p, "ln_f.weight"));
                Rope rope = new Rope(d);
                for (boolean real : new boolean[] {true, false}) {
                    float[] f = new float[c.context() * d / 2];
                    for (int t = 0; t < c.context(); t++)
                        for (int i = 0; i < d / 2; i++) f[t * d / 2 + i] = (float) (real ? Math.cos(rope.angle(t, i)) : Math.sin(rope.angle(t, i)));
                    floats(out, f);
                }
                if (!c.tied()) floats(out, get(p, "head.weight"));
            }
        });
    }

    private static float[] get(Map<String, Tensor> p, String name) {
        Tensor t = p.get(name);
        if (t == null) throw new IllegalArgumentException("llama2c export: the model has no parameter " + name + " (has " + p.keySet() + ")");
        return t.contiguous().toArray();
    }

    /** Rows of (heads·d, C): within each head, row 2i ← row i, row 2i+1 ← row i + d/2 (rotate-half → neighbours). */
    static float[] interleave(float[] w, int heads, int d, int C) {
        float[] o = new float[w.length];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < d / 2; i++) {
                System.arraycopy(w, (h * d + i) * C, o, (h * d + 2 * i) * C, C);
                System.arraycopy(w, (h * d + i + d / 2) * C, o, (h * d + 2 * i + 1) * C, C);
            }
        return o;
    }

    /** The inverse of {@link #interleave}. */
    public static float[] deinterleave(float[] w, int heads, int d, int C) {
        float[] o = new float[w.length];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < d / 2; i++) {
                System.arraycopy(w, (h * d + 2 * i) * C, o, (h * d + i) * C, C);
                System.arraycopy(w, (h * d + 2 * i + 1) * C, o, (h * d + i + d / 2) * C, C);
            }
        return o;
    }

    private static void floats(DataOutputStream out, float[] a) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(a);
        out.write(b.array());
    }

    /** Reads a file written by {@link #write} (or by llama2.c's export.py, legacy version): header and arrays. */
    public static Checkpoint read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 28) throw new IOException(file + ": too short for a llama2.c header (" + all.length + " bytes)");
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int dim = b.getInt(), hid = b.getInt(), L = b.getInt(), H = b.getInt(), G = b.getInt(), v = b.getInt(), T = b.getInt();
        if (dim < 1 || hid < 1 || L < 1 || H < 1 || G < 1 || v == 0 || T < 1 || dim % H != 0 || H % G != 0)
            throw new IOException(file + ": not a llama2.c checkpoint (header " + List.of(dim, hid, L, H, G, v, T) + ")");
        Header h = new Header(dim, hid, L, H, G, Math.abs(v), T, v > 0);
        int V = h.vocab(), d = dim / H, kv = G * d;
        Map<String, float[]> a = new LinkedHashMap<>();
        List<Object[]> layout = new ArrayList<>(List.of(new Object[] {"token_embedding", V * dim}, new Object[] {"rms_att_weight", L * dim},
                new Object[] {"wq", L * dim * dim}, new Object[] {"wk", L * kv * dim}, new Object[] {"wv", L * kv * dim}, new Object[] {"wo", L * dim * dim},
                new Object[] {"rms_ffn_weight", L * dim}, new Object[] {"w1", L * hid * dim}, new Object[] {"w2", L * dim * hid},
                new Object[] {"w3", L * hid * dim}, new Object[] {"rms_final_weight", dim}, new Object[] {"freq_cis_real", T * d / 2},
                new Object[] {"freq_cis_imag", T * d / 2}));
        if (!h.sharedClassifier()) layout.add(new Object[] {"wcls", V * dim});
        long need = 28;
        for (Object[] e : layout) need += 4L * (int) e[1];
        if (all.length != need) throw new IOException(file + ": " + all.length + " bytes, but header " + h + " needs " + need);
        for (Object[] e : layout) {
            float[] f = new float[(int) e[1]];
            b.asFloatBuffer().get(f);
            b.position(b.position() + 4 * f.length);
            a.put((String) e[0], f);
        }
        return new Checkpoint(h, a);
    }

    /** Writes run.c's {@code tokenizer.bin}: every token's text as its own piece, score 0 (atomically). */
    public static void writeTokenizer(Tokenizer tok, Path file) throws IOException {
        List<byte[]> pieces = new ArrayList<>();
        int max = 1;
        for (int i = 0; i < tok.vocabSize(); i++) {
            byte[] s = tok.decode(new int[] {i}).getBytes(StandardCharsets.UTF_8);
            pieces.add(s);
            max = Math.max(max, s.length);
        }
        int maxLen = max;
        AtomicFiles.replace(file, tmp -> {
            try (OutputStream o = Files.newOutputStream(tmp); DataOutputStream out = new DataOutputStream(new BufferedOutputStream(o))) {
                out.writeInt(Integer.reverseBytes(maxLen));
                for (byte[] s : pieces) {
                    out.writeInt(Integer.reverseBytes(Float.floatToIntBits(0f)));
                    out.writeInt(Integer.reverseBytes(s.length));
                    out.write(s);
                }
            }
        });
    }
}

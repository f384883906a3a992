package llmbook.model.gpt;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import llmbook.kernels.Activations;
import llmbook.kernels.MatMul;
import llmbook.kernels.Norms;
import llmbook.kernels.Softmax;

/**
 * Inference for a {@link Gpt} with a KV cache: each new token costs one pass over the weights, not a pass over
 * the whole window. Q50.
 *
 * <p>Attention at position {@code t} needs the keys and values of every position {@code s ≤ t}; those never
 * change once computed (causal mask), so the decoder keeps them, per layer and head, in two {@code (context, d)}
 * arrays and appends one row per token:
 * <pre>
 *   k_t, v_t = W_k·ln1(x_t), W_v·ln1(x_t)       (appended to the cache)
 *   a_t      = Σ_{s ≤ t} softmax_s(q_t·k_s/√d) · v_s      per head, over the cached rows
 * </pre>
 * Without the cache, writing n tokens recomputes 1 + 2 + … + n positions (O(n²) work for the linears);
 * with it, n positions (O(n)), at {@code 2·L·context·C} floats of memory ({@link #cacheBytes}).
 *
 * <p>Plain float arrays and no autograd graph: one token is a chain of matrix-vector products (done here with
 * the Vector API), several tokens (a prompt) go through {@link MatMul#matmul}. The weights are read from the
 * model on every call, so the decoder sees training updates; {@link #reset} empties the cache.
 */
public final class KvDecoder {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float LN_EPS = 1e-5f;

    private final Gpt model;
    private final int V, T, C, H, d, L;
    private final float[][][] keys, values;      // [layer][head]: (T, d), row s = position s
    private int length = 0;
    // scratch, sized for up to T rows at once
    private final float[] x, h, q, qkv, att, ff, mean, rstd, scores, logits;

    public KvDecoder(Gpt model) {
        this.model = model;
        GptConfig c = model.config;
        V = c.vocab(); T = c.context(); C = c.width(); H = c.heads(); d = C / H; L = c.layers();
        keys = new float[L][H][T * d];
        values = new float[L][H][T * d];
        q = new float[d];
        x = new float[T * C];
        h = new float[T * C];
        qkv = new float[T * 3 * C];
        att = new float[T * C];
        ff = new float[T * 4 * C];
        mean = new float[T];
        rstd = new float[T];
        scores = new float[T];
        logits = new float[V];
    }

    /** Positions held in the cache (the next token goes to this position). */
    public int length() { return length; }

    /** The most positions the cache can hold: the model's context. */
    public int capacity() { return T; }

    /** Bytes of cached keys and values when full: {@code 2 · L · context · C · 4}. */
    public long cacheBytes() { return 2L * L * T * C * Float.BYTES; }

    /** Empties the cache (the next token is position 0 again). */
    public void reset() { length = 0; }

    /**
     * Feeds {@code tokens} at positions {@code length() ..}, caching their keys and values, and returns the
     * logits {@code (V)} predicting the token after the last one (a fresh array).
     */
    public float[] append(int... tokens) {
        int n = tokens.length;
        if (n == 0) throw new IllegalArgumentException("KvDecoder: append needs at least one token");
        if (length + n > T)
            throw new IllegalArgumentException("KvDecoder: " + length + " cached + " + n + " new positions exceed the context " + T
                    + " (reset, or keep a shorter window)");
        for (int tok : tokens)
            if (tok < 0 || tok >= V) throw new IllegalArgumentException("KvDecoder: token id " + tok + " outside the vocabulary [0, " + V + ")");
        float[] wte = model.wte().data(), wpe = model.wpe().data();
        for (int t = 0; t < n; t++) {
            int xo = t * C, eo = tokens[t] * C, po = (length + t) * C;
            for (int j = 0; j < C; j++) x[xo + j] = wte[eo + j] + wpe[po + j];
        }
        for (int l = 0; l < L; l++) block(l, n);
        // only the last row's logits are needed
        int last = (n - 1) * C;
        Norms.layerNormForward(h, 0, mean, rstd, x, last, model.lnf().weight.data(), model.lnf().bias.data(), 1, C, LN_EPS);
        matvec(logits, 0, wte, h, 0, V, C);
        length += n;
        return logits.clone();
    }

    private void block(int l, int n) {
        Gpt.Block b = model.block(l);
        float[][] kc = keys[l], vc = values[l];
        Norms.layerNormForward(h, 0, mean, rstd, x, 0, b.ln1.weight.data(), b.ln1.bias.data(), n, C, LN_EPS);
        linear(qkv, h, n, b.qkv.weight.data(), b.qkv.bias.data(), C, 3 * C);
        for (int t = 0; t < n; t++)                                      // append k, v rows to the cache
            for (int hd = 0; hd < H; hd++) {
                System.arraycopy(qkv, t * 3 * C + C + hd * d, kc[hd], (length + t) * d, d);
                System.arraycopy(qkv, t * 3 * C + 2 * C + hd * d, vc[hd], (length + t) * d, d);
            }
        float scale = (float) (1.0 / Math.sqrt(d));
        for (int t = 0; t < n; t++) {
            int pos = length + t;                                        // attends to positions 0..pos
            for (int hd = 0; hd < H; hd++) {
                int qo = t * 3 * C + hd * d, ao = t * C + hd * d;
                for (int j = 0; j < d; j++) q[j] = qkv[qo + j] * scale;
                matvec(scores, 0, kc[hd], q, 0, pos + 1, d);             // q·k_s/√d for s = 0..pos
                Softmax.softmaxForward(scores, 0, scores, 0, 1, pos + 1);
                Arrays.fill(att, ao, ao + d, 0f);
                float[] v = vc[hd];
                for (int s = 0; s <= pos; s++) axpy(scores[s], v, s * d, att, ao, d);
            }
        }
        linear(h, att, n, b.proj.weight.data(), b.proj.bias.data(), C, C);
        for (int i = 0; i < n * C; i++) x[i] += h[i];
        Norms.layerNormForward(h, 0, mean, rstd, x, 0, b.ln2.weight.data(), b.ln2.bias.data(), n, C, LN_EPS);
        linear(ff, h, n, b.fc.weight.data(), b.fc.bias.data(), C, 4 * C);
        Activations.geluTanhForward(ff, 0, ff, 0, n * 4 * C);
        linear(h, ff, n, b.fcProj.weight.data(), b.fcProj.bias.data(), 4 * C, C);
        for (int i = 0; i < n * C; i++) x[i] += h[i];
    }

    /** {@code y (n, out) = x (n, in) · Wᵀ + b} with W stored (out, in) as in {@link llmbook.nn.Linear}. */
    private static void linear(float[] y, float[] x, int n, float[] w, float[] b, int in, int out) {
        if (n == 1) {
            matvec(y, 0, w, x, 0, out, in);
        } else {
            MatMul.matmul(y, 0, x, 0, w, 0, n, in, out, false, true, false);
        }
        if (b != null)
            for (int t = 0; t < n; t++)
                for (int j = 0; j < out; j++) y[t * out + j] += b[j];
    }

    /** {@code y[yo + r] = W[r, :] · x[xo ..]} for r < rows, W row-major (rows, cols). */
    static void matvec(float[] y, int yo, float[] w, float[] x, int xo, int rows, int cols) {
        int r = 0;
        int upper = S.loopBound(cols);
        for (; r + 4 <= rows; r += 4) {                                  // four rows share each load of x
            int w0 = r * cols, w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols;
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            int j = 0;
            for (; j < upper; j += S.length()) {
                FloatVector xv = FloatVector.fromArray(S, x, xo + j);
                a0 = FloatVector.fromArray(S, w, w0 + j).fma(xv, a0);
                a1 = FloatVector.fromArray(S, w, w1 + j).fma(xv, a1);
                a2 = FloatVector.fromArray(S, w, w2 + j).fma(xv, a2);
                a3 = FloatVector.fromArray(S, w, w3 + j).fma(xv, a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD),
                  s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
            for (; j < cols; j++) {
                float xj = x[xo + j];
                s0 += w[w0 + j] * xj; s1 += w[w1 + j] * xj; s2 += w[w2 + j] * xj; s3 += w[w3 + j] * xj;
            }
            y[yo + r] = s0; y[yo + r + 1] = s1; y[yo + r + 2] = s2; y[yo + r + 3] = s3;
        }
        for (; r < rows; r++) y[yo + r] = dot(w, r * cols, x, xo, cols);
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int j = 0, upper = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; j < upper; j += S.length())
            acc = FloatVector.fromArray(S, a, ao + j).fma(FloatVector.fromArray(S, b, bo + j), acc);
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) s += a[ao + j] * b[bo + j];
        return s;
    }

    private static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int j = 0, upper = S.loopBound(n);
        FloatVector av = FloatVector.broadcast(S, alpha);
        for (; j < upper; j += S.length())
            FloatVector.fromArray(S, x, xo + j).fma(av, FloatVector.fromArray(S, y, yo + j)).intoArray(y, yo + j);
        for (; j < n; j++) y[yo + j] += alpha * x[xo + j];
    }
}

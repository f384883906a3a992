package llmbook.exercises.ch05;

import java.util.Map;
import llmbook.tensor.Tensor;

/**
 * Reference solution. Exercise ch05.transformer_block — ASSEMBLE a whole pre-norm GPT block from its parts (Q4, Q10, Q11).
 *
 * <p>Write the forward pass of the block the book's GPT stacks ({@code llmbook.model.transformer.Block} under
 * {@code TransformerConfig.gpt2}), for one sequence x (T, C), using only arrays: the residual stream x goes through
 * two sub-layers, each reading a LayerNorm'd copy of the stream (ε = 1e-5, with its own scale and shift) and ADDING
 * its output back to the stream — first causal multi-head self-attention (as in exercise ch04.multi_head), then the
 * MLP (widen to 4C, GELU in GPT-2's tanh form, back to C). The weights come by the library's parameter names:
 * {@code ln_1.weight}, {@code ln_1.bias}, {@code attn.q.weight}, {@code attn.q.bias} (and k, v, o), {@code ln_2.*},
 * {@code mlp.w1.weight}, {@code mlp.w1.bias}, {@code mlp.w2.weight}, {@code mlp.w2.bias}; read them with the given
 * {@link #matrix} and {@link #vector}. The grader draws a random library block and compares your output with its
 * forward pass on the same weights.
 *
 * <p>Worked example: with every weight and bias zero, each LayerNorm outputs zeros, both sub-layers output zeros, and
 * the block returns its input unchanged (that is the residual stream). Run {@code ./llmbook grade 5} to see your score.
 */
public final class TransformerBlock {
    private TransformerBlock() {}

    /** x (T, C) → (T, C), the block's parameters by name. */
    public static double[][] forward(double[][] x, int heads, Map<String, Tensor> params) {
        int t = x.length, c = x[0].length;
        double[][] a = attention(layerNorm(x, vector(params, "ln_1.weight"), vector(params, "ln_1.bias")), heads, params);
        double[][] h = new double[t][c];
        for (int i = 0; i < t; i++) for (int j = 0; j < c; j++) h[i][j] = x[i][j] + a[i][j];
        double[][] u = linear(layerNorm(h, vector(params, "ln_2.weight"), vector(params, "ln_2.bias")),
                matrix(params, "mlp.w1.weight"), vector(params, "mlp.w1.bias"));
        for (double[] row : u)
            for (int j = 0; j < row.length; j++) {
                double z = row[j];
                row[j] = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
            }
        double[][] m = linear(u, matrix(params, "mlp.w2.weight"), vector(params, "mlp.w2.bias"));
        for (int i = 0; i < t; i++) for (int j = 0; j < c; j++) h[i][j] += m[i][j];
        return h;
    }

    static double[][] layerNorm(double[][] x, double[] w, double[] b) {
        int c = x[0].length;
        double[][] y = new double[x.length][c];
        for (int i = 0; i < x.length; i++) {
            double mean = 0, var = 0;
            for (double v : x[i]) mean += v;
            mean /= c;
            for (double v : x[i]) var += (v - mean) * (v - mean);
            var /= c;
            double r = 1 / Math.sqrt(var + 1e-5);
            for (int j = 0; j < c; j++) y[i][j] = (x[i][j] - mean) * r * w[j];   // classic bug: LayerNorm without its shift
        }
        return y;
    }

    static double[][] attention(double[][] x, int heads, Map<String, Tensor> p) {
        int t = x.length, c = x[0].length, d = c / heads;
        double[][] q = linear(x, matrix(p, "attn.q.weight"), vector(p, "attn.q.bias"));
        double[][] k = linear(x, matrix(p, "attn.k.weight"), vector(p, "attn.k.bias"));
        double[][] v = linear(x, matrix(p, "attn.v.weight"), vector(p, "attn.v.bias"));
        double[][] cat = new double[t][c];
        for (int h = 0; h < heads; h++) {
            int o = h * d;
            for (int i = 0; i < t; i++) {
                double[] w = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY, z = 0;
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int e = 0; e < d; e++) s += q[i][o + e] * k[j][o + e];
                    w[j] = s / Math.sqrt(d);
                    max = Math.max(max, w[j]);
                }
                for (int j = 0; j <= i; j++) { w[j] = Math.exp(w[j] - max); z += w[j]; }
                for (int j = 0; j <= i; j++) for (int e = 0; e < d; e++) cat[i][o + e] += w[j] / z * v[j][o + e];
            }
        }
        return linear(cat, matrix(p, "attn.o.weight"), vector(p, "attn.o.bias"));
    }

    static double[][] linear(double[][] x, double[][] w, double[] b) {
        double[][] y = new double[x.length][w.length];
        for (int i = 0; i < x.length; i++)
            for (int o = 0; o < w.length; o++) {
                double s = b[o];
                for (int k = 0; k < x[i].length; k++) s += w[o][k] * x[i][k];
                y[i][o] = s;
            }
        return y;
    }

    /** Given: the weight matrix {@code name} (out, in) as arrays, e.g. {@code matrix(params, "attn.q.weight")}. */
    public static double[][] matrix(Map<String, Tensor> params, String name) {
        Tensor p = params.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name + " among " + params.keySet());
        int[] s = p.shape();
        float[] d = p.contiguous().data();
        double[][] m = new double[s[0]][s[1]];
        for (int i = 0; i < s[0]; i++) for (int j = 0; j < s[1]; j++) m[i][j] = d[i * s[1] + j];
        return m;
    }

    /** Given: the vector {@code name} (a bias or a LayerNorm scale or shift) as an array. */
    public static double[] vector(Map<String, Tensor> params, String name) {
        Tensor p = params.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name + " among " + params.keySet());
        float[] d = p.contiguous().data();
        double[] v = new double[p.numel()];
        for (int i = 0; i < v.length; i++) v[i] = d[i];
        return v;
    }
}

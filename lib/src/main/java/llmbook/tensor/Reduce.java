package llmbook.tensor;

/**
 * Reductions along one axis (and over everything), each with its backward.
 *
 * <p>A contiguous tensor seen as {@code (outer, n, inner)} around the reduced axis:
 * sum {@code y[o,i] = Σ_j x[o,j,i]}, {@code dx[o,j,i] += g[o,i]} (every input gets the output's gradient);
 * max {@code y[o,i] = max_j x[o,j,i]}, {@code dx += g} only at the first argmax (the gradient trap: a tie does
 * not split the gradient). Mean and variance are built from these, so they need no backward of their own.
 */
final class Reduce {
    private Reduce() {}

    /** {@code Σ x} over all elements, as a rank-0 tensor. */
    static Tensor sumAll(Tensor a) {
        Tensor x = a.contiguous();
        double s = 0;
        for (int i = 0; i < x.size; i++) s += x.data[x.offset + i];
        Tensor t = Tensor.fromOp("sum", new float[] {(float) s}, new int[0], x);
        return t.onBackward(g -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) gx[i] += g[0];
        });
    }

    static Tensor sum(Tensor a, int axis, boolean keepDim) {
        int ax = Shape.axis("sum", axis, a.shape.length);
        Tensor x = a.contiguous();
        int n = x.shape[ax], outer = 1, inner = 1;
        for (int i = 0; i < ax; i++) outer *= x.shape[i];
        for (int i = ax + 1; i < x.shape.length; i++) inner *= x.shape[i];
        float[] y = new float[outer * inner];
        float[] xd = x.data;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < n; j++) {
                int xi = x.offset + (o * n + j) * inner, yi = o * inner;
                for (int i = 0; i < inner; i++) y[yi + i] += xd[xi + i];
            }
        Tensor t = Tensor.fromOp("sum_axis", y, reducedShape(x.shape, ax, keepDim), x);
        final int fn = n, fo = outer, fi = inner;
        return t.onBackward(g -> {
            float[] gx = x.gradBuffer();
            for (int o = 0; o < fo; o++)
                for (int j = 0; j < fn; j++) {
                    int xi = (o * fn + j) * fi, yi = o * fi;
                    for (int i = 0; i < fi; i++) gx[xi + i] += g[yi + i];
                }
        });
    }

    static Tensor max(Tensor a, int axis, boolean keepDim) {
        int ax = Shape.axis("max", axis, a.shape.length);
        Tensor x = a.contiguous();
        int n = x.shape[ax], outer = 1, inner = 1;
        if (n == 0) throw new IllegalArgumentException("max: axis " + axis + " of shape " + Shape.str(x.shape) + " is empty");
        for (int i = 0; i < ax; i++) outer *= x.shape[i];
        for (int i = ax + 1; i < x.shape.length; i++) inner *= x.shape[i];
        float[] y = new float[outer * inner];
        int[] arg = new int[outer * inner];
        float[] xd = x.data;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                int best = 0;
                float bv = xd[x.offset + o * n * inner + i];
                for (int j = 1; j < n; j++) {
                    float v = xd[x.offset + (o * n + j) * inner + i];
                    if (v > bv) { bv = v; best = j; }
                }
                y[o * inner + i] = bv;
                arg[o * inner + i] = best;
            }
        Tensor t = Tensor.fromOp("max", y, reducedShape(x.shape, ax, keepDim), x);
        final int fn = n, fi = inner;
        return t.onBackward(g -> {
            float[] gx = x.gradBuffer();
            for (int r = 0; r < g.length; r++) {
                int o = r / fi, i = r % fi;
                gx[(o * fn + arg[r]) * fi + i] += g[r];
            }
        });
    }

    /** Population variance {@code mean((x − mean x)²)} (divides by n, like LayerNorm), composed from primitives. */
    static Tensor var(Tensor a, int axis, boolean keepDim) {
        Tensor centered = a.sub(a.mean(axis, true));
        return centered.pow(2f).mean(axis, keepDim);
    }

    static int[] reducedShape(int[] s, int ax, boolean keepDim) {
        int[] out = new int[keepDim ? s.length : s.length - 1];
        for (int i = 0, k = 0; i < s.length; i++) {
            if (i == ax) { if (keepDim) out[k++] = 1; }
            else out[k++] = s[i];
        }
        return out;
    }
}

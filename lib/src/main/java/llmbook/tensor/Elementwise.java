package llmbook.tensor;

/**
 * Elementwise ops, each with its backward right below the forward. Binary ops broadcast numpy-style.
 *
 * <p>Gradient trap (broadcasting): if {@code a} was broadcast along an axis, the same {@code a} element fed many
 * outputs, so its gradient is the SUM of theirs. {@link Strided} does that sum by accumulating with stride 0.
 */
final class Elementwise {
    private Elementwise() {}

    /** {@code add}, {@code sub}, {@code mul} with broadcasting: {@code d(a∘b)/da} and {@code /db} reduced to each input's shape. */
    static Tensor binary(String name, int code, Tensor a, Tensor b) {
        int[] s = Shape.broadcast(name, a.shape, b.shape);
        float[] out = Buffers.dirty(Shape.numel(s));                    // every element is written
        int[] n4 = Shape.pad4(s);
        int[] os = Strided.pad4Strides(Shape.contiguousStrides(s), s.length);
        int[] as = Shape.broadcastStrides4(a.shape, a.strides, s), bs = Shape.broadcastStrides4(b.shape, b.strides, s);
        Strided.run(code, out, 0, os, a.data, a.offset, as, b.data, b.offset, bs, n4);
        Tensor t = Tensor.fromOp(name, out, s, a, b);
        boolean sameShapes = Shape.same(a.shape, s) && Shape.same(b.shape, s);
        return t.onBackward(g -> {
            if (sameShapes && code != Strided.MUL) {  // d(a ± b): no broadcasting, so a first contribution is a plain copy
                if (b.requiresGrad) {
                    if (b.hasGrad() || code == Strided.SUB) Strided.run(code == Strided.SUB ? Strided.ACC_NEG : Strided.ACC, b.gradBuffer(), 0, os, g, 0, os, null, 0, null, n4);
                    else Strided.run(Strided.COPY, b.gradBufferForWrite(), 0, os, g, 0, os, null, 0, null, n4);
                }
                if (a.requiresGrad) {                  // after b's, which may have read g: a may take g itself
                    if (a.hasGrad()) Strided.run(Strided.ACC, a.grad, 0, os, g, 0, os, null, 0, null, n4);
                    else if (!t.handGradTo(a)) Strided.run(Strided.COPY, a.gradBufferForWrite(), 0, os, g, 0, os, null, 0, null, n4);
                }
                return;
            }
            if (a.requiresGrad) {
                int[] gs = Shape.broadcastStrides4(a.shape, Shape.contiguousStrides(a.shape), s);
                if (code == Strided.MUL) Strided.run(Strided.ACC_MUL, a.gradBuffer(), 0, gs, g, 0, os, b.data, b.offset, bs, n4);
                else Strided.run(Strided.ACC, a.gradBuffer(), 0, gs, g, 0, os, null, 0, null, n4);       // d(a±b)/da = 1
            }
            if (b.requiresGrad) {
                int[] gs = Shape.broadcastStrides4(b.shape, Shape.contiguousStrides(b.shape), s);
                if (code == Strided.MUL) Strided.run(Strided.ACC_MUL, b.gradBuffer(), 0, gs, g, 0, os, a.data, a.offset, as, n4);
                else Strided.run(code == Strided.SUB ? Strided.ACC_NEG : Strided.ACC, b.gradBuffer(), 0, gs, g, 0, os, null, 0, null, n4);
            }
        });
    }

    /** {@code a / b} composed from primitives: {@code a · (1/b)}; no backward of its own. */
    static Tensor div(Tensor a, Tensor b) {
        return binary("div", Strided.MUL, a, b.reciprocal());
    }

    /** {@code y = c·x + d} (scalar forms of add/sub/mul/div/neg); {@code dx += c·g}. */
    static Tensor affine(Tensor a, float c, float d) {
        Tensor x = a.contiguous();
        float[] xd = x.data, out = Buffers.dirty(x.size);
        int o = x.offset;
        for (int i = 0; i < out.length; i++) out[i] = c * xd[o + i] + d;
        String name = d == 0 ? (c == -1f ? "neg" : "mul_scalar") : (c == 1f ? "add_scalar" : "affine");
        Tensor t = Tensor.fromOp(name, out, x.shape, x);
        return t.onBackward(g -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) gx[i] += c * g[i];
        });
    }

    /** {@code y = xᵖ}; {@code dx += g·p·xᵖ⁻¹}. */
    static Tensor pow(Tensor a, float p) {
        Tensor x = a.contiguous();
        float[] xd = x.data, out = new float[x.size];
        int o = x.offset;
        if (p == 2f) for (int i = 0; i < out.length; i++) out[i] = xd[o + i] * xd[o + i];
        else for (int i = 0; i < out.length; i++) out[i] = (float) Math.pow(xd[o + i], p);
        Tensor t = Tensor.fromOp("pow", out, x.shape, x);
        return t.onBackward(g -> {
            float[] gx = x.gradBuffer();
            if (p == 2f) for (int i = 0; i < gx.length; i++) gx[i] += g[i] * 2f * xd[o + i];
            else for (int i = 0; i < gx.length; i++) gx[i] += g[i] * p * (float) Math.pow(xd[o + i], p - 1f);
        });
    }

    /**
     * One-input ops and their derivatives, with y the output:
     * exp: {@code y' = y}; log: {@code 1/x}; tanh: {@code 1 − y²}; sqrt: {@code 1/(2y)}; sigmoid: {@code y(1 − y)};
     * reciprocal: {@code −y²}; relu: {@code 1 if x > 0 else 0} (we pick 0 at the kink x = 0, as PyTorch does).
     */
    static Tensor unary(String name, Tensor a) {
        Tensor x = a.contiguous();
        float[] xd = x.data, y = Buffers.dirty(x.size);
        int o = x.offset, n = y.length;
        switch (name) {
            case "exp" -> { for (int i = 0; i < n; i++) y[i] = (float) Math.exp(xd[o + i]); }
            case "log" -> { for (int i = 0; i < n; i++) y[i] = (float) Math.log(xd[o + i]); }
            case "tanh" -> { for (int i = 0; i < n; i++) y[i] = (float) Math.tanh(xd[o + i]); }
            case "sqrt" -> { for (int i = 0; i < n; i++) y[i] = (float) Math.sqrt(xd[o + i]); }
            case "sigmoid" -> { for (int i = 0; i < n; i++) y[i] = (float) (1.0 / (1.0 + Math.exp(-xd[o + i]))); }
            case "reciprocal" -> { for (int i = 0; i < n; i++) y[i] = 1f / xd[o + i]; }
            case "relu" -> { for (int i = 0; i < n; i++) y[i] = Math.max(0f, xd[o + i]); }
            default -> throw new IllegalArgumentException("unknown unary op " + name);
        }
        Tensor t = Tensor.fromOp(name, y, x.shape, x);
        return t.onBackward(g -> {
            float[] gx = x.gradBuffer();
            switch (name) {
                case "exp" -> { for (int i = 0; i < n; i++) gx[i] += g[i] * y[i]; }
                case "log" -> { for (int i = 0; i < n; i++) gx[i] += g[i] / xd[o + i]; }
                case "tanh" -> { for (int i = 0; i < n; i++) gx[i] += g[i] * (1f - y[i] * y[i]); }
                case "sqrt" -> { for (int i = 0; i < n; i++) gx[i] += g[i] * 0.5f / y[i]; }
                case "sigmoid" -> { for (int i = 0; i < n; i++) gx[i] += g[i] * y[i] * (1f - y[i]); }
                case "reciprocal" -> { for (int i = 0; i < n; i++) gx[i] -= g[i] * y[i] * y[i]; }
                case "relu" -> { for (int i = 0; i < n; i++) if (xd[o + i] > 0f) gx[i] += g[i]; }
                default -> throw new IllegalStateException(name);
            }
        });
    }

    /**
     * {@code y = value where mask ≠ 0, else x}; the mask broadcasts to x's shape (it is not differentiated).
     * {@code dx += g where mask = 0}. With value −∞ before a softmax this is the causal mask.
     */
    static Tensor maskedFill(Tensor a, Tensor mask, float value) {
        int[] s = Shape.broadcast("maskedFill", a.shape, mask.shape);
        if (!Shape.same(s, a.shape))
            throw new IllegalArgumentException("maskedFill: mask " + Shape.str(mask.shape) + " must broadcast to x " + Shape.str(a.shape) + ", got " + Shape.str(s));
        Tensor x = a.contiguous();
        float[] m = new float[x.size];
        Strided.run(Strided.COPY, m, 0, Strided.pad4Strides(Shape.contiguousStrides(s), s.length),
                mask.data, mask.offset, Shape.broadcastStrides4(mask.shape, mask.strides, s), null, 0, null, Shape.pad4(s));
        float[] y = new float[x.size];
        for (int i = 0; i < y.length; i++) y[i] = m[i] != 0f ? value : x.data[x.offset + i];
        Tensor t = Tensor.fromOp("masked_fill", y, x.shape, x);
        return t.onBackward(g -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) if (m[i] == 0f) gx[i] += g[i];
        });
    }
}

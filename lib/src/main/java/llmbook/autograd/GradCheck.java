package llmbook.autograd;

import java.util.Locale;
import java.util.function.Function;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Checks autograd against central finite differences. Q40.
 *
 * <p>For {@code y = f(x₁, …)} we reduce to a scalar with a fixed random projection {@code L = Σ wᵢ·yᵢ} (so every
 * output and every cross-term is exercised), get {@code ∂L/∂x} by one {@code backward(w)}, and compare each entry with
 * {@code (L(x + h·eₖ) − L(x − h·eₖ)) / 2h}.
 *
 * <p><b>Precision.</b> The ops run in float32; {@code L} is summed in double from the float outputs. The numeric
 * derivative then carries two errors: rounding, about {@code 2⁻²⁴·Σ|wᵢyᵢ|·c / h} (c a small op-count factor), and
 * truncation, about {@code h²·|f'''|/6}. With {@code h = 1e-2} and our test sizes (Σ|wy| ≲ 50) both are below
 * ~1e-3, so the default tolerance {@code |a − n| ≤ 1e-2 · max(1, |a|, |n|)} is about 10× the noise while a wrong
 * gradient rule (a missing factor, a wrong sign, a dropped broadcast sum) is off by O(1) and fails.
 * Inputs must be contiguous leaves that require grad; keep them away from kinks (ReLU at 0, ties in max).
 */
public final class GradCheck {
    private GradCheck() {}

    /** The largest disagreement found. */
    public record Report(double maxAbsError, double maxScaledError, int worstInput, int worstIndex,
                         double analytic, double numeric, boolean ok) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "GradCheck %s: max |analytic − numeric| = %.3g (scaled %.3g) at input %d, index %d: analytic %.6g vs numeric %.6g",
                    ok ? "ok" : "FAILED", maxAbsError, maxScaledError, worstInput, worstIndex, analytic, numeric);
        }
    }

    /** Checks with {@code h = 1e-2} and tolerance {@code 1e-2} (see the class comment). */
    public static Report check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(f, 1e-2, 1e-2, inputs);
    }

    /** Checks every input that requires grad; {@code tol} bounds {@code |a − n| / max(1, |a|, |n|)}. */
    public static Report check(Function<Tensor[], Tensor> f, double h, double tol, Tensor... inputs) {
        for (Tensor x : inputs)
            if (x.requiresGrad() && (!x.isContiguous() || !x.op().equals("leaf")))
                throw new IllegalArgumentException("GradCheck: inputs must be contiguous leaves, got op '" + x.op() + "'");
        Tensor y = f.apply(inputs);
        Rng rng = new Rng(20240601L);
        float[] w = new float[y.numel()];
        for (int i = 0; i < w.length; i++) w[i] = rng.uniform(-1f, 1f);
        for (Tensor x : inputs) x.zeroGrad();
        y.backward(w);

        double worstAbs = 0, worstScaled = -1, aW = 0, nW = 0;
        int wi = -1, wk = -1;
        for (int in = 0; in < inputs.length; in++) {
            Tensor x = inputs[in];
            if (!x.requiresGrad()) continue;
            float[] d = x.data();
            int off = x.offset();
            float[] g = x.grad() == null ? new float[x.numel()] : x.grad().toArray();
            for (int k = 0; k < x.numel(); k++) {
                float orig = d[off + k];
                d[off + k] = (float) (orig + h);
                double lp = projected(f, inputs, w);
                d[off + k] = (float) (orig - h);
                double lm = projected(f, inputs, w);
                d[off + k] = orig;
                // divide by the step actually taken in float, not the nominal h
                double step = (double) (float) (orig + h) - (double) (float) (orig - h);
                double num = (lp - lm) / step;
                double abs = Math.abs(g[k] - num);
                double scaled = abs / Math.max(1.0, Math.max(Math.abs(g[k]), Math.abs(num)));
                if (scaled > worstScaled) { worstScaled = scaled; worstAbs = abs; wi = in; wk = k; aW = g[k]; nW = num; }
            }
        }
        return new Report(worstAbs, Math.max(0, worstScaled), wi, wk, aW, nW, worstScaled <= tol);
    }

    private static double projected(Function<Tensor[], Tensor> f, Tensor[] inputs, float[] w) {
        try (var g = Tensor.noGrad()) {
            float[] y = f.apply(inputs).toArray();
            double s = 0;
            for (int i = 0; i < y.length; i++) s += (double) w[i] * y[i];
            return s;
        }
    }
}

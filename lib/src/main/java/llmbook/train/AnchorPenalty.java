package llmbook.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import llmbook.data.Batches;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * A pull back towards the weights a model had before fine-tuning, against catastrophic forgetting. Q14.
 * <pre>
 *   penalty = λ/2 · Σ_i F_i · (θ_i − θ*_i)²          ∂/∂θ_i = λ · F_i · (θ_i − θ*_i)
 *   L2-SP (Li et al., 2018):   F_i = 1                 every weight held back equally
 *   EWC (Kirkpatrick et al., 2017): F_i = E[(∂ℓ/∂θ_i)²] on old-domain batches — the diagonal of the Fisher
 *                                 information: weights the old task's loss is sensitive to are held firmly, the
 *                                 rest may move
 * </pre>
 * θ* is a copy of the trainable parameters when the penalty is made. Add it to a loss with
 * {@link LossFunction#plus}: {@code new Trainer(model, cfg, train, val, loss.plus(ewc))}. It is a training-time term:
 * while the model is in evaluation mode it is 0, so validation losses stay plain cross-entropy and compare across
 * methods.
 *
 * <p>The Fisher here is the empirical one (squared gradients of the loss on the real next tokens) averaged over
 * batches: with batch size 1 it is the per-example diagonal Fisher; larger batches square a mean gradient and
 * underestimate it (the average over n examples of zero-mean noise shrinks by n), a cheaper approximation whose
 * overall scale λ absorbs.
 */
public final class AnchorPenalty implements Supplier<Tensor> {
    private final Module model;
    private final float lambda;
    private final List<Tensor> params = new ArrayList<>();
    private final List<float[]> anchor = new ArrayList<>();
    private final List<float[]> weight;          // F per parameter, or null for L2-SP (F = 1)
    private final List<String> names = new ArrayList<>();

    private AnchorPenalty(Module model, float lambda, List<float[]> weight) {
        if (!(lambda >= 0)) throw new IllegalArgumentException("AnchorPenalty: λ must be >= 0, got " + lambda);
        this.model = model;
        this.lambda = lambda;
        model.namedParameters().forEach((n, p) -> {
            if (!p.requiresGrad()) return;
            names.add(n);
            params.add(p);
            anchor.add(p.contiguous().toArray());
        });
        if (params.isEmpty()) throw new IllegalArgumentException("AnchorPenalty: " + model.getClass().getSimpleName() + " has no trainable parameters");
        this.weight = weight;
    }

    /** L2-SP: λ/2·‖θ − θ₀‖² over the trainable parameters, θ₀ = their values now. */
    public static AnchorPenalty l2sp(Module model, float lambda) { return new AnchorPenalty(model, lambda, null); }

    /**
     * EWC: the diagonal Fisher of {@code loss} over {@code batches} batches of {@code batchSize} drawn from {@code old}
     * (the old domain) with {@code rng}, in evaluation mode; θ* = the trainable parameters now.
     */
    public static <B> AnchorPenalty ewc(Module model, float lambda, Batches<B> old, LossFunction<B> loss, int batches, int batchSize, Rng rng) {
        if (batches < 1 || batchSize < 1) throw new IllegalArgumentException("AnchorPenalty.ewc: need batches >= 1 and batchSize >= 1, got " + batches + ", " + batchSize);
        List<Tensor> ps = new ArrayList<>();
        model.namedParameters().forEach((n, p) -> { if (p.requiresGrad()) ps.add(p); });
        List<float[]> f = new ArrayList<>();
        for (Tensor p : ps) f.add(new float[p.numel()]);
        boolean was = model.isTraining();
        model.eval();
        try {
            for (int k = 0; k < batches; k++) {
                model.zeroGrad();
                Tensor l = loss.loss(old.next(rng, batchSize));
                l.backwardAndRelease();
                for (int j = 0; j < ps.size(); j++) {
                    float[] g = ps.get(j).gradBuffer(), fj = f.get(j);
                    for (int i = 0; i < fj.length; i++) fj[i] += g[i] * g[i] / batches;
                }
            }
        } finally {
            model.zeroGrad();
            model.train(was);
        }
        return new AnchorPenalty(model, lambda, f);
    }

    /** λ/2·Σ F(θ − θ*)² as a scalar on the tape (one fused op), or 0 while the model is in evaluation mode. */
    @Override
    public Tensor get() {
        if (!model.isTraining()) return Tensor.scalar(0f);
        double s = 0;
        for (int j = 0; j < params.size(); j++) {
            Tensor p = params.get(j);
            float[] d = p.data(), a = anchor.get(j), f = weight == null ? null : weight.get(j);
            int off = p.offset();
            for (int i = 0; i < a.length; i++) {
                double diff = d[off + i] - a[i];
                s += (f == null ? 1 : f[i]) * diff * diff;
            }
        }
        Tensor t = Tensor.fromOp(weight == null ? "l2sp" : "ewc", new float[] {(float) (0.5 * lambda * s)}, new int[0], params.toArray(Tensor[]::new));
        return t.onBackward(g -> {
            for (int j = 0; j < params.size(); j++) {
                Tensor p = params.get(j);
                if (!p.requiresGrad()) continue;
                float[] gp = p.gradBuffer(), d = p.data(), a = anchor.get(j), f = weight == null ? null : weight.get(j);
                int off = p.offset();
                float c = g[0] * lambda;
                for (int i = 0; i < a.length; i++) gp[i] += c * (f == null ? 1 : f[i]) * (d[off + i] - a[i]);
            }
        });
    }

    /** The per-parameter weights F by path (all ones for L2-SP), for plots. */
    public Map<String, float[]> weights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int j = 0; j < names.size(); j++) {
            float[] w = weight == null ? new float[anchor.get(j).length] : weight.get(j).clone();
            if (weight == null) java.util.Arrays.fill(w, 1f);
            out.put(names.get(j), w);
        }
        return out;
    }

    public float lambda() { return lambda; }
}

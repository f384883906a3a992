package llmbook.moe;

import java.util.ArrayList;
import java.util.List;
import llmbook.model.transformer.FeedForward;
import llmbook.model.transformer.TransformerConfig;
import llmbook.nn.AuxiliaryLoss;
import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.nn.ModuleList;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * A sparse mixture-of-experts feed-forward layer: E MLPs ("experts") and a router that sends each token to k of them.
 * The layer holds E times the parameters of one MLP but each token pays for k. Q46.
 * <pre>
 *   logits = x·W_rᵀ                       (N, E)     router, no bias [+ N(0,1)·softplus(x·W_noiseᵀ) while training]
 *   p      = softmax(logits)              (N, E)
 *   choice, gate = top-k of p              (N, k)     renormalised over the k (Mixtral) or raw (Switch, k = 1)
 *   for each expert e:  rows = tokens that chose e (at most its capacity; the others are dropped)
 *       y_e = expert_e(x[rows])           (n_e, C)   one contiguous batch, one matmul per linear
 *   out[t] = Σ_j gate[t, j] · y_{choice[t, j]}[t]  [+ shared(x)[t]]
 *   aux    = α·E·Σ fᵢPᵢ + β·mean(logsumexp(logits)²)        handed to the model's loss while training
 * </pre>
 * A dropped choice adds nothing: inside a block {@code x + moe(ln(x))} the token is carried by the residual alone.
 * Sub-modules: {@code router}, {@code noise} (noisy only), {@code experts.0 … experts.E−1}, {@code shared} (optional),
 * so {@code model.freeze("h.*.mlp.router")} and friends work. Build one per block with
 * {@code model.replace("h.*.mlp", old -> new MixtureOfExperts(cfg, rng))} or through {@link TransformerConfig#withMoe}.
 */
public final class MixtureOfExperts extends Module implements Layer, AuxiliaryLoss {
    public final MoeConfig config;
    private final Rng rng;
    private Tensor aux;                       // the last training forward's auxiliary loss, until the model's loss takes it
    private int[] lastChoice = new int[0];    // (N, k) choices of the last forward
    private final long[] routed, assigned;
    private long dropped, tokens;

    /** Experts built at PyTorch's default initialisation (a stand-alone layer). */
    public MixtureOfExperts(MoeConfig config, Rng rng) { this(config, null, rng); }

    /** Experts built as {@code model}'s MLPs are (its GPT-2 initialisation): the layer {@code TransformerConfig.withMoe} asks for. */
    public static MixtureOfExperts of(TransformerConfig model, Rng rng) { return new MixtureOfExperts(MoeConfig.of(model), model, rng); }

    /** Experts built as {@code model}'s MLPs are, with the knobs of {@code c} (e.g. the balancing loss off, a capacity, noise). */
    public static MixtureOfExperts of(TransformerConfig model, MoeConfig c, Rng rng) {
        if (c.width() != model.width()) throw new IllegalArgumentException("MixtureOfExperts: layer width " + c.width() + " != model width " + model.width());
        return new MixtureOfExperts(c, model, rng);
    }

    private MixtureOfExperts(MoeConfig config, TransformerConfig model, Rng rng) {
        this.config = config;
        this.rng = rng;
        module("router", new Linear(config.width(), config.experts(), false, rng).initNormal(rng, 0.02f));
        if (config.noisy()) module("noise", new Linear(config.width(), config.experts(), false, rng).initNormal(rng, 0.02f));
        ModuleList ex = module("experts", new ModuleList());
        for (int e = 0; e < config.experts(); e++) ex.add(expert(config, model, rng));
        if (config.sharedExpert()) module("shared", expert(config, model, rng));
        routed = new long[config.experts()];
        assigned = new long[config.experts()];
    }

    private static FeedForward expert(MoeConfig c, TransformerConfig model, Rng rng) {
        if (model == null) return new FeedForward(c.ffn(), c.width(), c.hidden(), rng);
        return new FeedForward(model.toBuilder().hidden(c.hidden()).ffn(c.ffn()).bias(c.bias()).build(), rng);   // the model's initialisation
    }

    /** Expert e (as registered or replaced). */
    public Layer expert(int e) { return this.<ModuleList>child("experts").get(e); }

    @Override
    public Tensor forward(Tensor x) {                                   // (..., C) -> (..., C)
        int[] shape = x.shape();
        int c = config.width(), e = config.experts(), k = config.topK();
        if (shape.length == 0 || shape[shape.length - 1] != c)
            throw new IllegalArgumentException("MixtureOfExperts: input " + java.util.Arrays.toString(shape) + " must end in the width " + c);
        int n = x.numel() / c;
        Tensor xf = x.reshape(n, c);                                    // (N, C)
        Tensor logits = this.<Layer>child("router").forward(xf);        // (N, E)
        if (config.noisy() && isTraining()) {                           // Shazeer 2017: learned per-expert noise scale
            Tensor z = this.<Layer>child("noise").forward(xf);
            Tensor softplus = z.exp().add(1f).log();
            logits = logits.add(Tensor.randn(rng, n, e).mul(softplus));
        }
        Tensor probs = logits.softmax();                                // (N, E)
        float[] p = probs.contiguous().toArray();
        int[] choice = Gating.topK(p, n, e, k);                         // (N, k), no gradient: a discrete choice

        // gates (N·k) in choice order, differentiable through the probabilities they were read from
        int[] flat = new int[n * k];
        for (int t = 0; t < n; t++) for (int j = 0; j < k; j++) flat[t * k + j] = t * e + choice[t * k + j];
        Tensor gates = probs.reshape(n * e).indexSelect(flat).reshape(n, k);   // (N, k)
        if (config.renormalize() && k > 1) gates = gates.div(gates.sum(1, true));
        gates = gates.reshape(n * k);

        // dispatch: first choices before second ones, each expert up to its capacity
        int cap = Gating.capacity(config.capacityFactor(), n, k, e);
        int[][] rows = new int[e][n * k];
        int[] count = new int[e];
        long drop = 0;
        for (int j = 0; j < k; j++)
            for (int t = 0; t < n; t++) {
                int ex = choice[t * k + j];
                routed[ex]++;
                if (count[ex] < cap) rows[ex][count[ex]++] = t * k + j; else drop++;
            }
        List<Tensor> ys = new ArrayList<>(), gs = new ArrayList<>();
        int total = 0;
        for (int ex = 0; ex < e; ex++) total += count[ex];
        int[] tokenOf = new int[total];
        int at = 0;
        for (int ex = 0; ex < e; ex++) {
            if (count[ex] == 0) continue;
            int[] slots = java.util.Arrays.copyOf(rows[ex], count[ex]), toks = new int[count[ex]];
            for (int i = 0; i < toks.length; i++) toks[i] = tokenOf[at + i] = slots[i] / k;
            at += toks.length;
            ys.add(expert(ex).forward(xf.indexSelect(toks)));           // (n_e, C): one contiguous batch per expert
            gs.add(gates.indexSelect(slots));                           // (n_e)
            assigned[ex] += count[ex];
        }
        dropped += drop;
        tokens += n;
        lastChoice = choice;
        Tensor out = total == 0 ? Tensor.zeros(n, c)
                : MoeOps.combine(Tensor.concat(0, ys.toArray(Tensor[]::new)), Tensor.concat(0, gs.toArray(Tensor[]::new)), tokenOf, n);
        if (config.sharedExpert()) out = out.add(this.<Layer>child("shared").forward(xf));

        if (isTraining() && Tensor.isGradEnabled() && (config.balanceCoef() > 0 || config.zCoef() > 0)) {
            Tensor a = MoeLosses.balance(probs, MoeLosses.fractions(choice, e), config.balanceCoef());
            if (config.zCoef() > 0) a = a.add(MoeLosses.zLoss(logits, config.zCoef()));
            aux = a;                                                    // the latest forward's: the one the loss is about
        }
        return out.reshape(shape);
    }

    @Override
    public Tensor takeAuxiliaryLoss() {
        Tensor a = aux;
        aux = null;
        return a;
    }

    /** The router's choices of the last forward, {@code (N, k)} row-major (token t's best expert is {@code [t·k]}). */
    public int[] lastChoice() { return lastChoice.clone(); }

    /** What each expert received since construction or {@link #resetStats}. */
    public LoadStats stats() { return new LoadStats(routed, assigned, dropped, tokens); }

    public void resetStats() {
        java.util.Arrays.fill(routed, 0);
        java.util.Arrays.fill(assigned, 0);
        dropped = 0;
        tokens = 0;
    }

    /** The load statistics of every MoE layer of {@code model}, added together (null if it has none). */
    public static LoadStats stats(Module model) {
        LoadStats s = null;
        for (Module m : model.namedModules().values())
            if (m instanceof MixtureOfExperts moe) s = s == null ? moe.stats() : s.plus(moe.stats());
        return s;
    }

    /** Resets the statistics of every MoE layer of {@code model}. */
    public static void resetStats(Module model) {
        for (Module m : model.namedModules().values()) if (m instanceof MixtureOfExperts moe) moe.resetStats();
    }
}

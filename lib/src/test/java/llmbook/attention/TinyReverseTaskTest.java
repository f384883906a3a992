package llmbook.attention;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import llmbook.nn.Activation;
import llmbook.nn.Embedding;
import llmbook.nn.LayerNorm;
import llmbook.nn.Linear;
import llmbook.nn.MLP;
import llmbook.nn.Module;
import llmbook.optim.AdamW;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A one-block causal transformer with grouped-query attention learns to reverse a sequence: it reads
 * {@code a b c d | } and must emit {@code d c b a}. Every output token must be fetched from a different earlier
 * position, so only attention can solve it. Chance is ln 8 ≈ 2.08 nats; the test asks for a clear fall in a few seconds.
 */
class TinyReverseTaskTest {
    static final int V = 9, SEP = 8, N = 4, T = 2 * N, C = 32, BATCH = 32;

    static final class TinyModel extends Module {
        final Embedding tok, pos;
        final LayerNorm ln1, ln2, lnF;
        final GroupedQueryAttention attn;
        final MLP mlp;
        final Linear head;

        TinyModel(Rng rng) {
            tok = module("tok", new Embedding(V, C, rng, 0.1f));
            pos = module("pos", new Embedding(T, C, rng, 0.1f));
            ln1 = module("ln1", new LayerNorm(C));
            attn = module("attn", new GroupedQueryAttention(C, 4, 2, rng));
            ln2 = module("ln2", new LayerNorm(C));
            mlp = module("mlp", new MLP(rng, Activation.Kind.GELU, C, 4 * C, C));
            lnF = module("ln_f", new LayerNorm(C));
            head = module("head", new Linear(C, V, rng));
        }

        Tensor forward(int[] ids, int b) {
            int[] p = new int[b * T];
            for (int i = 0; i < p.length; i++) p[i] = i % T;
            Tensor x = tok.forward(ids, b, T).add(pos.forward(p, b, T));     // (B, T, C)
            x = x.add(attn.forward(ln1.forward(x), Mask.CAUSAL));
            x = x.add(mlp.forward(ln2.forward(x)));
            return head.forward(lnF.forward(x));                             // (B, T, V)
        }
    }

    /** Inputs {@code a b c d SEP d c b} and targets: only the positions from SEP on are scored ({@code −1} elsewhere). */
    static int[][] batch(Rng rng) {
        int[] ids = new int[BATCH * T], targets = new int[BATCH * T];
        for (int s = 0; s < BATCH; s++) {
            int[] seq = new int[N];
            for (int i = 0; i < N; i++) seq[i] = rng.nextInt(8);
            int o = s * T;
            for (int i = 0; i < N; i++) ids[o + i] = seq[i];
            ids[o + N] = SEP;
            for (int i = 1; i < N; i++) ids[o + N + i] = seq[N - i];
            for (int t = 0; t < T; t++) targets[o + t] = t < N ? -1 : seq[N - 1 - (t - N)];
        }
        return new int[][] {ids, targets};
    }

    @Test void lossFalls() {
        Rng rng = new Rng(123);
        TinyModel model = new TinyModel(rng);
        var opt = new AdamW(List.of(new ParamGroup(new ArrayList<>(model.parameters()), 0f)), 3e-3f);
        Rng data = new Rng(7);
        double first = 0, last = 0;
        int steps = 60;
        for (int step = 0; step < steps; step++) {
            int[][] bt = batch(data);
            Tensor loss = Functional.crossEntropy(model.forward(bt[0], BATCH), bt[1], -1);
            if (step < 10) first += loss.item() / 10;
            if (step >= steps - 10) last += loss.item() / 10;
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        System.out.printf("reverse task: mean loss of the first 10 steps %.3f, last 10 steps %.3f (chance ln 8 = %.3f)%n", first, last, Math.log(8));
        assertTrue(first > 1.8, "initial loss should be near chance ln 8, got " + first);
        assertTrue(last < 0.5 * first, "loss should at least halve: first " + first + ", last " + last);
    }
}

package llmbook.tasks;

import java.util.ArrayList;
import java.util.List;
import llmbook.data.Batches;
import llmbook.data.TokenBatch;
import llmbook.tensor.Rng;
import llmbook.tokenizer.Tokenizer;

/**
 * Training batches of (prompt, completion) pairs where only the completion is scored: the model reads the prompt
 * but is never asked to predict it (targets −1), as in supervised fine-tuning. Each batch draws {@code size} pairs at
 * random with repeats and pads them on the right. Example, prompt {@code [5, 6]}, completion {@code [7, 8]}:
 * <pre>
 *   x = [5, 6, 7]     y = [-1, 7, 8]        (6 predicts 7, 7 predicts 8; predicting 6 from 5 is not asked)
 * </pre>
 */
public final class PromptCompletion implements Batches<TokenBatch> {
    private final List<int[]> xs = new ArrayList<>(), ys = new ArrayList<>();
    private final int pad;

    /** Pairs {@code prompts.get(i)} → {@code completions.get(i)}, encoded with {@code tok}; {@code pad} fills the inputs. */
    public PromptCompletion(Tokenizer tok, List<String> prompts, List<String> completions, int pad) {
        if (prompts.size() != completions.size() || prompts.isEmpty())
            throw new IllegalArgumentException("PromptCompletion: " + prompts.size() + " prompts and " + completions.size() + " completions (need the same, >= 1)");
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = tok.encode(prompts.get(i)), c = tok.encode(completions.get(i));
            if (p.length == 0 || c.length == 0)
                throw new IllegalArgumentException("PromptCompletion: pair " + i + " has an empty prompt or completion");
            int n = p.length + c.length - 1;
            int[] x = new int[n], y = new int[n];
            for (int t = 0; t < n; t++) {
                x[t] = t < p.length ? p[t] : c[t - p.length];
                int next = t + 1;
                y[t] = next < p.length ? -1 : c[next - p.length];
            }
            xs.add(x);
            ys.add(y);
        }
        this.pad = pad;
    }

    /** The longest input, in tokens (the context a model needs). */
    public int maxLength() { return xs.stream().mapToInt(a -> a.length).max().orElse(0); }

    /** Number of pairs. */
    public int size() { return xs.size(); }

    @Override
    public TokenBatch next(Rng rng, int size) {
        int[] pick = new int[size];
        int T = 0;
        for (int i = 0; i < size; i++) { pick[i] = rng.nextInt(xs.size()); T = Math.max(T, xs.get(pick[i]).length); }
        int[] x = new int[size * T], y = new int[size * T];
        java.util.Arrays.fill(x, pad);
        java.util.Arrays.fill(y, -1);
        for (int i = 0; i < size; i++) {
            int[] a = xs.get(pick[i]), b = ys.get(pick[i]);
            System.arraycopy(a, 0, x, i * T, a.length);
            System.arraycopy(b, 0, y, i * T, b.length);
        }
        return new TokenBatch(x, y, size, T);
    }

    @Override public long tokens(TokenBatch batch) { return batch.scored(); }
}

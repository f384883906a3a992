package llmbook.cli;

import java.util.Locale;
import llmbook.model.gpt.GptConfig;

/**
 * What a training run or a generation will hold in the Java heap, estimated before anything big is allocated, so
 * that {@code ./llmbook train --batch 100000} is refused at once with the numbers instead of ending in an
 * {@code OutOfMemoryError} minutes later. Q12.
 *
 * <p>Training, with P parameters and B·T tokens per micro-batch:
 * <pre>
 *   weights 4P bytes, their gradients 4P, AdamW's two moments 8P (and 4P more for the best weights with --patience)
 *   activations ≈ 4 bytes × {@link #activationFloatsPerToken} × B·T × 1.2
 *   data        4 bytes per token id of both splits
 * </pre>
 * The activation count is read off {@link llmbook.model.gpt.Gpt#forward}: what the autograd graph keeps for the
 * backward pass, plus the gradients the backward pass writes (per token, C = width, H = heads, V = vocab):
 * <pre>
 *   forward values   embeddings 2C; per block ln_1 C+2, qkv 3C, attention q,k,v,o 4C + H + its output C, proj C,
 *                    residual C, ln_2 C+2, fc 4C, gelu 4C, mlp proj C, residual C (22C + H + 4);
 *                    ln_f C+2; logits V; log-softmax V
 *   their gradients  embeddings 2C; per block 18C; ln_f C; logits V
 *   total            5C + L·(40C + H + 4) + 3V + 2,   and 3C more per dropout site (output, mask, gradient) if dropout > 0
 * </pre>
 * Measured against the heap after one forward and backward pass (live data after a full collection), this count
 * was 1.01 to 1.17 times too low (backward scratch buffers): reference model V=84 B=16 T=128, 85.7 KB per token
 * counted, 92.0 KB measured; V=300 C=64 L=2 T=64, 25.7 vs 30.8 KB; V=2000 C=192 L=6 T=256, 218 vs 243 KB. Hence the
 * factor 1.2.
 *
 * <p>Generation holds the weights, the KV cache ({@code 2·L·T·C} floats) and the decoder's scratch for one window
 * ({@code 10·T·C + 3T + V} floats, see {@link llmbook.model.gpt.KvDecoder}).
 */
record MemoryEstimate(long weights, long gradients, long optimizer, long activations, long data) {
    /** Measured overhead of the backward pass's scratch over the counted floats (see the class comment). */
    static final double SCRATCH = 1.2;

    /** Floats kept per token of a micro-batch between the forward pass and the end of the backward pass. */
    static long activationFloatsPerToken(GptConfig c) {
        long C = c.width(), L = c.layers(), H = c.heads(), V = c.vocab();
        long floats = 5 * C + L * (40 * C + H + 4) + 3 * V + 2;
        if (c.dropout() > 0) floats += 3 * C * (1 + 2 * L);
        return floats;
    }

    /** Training {@code batch} sequences of the full context per micro-batch, on {@code tokens} token ids in all. */
    static MemoryEstimate training(GptConfig c, int batch, boolean keepsBest, long tokens) {
        long p = 4 * c.parameterCount();
        long perToken = activationFloatsPerToken(c);
        long act = (long) Math.ceil(4.0 * perToken * batch * c.context() * SCRATCH);
        return new MemoryEstimate(p, p, 2 * p + (keepsBest ? p : 0), act, 4 * tokens);
    }

    /** Generating with a KV cache: weights plus the cache and scratch of one context window. */
    static MemoryEstimate generation(GptConfig c) {
        long T = c.context(), C = c.width(), L = c.layers();
        return new MemoryEstimate(4 * c.parameterCount(), 0, 0, 4 * (2 * L * T * C + 10 * T * C + 3 * T + c.vocab()), 0);
    }

    long total() { return weights + gradients + optimizer + activations + data; }

    /** One line for the start of a run: what goes where. */
    String summary(long heapMax) {
        return String.format(Locale.ROOT, "memory: ≈ %s of weights, gradients and AdamW moments, %s of activations per micro-batch, "
                + "%s of data; heap limit %s", size(weights + gradients + optimizer), size(activations), size(data), size(heapMax));
    }

    /**
     * Refuses a training run that cannot fit in {@code heapMax} bytes, naming the part that does not and how many
     * sequences per micro-batch would fit.
     */
    void checkTraining(GptConfig c, int batch, int accumulate, long heapMax) {
        long T = c.context();
        if (total() <= heapMax) {
            long widest = Math.max(c.vocab(), 4L * c.width());          // logits (B·T, V) or the MLP's (B·T, 4C)
            if ((long) batch * T * widest <= Integer.MAX_VALUE - 8) return;
            throw new Flags.UsageException(String.format(Locale.ROOT, "--batch %d × --context %d is too big: one (B·T, %d) array of %,d floats "
                    + "exceeds Java's array limit of 2^31; use a smaller --batch (and --accumulate for a bigger effective batch)",
                    batch, T, widest, batch * T * widest));
        }
        long fixed = weights + gradients + optimizer + data;
        long perSequence = (long) Math.ceil(4.0 * activationFloatsPerToken(c) * T * SCRATCH);
        long fits = Math.max(0, (heapMax - fixed) / perSequence);
        long same = fits;                                                 // the largest batch that fits and divides this one
        while (same > 1 && batch % same != 0) same--;
        String advice = fits < 1 ? "use a smaller model (--width, --layers, --context, or a smaller vocabulary)"
                : "use --batch " + fits + " or less (--batch " + same + " --accumulate " + (long) accumulate * (batch / same)
                + " trains on the same " + (long) batch * accumulate + " sequences per step)";
        throw new Flags.UsageException(String.format(Locale.ROOT,
                "batch %,d × context %,d = %,d tokens per micro-batch need ≈ %s of activations (%s per token) plus %s of weights, "
                + "gradients, AdamW moments and data; the heap limit is %s: %s, or raise the limit with LLMBOOK_JAVA_OPTS=-Xmx%dg",
                batch, T, batch * T, size(activations), size((long) (4 * activationFloatsPerToken(c) * SCRATCH)), size(fixed),
                size(heapMax), advice, Math.max(1, (long) Math.ceil(total() * 1.1 / (1L << 30)))));
    }

    /** Refuses a generation whose KV cache and scratch do not fit next to the weights already loaded. */
    void checkGeneration(long heapMax) {
        if (total() <= heapMax) return;
        throw new IllegalStateException("the model's weights (" + size(weights) + ") and its KV cache and scratch (" + size(activations)
                + ") need more than the heap limit of " + size(heapMax) + ": raise it with LLMBOOK_JAVA_OPTS=-Xmx"
                + Math.max(1, (long) Math.ceil(total() * 1.1 / (1L << 30))) + "g");
    }

    /** Bytes for people: "820 KB", "41.2 GB" (powers of 1000). */
    static String size(long bytes) {
        if (bytes < 1_000_000) return String.format(Locale.ROOT, "%.0f KB", bytes / 1e3);
        if (bytes < 1_000_000_000) return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}

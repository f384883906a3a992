package llmbook.objectives;

import java.util.Arrays;
import llmbook.data.Batches;
import llmbook.model.transformer.Seq2Seq;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * T5-style pre-training batches for the library's {@link Seq2Seq} (Q25): random windows of {@code T} ids from a
 * stream, each corrupted by {@link SpanCorruption} with the trainer's batch RNG. The encoder reads the corrupted
 * window; the decoder writes the target after a start token (teacher forcing), and {@link #loss} is its
 * cross-entropy over the whole target (sentinels included, as in T5).
 * <pre>
 *   window  [a b c d e f g h i j]
 *   src     [a b &lt;0&gt; e f g h i &lt;1&gt;]      tgtIn  [[CLS] &lt;0&gt; c d &lt;1&gt; j]      tgtOut [&lt;0&gt; c d &lt;1&gt; j &lt;2&gt;]
 * </pre>
 * The sentinels are new ids after the word vocabulary: {@code vocab.size()}, {@code vocab.size() + 1}, …, so the
 * model's vocabulary is {@link #modelVocab}; the start token is [CLS]. Every window has the same length, so every
 * source has {@code T − noise + spans} ids and every target {@code noise + spans + 1}: no padding.
 */
public final class SpanBatches implements Batches<SpanBatches.Batch> {
    /** A batch: sources (B, Ts), their lengths, decoder inputs and targets (B, Tt). */
    public record Batch(int[] src, int[] srcLengths, int[] tgtIn, int[] tgtOut, int B, int Ts, int Tt) {}

    private final int[] stream;
    private final int T;
    private final SpanCorruption noise;
    private final WordVocab vocab;
    private final int[] sentinels;

    public SpanBatches(int[] stream, int T, SpanCorruption noise, WordVocab vocab) {
        if (stream.length < T) throw new IllegalArgumentException("SpanBatches: need at least T = " + T + " tokens, got " + stream.length);
        this.stream = stream;
        this.T = T;
        this.noise = noise;
        this.vocab = vocab;
        sentinels = new int[noise.spans(T) + 1];
        for (int i = 0; i < sentinels.length; i++) sentinels[i] = vocab.size() + i;
    }

    int streamLength() { return stream.length; }
    int[] stream() { return stream; }
    int T() { return T; }
    SpanCorruption noise() { return noise; }

    /** The sentinel ids &lt;0&gt;, &lt;1&gt;, …. */
    public int[] sentinels() { return sentinels.clone(); }

    /** The vocabulary the encoder-decoder needs: words, specials and sentinels. */
    public int modelVocab() { return vocab.size() + sentinels.length; }

    /** Source length: kept tokens plus one sentinel per span. */
    public int sourceLength() { return T - noise.noise(T) + noise.spans(T); }

    /** Target length: hidden tokens, one sentinel per span, the closing sentinel. */
    public int targetLength() { return noise.noise(T) + noise.spans(T) + 1; }

    /** The batch of {@code size} windows starting at {@code starts[from …]}, corrupted with {@code rng}. */
    Batch corrupt(int[] starts, int from, int size, Rng rng) {
        int ts = sourceLength(), tt = targetLength();
        int[] src = new int[size * ts], lengths = new int[size], in = new int[size * tt], out = new int[size * tt];
        for (int b = 0; b < size; b++) {
            SpanCorruption.Corrupted c = noise.apply(Arrays.copyOfRange(stream, starts[from + b], starts[from + b] + T), sentinels, rng);
            System.arraycopy(c.input(), 0, src, b * ts, ts);
            lengths[b] = ts;
            in[b * tt] = vocab.cls;
            System.arraycopy(c.target(), 0, in, b * tt + 1, tt - 1);
            System.arraycopy(c.target(), 0, out, b * tt, tt);
        }
        return new Batch(src, lengths, in, out, size, ts, tt);
    }

    @Override
    public Batch next(Rng rng, int size) {
        int[] starts = new int[size];
        for (int b = 0; b < size; b++) starts[b] = rng.nextInt(stream.length - T + 1);
        return corrupt(starts, 0, size, rng);
    }

    @Override public long tokens(Batch b) { return (long) b.B() * b.Tt(); }

    /** The teacher-forced cross-entropy of the whole target. */
    public static Tensor loss(Seq2Seq model, Batch b) {
        return model.loss(b.src(), b.srcLengths(), b.tgtIn(), b.tgtOut(), b.B(), b.Ts(), b.Tt());
    }
}

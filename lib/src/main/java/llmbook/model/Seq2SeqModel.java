package llmbook.model;

import java.util.List;
import llmbook.tensor.Tensor;

/**
 * What a sequence-to-sequence model offers, so a transformer and an RNN train and decode through the same loop. Q4, Q7.
 *
 * <p>A batch is laid out row-major: {@code src} (B, Ts) padded after {@code srcLengths[b]} tokens, {@code tgtIn} (B, Tt)
 * starting with BOS (teacher forcing: the decoder reads the true previous token), {@code tgtOut} (B, Tt) the next
 * token at each position, with {@code -1} on padding (not scored).
 */
public interface Seq2SeqModel {
    /** Mean cross-entropy of {@code tgtOut} given the source and {@code tgtIn}, over the positions not marked −1. */
    Tensor loss(int[] src, int[] srcLengths, int[] tgtIn, int[] tgtOut, int b, int ts, int tt);

    /**
     * Greedy decoding without gradients: starting from {@code bos}, append the most likely next token until {@code eos}
     * or {@code maxLen} tokens. Returns the tokens of each sequence, without BOS and EOS.
     */
    int[][] greedy(int[] src, int[] srcLengths, int b, int ts, int bos, int eos, int maxLen);

    /** The trainable parameters. */
    List<Tensor> parameters();

    /** Total scalar parameters. */
    long numParameters();

    /** Training mode (dropout on) or evaluation mode. */
    default void setTraining(boolean on) {}
}

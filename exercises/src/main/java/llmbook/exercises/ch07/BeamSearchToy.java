package llmbook.exercises.ch07;

import java.util.List;

/**
 * Exercise ch07.beam_search — a complete beam search with an end token and length normalisation. Q19.
 *
 * <p>Goal: find high-probability outputs of a {@link Model} without trying them all. Keep the {@code width} most
 * likely unfinished outputs (beams). At every step:
 * <ol>
 *   <li>extend every beam by every token the model allows (log-probability {@code −∞} = not allowed); an
 *       extension's log-probability is its beam's plus the token's;</li>
 *   <li>rank all extensions by log-probability, best first (ties: earlier beam, then lower token id);</li>
 *   <li>walk down the ranking: an extension that writes {@link Model#eos()} is a finished output, kept only if it
 *       is among the first {@code width} of the ranking; any other extension becomes a beam of the next step, until
 *       there are {@code width} of them.</li>
 * </ol>
 * Stop when no beam is left or after {@code maxLen} steps; beams still open then are outputs too (unfinished).
 * Rank all outputs by their score, best first, and return the first {@code width}. The score is the log-probability,
 * or, with {@code normalise}, the log-probability divided by the length — the number of tokens, the end token
 * included. Width 1 must give exactly greedy decoding.
 *
 * <p>Worked example: a model whose first token is EOS with probability 0.4 and {@code a} with 0.6, and after
 * {@code a} always {@code a} with 0.6 and EOS with 0.4. With width 2 and maxLen 3, the outputs are {@code [EOS]}
 * (log 0.4 = −0.92, length 1), {@code [a, EOS]} (log 0.24 = −1.43, length 2), {@code [a, a, EOS]} (log 0.144 = −1.94,
 * length 3) and {@code [a, a, a]} unfinished (log 0.216 = −1.53). Without normalisation the best two are
 * {@code [EOS]} and {@code [a, EOS]}; with it, {@code [a, a, a]} (−0.51) and {@code [a, a, EOS]} (−0.65) win —
 * the short output only looked good because it was short.
 *
 * <p>Run {@code ./llmbook grade 7} to see your score.
 */
public final class BeamSearchToy {
    private BeamSearchToy() {}

    /** A language model as beam search sees it (provided). */
    public interface Model {
        /** Number of token ids. */
        int vocab();

        /** The end-of-sequence token. */
        int eos();

        /** Log-probabilities ({@code vocab} long) of the next token after the tokens {@code prefix} written so far (may be empty). */
        double[] logProbs(int[] prefix);
    }

    /** One output: its tokens (the end token last if it finished), total log-probability, score and whether it finished. */
    public record Hypothesis(int[] tokens, double logProb, double score, boolean finished) {}

    /**
     * The best (at most {@code width}) outputs of up to {@code maxLen} tokens, best score first. Throws
     * IllegalArgumentException when width or maxLen is below 1.
     */
    public static List<Hypothesis> search(Model model, int width, int maxLen, boolean normalise) {
        throw new UnsupportedOperationException("TODO ch07.beam_search: extend, rank, keep width beams and the finished outputs; score; sort");
    }
}

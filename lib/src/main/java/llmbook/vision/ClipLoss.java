package llmbook.vision;

import llmbook.tensor.Functional;
import llmbook.tensor.Tensor;

/**
 * CLIP's symmetric InfoNCE loss. Q44.
 * <pre>
 *   î = i/‖i‖, t̂ = t/‖t‖                          (B, D) each: row k of both is one matching image–caption pair
 *   S = exp(s) · î·t̂ᵀ                              (B, B) cosine similarities times a learned temperature e^s
 *   loss = ½·[CE(S, diag) + CE(Sᵀ, diag)]          image → its caption among B, and caption → its image among B
 * </pre>
 * Each row is a B-way classification whose right answer is on the diagonal; the other B − 1 pairs of the batch are
 * the negatives, so a bigger batch is a harder task. The temperature is learned in log space (CLIP starts at
 * {@code s = log(1/0.07)}). Guessing uniformly scores ln B; random initial embeddings already have cosines of a few
 * tenths, which the scale e^s ≈ 14 turns into confident wrong guesses, so training starts somewhat above ln B.
 */
public final class ClipLoss {
    private ClipLoss() {}

    /** Rows scaled to unit length: {@code x / √(Σx² + 1e-12)}. */
    public static Tensor normalize(Tensor x) {
        return x.div(x.mul(x).sum(-1, true).add(1e-12f).sqrt());
    }

    /** The similarity logits S (B, B) of raw (unnormalised) embeddings and the log-temperature s (a 1-element tensor). */
    public static Tensor logits(Tensor images, Tensor texts, Tensor logScale) {
        if (images.dim() != 2 || texts.dim() != 2 || images.size(0) != texts.size(0) || images.size(1) != texts.size(1))
            throw new IllegalArgumentException("ClipLoss: images " + java.util.Arrays.toString(images.shape()) + " and texts "
                    + java.util.Arrays.toString(texts.shape()) + " must both be (B, D)");
        return normalize(images).matmul(normalize(texts).t()).mul(logScale.exp());
    }

    /** The symmetric loss of B matching pairs (row k of {@code images} goes with row k of {@code texts}). */
    public static Tensor loss(Tensor images, Tensor texts, Tensor logScale) {
        Tensor s = logits(images, texts, logScale);                          // (B, B)
        int b = s.size(0);
        int[] diag = new int[b];
        for (int i = 0; i < b; i++) diag[i] = i;
        return Functional.crossEntropy(s, diag).add(Functional.crossEntropy(s.t().contiguous(), diag)).mul(0.5f);
    }
}

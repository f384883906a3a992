package llmbook.attention;

import llmbook.tensor.Tensor;

/** Splitting the feature axis into heads and back. */
final class Heads {
    private Heads() {}

    /** (B, T, n·d) → (B, n, T, d): a view of the reshape, copied by the next op that needs rows. */
    static Tensor split(Tensor x, int n) {
        int[] s = x.shape();
        return x.reshape(s[0], s[1], n, s[2] / n).transpose(1, 2);   // (B, T, n, d) -> (B, n, T, d)
    }

    /** (B, n, T, d) → (B, T, n·d). */
    static Tensor merge(Tensor x) {
        int[] s = x.shape();
        return x.transpose(1, 2).reshape(s[0], s[2], s[1] * s[3]);    // (B, T, n, d) -> (B, T, n·d)
    }
}

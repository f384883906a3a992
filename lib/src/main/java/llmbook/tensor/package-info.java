/**
 * Tensors and reverse-mode autograd. Q40.
 *
 * <p>{@link llmbook.tensor.Tensor} is the one public type: float32, row-major, rank ≤ 4, with views that share
 * storage. Each op lives in a small class with its backward next to its forward — {@code Elementwise}
 * (broadcasting arithmetic), {@code Reduce}, {@code Views} (reshape, transpose, slice, concat, index-select),
 * {@link llmbook.tensor.LinAlg} (matmul, linear) and {@link llmbook.tensor.Functional} (softmax, norms,
 * activations, dropout, cross-entropy, embedding). Big loops are calls into {@code llmbook.kernels}; nothing
 * here imports the Vector API. All randomness goes through one seeded {@link llmbook.tensor.Rng}.
 *
 * <p>Layering: {@code kernels} ← {@code tensor} ← {@code autograd} (gradient check, Jacobian) ← {@code nn} ←
 * {@code optim} (sees parameters, never modules).
 */
package llmbook.tensor;

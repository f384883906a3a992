/**
 * Compute kernels: static loops over {@code float[]} + offsets + dimensions, each with a scalar twin. Q9.
 *
 * <p>Conventions, shared by every kernel here:
 * <ul>
 *   <li>arguments are ordered outputs, inputs, dimensions; every array is followed by its int offset;
 *       matrices are row-major;</li>
 *   <li>forward kernels overwrite their outputs, backward kernels <em>add</em> ({@code +=}) into gradients;</li>
 *   <li>each public entry point ({@link llmbook.kernels.MatMul#matmul}, {@link llmbook.kernels.Softmax#softmaxForward}, ...)
 *       dispatches to a Vector API version or to its public {@code ...Scalar} twin — plain loops that are the
 *       reference in tests and the baseline in {@code ./llmbook bench}; {@link llmbook.kernels.Kernels#useVector}
 *       picks which, {@link llmbook.kernels.Kernels#setThreads} how many threads large kernels use;</li>
 *   <li>bad dimensions or arrays too short for offset + size throw {@link java.lang.IllegalArgumentException}
 *       naming the kernel, the array and the sizes.</li>
 * </ul>
 * The {@code jdk.incubator.vector} module is imported only in this package (the {@code ...Vector} classes and
 * {@code Vec}); nothing outside it needs {@code --add-modules} at compile time.
 *
 * <p>Kernels: {@link llmbook.kernels.MatMul} (packed, register-blocked; {@code matvec} for one row, which a one-token
 * linear layer takes by itself), {@link llmbook.kernels.Blas} (dot, axpy), {@link llmbook.kernels.Softmax},
 * {@link llmbook.kernels.Norms} (LayerNorm, RMSNorm), {@link llmbook.kernels.Activations} (GELU, SiLU),
 * {@link llmbook.kernels.AdamW}, {@link llmbook.kernels.Attention} (fused causal attention: one head, a batch of
 * grouped heads with d_v ≠ d_k allowed, and decoding against a KV cache).
 */
package llmbook.kernels;

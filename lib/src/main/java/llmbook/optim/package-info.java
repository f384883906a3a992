/**
 * Optimizers over parameter tensors (never modules): {@link llmbook.optim.SGD} with momentum,
 * {@link llmbook.optim.AdamW} on the {@code llmbook.kernels.AdamW} kernel with per-{@link llmbook.optim.ParamGroup}
 * weight decay, and {@link llmbook.optim.GradClip} (global-norm clipping).
 */
package llmbook.optim;

/**
 * Reading a trained model at a longer context than it was trained at (chapter 13): {@link llmbook.longctx.ContextExtension}
 * copies the weights into a model of a larger context with RoPE stretched by one of
 * {@link llmbook.attention.Rope.Scaling}'s rules (position interpolation, NTK-aware, YaRN).
 */
package llmbook.longctx;

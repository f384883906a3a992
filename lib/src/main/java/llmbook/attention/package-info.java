/**
 * Attention: {@link llmbook.attention.ScaledDotProductAttention} with {@link llmbook.attention.Mask}s (causal, padding,
 * none), which runs the fused autograd op {@link llmbook.attention.FusedAttention} for plain causal masks and composes
 * tensor ops otherwise (or when the weights are wanted for a plot); the self-attention family behind one interface,
 * {@link llmbook.attention.SelfAttention} — {@link llmbook.attention.MultiHeadAttention} (GPT-2),
 * {@link llmbook.attention.GroupedQueryAttention} (MHA, GQA, MQA), {@link llmbook.attention.MultiHeadLatentAttention}
 * (DeepSeek-V2), each decoding with one preallocated {@link llmbook.attention.KvCache} per layer; {@link llmbook.attention.Rope}
 * (one autograd op) and {@link llmbook.attention.CrossAttention}. Q2, Q4, Q8, Q9, Q11, Q41.
 *
 * <p>Configs are records validated when built ({@link llmbook.attention.AttentionConfig},
 * {@link llmbook.attention.MlaConfig}).
 */
package llmbook.attention;

/**
 * The transformer of chapters 5–13, built from {@code llmbook.attention} and {@code llmbook.nn}: one config record
 * ({@link llmbook.model.transformer.TransformerConfig}, presets {@code gpt2} and {@code llama}), a configurable pre-norm
 * {@link llmbook.model.transformer.Block}, and the three architectures on it — encoder-only
 * ({@link llmbook.model.transformer.Encoder}), decoder-only ({@link llmbook.model.transformer.Decoder}, the book's
 * {@link llmbook.model.LanguageModel} in every variant: MHA/GQA/MQA/MLA, learned/sinusoidal/RoPE/no positions,
 * LayerNorm/RMSNorm, GELU/ReLU/SwiGLU, tied/untied/adaptive output, with a KV cache) and encoder–decoder
 * ({@link llmbook.model.transformer.Seq2Seq}). Q4, Q7, Q8, Q9, Q10, Q11, Q12, Q42.
 */
package llmbook.model.transformer;

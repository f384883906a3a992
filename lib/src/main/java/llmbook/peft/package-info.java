/**
 * Parameter-efficient fine-tuning (chapter 9, Q13, Q17): {@link llmbook.peft.LoraLinear} and {@link llmbook.peft.Lora}
 * (low-rank adapters wrapped around linear layers by path pattern, merge/unmerge, adapters saved alone),
 * {@link llmbook.peft.QLoraLinear} (the same on a 4-bit NF4 base, {@link llmbook.quant}),
 * {@link llmbook.peft.BottleneckAdapter} (small MLPs after frozen sub-layers),
 * {@link llmbook.peft.PromptTuning} (trainable virtual tokens) and {@link llmbook.peft.Peft} (BitFit, freezing by
 * pattern, memory accounting). Forgetting remedies and distillation live in {@link llmbook.train}
 * ({@link llmbook.train.AnchorPenalty}, {@link llmbook.train.Distillation}) and {@link llmbook.data.MixedBatches}.
 */
package llmbook.peft;

/**
 * Aligning a language model to a preference (chapter 13): a programmatic reward ({@link llmbook.align.Afinn}, the
 * AFINN-111 sentiment lexicon), batched rollouts and differentiable sequence log-probabilities
 * ({@link llmbook.align.Rollouts}), preference pairs ranked by the reward ({@link llmbook.align.Preferences}), a
 * Bradley–Terry reward model ({@link llmbook.align.RewardModel}), direct preference optimisation
 * ({@link llmbook.align.Dpo}), best-of-N sampling ({@link llmbook.align.BestOfN}) and a KL-penalised
 * policy gradient ({@link llmbook.align.Reinforce}). Every training run goes through {@link llmbook.train.Trainer}
 * with a {@link llmbook.train.LossFunction} over pair (or rollout) batches.
 */
package llmbook.align;

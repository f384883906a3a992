/**
 * Mixture of experts (Q46): a router picks k of E feed-forward experts per token, so the parameters grow with E while
 * the compute per token grows with k. {@link llmbook.moe.MixtureOfExperts} is the layer (it replaces a block's MLP by
 * path or through {@code TransformerConfig.withMoe}); {@link llmbook.moe.Gating} the top-k choice,
 * {@link llmbook.moe.MoeLosses} the load-balancing and z-losses, {@link llmbook.moe.LoadStats} what each expert received.
 */
package llmbook.moe;

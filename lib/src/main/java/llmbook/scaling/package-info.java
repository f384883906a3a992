/**
 * Scaling laws (Q43): {@link llmbook.scaling.Sweep} trains a family of model sizes on one budget and
 * {@link llmbook.scaling.PowerLaw} fits {@code L(N) = a·N^(−b) + c} to what they reach, with bootstrap intervals, so the
 * loss of a larger model can be predicted before it is trained.
 */
package llmbook.scaling;

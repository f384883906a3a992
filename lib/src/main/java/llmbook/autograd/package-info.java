/**
 * Tools on top of the tape: {@link llmbook.autograd.GradCheck} (autograd vs central finite differences, Q40) and
 * {@link llmbook.autograd.Jacobian} (one backward per output, Q36). The tape itself — recording each op's backward
 * and running them in reverse topological order — lives in {@link llmbook.tensor.Tensor}, next to the ops.
 */
package llmbook.autograd;

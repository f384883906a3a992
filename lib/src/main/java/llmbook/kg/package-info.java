/**
 * Chapter 12: knowledge graphs and grounding — a triple store with N-Triples, a synthetic world of invented people
 * rendered as biographies, and the check of generated facts against the graph (supported, intrinsic or extrinsic
 * hallucination). Q47.
 */
package llmbook.kg;

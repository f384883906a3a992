/**
 * Text classifiers, generative and discriminative (chapter 10): bag-of-words and TF-IDF features ({@link
 * llmbook.classify.BagOfWords}), multinomial naive Bayes and L2 logistic regression (Q28), a linear probe on frozen
 * features (Q26), and a class-conditional character LM that classifies by likelihood and also generates (Q29).
 * scikit-learn is the test-time oracle ({@code lib/src/test/python/classify_oracle.py}), never a dependency.
 */
package llmbook.classify;

"""Dev-time oracle for llmbook.classify (Q28): scikit-learn's MultinomialNB and LogisticRegression on fixed data.

Usage: /usr/bin/python3 classify_oracle.py OUT.json   (Debian's python3-sklearn; never a dependency of the book).
Generates two seeded bag-of-words problems (2 and 3 classes, 60 words, counts drawn from one multinomial per class),
fits MultinomialNB(alpha=1) and LogisticRegression(C=0.5, newton-cg, tol 1e-10: lbfgs stops at a gradient of ~1e-5) on the training rows, and writes the
data with scikit-learn's log-probabilities and predictions on the test rows. ClassifyOracleTest fits ours on the
same rows and compares.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import MultinomialNB


def problem(seed, k, n_train, n_test, vocab=60):
    rng = np.random.default_rng(seed)
    topics = rng.dirichlet(np.full(vocab, 0.3), size=k)               # one word distribution per class
    def draw(n):
        y = rng.integers(0, k, size=n)
        x = np.stack([rng.multinomial(rng.integers(5, 40), 0.7 * topics[c] + 0.3 / vocab) for c in y])
        return x, y
    xtr, ytr = draw(n_train)
    xte, yte = draw(n_test)
    nb = MultinomialNB(alpha=1.0).fit(xtr, ytr)
    lr = LogisticRegression(C=0.5, solver='newton-cg', tol=1e-10, max_iter=1000).fit(xtr, ytr)
    return {'classes': k, 'vocab': vocab, 'C': 0.5, 'alpha': 1.0,
            'x_train': xtr.tolist(), 'y_train': ytr.tolist(), 'x_test': xte.tolist(), 'y_test': yte.tolist(),
            'nb_log_proba': nb.predict_log_proba(xte).tolist(), 'nb_predict': nb.predict(xte).tolist(),
            'lr_log_proba': lr.predict_log_proba(xte).tolist(), 'lr_predict': lr.predict(xte).tolist()}


out = {'sklearn': sklearn.__version__, 'problems': [problem(7, 2, 80, 40), problem(11, 3, 90, 45)]}
with open(sys.argv[1], 'w') as f:
    json.dump(out, f)
print('wrote', sys.argv[1], 'with scikit-learn', sklearn.__version__)

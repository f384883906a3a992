#!/usr/bin/python3
"""Dev-time oracle for llmbook.ngram.NGramLm: NLTK's interpolated Kneser-Ney on a small character text.

Writes lib/src/test/resources/llmbook/ngram/nltk-oracle.json, which NGramOracleTest reads (the test needs no Python).
Run: /usr/bin/python3 lib/src/test/python/ngram_oracle.py  (Debian: apt-get install python3-nltk; NLTK 3.8).

NLTK's KneserNeyInterpolated(order, discount=d) has ONE discount d (ours: modified KN, three discounts estimated
from counts-of-counts; NGramLm.fixedDiscount(d) gives the single-discount form) and ends its recursion in the
undiscounted continuation unigram N1+(.w)/N1+(..) (ours: the discounted continuation unigram interpolated with the
uniform 1/V, so an unseen token keeps some probability). So two sets of numbers are written:
  "nltk":        stock KneserNeyInterpolated: differs from ours by definition at the unigram level only;
  "nltk_floor":  the same NLTK model with only unigram_score replaced by ours (discounted, + d*N1+/N1+(..) / V);
                 everything else (counting, continuation counts, alpha/gamma, the interpolation) is NLTK's code,
                 and must agree with NGramLm.fixedDiscount(d) to rounding.
When every vocabulary token occurs in training, the two unigram levels are the same number (the discounted mass
comes back as d*V/N1+(..)/V); they differ for a token never seen in training: NLTK 0, ours d*types/N1+(..)/V.
"""
import json
import math
import os

from nltk.lm import KneserNeyInterpolated, Vocabulary
from nltk.lm.smoothing import KneserNey
from nltk.lm.models import InterpolatedLanguageModel
from nltk.util import everygrams

TRAIN = ("the cat sat on the mat. the dog sat on the log. the cat saw the dog and the dog saw the cat. "
         "a cat and a dog sat on a mat; the mat was the cat's mat, the log was the dog's log. ") * 2
TEST = "the dog sat on the mat and the cat sat on the log. a dog saw a cat."
UNSEEN = "z"   # in the vocabulary, never in TRAIN: stock NLTK gives it probability 0, ours does not
D = 0.75


class UniformFloorKneserNey(KneserNey):
    """NLTK's KneserNey with our unigram level: max(N1+(.w) - d, 0)/N1+(..) + d * |{w: N1+(.w) > 0}| / N1+(..) / V."""

    def unigram_score(self, word):
        c, total = self._continuation_counts(word)
        types = sum(1 for w in self.vocab if w != self.vocab.unk_label and self._continuation_counts(w)[0] > 0)
        return max(c - self.discount, 0.0) / total + self.discount * types / total / V


class UniformFloorKneserNeyInterpolated(InterpolatedLanguageModel):
    def __init__(self, order, discount, **kwargs):
        super().__init__(UniformFloorKneserNey, order, params={"discount": discount, "order": order}, **kwargs)


chars = sorted(set(TRAIN) | set(TEST) | set(UNSEEN))
V = len(chars)


def score_all(lm, order):
    out = []
    for i, ch in enumerate(TEST):
        ctx = tuple(TEST[max(0, i - order + 1):i])
        out.append(math.log(lm.score(ch, ctx if ctx else None)))
    return out


cases = []
for order in (2, 3, 4):
    row = {"order": order, "discount": D}
    for name, cls in (("nltk", KneserNeyInterpolated), ("nltk_floor", UniformFloorKneserNeyInterpolated)):
        lm = cls(order, discount=D, vocabulary=Vocabulary(chars, unk_cutoff=1))
        lm.fit([list(everygrams(list(TRAIN), max_len=order))])
        lp = score_all(lm, order)
        row[name] = {"log_probs": lp, "perplexity": math.exp(-sum(lp) / len(lp)), "p_unseen_after_the": lm.score(UNSEEN, tuple("the "[-(order - 1):]))}
    cases.append(row)

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "resources", "llmbook", "ngram", "nltk-oracle.json")
with open(out, "w") as f:
    json.dump({"nltk": __import__("nltk").__version__, "chars": "".join(chars), "train": TRAIN, "test": TEST, "cases": cases}, f)
print("wrote", os.path.normpath(out), [(c["order"], round(c["nltk"]["perplexity"], 4), round(c["nltk_floor"]["perplexity"], 4)) for c in cases])

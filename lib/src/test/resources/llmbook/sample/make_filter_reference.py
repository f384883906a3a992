"""Dev-time reference for the sampling filters (TopK, TopP, MinP, Temperature): the same rules written in PyTorch,
on random and adversarial logits. Writes filter_reference.json next to this file, which FilterReferenceTest reads;
the Java build never runs Python. Regenerate with: /usr/bin/python3 make_filter_reference.py

Rules (as in llmbook.sample): top-k keeps the k highest logits, ties at the cut to the lower ids; top-p keeps the
smallest most-likely-first prefix (stable order: ties by id) whose probability reaches p, at least one token; min-p
keeps p_i >= min_p * p_max. Kept tokens keep their logits, the rest become -inf; renormalised = softmax of that."""
import json, math, os
import torch

torch.manual_seed(0)
cases = []

def add(logits, kind, arg):
    x = torch.tensor(logits, dtype=torch.float32)
    V = x.numel()
    if kind == "temperature":
        out = x / torch.tensor(arg, dtype=torch.float32)
    elif kind == "top_k":
        out = x.clone()
        if arg < V:
            order = torch.sort(x, descending=True, stable=True).indices
            out[order[arg:]] = float("-inf")
    elif kind == "top_p":
        out = x.clone()
        p = float(torch.tensor(arg, dtype=torch.float32))
        if p < 1:
            prob = torch.softmax(x.double(), 0)
            order = torch.sort(prob, descending=True, stable=True).indices
            csum = torch.cumsum(prob[order], 0)
            reach = (csum >= p).nonzero()
            keep = int(reach[0]) + 1 if len(reach) else V
            out[order[keep:]] = float("-inf")
    elif kind == "min_p":
        out = x.clone()
        cut = x.double().max() + math.log(float(torch.tensor(arg, dtype=torch.float32)))
        out[x.double() < cut] = float("-inf")
    prob = torch.softmax(out.double(), 0)
    enc = lambda t: [("-inf" if math.isinf(v) and v < 0 else v) for v in t.tolist()]
    cases.append({"kind": kind, "arg": arg, "logits": enc(x), "out": enc(out), "prob": prob.tolist()})

def rnd(V, scale=1.0):
    return (torch.randn(V) * scale).tolist()

for V in [1, 2, 5, 17, 64]:
    for s in [0.1, 1.0, 5.0]:
        base = rnd(V, s)
        for k in [1, 2, 3, V, V + 5]: add(base, "top_k", k)
        for p in [0.05, 0.3, 0.5, 0.9, 0.999, 1.0]: add(base, "top_p", p)
        for m in [0.01, 0.1, 0.5, 1.0]: add(base, "min_p", m)
        for t in [0.3, 1.0, 2.5]: add(base, "temperature", t)
ties = [1.0, 3.0, 3.0, 0.0, 3.0, 1.0, 1.0]
for k in range(1, 8): add(ties, "top_k", k)
for p in [0.2, 0.5, 0.6, 0.9, 0.99]: add(ties, "top_p", p)
add(ties, "min_p", 0.9)
flat = [0.0] * 8
for p in [0.125, 0.25, 0.5, 0.51, 1.0]: add(flat, "top_p", p)
for k in [1, 4, 8, 9]: add(flat, "top_k", k)
neg = [float("-inf"), 2.0, float("-inf"), 1.0, 0.5, float("-inf")]
for k in [1, 2, 3, 4, 6]: add(neg, "top_k", k)
for p in [0.1, 0.7, 0.95, 1.0]: add(neg, "top_p", p)
for m in [0.2, 0.9]: add(neg, "min_p", m)
huge = [0.0, 1000.0, 5.0, -3.0, 999.0]
for p in [0.5, 0.9, 0.99999]: add(huge, "top_p", p)
for k in [1, 2]: add(huge, "top_k", k)
add(huge, "min_p", 0.1)
add(huge, "temperature", 0.5)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "filter_reference.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f)
print(f"{len(cases)} cases -> {path}")

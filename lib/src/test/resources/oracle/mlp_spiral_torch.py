#!/usr/bin/python3
"""Dev-time oracle for llmbook.nn.MlpTrainingTest: the same spiral, the same initial weights, trained by PyTorch.

Reimplements llmbook.tensor.Rng (SplitMix64, top-24-bit floats) so data and initial weights are bit-identical to
the Java test's. Run with Debian's python3-torch: /usr/bin/python3 mlp_spiral_torch.py
Never a project dependency; the numbers it prints are pasted into the test with this file as provenance.
"""
import math
import numpy as np
import torch

M64 = (1 << 64) - 1


class Rng:
    def __init__(self, seed):
        self.s = seed & M64

    def next_long(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def next_float(self):
        return np.float32((self.next_long() >> 40) * 2.0 ** -24)

    def uniform(self, lo, hi):
        lo, hi = np.float32(lo), np.float32(hi)
        return np.float32(lo + np.float32(np.float32(hi - lo) * self.next_float()))


def spiral(rng, classes=3, per_class=100):
    """Class c, point i: r = i/(n-1), θ = 4c + 4r + noise(±0.3); x = (r sin θ, r cos θ). All in float32."""
    xs, ys = [], []
    for c in range(classes):
        for i in range(per_class):
            r = np.float32(np.float32(i) / np.float32(per_class - 1))
            theta = np.float32(np.float32(np.float32(4 * c) + np.float32(4.0) * r) + rng.uniform(-0.3, 0.3))
            xs.append([np.float32(r * np.float32(math.sin(theta))), np.float32(r * np.float32(math.cos(theta)))])
            ys.append(c)
    return np.array(xs, dtype=np.float32), np.array(ys)


def linear(rng, fan_in, fan_out):
    b = np.float32(1.0 / math.sqrt(fan_in))
    w = np.array([rng.uniform(-b, b) for _ in range(fan_out * fan_in)], dtype=np.float32).reshape(fan_out, fan_in)
    bias = np.array([rng.uniform(-b, b) for _ in range(fan_out)], dtype=np.float32)
    return w, bias


def train(opt_name, steps):
    x, y = spiral(Rng(0))
    rng = Rng(1)
    w0, b0 = linear(rng, 2, 64)
    w1, b1 = linear(rng, 64, 3)
    params = [torch.tensor(a, requires_grad=True) for a in (w0, b0, w1, b1)]
    X, Y = torch.tensor(x), torch.tensor(y)
    if opt_name == "adamw":
        opt = torch.optim.AdamW(params, lr=1e-2, weight_decay=0.0)
    else:
        opt = torch.optim.SGD(params, lr=0.1, momentum=0.9)
    first = None
    for step in range(steps):
        h = torch.relu(X @ params[0].T + params[1])
        loss = torch.nn.functional.cross_entropy(h @ params[2].T + params[3], Y)
        if first is None:
            first = loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        h = torch.relu(X @ params[0].T + params[1])
        logits = h @ params[2].T + params[3]
        final = torch.nn.functional.cross_entropy(logits, Y).item()
        acc = (logits.argmax(1) == Y).float().mean().item()
    print(f"{opt_name}: torch {torch.__version__}, initial loss {first:.6f}, loss after {steps} steps {final:.6f}, accuracy {acc:.4f}")


torch.manual_seed(0)
torch.set_num_threads(1)
print("x[0..2] =", spiral(Rng(0))[0][:3].tolist())
train("adamw", 300)
train("sgd", 300)

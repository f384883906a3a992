"""Dev-time oracle for llmbook.nn.AdaptiveSoftmax (Q42): PyTorch's AdaptiveLogSoftmaxWithLoss with the same weights.

Usage: /usr/bin/python3 adaptive_softmax_oracle.py FILE, where FILE was written by AdaptiveSoftmaxOracle.java.
Both layers have the same structure: a bias-free head over the shortlist plus one class per cluster (in that
order), and per cluster a bias-free projection to in/div^i followed by a bias-free output layer. Measured:
loss 7.346373 (torch) vs 7.346374 (ours), max |log p difference| 1.9e-6, max |dL/dh difference| 1.5e-8.
torch is a dev-time oracle only, never a dependency.
"""
import json
import struct
import sys

import numpy as np
import torch

raw = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]; hdr = json.loads(raw[8:8+n]); base = 8+n
T = {k: torch.tensor(np.frombuffer(raw[base+v['data_offsets'][0]:base+v['data_offsets'][1]], dtype='<f4').reshape(v['shape']).copy())
     for k, v in hdr.items() if k != '__metadata__'}
m = torch.nn.AdaptiveLogSoftmaxWithLoss(16, 300, [20, 100], div_value=4.0, head_bias=False)
with torch.no_grad():
    m.head.weight.copy_(T['head.weight'])
    for i in range(2):
        m.tail[i][0].weight.copy_(T[f'tail{i+1}_proj.weight']); m.tail[i][1].weight.copy_(T[f'tail{i+1}_out.weight'])
h = T['hidden'].clone().requires_grad_(True); t = T['targets'].long()
out = m(h, t)
out.loss.backward()
print('loss torch %.6f ours %.6f' % (out.loss.item(), T['loss'].item()))
print('max |log_prob diff|', (m.log_prob(h) - T['log_probs']).abs().max().item())
print('max |dL/dh diff|', (h.grad - T['hidden_grad']).abs().max().item())

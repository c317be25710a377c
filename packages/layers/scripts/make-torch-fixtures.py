"""Writes test/fixtures/torch-reference.json: reference numbers computed by PyTorch (float64) for
the @nnkit/layers tests. Run: /usr/bin/python3 scripts/make-torch-fixtures.py (tests never run it).

Conventions mapped to PyTorch:
- nnkit batchNorm({ momentum: 0.9, epsilon: 1e-5 }) == torch.nn.BatchNorm1d(momentum=0.1, eps=1e-5)
- nnkit dense kernel W [in, out] == torch Linear.weight.T
- softmaxCrossEntropy == F.cross_entropy (mean), sigmoidCrossEntropy == F.binary_cross_entropy_with_logits (mean),
  meanSquaredError == F.mse_loss (mean)
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20261126)
torch.set_default_dtype(torch.float64)
out = {}


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


# Batch norm: three training steps (running statistics), gradients of the third, then eval.
bn = torch.nn.BatchNorm1d(4, momentum=0.1, eps=1e-5)
with torch.no_grad():
    bn.weight.copy_(torch.tensor([1.5, -0.7, 0.3, 2.0]))
    bn.bias.copy_(torch.tensor([0.1, -0.2, 0.5, 0.0]))
gamma0, beta0 = flat(bn.weight), flat(bn.bias)
bn.train()
batches = [torch.randn(6, 4) * torch.tensor([1.0, 3.0, 0.1, 10.0]) + torch.tensor([0.0, -2.0, 5.0, 1.0]) for _ in range(3)]
steps = []
for i, xb in enumerate(batches):
    x = xb.clone().requires_grad_(True)
    y = bn(x)
    dy = torch.randn(6, 4)
    (y * dy).sum().backward()
    steps.append({
        "x": flat(xb), "dy": flat(dy), "y": flat(y), "dx": flat(x.grad),
        "dgamma": flat(bn.weight.grad), "dbeta": flat(bn.bias.grad),
        "runningMean": flat(bn.running_mean), "runningVar": flat(bn.running_var),
    })
    bn.weight.grad = None
    bn.bias.grad = None
bn.eval()
x_eval = torch.randn(5, 4) * 2 + 1
x = x_eval.clone().requires_grad_(True)
y_eval = bn(x)
dy_eval = torch.randn(5, 4)
(y_eval * dy_eval).sum().backward()
out["batchNorm"] = {
    "features": 4, "rows": 6, "momentum": 0.9, "epsilon": 1e-5, "gamma": gamma0, "beta": beta0, "steps": steps,
    "eval": {"x": flat(x_eval), "y": flat(y_eval), "dy": flat(dy_eval), "dx": flat(x.grad)},
}

# Softmax cross-entropy with logits of ±1000 (and ordinary ones), class ids.
logits = torch.tensor([
    [1000.0, -1000.0, 0.0],
    [-1000.0, 1000.0, 999.0],
    [0.5, -0.25, 2.0],
    [-1000.0, -1000.0, -1000.0],
])
labels = torch.tensor([1, 2, 2, 0])
z = logits.clone().requires_grad_(True)
loss = F.cross_entropy(z, labels)
loss.backward()
out["softmaxCrossEntropy"] = {"logits": flat(logits), "shape": list(logits.shape), "labels": labels.tolist(), "loss": float(loss), "grad": flat(z.grad)}

# Sigmoid cross-entropy with logits of ±1000.
s_logits = torch.tensor([[1000.0, -1000.0], [-1000.0, 3.0], [0.0, -2.5]])
s_targets = torch.tensor([[0.0, 1.0], [0.0, 1.0], [1.0, 0.3]])
z = s_logits.clone().requires_grad_(True)
loss = F.binary_cross_entropy_with_logits(z, s_targets)
loss.backward()
out["sigmoidCrossEntropy"] = {"logits": flat(s_logits), "shape": list(s_logits.shape), "targets": flat(s_targets), "loss": float(loss), "grad": flat(z.grad)}

# Mean squared error.
p = torch.randn(4, 3)
t = torch.randn(4, 3)
z = p.clone().requires_grad_(True)
loss = F.mse_loss(z, t)
loss.backward()
out["meanSquaredError"] = {"pred": flat(p), "target": flat(t), "shape": [4, 3], "loss": float(loss), "grad": flat(z.grad)}

# A small MLP per activation: 3 -> 5 (act) -> 4 logits, softmax cross-entropy; gradients by autograd.
acts = {
    "relu": F.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
    "leakyRelu": lambda v: F.leaky_relu(v, 0.01), "linear": lambda v: v,
}
mlp = {}
x = torch.randn(7, 3)
labels = torch.tensor([0, 3, 1, 2, 2, 0, 3])
for name, act in acts.items():
    w1 = (torch.randn(3, 5) * 0.8).requires_grad_(True)
    b1 = (torch.randn(5) * 0.1).requires_grad_(True)
    w2 = (torch.randn(5, 4) * 0.8).requires_grad_(True)
    b2 = (torch.randn(4) * 0.1).requires_grad_(True)
    logits = act(x @ w1 + b1) @ w2 + b2
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    mlp[name] = {
        "weights": [flat(w1), flat(b1), flat(w2), flat(b2)], "logits": flat(logits), "loss": float(loss),
        "grads": [flat(w1.grad), flat(b1.grad), flat(w2.grad), flat(b2.grad)],
    }
out["mlp"] = {"x": flat(x), "labels": labels.tolist(), "inputs": 3, "hidden": 5, "classes": 4, "byActivation": mlp}

# Softmax as an activation layer: d/dx of sum(softmax(x) * dy).
sx = torch.randn(3, 4)
sdy = torch.randn(3, 4)
z = sx.clone().requires_grad_(True)
(torch.softmax(z, dim=1) * sdy).sum().backward()
out["softmaxActivation"] = {"x": flat(sx), "dy": flat(sdy), "shape": [3, 4], "y": flat(torch.softmax(sx, dim=1)), "dx": flat(z.grad)}

# Custom layers (appended last, so the draws above are unchanged): dense(4, tanh) → layer norm →
# residual block x + relu(x·W1 + b1)·W2 + b2 → dense(3), softmax cross-entropy with class ids.
cx = torch.randn(6, 3)
clabels = torch.tensor([0, 2, 1, 1, 0, 2])
cw = {
    "d1Kernel": torch.randn(3, 4) * 0.7, "d1Bias": torch.randn(4) * 0.1,
    "lnGamma": 1 + 0.2 * torch.randn(4), "lnBeta": 0.1 * torch.randn(4),
    "resW1": torch.randn(4, 4) * 0.5, "resB1": torch.randn(4) * 0.1, "resW2": torch.randn(4, 4) * 0.5, "resB2": torch.randn(4) * 0.1,
    "d2Kernel": torch.randn(4, 3) * 0.7, "d2Bias": torch.randn(3) * 0.1,
}
cp = {k: v.clone().requires_grad_(True) for k, v in cw.items()}
h = torch.tanh(cx @ cp["d1Kernel"] + cp["d1Bias"])
mu = h.mean(1, keepdim=True)
var = ((h - mu) ** 2).mean(1, keepdim=True)
h = (h - mu) / torch.sqrt(var + 1e-5) * cp["lnGamma"] + cp["lnBeta"]
h = h + torch.relu(h @ cp["resW1"] + cp["resB1"]) @ cp["resW2"] + cp["resB2"]
clogits = h @ cp["d2Kernel"] + cp["d2Bias"]
closs = F.cross_entropy(clogits, clabels)
closs.backward()
out["customLayers"] = {
    "x": flat(cx), "labels": clabels.tolist(), "epsilon": 1e-5, "order": list(cw.keys()),
    "weights": {k: flat(v) for k, v in cw.items()}, "grads": {k: flat(cp[k].grad) for k in cw},
    "logits": flat(clogits), "loss": float(closs),
}

out["generatedBy"] = f"scripts/make-torch-fixtures.py with torch {torch.__version__}"
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "torch-reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(path))

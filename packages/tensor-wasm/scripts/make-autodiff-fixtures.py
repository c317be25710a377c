"""Writes test/fixtures/autodiff.json: gradients computed by PyTorch's autograd (float64) for the
autodiff tests. Run: /usr/bin/python3 scripts/make-autodiff-fixtures.py (tests never run it).

Each case is a function f of some inputs; the loss is sum(f(inputs) * w) with a fixed random w of
f's output shape, so every element of d loss / d f is different. The test defines the same f with
nnkit's ops under the same name and compares d loss / d each input, and the loss.
Conventions: relu'(0) = 0, |x|'(0) = 0, leaky_relu'(0) = slope, maximum/minimum and amax/amin split
ties equally.
"""
import json
import os
import zlib

import torch
import torch.nn.functional as F

torch.manual_seed(20261201)
torch.set_default_dtype(torch.float64)


def rnd(*shape):
    return torch.randn(*shape)


def pos(*shape):
    return torch.rand(*shape) + 0.5


def with_zeros(*shape):
    t = torch.randn(*shape).reshape(-1)
    t[::3] = 0.0
    return t.reshape(*shape)


def ties(a, b_shape):
    b = torch.randn(*b_shape)
    flat_b = b.reshape(-1)
    flat_a = a.reshape(-1)
    flat_b[::2] = flat_a[: flat_b.numel()][::2]  # some entries equal (a broadcasts along rows)
    return b


def tied(*shape):
    # Small integers: many elements tie for the max and the min of a row, a column and the whole.
    return torch.randint(0, 3, shape).to(torch.float64)


CLASS_IDS = [2, 0, 1, 2]
BN_EPSILON = 1e-5


def batch_norm_parts(x, g, b):
    # x̂, the batch mean and std used besides the normalized output: every path of the fused ops.
    mean = x.mean(0)
    std = torch.sqrt(x.var(0, unbiased=False) + BN_EPSILON)
    xhat = (x - mean) / std
    return (xhat * g + b) * xhat + mean * std


a34 = rnd(3, 4)
cases = [
    ('add_row', lambda a, b: a + b, [rnd(3, 4), rnd(4)]),
    ('add_both', lambda a, b: a + b, [rnd(3, 1), rnd(1, 4)]),
    ('sub_3d', lambda a, b: a - b, [rnd(2, 3, 4), rnd(3, 1)]),
    ('sub_rev', lambda a, b: a - b, [rnd(4), rnd(2, 3, 4)]),
    ('mul_col', lambda a, b: a * b, [rnd(3, 4), rnd(3, 1)]),
    ('div_row', lambda a, b: a / b, [rnd(2, 3), pos(3)]),
    ('div_rev', lambda a, b: a / b, [pos(3), pos(2, 3)]),
    ('numbers', lambda a: (1.5 - a) * 2.5 / (a * a + 1.0), [rnd(3, 4)]),
    ('fanout', lambda x: x * x + torch.exp(x), [rnd(3, 4)]),
    ('neg', lambda x: -x, [rnd(2, 5)]),
    ('exp', torch.exp, [rnd(2, 5)]),
    ('log', torch.log, [pos(2, 5)]),
    ('sqrt', torch.sqrt, [pos(2, 5)]),
    ('square', torch.square, [rnd(2, 5)]),
    ('abs', torch.abs, [with_zeros(2, 5)]),
    ('sign', torch.sign, [with_zeros(2, 5)]),
    ('relu', torch.relu, [with_zeros(2, 5)]),
    ('leakyRelu', lambda x: F.leaky_relu(x, 0.1), [with_zeros(2, 5)]),
    ('sigmoid', torch.sigmoid, [rnd(2, 5) * 3]),
    ('tanh', torch.tanh, [rnd(2, 5) * 2]),
    ('affine', lambda x: x * 1.5 + -0.25, [rnd(2, 5)]),
    ('maximum', torch.maximum, [a34, ties(a34, (4,))]),
    ('minimum', torch.minimum, [a34, ties(a34, (4,))]),
    ('maximum_same', torch.maximum, [a34, a34.clone()]),
    ('matmul', lambda a, b: a @ b, [rnd(3, 4), rnd(4, 5)]),
    ('matmul_tA', lambda a, b: a.T @ b, [rnd(4, 3), rnd(4, 5)]),
    ('matmul_tB', lambda a, b: a @ b.T, [rnd(3, 4), rnd(5, 4)]),
    ('matmul_tAB', lambda a, b: a.T @ b.T, [rnd(4, 3), rnd(5, 4)]),
    ('sum_all', lambda x: x.sum(), [rnd(3, 4)]),
    ('sum_0', lambda x: x.sum(0), [rnd(3, 4)]),
    ('sum_1_keep', lambda x: x.sum(1, keepdim=True), [rnd(3, 4)]),
    ('sum_last_3d', lambda x: x.sum(-1), [rnd(2, 3, 4)]),
    ('mean_all_keep', lambda x: x.mean().reshape(1, 1), [rnd(3, 4)]),
    ('mean_1_keep', lambda x: x.mean(1, keepdim=True), [rnd(3, 4)]),
    ('mean_0_3d', lambda x: x.mean(0), [rnd(2, 3, 4)]),
    ('softmax', lambda x: torch.softmax(x, -1), [rnd(3, 5) * 2]),
    ('softmax_3d', lambda x: torch.softmax(x, -1), [rnd(2, 3, 4)]),
    ('logSoftmax', lambda x: torch.log_softmax(x, -1), [rnd(3, 5) * 2]),
    ('reshape', lambda x: x.reshape(2, 6), [rnd(3, 4)]),
    ('transpose', lambda x: x.T, [rnd(3, 4)]),
    ('transpose_3d', lambda x: x.permute(2, 0, 1), [rnd(2, 3, 4)]),
    ('mlp', lambda x, w1, b1, w2, b2: torch.log_softmax(torch.relu(x @ w1 + b1) @ w2 + b2, -1),
     [rnd(5, 4), rnd(4, 6), rnd(6), rnd(6, 3), rnd(3)]),
    ('layer_norm', lambda x, g: (x - x.mean(1, keepdim=True)) / torch.sqrt(((x - x.mean(1, keepdim=True)) ** 2).mean(1, keepdim=True) + 1e-5) * g,
     [rnd(4, 6), rnd(6)]),
    # Appended, so that the inputs of the cases above stay as they were.
    ('max_all', lambda x: x.amax(), [tied(3, 4)]),
    ('max_1_keep', lambda x: x.amax(1, keepdim=True), [tied(3, 4)]),
    ('max_last_3d', lambda x: x.amax(-1), [tied(2, 3, 4)]),
    ('max_distinct', lambda x: x.amax(0), [rnd(3, 4)]),
    ('min_all_keep', lambda x: x.amin((0, 1), keepdim=True), [tied(3, 4)]),
    ('min_0', lambda x: x.amin(0), [tied(3, 4)]),
    ('min_0_3d_keep', lambda x: x.amin(0, keepdim=True), [tied(2, 3, 4)]),
    ('rows_mid', lambda x: x[1:3], [rnd(4, 3)]),
    ('rows_3d', lambda x: x[2:4], [rnd(4, 2, 3)]),
    ('rows_overlap', lambda x: x[0:3] * torch.exp(x[1:4]), [rnd(4, 3)]),
    ('gather_repeat', lambda x: x[[3, 0, 3, 1, 3, 0]], [rnd(5, 3)]),
    ('gather_3d', lambda x: x[[1, 1, 0]], [rnd(3, 2, 2)]),
    ('gather_fanout', lambda x: x[[2, 2, 0, 1]] * x[0:4], [rnd(5, 3)]),
    ('concat_rows', lambda a, b: torch.cat([a, b], 0), [rnd(2, 3), rnd(4, 3)]),
    ('concat_cols_fanout', lambda a, b: torch.cat([a, torch.exp(b), a], -1), [rnd(3, 2), rnd(3, 4)]),
    ('concat_mid_3d', lambda a, b: torch.cat([a, b], 1), [rnd(2, 1, 3), rnd(2, 3, 3)]),
    # The fused ops. Class ids and one-hot rows are constants: the same in the test.
    ('dense_relu', lambda x, w, b: torch.relu(x @ w + b), [rnd(5, 4), rnd(4, 3), rnd(3)]),
    ('dense_linear_nobias', lambda x, w: x @ w, [rnd(5, 4), rnd(4, 3)]),
    ('dense_leaky', lambda x, w, b: F.leaky_relu(x @ w + b, 0.1), [rnd(5, 4), rnd(4, 3), rnd(1, 3)]),
    ('dense_sigmoid', lambda x, w, b: torch.sigmoid(x @ w + b), [rnd(5, 4), rnd(4, 3), rnd(3)]),
    ('dense_tanh_fanout', lambda x, w, b: torch.tanh(x @ w + b) @ w.T, [rnd(5, 4), rnd(4, 4), rnd(4)]),
    ('softmax_xent_ids', lambda z: F.cross_entropy(z, torch.tensor(CLASS_IDS)), [rnd(4, 3) * 2]),
    ('softmax_xent_onehot', lambda z: F.cross_entropy(z, F.one_hot(torch.tensor(CLASS_IDS), 3).to(torch.float64)), [rnd(4, 3) * 2]),
    ('softmax_xent_probs', lambda z, p: F.cross_entropy(z, p), [rnd(4, 3), torch.softmax(rnd(4, 3), -1)]),
    ('softmax_xent_mlp', lambda x, w, b: F.cross_entropy(torch.relu(x @ w + b), torch.tensor(CLASS_IDS)), [rnd(4, 5), rnd(5, 3), rnd(3)]),
    ('sigmoid_xent', lambda z, t: F.binary_cross_entropy_with_logits(z, t), [rnd(4, 3) * 3, torch.rand(4, 3)]),
    ('batch_norm_train', lambda x, g, b: F.batch_norm(x, None, None, g, b, training=True, eps=BN_EPSILON), [rnd(6, 4) * 2 + 1, rnd(4), rnd(4)]),
    ('batch_norm_train_parts', batch_norm_parts, [rnd(5, 3) * 2 - 1, rnd(3), rnd(3)]),
    ('batch_norm_inference', lambda x, mu, sd, g, b: (x - mu) / sd * g + b, [rnd(5, 3), rnd(3), pos(3), rnd(3), rnd(3)]),
    ('batch_norm_mlp', lambda x, w, g, b: torch.relu(F.batch_norm(x @ w, None, None, g, b, training=True, eps=BN_EPSILON)),
     [rnd(6, 4), rnd(4, 3), rnd(3), rnd(3)]),
]


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


out = []
for name, f, inputs in cases:
    xs = [t.clone().requires_grad_(True) for t in inputs]
    y = f(*xs)
    # w from a generator of the case's own, so that appending a case changes no other case.
    w = torch.randn(tuple(y.shape), generator=torch.Generator().manual_seed(zlib.crc32(name.encode())))
    loss = (y * w).sum()
    gs = torch.autograd.grad(loss, xs)
    out.append({
        'name': name,
        'inputs': [{'shape': list(t.shape), 'values': flat(t)} for t in inputs],
        'w': {'shape': list(y.shape), 'values': flat(w)},
        'loss': float(loss),
        'grads': [flat(g) for g in gs],
    })

path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'autodiff.json')
with open(path, 'w') as fh:
    json.dump({'generator': 'scripts/make-autodiff-fixtures.py', 'torch': torch.__version__, 'cases': out}, fh, indent=None)
    fh.write('\n')
print(f'wrote {len(out)} cases to {path}')

"""PyTorch's side of tools/bench/mlp.bench.mjs: the same MLP on the same digits, on 1 or 2 threads.

Run by the benchmark as a child (/usr/bin/python3 with Debian's python3-torch) with the variant,
the data folder and the thread count (torch.set_num_threads) as arguments: it reads the
training and test digits the parent wrote as raw float32 files, builds the model, prints
{"ready": true}, then trains one epoch for every "epoch" line on stdin and answers {"seconds": s};
"finish" answers the test accuracy and the peak memory, and ends. The ready line also names the
BLAS library the process loaded: Debian's python3-torch multiplies through whatever libblas.so.3
the system provides, and the reference BLAS (libblas3, the default) is an order of magnitude slower
than OpenBLAS (libopenblas0-pthread), which is what makes a fair PyTorch row.
"""
import json
import resource
import sys
import time

import numpy as np
import torch
from torch import nn

variant, data_dir = sys.argv[1], sys.argv[2]
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
BATCH, LEARNING_RATE, DROPOUT = 64, 1e-3, 0.2


def load(name, columns):
    return torch.from_numpy(np.fromfile(f"{data_dir}/{name}.f32", dtype=np.float32).reshape(-1, columns))


def say(message):
    print(json.dumps(message), flush=True)


x_train, y_train = load("train_x", 784), load("train_y", 10).argmax(1)
x_test, y_test = load("test_x", 784), load("test_y", 10).argmax(1)

torch.manual_seed(1)


def hidden(inputs, units):
    if variant == "plain":
        return [nn.Linear(inputs, units), nn.ReLU()]
    return [nn.Linear(inputs, units, bias=False), nn.BatchNorm1d(units), nn.ReLU(), nn.Dropout(DROPOUT)]


model = nn.Sequential(*hidden(784, 256), *hidden(256, 128), nn.Linear(128, 10))
for layer in model.modules():
    if isinstance(layer, nn.Linear):
        nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")  # He initialization, as the others
        if layer.bias is not None:
            nn.init.zeros_(layer.bias)
# The multi-tensor Adam (foreach=True): PyTorch at its best here. Debian's build runs the
# single-tensor Adam's sqrt and addcdiv without vectorization (2.3 and 4.1 ms per 200,704 floats,
# measured 2026-12-02 on the AMD machine), which took 0.61 s of a 0.84 s epoch; foreach: 0.24–0.33 s.
optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, foreach=True)
loss_fn = nn.CrossEntropyLoss()  # softmax cross-entropy from logits
shuffle = torch.Generator().manual_seed(1)


def blas_library():
    """The BLAS shared library mapped into this process (resolved through the alternatives links)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.split()[-1]}
    return sorted(paths)[0] if paths else None


say({"ready": True, "blas": blas_library()})

for line in sys.stdin:
    command = line.strip()
    if command == "epoch":
        start = time.perf_counter()
        model.train()
        order = torch.randperm(len(x_train), generator=shuffle)
        for first in range(0, len(x_train), BATCH):
            batch = order[first:first + BATCH]
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(x_train[batch]), y_train[batch]).backward()
            optimizer.step()
        say({"seconds": time.perf_counter() - start})
    elif command == "finish":
        model.eval()
        with torch.no_grad():
            accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
        # ru_maxrss is in kilobytes on Linux: the process's peak resident memory.
        say({"accuracy": accuracy, "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "wasmBytes": None})
        break

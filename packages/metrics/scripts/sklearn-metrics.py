"""Writes test/fixtures/sklearn-metrics.json: inputs and scikit-learn's answers for the metric tests.

Run with the system python that has Debian's python3-sklearn:
    /usr/bin/python3 scripts/sklearn-metrics.py
"""
import json
import pathlib

import numpy as np
import scipy.special
import sklearn
from sklearn import metrics

rng = np.random.default_rng(20261126)


def prf(y_true, y_pred, **kw):
    out = {}
    for avg in ["macro", "micro", "weighted"]:
        out[avg] = {
            "precision": metrics.precision_score(y_true, y_pred, average=avg, zero_division=0, **kw),
            "recall": metrics.recall_score(y_true, y_pred, average=avg, zero_division=0, **kw),
            "f1": metrics.f1_score(y_true, y_pred, average=avg, zero_division=0, **kw),
        }
    out["none"] = {
        "precision": metrics.precision_score(y_true, y_pred, average=None, zero_division=0, **kw).tolist(),
        "recall": metrics.recall_score(y_true, y_pred, average=None, zero_division=0, **kw).tolist(),
        "f1": metrics.f1_score(y_true, y_pred, average=None, zero_division=0, **kw).tolist(),
    }
    return out


cases = {}

# Multiclass: 4 classes, predictions right about 60% of the time.
y_true = rng.integers(0, 4, 200)
y_pred = np.where(rng.random(200) < 0.6, y_true, rng.integers(0, 4, 200))
cases["multiclass"] = {
    "yTrue": y_true.tolist(), "yPred": y_pred.tolist(),
    "accuracy": metrics.accuracy_score(y_true, y_pred),
    "confusionMatrix": metrics.confusion_matrix(y_true, y_pred).tolist(),
    **prf(y_true, y_pred),
}

# Class 2 never occurs: scikit-learn averages over the labels present (0, 1, 3) unless told otherwise.
y_true = rng.choice([0, 1, 3], 60)
y_pred = np.where(rng.random(60) < 0.5, y_true, rng.choice([0, 1, 3], 60))
cases["absentClass"] = {
    "yTrue": y_true.tolist(), "yPred": y_pred.tolist(),
    "present": prf(y_true, y_pred),
    "allFour": prf(y_true, y_pred, labels=[0, 1, 2, 3]),
}

# Binary: probabilities of class 1, thresholded at 0.5 for the label metrics.
y_true = rng.integers(0, 2, 120)
p1 = np.clip(0.5 + (y_true - 0.5) * 0.4 + rng.normal(0, 0.25, 120), 0.01, 0.99)
y_hat = (p1 > 0.5).astype(int)
cases["binary"] = {
    "yTrue": y_true.tolist(), "probability": p1.tolist(),
    "accuracy": metrics.accuracy_score(y_true, y_hat),
    "precision": metrics.precision_score(y_true, y_hat),
    "recall": metrics.recall_score(y_true, y_hat),
    "f1": metrics.f1_score(y_true, y_hat),
    "confusionMatrix": metrics.confusion_matrix(y_true, y_hat).tolist(),
    "logLoss": metrics.log_loss(y_true, p1),
}

# Scores over 5 classes: logits, their softmax, log loss and top-k accuracy.
m, k = 80, 5
y_true = rng.integers(0, k, m)
logits = rng.normal(0, 1.5, (m, k))
logits[np.arange(m), y_true] += 1.0
probs = scipy.special.softmax(logits, axis=1)
cases["scores"] = {
    "yTrue": y_true.tolist(), "logits": logits.ravel().tolist(), "probabilities": probs.ravel().tolist(),
    "rows": m, "cols": k,
    "accuracy": metrics.accuracy_score(y_true, probs.argmax(axis=1)),
    "logLoss": metrics.log_loss(y_true, probs, labels=list(range(k))),
    "top1": metrics.top_k_accuracy_score(y_true, probs, k=1, labels=list(range(k))),
    "top2": metrics.top_k_accuracy_score(y_true, probs, k=2, labels=list(range(k))),
    "top3": metrics.top_k_accuracy_score(y_true, probs, k=3, labels=list(range(k))),
}

out = {"generator": "scripts/sklearn-metrics.py", "sklearn": sklearn.__version__, "cases": cases}
path = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "sklearn-metrics.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print("wrote", path)

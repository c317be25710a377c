"""Writes test/fixtures/reference-data.json: scikit-learn's and SciPy's answers for the data tests.

Run with the system python that has Debian's python3-sklearn (which brings SciPy):
    /usr/bin/python3 scripts/reference-data.py
"""
import json
import pathlib

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.datasets import make_circles, make_moons
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(7)
out = {"generator": "scripts/reference-data.py", "sklearn": sklearn.__version__, "scipy": scipy.__version__}

# Noise-free, unshuffled generators are deterministic: their exact points.
out["moons"] = {str(n): dict(zip(["x", "y"], (a.tolist() for a in make_moons(n_samples=n, shuffle=False)))) for n in (9, 10)}
out["circles"] = {
    str(n): dict(zip(["x", "y"], (a.tolist() for a in make_circles(n_samples=n, shuffle=False, factor=0.5)))) for n in (9, 10)
}

# StandardScaler: statistics from train, applied to dev; feature 2 is constant.
train = rng.normal([3.0, -2.0, 0.0, 100.0], [2.0, 0.5, 1.0, 10.0], (50, 4))
train[:, 2] = 4.25
dev = rng.normal([3.0, -2.0, 0.0, 100.0], [2.0, 0.5, 1.0, 10.0], (7, 4))
scaler = StandardScaler().fit(train)
out["standardizer"] = {
    "train": train.ravel().tolist(), "dev": dev.ravel().tolist(), "features": 4,
    "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(), "std": np.sqrt(scaler.var_).tolist(),
    "devTransformed": scaler.transform(dev).ravel().tolist(),
}


def compare(a, b, ya, yb):
    k = int(max(ya.max(), yb.max())) + 1
    table = np.array([np.bincount(ya, minlength=k), np.bincount(yb, minlength=k)])
    chi2, p, dof, _ = scipy.stats.chi2_contingency(table, correction=False)
    t = scipy.stats.ttest_ind(a, b, equal_var=False)
    va, vb = a.var(axis=0, ddof=1), b.var(axis=0, ddof=1)
    cdf = scipy.stats.f.cdf(va / vb, a.shape[0] - 1, b.shape[0] - 1)
    return {
        "a": a.ravel().tolist(), "b": b.ravel().tolist(), "ya": ya.tolist(), "yb": yb.tolist(), "features": a.shape[1],
        "chiSquare": chi2, "df": int(dof), "labelPValue": p,
        "meanPValues": t.pvalue.tolist(), "variancePValues": np.minimum(1, 2 * np.minimum(cdf, 1 - cdf)).tolist(),
    }


# Same distribution, and a test set whose feature 1 is shifted, feature 2 wider, classes unbalanced.
a = rng.normal(0, 1, (300, 3))
b = rng.normal(0, 1, (250, 3))
out["same"] = compare(a, b, rng.integers(0, 3, 300), rng.integers(0, 3, 250))
shifted = rng.normal([0, 0.6, 0], [1, 1, 1.8], (250, 3))
out["different"] = compare(a, shifted, rng.integers(0, 3, 300), rng.choice(3, 250, p=[0.6, 0.2, 0.2]))

path = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "reference-data.json"
path.write_text(json.dumps(out) + "\n")
print("wrote", path)

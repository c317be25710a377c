# Regenerates src/course/course-data.json: the 2-D data sets of the course's initialization and
# optimization exercises, made exactly as the exercises make them (scikit-learn with NumPy's global
# seed: circles 300 train with seed 1 and 100 test with seed 2, noise 0.05; moons 300 with seed 3,
# noise 0.2). Run: /usr/bin/python3 apps/cli/scripts/course-data.py
import json
import os

import numpy as np
import sklearn.datasets

np.random.seed(1)
circles_train = sklearn.datasets.make_circles(n_samples=300, noise=.05)
np.random.seed(2)
circles_test = sklearn.datasets.make_circles(n_samples=100, noise=.05)
np.random.seed(3)
moons = sklearn.datasets.make_moons(n_samples=300, noise=.2)


def as_json(d):
    return {"x": [[round(float(v), 8) for v in row] for row in d[0]], "y": [int(v) for v in d[1]]}


out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "course", "course-data.json")
with open(out, "w") as f:
    json.dump({
        "source": "scikit-learn " + sklearn.__version__ + ", numpy " + np.__version__ + ", as in the course's exercises",
        "circlesTrain": as_json(circles_train),
        "circlesTest": as_json(circles_test),
        "moons": as_json(moons),
    }, f)

"""Writes test/fixtures/tpe-optuna.json: what Optuna 3.1's TPE builds for a few small inputs, and
what it proposes after one fixed history of 30 trials, for 400 seeds.

The TPE tests compare nnkit's sampler against this file; they never run Python. Regenerate with
Debian's python3-optuna (3.1):  /usr/bin/python3 scripts/tpe-fixtures.py
"""
import json
import math
import os

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import _get_observation_pairs, _split_observation_pairs, default_gamma, default_weights
from optuna.trial import TrialState, create_trial

assert optuna.__version__.startswith("3.1"), optuna.__version__

# TPESampler's defaults: prior, prior_weight 1, magic clip, no endpoints, default weights, univariate.
PARAMS = _ParzenEstimatorParameters(True, 1.0, True, False, default_weights, False)


def estimator(name, dist, observations, points):
    pe = _ParzenEstimator({"x": np.asarray(observations, dtype=float)}, {"x": dist}, PARAMS)
    case = {
        "name": name,
        "observations": observations,
        "weights": pe._weights.tolist(),
        "points": points,
        "logPdf": pe.log_pdf({"x": np.asarray(points, dtype=float if not isinstance(dist, CategoricalDistribution) else int)}).tolist(),
    }
    if isinstance(dist, CategoricalDistribution):
        case["categorical"] = pe._categorical_weights["x"].tolist()
    else:
        case["mus"] = pe._mus["x"].tolist()
        case["sigmas"] = pe._sigmas["x"].tolist()
    return case


rng = np.random.RandomState(7)
thirty = [float(v) for v in np.round(rng.uniform(-3, 5, size=30), 6)]
cases = [
    estimator("uniform(0, 10)", FloatDistribution(0, 10), [2.0, 5.0, 9.0], [0.0, 2.5, 7.0, 10.0]),
    estimator("uniform(0, 10), no observation", FloatDistribution(0, 10), [], [1.0, 5.0]),
    estimator("logUniform(1e-4, 1)", FloatDistribution(1e-4, 1, log=True), [1e-3, 0.02, 0.02, 0.5], [1e-4, 3e-3, 0.1, 1.0]),
    # oneMinusLogUniform(0.9, 0.999) is modelled as 1 − β, log-uniform on [0.001, 0.1].
    estimator("1 - beta, beta in oneMinusLogUniform(0.9, 0.999)", FloatDistribution(1e-3, 0.1, log=True), [0.1, 0.01, 0.005, 0.002, 0.05], [0.001, 0.004, 0.03]),
    estimator("intUniform(1, 8)", IntDistribution(1, 8), [1, 4, 4, 8, 6], [1, 2, 4, 5, 8]),
    estimator("intLogUniform(16, 512)", IntDistribution(16, 512, log=True), [16, 64, 100], [16, 17, 64, 300, 512]),
    estimator("choice of 3", CategoricalDistribution(["a", "b", "c"]), [0, 2, 2, 1], [0, 1, 2]),
    estimator("uniform(-3, 5), 30 observations", FloatDistribution(-3, 5), thirty, [-3.0, 0.0, 1.234, 5.0]),
]

# The split of a study's trials into below/above, with pruned and running trials.
def split(direction, trials, constant_liar):
    study = optuna.create_study(direction=direction)
    dist = FloatDistribution(0, 1)
    for t in trials:
        state = {"complete": TrialState.COMPLETE, "pruned": TrialState.PRUNED, "running": TrialState.RUNNING, "failed": TrialState.FAIL}[t["state"]]
        study.add_trial(create_trial(
            state=state,
            value=t.get("value") if state == TrialState.COMPLETE else None,
            params={"x": t["x"]},
            distributions={"x": dist},
            intermediate_values={int(k): v for k, v in t.get("intermediate", {}).items()},
        ))
    _, scores, violations = _get_observation_pairs(study, ["x"], constant_liar, False)
    n = sum(s < float("inf") for s, v in scores)
    below, above = _split_observation_pairs(scores, default_gamma(n), violations)
    kept = [i for i, t in enumerate(trials) if t["state"] in (("complete", "pruned", "running") if constant_liar else ("complete", "pruned"))]
    return {
        "direction": direction,
        "constantLiar": constant_liar,
        "trials": trials,
        "finished": int(n),
        "below": [kept[i] for i in below.tolist()],
        "above": [kept[i] for i in above.tolist()],
    }


values = [float(v) for v in np.round(rng.uniform(0, 10, size=22), 4)]
trials = [{"state": "complete", "value": v, "x": i / 40} for i, v in enumerate(values)]
trials[3] = {"state": "pruned", "x": 0.3, "intermediate": {"1": 0.5, "4": 0.01, "2": 9.0}}
trials[5] = {"state": "pruned", "x": 0.4, "intermediate": {"1": -100.0}}
trials[8] = {"state": "pruned", "x": 0.45}
trials[9] = {"state": "failed", "x": 0.5}
trials[12] = {"state": "running", "x": 0.6}
trials[13] = {"state": "running", "x": 0.7}
trials[15]["value"] = trials[16]["value"] = 0.05  # a tie: the older trial ranks first
splits = [split(d, trials, cl) for d in ("minimize", "maximize") for cl in (False, True)]

# Proposals: TPE's draws for one history, over many seeds, to compare as distributions (the two
# samplers draw from different generators, so single draws cannot match).
def proposals(n_seeds):
    dists = {
        "lr": FloatDistribution(1e-4, 1, log=True),
        "layers": IntDistribution(1, 8),
        "units": IntDistribution(16, 512, log=True),
        "act": CategoricalDistribution(["relu", "tanh", "gelu"]),
        "one_minus_beta": FloatDistribution(1e-3, 0.1, log=True),
        "x": FloatDistribution(-1, 2),
    }
    hist_rng = np.random.RandomState(3)
    history = []
    for i in range(30):
        p = {
            "lr": float(10 ** hist_rng.uniform(-4, 0)),
            "layers": int(hist_rng.randint(1, 9)),
            "units": int(round(math.exp(hist_rng.uniform(math.log(15.5), math.log(512.5))))),
            "act": ["relu", "tanh", "gelu"][hist_rng.randint(3)],
            "one_minus_beta": float(10 ** hist_rng.uniform(-3, -1)),
            "x": float(hist_rng.uniform(-1, 2)),
        }
        p["units"] = min(512, max(16, p["units"]))
        value = (math.log10(p["lr"]) + 2) ** 2 + (p["layers"] - 3) ** 2 / 4 + (0 if p["act"] == "gelu" else 1) \
            + (math.log10(p["one_minus_beta"]) + 2) ** 2 + (math.log2(p["units"]) - 6) ** 2 / 4 + (p["x"] - 0.5) ** 2
        state = "pruned" if i == 7 else "failed" if i == 11 else "complete"
        history.append({"params": p, "state": state, "value": round(value, 6), "intermediate": {"2": round(value, 6)} if state == "pruned" else {}})
    study = optuna.create_study()
    for h in history:
        study.add_trial(create_trial(
            state={"complete": TrialState.COMPLETE, "pruned": TrialState.PRUNED, "failed": TrialState.FAIL}[h["state"]],
            value=h["value"] if h["state"] == "complete" else None,
            params=h["params"], distributions=dists,
            intermediate_values={int(k): v for k, v in h["intermediate"].items()},
        ))
    trial = study.ask()
    draws = {name: [] for name in dists}
    for seed in range(n_seeds):
        sampler = optuna.samplers.TPESampler(seed=seed)
        for name, dist in dists.items():
            draws[name].append(sampler.sample_independent(study, trial, name, dist))
    return {"history": history, "draws": draws}


out = {
    "optuna": optuna.__version__,
    "defaultWeights": {str(n): default_weights(n).tolist() for n in (0, 3, 25, 26, 27, 40)},
    "gamma": {str(n): default_gamma(n) for n in (0, 1, 9, 10, 11, 40, 250, 251, 1000)},
    "estimators": cases,
    "splits": splits,
    "proposals": proposals(400),
}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "tpe-optuna.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", os.path.normpath(path))

"""Writes test/fixtures/optuna-3.1-study.log, a study written by Python's Optuna (Debian's
python3-optuna 3.1) in its JournalStorage file format, and optuna-3.1-study.json, what Optuna
reported about it. src/optuna-interop.node.test.ts resumes the study with nnkit.

Run from packages/tuning: /usr/bin/python3 scripts/make-optuna-fixture.py
"""
import json
import math
import os

import optuna
from optuna.storages import JournalFileStorage, JournalStorage

HERE = os.path.dirname(os.path.abspath(__file__))
LOG = os.path.join(HERE, "..", "test", "fixtures", "optuna-3.1-study.log")
EXPECTED = os.path.join(HERE, "..", "test", "fixtures", "optuna-3.1-study.json")


def score(lr, units, layers, act):
    # The same formula as the test's objective.
    return -((math.log10(lr) + 2) ** 2) - 0.1 * (layers - 2) ** 2 + (0.5 if act == "relu" else 0) + math.log2(units) / 10


def objective(trial):
    lr = trial.suggest_float("lr", 1e-4, 1, log=True)
    units = trial.suggest_int("units", 16, 256, log=True)
    layers = trial.suggest_int("layers", 1, 4)
    act = trial.suggest_categorical("act", ["relu", "tanh"])
    value = score(lr, units, layers, act)
    trial.report(value - 1, 0)
    if trial.number == 3:
        raise optuna.TrialPruned()
    if trial.number == 5:
        return float("nan")
    return value


def main():
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    for path in (LOG, LOG + ".lock"):
        if os.path.lexists(path):
            os.remove(path)
    storage = JournalStorage(JournalFileStorage(LOG))
    study = optuna.create_study(
        study_name="optuna-made", storage=storage, direction="maximize", sampler=optuna.samplers.RandomSampler(seed=7)
    )
    study.optimize(objective, n_trials=10)
    trials = [
        {"number": t.number, "state": t.state.name, "values": t.values, "params": t.params} for t in study.trials
    ]
    with open(EXPECTED, "w") as f:
        json.dump(
            {
                "optuna": optuna.__version__,
                "study": study.study_name,
                "best_value": study.best_value,
                "best_number": study.best_trial.number,
                "trials": trials,
            },
            f,
            indent=1,
        )
        f.write("\n")


if __name__ == "__main__":
    main()

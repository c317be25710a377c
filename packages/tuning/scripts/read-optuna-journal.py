"""Prints, as JSON, what Python's Optuna reads from a JournalStorage file: one study's direction,
trials (state, values, params, distributions as Optuna serializes them, intermediate values,
system attributes) and best value. Used by src/optuna-interop.node.test.ts.

Usage: /usr/bin/python3 scripts/read-optuna-journal.py JOURNAL STUDY_NAME
"""
import json
import math
import sys

import optuna
from optuna.distributions import distribution_to_json
from optuna.storages import JournalFileStorage, JournalStorage


def finite(x):
    # JSON for the test: NaN and infinities as strings.
    return x if x is None or math.isfinite(x) else str(x)


def main():
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    path, name = sys.argv[1], sys.argv[2]
    study = optuna.load_study(study_name=name, storage=JournalStorage(JournalFileStorage(path)))
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    out = {
        "direction": study.direction.name,
        "studies": [s.study_name for s in optuna.get_all_study_summaries(JournalStorage(JournalFileStorage(path)))],
        "best_value": study.best_value if complete else None,
        "trials": [
            {
                "number": t.number,
                "state": t.state.name,
                "values": None if t.values is None else [finite(v) for v in t.values],
                "params": t.params,
                "distributions": {k: json.loads(distribution_to_json(d)) for k, d in t.distributions.items()},
                "intermediate": {str(k): finite(v) for k, v in t.intermediate_values.items()},
                "system_attrs": t.system_attrs,
            }
            for t in study.trials
        ],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

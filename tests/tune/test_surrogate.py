"""The batched forest must predict exactly what SMAC's own random forest predicts."""

import numpy as np
from smac.model.random_forest import RandomForest

from auctool.check.config.space import build_space
from auctool.tune.surrogate import BatchedRandomForest


def _models(n_instances: int = 7, n_features: int = 5):
    space = build_space(1)
    rng = np.random.default_rng(0)
    features = {f"i{k}": rng.random(n_features).tolist() for k in range(n_instances)}
    kwargs = dict(
        instance_features=features, pca_components=None, seed=4, n_jobs=1, max_leaf_nodes=None
    )
    configs = space.sample_configuration(40)
    X = np.array([c.get_array() for c in configs])
    rows = np.hstack(
        [np.repeat(X, n_instances, axis=0), np.tile(np.array(list(features.values())), (len(X), 1))]
    )
    y = rng.random(len(rows)) * 10
    ours, theirs = BatchedRandomForest(space, **kwargs), RandomForest(space, **kwargs)
    ours.train(rows, y)
    theirs.train(rows, y)
    return ours, theirs, X


def test_marginalised_predictions_match_smac():
    ours, theirs, X = _models()
    m1, v1 = ours.predict_marginalized(X)
    m2, v2 = theirs.predict_marginalized(X)
    np.testing.assert_allclose(m1, m2, rtol=1e-9)
    np.testing.assert_allclose(v1, v2, rtol=1e-9)


def test_chunking_changes_nothing(monkeypatch):
    import auctool.tune.surrogate as surrogate

    ours, _, X = _models(n_instances=9)
    full = ours.predict_marginalized(X)[0]
    monkeypatch.setattr(surrogate, "CHUNK_ROWS", 20)  # 2 configurations per chunk
    np.testing.assert_allclose(ours.predict_marginalized(X)[0], full)


def test_the_facade_model_has_the_settings_the_tuner_always_used():
    """TunerFacade.get_model takes SMAC's own settings (not a copy of them); the model
    must be the one the tuner built by hand before (same forest, same seed)."""
    from smac import Scenario

    from auctool.tune.surrogate import TunerFacade

    space = build_space(3)
    features = {f"i{k}": [float(k), 1.0, 2.0, 3.0, 4.0] for k in range(6)}
    scenario = Scenario(space, seed=3, instances=list(features), instance_features=features)
    model = TunerFacade.get_model(scenario, n_trees=7)
    by_hand = BatchedRandomForest(
        space,
        n_trees=7,
        ratio_features=5.0 / 6.0,
        min_samples_split=3,
        min_samples_leaf=3,
        max_depth=20,
        bootstrapping=True,
        log_y=False,
        instance_features=features,
        pca_components=None,
        seed=3,
        n_jobs=1,
        max_leaf_nodes=None,
    )
    assert isinstance(model, BatchedRandomForest)
    assert model.meta == by_hand.meta
    rng = np.random.default_rng(1)
    X = np.array([c.get_array() for c in space.sample_configuration(30)])
    rows = np.hstack([np.repeat(X, 6, axis=0), np.tile(np.array(list(features.values())), (30, 1))])
    y = rng.random(len(rows))
    model.train(rows, y)
    by_hand.train(rows, y)
    np.testing.assert_array_equal(
        model.predict_marginalized(X)[0], by_hand.predict_marginalized(X)[0]
    )

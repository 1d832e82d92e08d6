"""Components: the names results and recordings have always stored, typed and matched by
family and method (never by string prefix)."""

import json
import pickle

import pytest

from auctool.check.result import Component, Family


def test_constructors_build_the_names_on_disk():
    assert Component.of(Family.PRESOLVE, "previous") == "presolve:previous"
    assert Component.of(Family.PRESOLVE, "neighbourhood", "k=2") == "presolve:neighbourhood(k=2)"
    assert Component.of(Family.CACHE, "exact-unsat") == "cache:exact-unsat"
    inner = Component.of(Family.SOLVER, "glucose3")
    assert Component.member(2, inner) == "portfolio[2]:solver:glucose3"


@pytest.mark.parametrize(
    "name",
    [
        "trivial:empty-domain",
        "cache:sat-superset",
        "presolve:clique-co",
        "presolve:neighbourhood-unsat(k=3)",
        "incremental:cadical195",
        "portfolio[1]:presolve:clique-co",
        "start:clique",
    ],
)
def test_stored_names_parse_pickle_and_dump_as_themselves(name):
    c = Component.parse(name)
    assert c == name and json.dumps(c) == json.dumps(name)
    again = pickle.loads(pickle.dumps(c))
    assert isinstance(again, Component) and again == name
    assert c.family is Family(name.split(":")[0].split("[")[0])


def test_selectors_take_a_family_a_method_or_a_full_name():
    nb = Component.parse("presolve:neighbourhood(k=2)")
    assert nb.selects("presolve") and nb.selects("presolve:neighbourhood")
    assert nb.selects("presolve:neighbourhood(k=2)")
    assert not nb.selects("presolve:neighbourhood(k=1)")
    assert not nb.selects("presolve:neigh")  # no prefix matching
    assert not Component.parse("presolve:neighbourhood-unsat(k=2)").selects(
        "presolve:neighbourhood"
    )
    assert Component.parse("cache:exact-sat").selects("cache")
    assert not Component.parse("portfolio[1]:cache:exact-sat").selects("cache")


@pytest.mark.parametrize("bad", ["", "x", "cahce:sat", "portfolio:solver:x", "solver[2]:x"])
def test_names_no_component_has_are_refused(bad):
    with pytest.raises(ValueError):
        Component.parse(bad)


def test_selectors_must_name_a_family():
    assert Component.check_selector("presolve:previous") == "presolve:previous"
    with pytest.raises(ValueError, match="selects no component"):
        Component.check_selector("cahce")

"""auctool.errors: one line per failure, the remedy said in the core's or the CLI's words."""

import pytest

from auctool.errors import InputError, RunError


def _flag(setting: str) -> str:
    return "--" + setting.replace("_", "-")


def test_a_suggested_setting_is_its_name_in_the_core_and_its_flag_in_a_front_end():
    err = InputError.suggesting("no constraint data: pass {data} CONSTRAINT_DIR", "p.srpk")
    assert str(err) == "p.srpk: no constraint data: pass `data` CONSTRAINT_DIR"
    assert err.worded(_flag) == "p.srpk: no constraint data: pass --data CONSTRAINT_DIR"
    assert err.exit_code == 2


def test_several_settings_and_a_subclass_with_arguments_of_its_own():
    class Stuck(RunError):
        def __init__(self, message: str, rounds: int):
            super().__init__(message)
            self.rounds = rounds

    err = Stuck.suggesting("try {participation} packable or {initial_assignment}", 7)
    assert err.rounds == 7 and err.exit_code == 1
    assert str(err) == "try `participation` packable or `initial_assignment`"
    assert err.worded(_flag) == "try --participation packable or --initial-assignment"


def test_a_bad_setting_names_the_flag_as_its_subject():
    err = InputError.of_setting("workers", "must be at least 1, got 0")
    assert str(err) == "workers must be at least 1, got 0"
    assert err.worded(_flag) == "--workers must be at least 1, got 0"


@pytest.mark.parametrize("err", [InputError("plain", "f.csv", 3), RunError("plain")])
def test_an_error_without_settings_is_worded_as_it_is(err):
    assert err.worded(_flag) == str(err)

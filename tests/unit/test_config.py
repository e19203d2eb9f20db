"""formcheck.config: defaults, profiles, overrides, errors, documentation of every setting."""

from __future__ import annotations

import dataclasses
import tomllib
from importlib import resources

import pytest

from formcheck.config import Config, RdlRules, describe, load_config, profiles
from formcheck.errors import ConfigError

#: The settings each built-in profile is documented to change (the values are in formcheck/profiles/*.toml).
PROFILE_KEYS = {
    "default": set(),
    "moderate": {"hip_thrust.gaze_top_max_deg", "hip_thrust.neck_hyperflexion_deg"},
    "neutral": {"hip_thrust.gaze_top_max_deg", "hip_thrust.neck_hyperflexion_deg"},
    "slight": {"hip_thrust.gaze_top_max_deg", "hip_thrust.neck_hyperflexion_deg"},
}


def flat(config) -> dict:
    return {key: value for key, value, _ in describe(config)}


def profile_file(name: str) -> dict:
    """The dotted settings written in a built-in profile's TOML file, read without formcheck.config."""
    data = tomllib.loads((resources.files("formcheck") / "profiles" / f"{name}.toml").read_text())
    out = {}

    def walk(table, prefix):
        for key, value in table.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                out[f"{prefix}{key}"] = (
                    float(value) if isinstance(value, int) and not isinstance(value, bool) else value
                )

    walk(data, "")
    return out


def test_defaults_load():
    config = load_config()
    assert isinstance(config, Config)
    assert config.profile == "default"
    assert config.rdl == RdlRules()
    # sanity of the calibrated values: bands are ordered
    assert 0 < config.rdl.shin_tilt_warn_deg < config.rdl.shin_tilt_fault_deg
    assert 0 < config.hip_thrust.shin_tilt_warn_deg < config.hip_thrust.shin_tilt_fault_deg
    assert config.hip_thrust.gaze_bottom_max_deg < config.hip_thrust.gaze_top_max_deg
    assert 0 < config.rdl.rounding_min_ratio < 1 and 0 < config.rdl.bar_drift_max < 1
    assert flat(config) == {**flat(Config()), "profile": "default"}


def test_profiles_listed():
    assert set(profiles()) == set(PROFILE_KEYS)


@pytest.mark.parametrize("name", sorted(PROFILE_KEYS))
def test_each_profile_loads_and_differs_where_documented(name):
    config = load_config(profile=name)
    assert config.profile == name
    base = flat(Config())
    got = flat(config)
    diff = {k: v for k, v in got.items() if k != "profile" and v != base[k]}
    written = profile_file(name)
    assert set(written) == PROFILE_KEYS[name]
    # every value the file sets is applied and really differs from the default; nothing else changes
    assert diff == written


def test_profiles_order_neck_tolerance():
    """neutral tolerates the least chin tuck, moderate the most (COACHING.md: coaches differ)."""
    tuck = {n: load_config(profile=n).hip_thrust.neck_hyperflexion_deg for n in ("neutral", "slight", "moderate")}
    assert tuck["neutral"] < tuck["slight"] < tuck["moderate"]


def test_profiles_order_top_gaze():
    """The more chin tuck a profile asks for, the lower the gaze must stay at the top."""
    gaze = {n: load_config(profile=n).hip_thrust.gaze_top_max_deg for n in ("neutral", "slight", "moderate")}
    assert gaze["moderate"] < gaze["slight"] < gaze["neutral"]


def test_unknown_profile():
    with pytest.raises(ConfigError, match="nope"):
        load_config(profile="nope")


def test_overrides_apply_and_coerce_int_to_float():
    default = load_config().rdl.shin_tilt_warn_deg
    value = int(default) + 7
    config = load_config(overrides={"rdl.shin_tilt_warn_deg": value, "pose.model": "heavy"})
    assert config.rdl.shin_tilt_warn_deg == float(value) and isinstance(config.rdl.shin_tilt_warn_deg, float)
    assert config.pose.model == "heavy"
    assert load_config().rdl.shin_tilt_warn_deg == default == RdlRules().shin_tilt_warn_deg, "defaults not mutated"


def test_toml_file_then_overrides(tmp_path):
    path = tmp_path / "coach.toml"
    path.write_text("[rdl]\nshin_tilt_warn_deg = 8.0\n[hip_thrust]\ngaze_top_max_deg = 75\n")
    config = load_config(path, profile="slight", overrides={"hip_thrust.gaze_top_max_deg": 77.0})
    assert config.rdl.shin_tilt_warn_deg == 8.0
    assert (
        config.hip_thrust.neck_hyperflexion_deg == profile_file("slight")["hip_thrust.neck_hyperflexion_deg"]
    )  # profile
    assert config.hip_thrust.gaze_top_max_deg == 77.0  # override wins over file and profile
    assert config.profile == "slight+coach.toml"


@pytest.mark.parametrize(
    "overrides, key",
    [
        ({"rdl.knee_drift_warn": 1.0}, "rdl.knee_drift_warn"),
        ({"rdll.shin_tilt_warn_deg": 1.0}, "rdll"),
        ({"nonsense": 1}, "nonsense"),
    ],
)
def test_unknown_key_is_an_error_naming_the_key(overrides, key):
    with pytest.raises(ConfigError) as err:
        load_config(overrides=overrides)
    assert key in str(err.value)


def test_unknown_key_in_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[hip_thrust]\nlook_at_ceiling = true\n")
    with pytest.raises(ConfigError, match="hip_thrust.look_at_ceiling"):
        load_config(path)


@pytest.mark.parametrize(
    "overrides",
    [
        {"rdl.shin_tilt_warn_deg": "ten"},
        {"rdl.shin_tilt_warn_deg": True},
        {"pose.max_people": 2.5},
        {"pose.model": 3},
        {"rdl": 5},
    ],
)
def test_wrong_type_is_an_error(overrides):
    with pytest.raises(ConfigError) as err:
        load_config(overrides=overrides)
    assert next(iter(overrides)) in str(err.value)


def test_bad_toml_is_a_config_error(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[rdl\nshin_tilt_warn_deg = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml")


def test_config_error_exit_code_and_hint():
    with pytest.raises(ConfigError) as err:
        load_config(overrides={"rdl.nope": 1})
    assert err.value.exit_code == 2 and err.value.hint


def test_every_setting_documented():
    rows = describe()
    assert len(rows) > 40
    for key, _value, doc in rows:
        assert isinstance(doc, str) and doc.strip(), f"{key} has no doc"
    keys = [k for k, _, _ in rows]
    assert len(keys) == len(set(keys))


def test_config_is_frozen():
    config = load_config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.rdl.shin_tilt_warn_deg = 1.0  # type: ignore[misc]

"""formcheck.config: defaults, profiles, overrides, errors, documentation of every setting."""

from __future__ import annotations

import dataclasses
import tomllib
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.config import Config, RdlRules, allowed_range, allowed_ranges, describe, load_config, profiles
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


# ----------------------------------------------------------------------------------------- value ranges
# Issue 11 item 9: NaN, infinite, negative and out-of-range values were accepted silently (a NaN threshold made
# every rep a FAULT, "limit nan°"); a binary file, a folder or cutoff_hz = 0 were an internal error.

NUMERIC_KEYS = sorted(allowed_ranges())
INT_KEYS = {key for key, value, _ in describe() if isinstance(value, int) and not isinstance(value, bool)}


def test_every_numeric_setting_has_a_decided_range_and_its_default_is_in_it():
    """A numeric setting gets its range from ``setting(..., allowed=...)`` or from its name (DEFAULT_RANGES,
    integers are counts); one that gets neither would accept any finite number: name it or give it a range."""
    from formcheck import config as cfg_module

    def walk(obj, prefix=""):
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if dataclasses.is_dataclass(value):
                yield from walk(value, f"{prefix}{f.name}.")
            elif allowed_range(f) is not None:
                kind = int if isinstance(value, int) else float
                decided = "range" in f.metadata or cfg_module._range_by_name(f.name, kind) is not None
                yield f"{prefix}{f.name}", value, allowed_range(f), decided

    rows = list(walk(Config()))
    assert len(rows) > 100
    for key, value, allowed, decided in rows:
        assert decided, f"{key}: no range given and none from its name"
        assert value in allowed, f"{key} default {value} outside {allowed}"
    for name in profiles():
        load_config(profile=name)  # every built-in profile's values are in range


@pytest.mark.parametrize(
    "key, value, shown",
    [
        ("rdl.warn_margin_deg", float("nan"), "nan"),
        ("hip_thrust.gaze_top_max_deg", float("inf"), "inf"),
        ("rdl.eccentric_min_s", -1.0, "-1.0"),
        ("reps.rom_fraction", 1.5, "1.5"),
        ("trust.marginal_share", -0.1, "-0.1"),
        ("hip_thrust.lockout_min_hip_deg", 200.0, "200.0"),
        ("cleaning.cutoff_hz", 0.0, "0.0"),
        ("cleaning.cutoff_hz", 0, "0"),
        ("cleaning.cutoff_hz", 1e6, "1000000.0"),
        ("cleaning.filter_order", 0, "0"),
        ("detect.min_frames", -3, "-3"),
        ("pose.max_people", 0, "0"),
        ("hip_thrust.neck_flexion_gain", 0.0, "0.0"),
        ("hip_thrust.consistency_hip_deg", 0.0, "0.0"),
        ("detect.cut_min_picture_change", 256.0, "256.0"),
        ("pose.max_side_px", 10, "10"),
        pytest.param("rdl.warn_margin_deg", 10**400, "10000", id="int-too-big-for-a-float"),  # Python overrides only
    ],
)
def test_out_of_range_values_are_refused_naming_key_value_and_range(key, value, shown):
    with pytest.raises(ConfigError) as err:
        load_config(overrides={key: value})
    message = str(err.value)
    assert key in message and shown in message and "Allowed: " in message, message
    assert "\n" not in message and err.value.exit_code == 2


@pytest.mark.parametrize(
    "key, value",
    [
        ("rdl.knees_locked_min_flexion_deg", -5.0),  # a hyperextended knee threshold is signed
        ("hip_thrust.shin_tilt_top_bias_deg", -3),  # biases are signed
        ("cleaning.cutoff_hz", 12.5),
        ("reps.rom_fraction", 1),
        ("rdl.warn_margin_deg", 0),
        ("cleaning.filter_order", 4),
    ],
)
def test_edge_and_signed_values_in_range_load(key, value):
    section, name = key.split(".")
    assert getattr(getattr(load_config(overrides={key: value}), section), name) == value


def test_nan_in_a_toml_file_is_refused(tmp_path):
    path = tmp_path / "nan.toml"
    path.write_text("[hip_thrust]\nneck_hyperflexion_deg = nan\n")
    with pytest.raises(ConfigError, match=r"hip_thrust.neck_hyperflexion_deg' = nan .*Allowed: \[0, 180\]"):
        load_config(path)


def test_allowed_ranges_read():
    ranges = {key: str(r) for key, r in allowed_ranges().items()}
    assert ranges["cleaning.cutoff_hz"] == "(0, 30]"
    assert ranges["reps.rom_fraction"] == "[0, 1]"
    assert ranges["rdl.eccentric_min_s"] == ">= 0"
    assert ranges["detect.min_frames"] == ">= 1"
    assert "pose.model" not in ranges and "bar.check" not in ranges  # text and switches have no range


@settings(max_examples=300, deadline=None)
@given(
    key=st.sampled_from(NUMERIC_KEYS),
    value=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.sampled_from([0, 0.0, -0.0, 1, -1, 1e-300, 5e-324, 180.0, 180.0000001, 30.0, 255.0]),
    ),
)
def test_any_number_either_loads_in_range_or_is_a_config_error(key, value):
    """Property: whatever number a setting is given, loading it succeeds with a value inside the setting's
    range, or raises ConfigError (exit 2) naming the key; never anything else."""
    try:
        config = load_config(overrides={key: value})
    except ConfigError as exc:
        assert key in str(exc) and exc.exit_code == 2
        return
    section, name = key.split(".")
    got = getattr(getattr(config, section), name)
    assert got in allowed_ranges()[key]
    assert isinstance(got, int if key in INT_KEYS else float)


@pytest.mark.parametrize(
    "make, needle",
    [
        (lambda p: p.write_bytes(b"\x00\xff\xfe\x89PNG\r\n"), "not a text file"),
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: p.write_text("[cleaning]\ncutoff_hz = 0\n"), "cleaning.cutoff_hz"),
        (lambda p: p.write_text("[rdl]\nwarn_margin_deg = -inf\n"), "rdl.warn_margin_deg"),
    ],
    ids=["binary", "folder", "cutoff-zero", "minus-inf"],
)
def test_unusable_config_files_are_config_errors(tmp_path, make, needle):
    path = tmp_path / "coach.toml"
    make(path)
    with pytest.raises(ConfigError, match=needle) as err:
        load_config(path)
    assert "\n" not in str(err.value)


def test_unreadable_config_path_is_a_config_error(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(tmp_path / "file" / "coach.toml")  # a path through a file: NotADirectoryError

"""Tests for the built-in exercise catalog (analysis/data/exercises.csv) and its API."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.catalog import load_catalog, normalise_name, resolve_exercises
from analysis.columns import LOAD_TYPES, PATTERNS
from analysis.errors import LogFormatError

REQUIRED_KEYS = (
    "bodyweight_squat goblet_squat back_squat front_squat bulgarian_split_squat split_squat "
    "romanian_deadlift single_leg_rdl deadlift sumo_deadlift step_up glute_bridge "
    "single_leg_glute_bridge hip_thrust single_leg_hip_thrust forward_lunge reverse_lunge "
    "walking_lunge lateral_lunge cossack_squat single_leg_squat pistol_squat "
    "single_leg_calf_raise standing_calf_raise seated_calf_raise monster_walk "
    "lateral_band_walk clamshell plank side_plank box_jump jump_squat bounding nordic_curl "
    "copenhagen_plank tibialis_raise wall_sit leg_press single_leg_press leg_curl "
    "leg_extension dead_bug pogo_jump skater_jump lateral_step_down"
).split()

MUST_BE_UNILATERAL = (
    "bulgarian_split_squat split_squat forward_lunge reverse_lunge walking_lunge lateral_lunge "
    "single_leg_rdl step_up single_leg_glute_bridge single_leg_hip_thrust single_leg_squat "
    "pistol_squat single_leg_calf_raise single_leg_press side_plank copenhagen_plank "
    "cossack_squat clamshell skater_jump lateral_step_down"
).split()

MUST_BE_BILATERAL = (
    "bodyweight_squat goblet_squat back_squat front_squat romanian_deadlift deadlift "
    "sumo_deadlift glute_bridge hip_thrust standing_calf_raise seated_calf_raise plank "
    "box_jump jump_squat wall_sit leg_press leg_curl leg_extension"
).split()


@pytest.fixture(scope="module")
def catalog() -> pd.DataFrame:
    return load_catalog()


def test_catalog_has_required_keys_and_size(catalog):
    assert set(REQUIRED_KEYS) <= set(catalog["exercise"])
    assert len(catalog) >= 45
    assert catalog["exercise"].is_unique


def test_catalog_values_are_allowed(catalog):
    assert set(catalog["pattern"]) <= set(PATTERNS)
    assert set(catalog["load_type"]) <= set(LOAD_TYPES)
    assert catalog["exercise"].str.fullmatch(r"[a-z0-9_]+").all()
    assert (catalog["muscles"].str.len() > 0).all()
    frac = catalog["bodyweight_fraction"].dropna()
    assert ((frac > 0) & (frac <= 1)).all()


def test_unilateral_flags(catalog):
    flags = catalog.set_index("exercise")["unilateral"]
    assert flags[MUST_BE_UNILATERAL].all()
    assert not flags[MUST_BE_BILATERAL].any()


def test_aliases_map_to_one_exercise(catalog):
    owner: dict[str, set[str]] = {}
    for key, name, aliases in catalog[["exercise", "name", "aliases"]].itertuples(index=False):
        for alias in [key, key.replace("_", " "), name, *aliases.split("|")]:
            owner.setdefault(normalise_name(alias), set()).add(key)
    clashes = {alias: keys for alias, keys in owner.items() if len(keys) > 1}
    assert clashes == {}
    assert "" not in owner


@pytest.mark.parametrize(
    ("raw", "key", "side"),
    [
        ("Squat (Barbell)", "back_squat", None),
        ("Barbell Squat", "back_squat", None),
        ("Goblet Squat (Kettlebell)", "goblet_squat", None),
        ("KB goblet squat", "goblet_squat", None),
        ("Romanian Deadlift (Dumbbell)", "romanian_deadlift", None),
        ("Dumbbell Romanian Deadlift", "romanian_deadlift", None),
        ("RDL", "romanian_deadlift", None),
        ("Bulgarian Split Squat", "bulgarian_split_squat", None),
        ("Bulgarian Split Squat (Left)", "bulgarian_split_squat", "left"),
        ("BSS - R", "bulgarian_split_squat", "right"),
        ("RFESS", "bulgarian_split_squat", None),
        ("Split Squat (Dumbbell)", "split_squat", None),
        ("Single Leg RDL (Right)", "single_leg_rdl", "right"),
        ("SLRDL", "single_leg_rdl", None),
        ("SL RDL - L", "single_leg_rdl", "left"),
        ("Lunge (Dumbbell)", "forward_lunge", None),
        ("Walking Lunge (Dumbbell)", "walking_lunge", None),
        ("Step Up (Dumbbell)", "step_up", None),
        ("step up left leg", "step_up", "left"),
        ("Step-up", "step_up", None),
        ("Step ups", "step_up", None),
        ("Hip Thrust (Barbell)", "hip_thrust", None),
        ("Hip thrust", "hip_thrust", None),
        ("Glute Bridge", "glute_bridge", None),
        ("SL glute bridge", "single_leg_glute_bridge", None),
        ("Calf Raise (Single Leg)", "single_leg_calf_raise", None),
        ("Single Leg Standing Calf Raise", "single_leg_calf_raise", None),
        ("Single Leg Calf Raise", "single_leg_calf_raise", None),
        ("SL calf raise", "single_leg_calf_raise", None),
        ("Standing Calf Raise (Machine)", "standing_calf_raise", None),
        ("Seated Calf Raise", "seated_calf_raise", None),
        ("Leg Press", "leg_press", None),
        ("Lying Leg Curl (Machine)", "leg_curl", None),
        ("Leg Extension (Machine)", "leg_extension", None),
        ("Box Jump", "box_jump", None),
        ("Jump Squat", "jump_squat", None),
        ("Plank", "plank", None),
        ("Side Plank (Left)", "side_plank", "left"),
        ("Nordics", "nordic_curl", None),
        ("Copenhagens", "copenhagen_plank", None),
        ("Tib raise", "tibialis_raise", None),
        ("Wall sit", "wall_sit", None),
        ("Deadlift (Trap Bar)", "trap_bar_deadlift", None),
    ],
)
def test_resolve_real_world_names(raw, key, side):
    out = resolve_exercises(pd.Series([raw]))
    assert out.loc[0, "exercise"] == key
    assert bool(out.loc[0, "known"])
    if side is None:
        assert out.loc[0, "name_side"] is pd.NA
    else:
        assert out.loc[0, "name_side"] == side


def test_unknown_name_falls_back_to_normalised_key():
    out = resolve_exercises(pd.Series(["Zercher hop", "Zercher Hop (Left)"]))
    expected = pd.DataFrame(
        {
            "exercise": pd.array(["zercher_hop", "zercher_hop"], dtype="string"),
            "name_side": pd.array([pd.NA, "left"], dtype="string"),
            "known": [False, False],
        }
    )
    pd.testing.assert_frame_equal(out, expected)


def test_load_catalog_merges_user_csv(tmp_path):
    user = tmp_path / "my_exercises.csv"
    user.write_text(
        "exercise,name,pattern,unilateral,load_type,muscles,bodyweight_fraction,aliases\n"
        "plank,Plank,core,false,time,abdominals;obliques,,Plank|Hover\n"
        "zercher_hop,Zercher hop,plyometric,false,external,quadriceps,,Zercher hop|Z hop\n",
        encoding="utf-8",
    )
    base = load_catalog()
    merged = load_catalog(user)
    assert len(merged) == len(base) + 1
    plank = merged.set_index("exercise").loc["plank"]
    assert plank["muscles"] == "abdominals;obliques"
    assert plank["aliases"] == "Plank|Hover"
    out = resolve_exercises(pd.Series(["Z hop", "Hover", "BSS"]), catalog=merged)
    assert out["exercise"].tolist() == ["zercher_hop", "plank", "bulgarian_split_squat"]
    assert out["known"].tolist() == [True, True, True]


def test_load_catalog_user_csv_missing_columns(tmp_path):
    user = tmp_path / "bad.csv"
    user.write_text("exercise,name\nzercher_hop,Zercher hop\n", encoding="utf-8")
    with pytest.raises(
        LogFormatError,
        match=r"bad\.csv: an exercise catalog needs columns .*; missing "
        r"\['pattern', 'unilateral', 'load_type'\] \(found \['exercise', 'name'\]\)",
    ):
        load_catalog(user)

"""Run sources: Garmin Connect and Strava CSVs, GPX, TCX and FIT (plain and gzipped).

Expected numbers are worked out by hand in the comments from the values written by
tests/fixtures/apps/make_run_fixtures.py.
"""

from __future__ import annotations

import datetime as dt
import gzip
import importlib.util
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import LogFormatError, read_logs
from analysis import columns as C
from analysis.cli import main
from analysis.loaders import fit, garmin, gpsfiles, runs_common, strava
from analysis.loaders.base import Options

APPS = Path(__file__).parent / "fixtures" / "apps"
_spec = importlib.util.spec_from_file_location("make_run_fixtures", APPS / "make_run_fixtures.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)

MI = 1.609344
LONDON = "Europe/London"

#: fixture -> what `liftpace check` must name, runs, dropped rows, skipped rows, total km.
MANIFEST = {
    "garmin_activities_2026.csv": (
        garmin.LABEL,
        6,
        1,
        {"not a run: Cycling": 1, "not a run: Walking": 1, "not a run: Strength Training": 1},
        51.62,
    ),
    "garmin_activities_miles_2021.csv": (garmin.LABEL, 4, 0, {"not a run: Walking": 1}, 14.32 * MI),
    "garmin_activities_da_2026.csv": (garmin.LABEL, 3, 0, {}, 13.91 + 6.46 + 8.73),
    "strava_activities.csv": (
        strava.LABEL,
        7,
        1,
        {"not a run: Weight Training": 1, "not a run: Walk": 1, "not a run: Ride": 1},
        58.4664,
    ),
    "strava_activities_2021.csv": (strava.LABEL, 2, 0, {"not a run: Ride": 1}, 2.8318 + 10.0),
    "strava_run.gpx": (gpsfiles.GPX_LABEL, 1, 0, {}, 20 * 0.001 * 111.31949079327357),
    "strava_run.gpx.gz": (gpsfiles.GPX_LABEL, 1, 0, {}, 20 * 0.001 * 111.31949079327357),
    "route_no_times.gpx": (gpsfiles.GPX_LABEL, 0, 1, {}, 0.0),
    "garmin_run.tcx": (gpsfiles.TCX_LABEL, 1, 0, {}, 4.0),
    "garmin_treadmill.tcx": (gpsfiles.TCX_LABEL, 1, 0, {}, 5.0),
    "garmin_run.fit": (fit.FIT_LABEL, 1, 0, {}, 5.0),
    "garmin_run.fit.gz": (fit.FIT_LABEL, 1, 0, {}, 5.0),
    "records_only.fit": (fit.FIT_LABEL, 1, 0, {}, 3.0),
    "strava_ride_type1.gpx": (gpsfiles.GPX_LABEL, 0, 0, {"not a run: Ride (Strava type 1)": 1}, 0.0),
    "strava_android_cut.fit": (fit.FIT_LABEL, 1, 0, {}, 11.27404),
}


def runs(**cols: object) -> pd.DataFrame:
    return C.conform(pd.DataFrame(cols), C.RUNS)


def weekly_mean_pace(frame: pd.DataFrame) -> dict[str, float]:
    """Distance-weighted mean pace per ISO week (Monday start): total seconds / total km."""
    week = frame["date"].dt.normalize() - pd.to_timedelta(frame["date"].dt.day_of_week, unit="D")
    g = frame.assign(week=week.dt.strftime("%Y-%m-%d")).groupby("week")
    return (g["duration_s"].sum() / g["distance_km"].sum()).astype(float).to_dict()


def problems_of(log, action: str | None = None) -> list[tuple]:
    p = log.problems if action is None else log.problems[log.problems["action"] == action]
    p = p[["source_row", "column", "value", "action"]].astype(object)
    return list(p.where(p.notna(), None).itertuples(index=False, name=None))


# --- fixtures: committed bytes, manifest, accounting, `liftpace check` ---------------------------


def test_fixture_files_equal_the_generator():
    for name, data in make.all_fixtures().items():
        assert (APPS / name).read_bytes() == data, f"{name}: re-run make_run_fixtures.py"


def test_fixture_bytes_have_the_real_shapes():
    en = (APPS / "garmin_activities_2026.csv").read_bytes()
    miles = (APPS / "garmin_activities_miles_2021.csv").read_bytes()
    st_ = (APPS / "strava_activities.csv").read_bytes()
    assert b"\r\n" not in en
    assert en.endswith(b"\n")
    assert not en.startswith(b"\xef\xbb\xbf")
    assert miles.count(b"\r\n") == 6
    assert miles.endswith(b"\r\n")
    assert (
        b'Running,2026-04-11 08:00:00,false,"Leeds Running","8.00"' in en
    )  # 3 bare fields, then quoted
    assert "Score®".encode() in en
    assert b'"1,150"' in en
    assert b'"--"' in en
    assert b'"00:10:01.5"' in en
    assert b'"\'-16"' in (APPS / "garmin_activities_da_2026.csv").read_bytes()
    assert (
        b'"Felt strong, legs heavy after 15k.\nGel at 10k; ""easy"" finish."' in st_
    )  # one quoted multi-line field
    assert b',"Sep 3, 2025, 11:30:00 PM",' in st_
    assert st_.endswith(b"\n")
    assert (
        b'<span class=""translation_missing""' in (APPS / "strava_activities_2021.csv").read_bytes()
    )
    assert (APPS / "garmin_run.fit").read_bytes()[8:12] == b".FIT"
    assert (
        gzip.decompress((APPS / "strava_run.gpx.gz").read_bytes())
        == (APPS / "strava_run.gpx").read_bytes()
    )


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_manifest_runs_skips_and_accounting(name):
    label, n_runs, n_dropped, skipped, km = MANIFEST[name]
    log = read_logs(APPS / name, timezone=LONDON)
    f = log.files[0]
    assert f["format"] == label
    assert len(log.runs) == n_runs
    assert len(log.sets) == 0
    dropped = log.problems[log.problems["action"] == "dropped"]
    assert len(dropped) == n_dropped
    assert f["skipped"] == skipped
    # every input row ends as a run, a dropped problem or a counted skip
    assert f["rows_read"] == log.runs["source_row"].nunique() + len(dropped) + sum(skipped.values())
    assert float(log.runs["distance_km"].sum()) == pytest.approx(km)
    assert (log.runs["pace_s_per_km"] == log.runs["duration_s"] / log.runs["distance_km"]).all()


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_liftpace_check_names_the_format(name, capsys):
    code = main(["check", str(APPS / name), "--timezone", LONDON])
    out = capsys.readouterr().out
    assert f"{name}: {MANIFEST[name][0]} - 0 sets, {MANIFEST[name][1]} runs" in out
    assert code == (1 if MANIFEST[name][1] == 0 else 0)


def test_check_lists_row_and_column_of_what_was_not_taken(capsys):
    main(
        [
            "check",
            str(APPS / "garmin_activities_2026.csv"),
            str(APPS / "strava_activities.csv"),
            "--timezone",
            LONDON,
        ]
    )
    out = capsys.readouterr().out
    assert (
        "garmin_activities_2026.csv, row 4, column 'Distance', value '0.00': zero distance" in out
    )
    assert (
        "garmin_activities_2026.csv, row 3, column 'Moving Time', value '00:00:00': no moving time"
        in out
    )
    assert "strava_activities.csv, row 10, column 'Distance', value '0.0': no distance" in out


# --- Garmin Connect --------------------------------------------------------------------------------


def test_garmin_km_export_by_hand():
    log = read_logs(APPS / "garmin_activities_2026.csv", athlete="Sam")
    # newest first in the file -> oldest first here; Moving Time preferred; 04-11 Moving 00:00:00 -> Time 44:00
    expected = runs(
        athlete=["Sam"] * 6,
        date=pd.to_datetime(
            [
                "2026-03-30 07:00:00",
                "2026-04-01 06:30:00",
                "2026-04-04 09:10:32",
                "2026-04-06 19:20:23",
                "2026-04-08 18:00:00",
                "2026-04-11 08:00:00",
            ]
        ),
        distance_km=[6.0, 8.0, 18.0, 1.62, 10.0, 8.0],
        duration_s=[1980.0, 2400.0, 6480.0, 595.5, 2700.0, 2640.0],
        pace_s_per_km=[330.0, 300.0, 360.0, 595.5 / 1.62, 270.0, 330.0],
        run_type=[
            None,
            None,
            "long",
            None,
            "tempo",
            None,
        ],  # treadmill run: a run, type from its title (none)
        avg_hr_bpm=[142.0, 163.0, 146.0, 139.0, 165.0, 150.0],
        elevation_gain_m=[45.0, None, 76.0, 32.0, 38.0, 51.0],  # "--" on the treadmill
        source_file=["garmin_activities_2026.csv"] * 6,
        source_sheet=[None] * 6,
        source_row=[11, 9, 7, 6, 5, 3],
    )
    pd.testing.assert_frame_equal(log.runs, expected)
    assert weekly_mean_pace(log.runs) == pytest.approx(
        {"2026-03-30": (1980 + 2400 + 6480) / 32.0, "2026-04-06": (595.5 + 2700 + 2640) / 19.62}
    )
    assert problems_of(log) == [
        (4, "Distance", "0.00", "dropped"),
        (3, "Moving Time", "00:00:00", "fixed"),
    ]


def test_garmin_miles_export_detected_from_stride_and_cadence():
    log = read_logs(APPS / "garmin_activities_miles_2021.csv", athlete="Sam")
    r = log.runs
    assert r["distance_km"].tolist() == pytest.approx([3.00 * MI, 3.11 * MI, 2.01 * MI, 6.20 * MI])
    assert r["duration_s"].tolist() == [
        1790.0,
        1866.0,
        1254.0,
        3870.0,
    ]  # 09-08: Moving 00:00:00 -> Time
    assert r["elevation_gain_m"].tolist()[::2] == pytest.approx(
        [164 * 0.3048, 62 * 0.3048]
    )  # feet -> m
    assert r["run_type"].tolist() == [pd.NA, "race", pd.NA, "long"]
    note = log.problems[log.problems["action"] == "kept"]
    assert note["source_row"].tolist() == [2]
    assert note["column"].tolist() == ["Distance"]
    assert (
        note["problem"]
        .str.contains(r"read as miles and converted to km: steps x stride length match miles")
        .all()
    )
    # weekly mean pace in s/km: 8.12 mi in 4910 s, then 6.20 mi in 3870 s
    assert weekly_mean_pace(r) == pytest.approx(
        {"2021-09-06": 4910 / (8.12 * MI), "2021-09-13": 3870 / (6.20 * MI)}
    )


def test_garmin_unit_option_wins_and_a_disagreement_is_reported():
    log = read_logs(APPS / "garmin_activities_miles_2021.csv", distance_unit="km")
    assert log.runs["distance_km"].tolist() == [3.00, 3.11, 2.01, 6.20]
    assert log.runs["elevation_gain_m"].tolist()[0] == 164.0
    kept = log.problems[log.problems["action"] == "kept"]["problem"].tolist()
    assert kept == [
        "distances read as km as asked, but steps x stride length match miles (median ratio 1.61, 4 runs)"
    ]


def test_garmin_danish_export():
    log = read_logs(APPS / "garmin_activities_da_2026.csv", athlete="Sam")
    r = log.runs
    assert r["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-11", "2026-06-24", "2026-07-01"]
    assert r["duration_s"].tolist() == [2919.0, 2009.0, 4663.0]  # "Tid i bevægelse"
    assert r["elevation_gain_m"].tolist() == [8.0, 21.0, 64.0]  # "Samlet stigning"
    assert r["run_type"].tolist()[0] == "easy"  # "Recovery løb"
    assert log.problems.empty  # "'-16" / "'-0" guards in other columns did not disturb anything


def test_garmin_number_strips_guard_and_thousands():
    value, bad = garmin.garmin_number(pd.Series(["'-16", "1,079", "--", "", "x"]))
    assert value.tolist()[:2] == [-16.0, 1079.0]
    assert np.isnan(value.tolist()[2])
    assert bad.tolist() == [False, False, False, False, True]


def test_garmin_number_on_distinct_cells_is_cell_by_cell():
    cells = pd.Series(["'-16", "1,079", "--", "", "x", "6.29", " 7 "] * 40, dtype="str")
    value, bad = garmin.garmin_number(cells)
    one = [garmin.garmin_number(cells.iloc[i:i + 1]) for i in range(7)]
    assert np.array_equal(value.to_numpy()[:7], np.array([v.iloc[0] for v, _ in one]), equal_nan=True)
    assert bad.tolist() == [b.iloc[0] for _, b in one] * 40


def test_activity_cells_typed_columns_read_as_text_when_shown(tmp_path):
    """Number columns the parser types give the same runs and problems as text; a problem shows the
    cell as written (0.00, 300), read back from the file; a title of digits is still text."""
    from analysis.loaders.activity_cells import ActivityCells

    header = "Activity Type,Date,Title,Distance,Time,Moving Time,Avg HR,Avg Pace"
    rows = [f"Running,2026-04-{d:02d} 08:00:00,{d},{dist},00:45:00,00:45:00,{hr},4:30"
            for d, dist, hr in [(1, "10.00", 150), (2, "0.00", 150), (3, "9.5", 300), (4, "1e1", 140)]]
    log = read_logs(_garmin_csv(tmp_path / "Activities.csv", header, rows), distance_unit="km")
    assert log.runs["distance_km"].tolist() == [10.0, 9.5, 10.0]
    shown = log.problems.set_index("source_row")["value"].dropna().to_dict()
    assert shown == {3: "0.00", 4: "300"}
    cells = ActivityCells.read((tmp_path / "Activities.csv").read_text())
    assert cells.is_typed("Distance")
    assert cells.is_typed("Title")
    assert cells.text("Distance").tolist() == ["10.00", "0.00", "9.5", "1e1"]
    assert cells.text("Title").tolist() == ["1", "2", "3", "4"]
    assert not cells.blank_rows().any()


def test_garmin_header_names_equal_once_stripped_are_numbered(tmp_path):
    """``Distance`` and ``Distance `` were one name after stripping (an internal error); now the
    second is ``Distance.1``, as pandas numbers repeats, and the first is read."""
    header = "Activity Type,Date,Title,Distance,Distance ,Time,Moving Time"
    path = _garmin_csv(tmp_path / "Activities.csv", header, ["Running,2026-04-23 08:04:14,Tempo,10.00,3,00:45:00,00:45:00"])
    log = read_logs(path, distance_unit="km")
    assert log.runs["distance_km"].tolist() == [10.0]


def test_garmin_rows_longer_than_the_header_are_reported_and_dropped_not_shifted(tmp_path):
    """Rows with more fields than the header: pandas made their first cells an implicit index and
    shifted every column (read as another activity, or, showing a cell as written, an internal
    error: fuzz mutant #5230). The export is read record by record instead, those rows reported
    as broken and dropped, the others read."""
    from analysis.loaders.activity_cells import ActivityCells

    header = "Activity Type,Date,Title,Distance,Time"
    rows = ["Running,2026-04-01 08:00:00,Easy,10.00,00:45:00",
            "x,y,Running,2026-04-02 08:00:00,Easy,0.00,00:45:00",
            "Running,2026-04-03 08:00:00,Easy,8.00,00:40:00"]  # fmt: skip
    path = _garmin_csv(tmp_path / "Activities.csv", header, rows)
    log = read_logs(path, distance_unit="km", errors="report")
    assert log.runs["distance_km"].tolist() == [10.0, 8.0]
    assert log.problems["source_row"].tolist()[0] == 3
    assert len(log.runs) + int((log.problems["action"] == "dropped").sum()) == 3
    # every row longer (the fuzzed export): pandas reads it without an error, columns shifted
    longer = _garmin_csv(tmp_path / "Longer.csv", header, ["x,y," + r for r in (rows[0], rows[2])])
    with pytest.raises(ValueError, match="more fields than the header"):
        ActivityCells.read(longer.read_text())
    log = read_logs(longer, distance_unit="km", errors="report")
    assert log.runs.empty
    assert log.problems.loc[log.problems["action"] == "dropped", "source_row"].tolist() == [2, 3]


def _garmin_csv(path: Path, header: str, rows: list[str], newline: str = "\n") -> Path:
    path.write_bytes((newline.join([header, *rows]) + newline).encode("utf-8"))
    return path


def test_garmin_undecidable_unit_is_read_as_km_with_a_note(tmp_path):
    p = _garmin_csv(
        tmp_path / "Activities.csv",
        "Activity Type,Date,Favorite,Title,Distance,Time,Avg Pace,Moving Time",
        ['Running,2026-04-01 07:00:00,false,"Run","5.00","00:25:00","5:00","00:25:00"'],
    )
    log = read_logs(p)
    assert log.runs["distance_km"].tolist() == [5.0]
    (row,) = problems_of(log, "kept")
    assert row == (2, "Distance", None, "kept")
    assert (
        log.problems["problem"]
        .str.contains(r"read as km\. If the Garmin account uses miles, pass distance_unit='mi'")
        .all()
    )
    assert read_logs(p, distance_unit="mi").runs["distance_km"].tolist() == pytest.approx([5 * MI])


@pytest.mark.parametrize(
    ("distance", "pace", "unit"), [("5.00", "8:03", "km"), ("5.00", "3:06", "mi")]
)
def test_garmin_pace_against_time_over_distance(tmp_path, distance, pace, unit):
    # 25:00 over 5.00 = 5:00 per unit. 8:03 is ~1.609 x 5:00 (pace per mile, distance km);
    # 3:06 is ~5:00 / 1.609 (pace per km, distance miles).
    p = _garmin_csv(
        tmp_path / "Activities.csv",
        "Activity Type,Date,Favorite,Title,Distance,Time,Avg Pace",
        [f'Running,2026-04-01 07:00:00,false,"Run","{distance}","00:25:00","{pace}"'],
    )
    got, why = garmin.distance_unit_evidence(
        pd.Series([5.0]),
        pd.Series([1500.0]),
        steps=pd.Series([np.nan]),
        stride_m=pd.Series([np.nan]),
        cadence_spm=pd.Series([np.nan]),
        time_s=pd.Series([1500.0]),
        pace_s=pd.Series([483.0 if unit == "km" else 186.0]),
    )
    assert got == unit
    assert "Avg Pace is per" in why
    assert read_logs(p).runs["distance_km"].tolist() == pytest.approx(
        [5.0 if unit == "km" else 5 * MI]
    )


def test_garmin_localized_export_in_another_language_is_refused(tmp_path):
    p = _garmin_csv(
        tmp_path / "Activities.csv",
        "Aktivitätstyp,Datum,Favorit,Titel,Distanz,Kalorien,Zeit,Ø Herzfrequenz,Maximale Herzfrequenz,Training Stress Score®",
        ['Laufen,2026-04-01 07:00:00,false,"Lauf","5.00","300","00:25:00","150","170","0.0"'],
    )
    with pytest.raises(
        LogFormatError,
        match=r"Activities\.csv: looks like a Garmin Connect export in a language .*"
        r"switch Garmin Connect to English",
    ):
        read_logs(p)


def test_garmin_bad_values_are_reported(tmp_path):
    header = "Activity Type,Date,Favorite,Title,Distance,Time,Avg HR,Total Ascent,Moving Time"
    p = _garmin_csv(
        tmp_path / "Activities.csv",
        header,
        [
            'Running,2026-04-03 07:00:00,false,"Run","5.00","00:25:00","fast","12","00:25:00"',
            'Running,yesterday,false,"Run","5.00","00:25:00","150","12","00:25:00"',
            'Running,2026-04-01 07:00:00,false,"Run","--","00:25:00","150","12","00:25:00"',
            'Running,2026-04-02 07:00:00,false,"Run","5.00","--","150","12","--"',
            "",
        ],
        newline="\r\n",
    )
    log = read_logs(p, distance_unit="km")
    assert problems_of(log) == [
        (3, "Date", "yesterday", "dropped"),
        (4, "Distance", "--", "dropped"),
        (5, "Time", "--", "dropped"),
        (2, "Avg HR", "fast", "kept"),
    ]
    assert log.runs["avg_hr_bpm"].isna().all()
    assert log.files[0]["skipped"] == {"blank": 1}
    assert log.files[0]["rows_read"] == 1 + 3 + 1


def test_garmin_file_without_moving_time_says_so(tmp_path):
    p = _garmin_csv(
        tmp_path / "a.csv",
        "Activity Type,Date,Favorite,Title,Distance,Time",
        ['Running,2026-04-01 07:00:00,false,"Run","5.00","00:25:00"'],
    )
    log = read_logs(p, distance_unit="km")
    assert log.runs["duration_s"].tolist() == [1500.0]
    assert "the export has no Moving Time column" in log.problems["problem"].iloc[0]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Running", "Treadmill Running", "Walking", "Cycling", "Yoga"]),
            st.sampled_from(["0.00", "1.50", "5.00", "12.34"]),
            st.sampled_from(["00:00:00", "00:30:00", "--"]),
        ),
        min_size=1,
        max_size=12,
    )
)
@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
def test_garmin_every_row_is_accounted_for(rows):
    lines = [
        f'{kind},2026-04-{i + 1:02d} 07:00:00,false,"Run","{dist}","00:40:00","{moving}"'
        for i, (kind, dist, moving) in enumerate(rows)
    ]
    with tempfile.TemporaryDirectory() as d:
        p = _garmin_csv(
            Path(d) / "Activities.csv",
            "Activity Type,Date,Favorite,Title,Distance,Time,Moving Time",
            lines,
        )
        log = read_logs(p, distance_unit="km")
    f = log.files[0]
    dropped = (log.problems["action"] == "dropped").sum()
    assert f["rows_read"] == len(rows) == len(log.runs) + dropped + sum(f["skipped"].values())
    is_run = [k in ("Running", "Treadmill Running") and d != "0.00" for k, d, _ in rows]
    assert float(log.runs["distance_km"].sum()) == pytest.approx(
        sum(float(d) for (_, d, _), r in zip(rows, is_run, strict=True) if r)
    )
    assert log.runs["date"].is_monotonic_increasing


# --- Strava -----------------------------------------------------------------------------------------


def test_strava_export_by_hand():
    log = read_logs(APPS / "strava_activities.csv", athlete="Sam", timezone=LONDON)
    # UTC + 1 h (BST); "Sep 3, 2025, 11:30:00 PM" UTC is 00:30 on Sep 4 in London. Second Distance (m) used.
    expected = runs(
        athlete=["Sam"] * 7,
        date=pd.to_datetime(
            [
                "2025-09-01 06:05:14",
                "2025-09-04 00:30:00",
                "2025-09-06 09:00:00",
                "2025-09-08 07:10:00",
                "2025-09-09 18:00:00",
                "2025-09-10 08:00:00",
                "2025-09-13 09:00:00",
            ]
        ),
        distance_km=[6.4664, 5.0, 18.0, 9.0, 10.0, 5.0, 5.0],
        duration_s=[2401.0, 1500.0, 6300.0, 3240.0, 2700.0, 1550.0, 1260.0],
        pace_s_per_km=[2401 / 6.4664, 300.0, 350.0, 360.0, 270.0, 310.0, 252.0],
        run_type=[None, None, "long", None, "tempo", None, "race"],
        avg_hr_bpm=[152.3, 160.0, 148.0, 150.0, 166.0, 155.0, 171.0],
        elevation_gain_m=[24.0, 12.0, 95.0, 210.0, 30.0, 0.0, 20.0],
        source_file=["strava_activities.csv"] * 7,
        source_sheet=[None] * 7,
        source_row=[2, 4, 6, 7, 8, 9, 11],  # the multi-line description of row 6 is one row
    )
    pd.testing.assert_frame_equal(log.runs, expected)
    assert weekly_mean_pace(log.runs) == pytest.approx(
        {
            "2025-09-01": (2401 + 1500 + 6300) / 29.4664,
            "2025-09-08": (3240 + 2700 + 1550 + 1260) / 29.0,
        }
    )
    assert problems_of(log) == [(10, "Distance", "0.0", "dropped")]


def test_strava_machine_zone_is_used_and_named(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    log = read_logs(APPS / "strava_activities.csv")
    assert log.runs["date"].iloc[0] == pd.Timestamp(
        "2025-09-01 01:05:14"
    )  # 05:05:14 UTC is 01:05 EDT
    kept = log.problems[log.problems["action"] == "kept"]
    assert problems_of(log, "kept") == [(2, "Activity Date", "America/New_York", "kept")]
    assert (
        kept["problem"]
        .str.contains(r"converted to local time in America/New_York, the machine's zone")
        .all()
    )


def test_resolve_zone_falls_back_to_a_fixed_offset(monkeypatch, tmp_path):
    monkeypatch.setenv("TZ", "Not/AZone")
    monkeypatch.setattr(runs_common, "_LOCALTIME", tmp_path / "missing")
    zone, name, from_machine = runs_common.resolve_zone(None)
    assert from_machine
    assert name.startswith("fixed offset UTC")
    assert "summer time not applied" in name
    assert isinstance(zone, dt.tzinfo)


def test_strava_2021_html_header_cells():
    log = read_logs(APPS / "strava_activities_2021.csv", timezone="UTC")
    r = log.runs
    # a manual 2008 race (no file, no heart rate) and a 2021 run with float-precision metres
    assert r["date"].tolist() == [
        pd.Timestamp("2008-04-06 20:00:00"),
        pd.Timestamp("2021-02-22 10:30:06"),
    ]
    assert r["distance_km"].tolist() == pytest.approx([10.0, 2.831800048828125])
    assert r["run_type"].tolist()[0] == "race"
    assert r["avg_hr_bpm"].isna().all()


def test_strava_without_the_second_distance_uses_the_first(tmp_path):
    p = tmp_path / "activities.csv"
    p.write_text(
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Moving Time\n"
        '1,"Sep 2, 2025, 6:05:14 AM",Easy run,Run,1900,6.00,1800.0\n'
        '2,"Sep 3, 2025",Run,Run,1900,6.00,1800.0\n',
        encoding="utf-8",
    )
    log = read_logs(p, timezone="UTC")
    assert log.runs["distance_km"].tolist() == [6.0]
    assert log.runs["run_type"].tolist() == ["easy"]
    assert problems_of(log) == [(3, "Activity Date", "Sep 3, 2025", "dropped")]


def test_strava_reader_needs_date_and_type_columns(tmp_path):
    p = tmp_path / "activities.csv"
    p.write_text("Activity ID,Activity Name,Distance\n1,Run,5.0\n", encoding="utf-8")
    with pytest.raises(
        LogFormatError,
        match=r"activities\.csv: expected a Strava activities\.csv with columns "
        r"Activity Date and Activity Type, got no Activity Date, Activity Type column instead",
    ):
        strava.read_strava_csv(p)


def test_run_type_from_name_only_gives_known_labels():
    names = pd.Series(
        [
            "Morning Run",
            "6x800m",
            "Threshold 3x10'",
            "LONG RUN",
            "recovery jog",
            "Parkrun PB",
            "Race day",
        ]
    )
    assert C.run_type_of(names).tolist() == [
        pd.NA,
        "interval",
        "interval",
        "long",
        "easy",
        "race",
        "race",
    ]


@given(st.lists(st.text(max_size=30), max_size=10))
def test_run_type_of_property(names):
    out = C.run_type_of(pd.Series(names, dtype=object))
    assert len(out) == len(names)
    assert set(out.dropna()) <= set(C.RUN_TYPES)


# --- GPX ------------------------------------------------------------------------------------------------


def test_gpx_by_hand():
    log = read_logs(APPS / "strava_run.gpx", timezone=LONDON)
    metres = 20 * 0.001 * 111319.49079327357  # 20 steps of 0.001 deg north on gpxpy's sphere
    expected = runs(
        athlete=["strava_run"],
        date=[pd.Timestamp("2025-09-30 07:05:12")],
        distance_km=[metres / 1000],
        duration_s=[600.0],
        pace_s_per_km=[600 / (metres / 1000)],
        run_type=[None],
        avg_hr_bpm=[140.0],
        elevation_gain_m=[10.0],
        source_file=["strava_run.gpx"],
        source_sheet=[None],
        source_row=[1],
    )
    pd.testing.assert_frame_equal(log.runs, expected)
    gz = read_logs(APPS / "strava_run.gpx.gz", timezone=LONDON).runs
    pd.testing.assert_frame_equal(
        gz.drop(columns="source_file"), expected.drop(columns="source_file")
    )


def test_gpx_other_sport_is_skipped_and_numeric_type_is_a_run(tmp_path):
    data = (APPS / "strava_run.gpx").read_bytes()
    (tmp_path / "ride.gpx").write_bytes(
        data.replace(b"<type>running</type>", b"<type>cycling</type>")
    )
    (tmp_path / "coded.gpx").write_bytes(data.replace(b"<type>running</type>", b"<type>9</type>"))
    log = read_logs(tmp_path / "ride.gpx", tmp_path / "coded.gpx", timezone="UTC")
    assert log.files[0]["skipped"] == {"not a run: cycling": 1}
    assert log.files[0]["runs"] == 0
    assert log.files[1]["runs"] == 1


@pytest.mark.parametrize(
    "doc",
    [
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n<gpx version="1.1">&lol2;</gpx>',
        b'<?xml version="1.0"?>\n<!DOCTYPE gpx SYSTEM "http://example.org/evil.dtd">\n<gpx version="1.1"></gpx>',
    ],
)
def test_gpx_with_dtd_or_entities_is_refused(tmp_path, doc):
    p = tmp_path / "evil.gpx"
    p.write_bytes(doc)
    with pytest.raises(
        LogFormatError, match=r"evil\.gpx: refused: the GPX file declares a DTD or XML entities"
    ):
        read_logs(p)


def test_gpx_not_well_formed(tmp_path):
    p = tmp_path / "cut.gpx"
    p.write_bytes((APPS / "strava_run.gpx").read_bytes()[:700])
    with pytest.raises(
        LogFormatError, match=r"cut\.gpx: not a well-formed GPX file \(no element found"
    ):
        read_logs(p)


def test_gpx_without_points(tmp_path):
    p = tmp_path / "empty.gpx"
    p.write_text(
        '<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="1" lon="1"/></gpx>'
    )
    log = read_logs(p, errors="report")
    assert problems_of(log) == [(1, "trkpt", None, "dropped")]
    assert log.files[0]["rows_read"] == 1


def test_gzip_cap_and_damaged_gzip(tmp_path, monkeypatch):
    monkeypatch.setattr(runs_common, "MAX_DECOMPRESSED_BYTES", 1000)
    with pytest.raises(
        LogFormatError, match=r"strava_run\.gpx\.gz: decompresses to more than 0 MB"
    ):
        read_logs(APPS / "strava_run.gpx.gz")
    monkeypatch.undo()
    bad = tmp_path / "bad.gpx.gz"
    bad.write_bytes((APPS / "strava_run.gpx.gz").read_bytes()[:300])
    with pytest.raises(LogFormatError, match=r"bad\.gpx\.gz: a damaged gzip file"):
        read_logs(bad)


# --- TCX ------------------------------------------------------------------------------------------------


def test_tcx_outdoor_and_treadmill_by_hand():
    log = read_logs(
        APPS / "garmin_run.tcx", APPS / "garmin_treadmill.tcx", athlete="Sam", timezone=LONDON
    )
    expected = runs(
        athlete=["Sam", "Sam"],
        date=pd.to_datetime(["2025-10-01 18:30:00", "2025-10-03 07:00:00"]),
        distance_km=[4.0, 5.0],
        duration_s=[1140.0, 1800.0],
        pace_s_per_km=[285.0, 360.0],
        run_type=[None, None],
        avg_hr_bpm=[(140 * 600 + 150 * 540) / 1140, 150.0],  # lap averages weighted by lap time
        elevation_gain_m=[8.0, None],  # no AltitudeMeters on the treadmill
        source_file=["garmin_run.tcx", "garmin_treadmill.tcx"],
        source_sheet=[None, None],
        source_row=[1, 1],
    )
    pd.testing.assert_frame_equal(log.runs, expected)
    assert weekly_mean_pace(log.runs) == pytest.approx({"2025-09-29": (1140 + 1800) / 9.0})


def test_tcx_other_sport_and_no_activity(tmp_path):
    data = (APPS / "garmin_treadmill.tcx").read_bytes()
    (tmp_path / "ride.tcx").write_bytes(data.replace(b'Sport="Running"', b'Sport="Biking"'))
    log = read_logs(tmp_path / "ride.tcx", timezone="UTC")
    assert log.files[0]["skipped"] == {"not a run: Biking": 1}
    assert log.runs.empty
    (tmp_path / "course.tcx").write_bytes(
        b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Courses/>'
        b"</TrainingCenterDatabase>"
    )
    with pytest.raises(
        LogFormatError,
        match=r"course\.tcx: a TCX file with no <Activity> \(a course or workout plan\?\)",
    ):
        read_logs(tmp_path / "course.tcx")


def test_tcx_entities_refused(tmp_path):
    p = tmp_path / "x.tcx"
    p.write_bytes(
        b'<!DOCTYPE t [<!ENTITY a "b">]><TrainingCenterDatabase>&a;</TrainingCenterDatabase>'
    )
    with pytest.raises(LogFormatError, match=r"x\.tcx: refused: the TCX file declares"):
        read_logs(p)


# --- FIT ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["garmin_run.fit", "garmin_run.fit.gz"])
def test_fit_session_by_hand(name):
    log = read_logs(APPS / name, athlete="Sam")
    # start 07:00 UTC; no timezone given -> the watch's local_timestamp (UTC+1) -> 08:00, no zone note
    r = log.runs
    assert r["date"].tolist() == [pd.Timestamp("2025-10-05 08:00:00")]
    assert r[["distance_km", "duration_s", "pace_s_per_km", "avg_hr_bpm", "elevation_gain_m"]].iloc[
        0
    ].tolist() == [5.0, 1500.0, 300.0, 152.0, 35.0]  # timer time 1500 s, not elapsed 1520 s
    assert log.problems.empty


def test_fit_and_its_gz_together_count_once():
    log = read_logs(APPS / "garmin_run.fit", APPS / "garmin_run.fit.gz", athlete="Sam")
    assert log.runs["source_file"].tolist() == ["garmin_run.fit"]
    assert problems_of(log) == [(1, None, None, "dropped")]
    assert "the same run as 'garmin_run.fit' row 1" in log.problems["problem"].iloc[0]


def test_fit_timezone_option_wins_over_the_watch():
    assert read_logs(APPS / "garmin_run.fit", timezone="UTC").runs["date"].tolist() == [
        pd.Timestamp("2025-10-05 07:00")
    ]


def test_fit_records_only_by_hand():
    log = read_logs(APPS / "records_only.fit", timezone=LONDON)
    # 10 x 90 s = 900 s elapsed, last distance 3000 m, HR 145..155 (mean 150), altitude 40 -> 52 (gain 12)
    assert log.runs[["distance_km", "duration_s", "avg_hr_bpm", "elevation_gain_m"]].iloc[
        0
    ].tolist() == pytest.approx([3.0, 900.0, 150.0, 12.0])
    assert problems_of(log) == [(1, "session", None, "kept")]


def test_fit_machine_zone_when_the_watch_gives_none(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", LONDON)
    p = tmp_path / "run.fit"
    p.write_bytes(
        make.fit_run(
            start=dt.datetime(2025, 10, 5, 7),
            metres=5000.0,
            timer_s=1500.0,
            elapsed_s=1500.0,
            hr=150,
            ascent=10,
            utc_offset_h=None,
        )
    )
    log = read_logs(p)
    assert log.runs["date"].tolist() == [pd.Timestamp("2025-10-05 08:00")]
    assert problems_of(log) == [(1, "start_time", LONDON, "kept")]


def test_fit_other_sport_bad_crc_and_cut_file(tmp_path):
    ride = tmp_path / "ride.fit"
    ride.write_bytes(
        make.fit_run(
            start=dt.datetime(2025, 10, 5, 7),
            metres=20000.0,
            timer_s=3000.0,
            elapsed_s=3000.0,
            hr=130,
            ascent=100,
            sport="cycling",
        )
    )
    data = (APPS / "garmin_run.fit").read_bytes()
    (tmp_path / "crc.fit").write_bytes(data[:-2] + bytes([data[-2] ^ 0xFF, data[-1]]))
    log = read_logs(ride, tmp_path / "crc.fit")
    assert log.files[0]["skipped"] == {"not a run: cycling": 1}
    assert log.files[1]["runs"] == 1
    assert log.problems["problem"].str.contains("the FIT checksum does not match").any()
    (tmp_path / "cut.fit").write_bytes(data[:150])
    with pytest.raises(LogFormatError, match=r"cut\.fit: not a readable FIT file"):
        read_logs(tmp_path / "cut.fit")


def test_fit_encoder_crc_matches_the_sdk_check_value():
    # CRC-16/ARC (the FIT CRC) of b"123456789" is 0xBB3D
    assert make.fit_crc(b"123456789") == 0xBB3D


# --- mixing sources ---------------------------------------------------------------------------------


def test_garmin_and_coach_log_of_one_athlete_load_together(tmp_path):
    coach = tmp_path / "coach.csv"
    coach.write_text(
        "Date,Exercise,Side,Reps,Weight\n2026-04-02,Bulgarian Split Squat,L,8,20\n"
        "2026-04-02,Bulgarian Split Squat,R,8,20\n2026-04-02,Back Squat,,5,80\n",
        encoding="utf-8",
    )
    log = read_logs(APPS / "garmin_activities_2026.csv", coach, athlete="Sam")
    assert log.athletes == ["Sam"]
    assert len(log.sets) == 3
    assert len(log.runs) == 6
    assert log.sets["side"].tolist() == ["left", "right", "both"]
    # volume of the split squat per side: 8 x 20 = 160 kg each
    vol = (log.sets["reps"] * log.sets["load_kg"]).groupby(log.sets["side"]).sum()
    assert vol.to_dict() == {"both": 400.0, "left": 160.0, "right": 160.0}


def test_reader_functions_accept_default_options():
    assert (
        strava.read_strava_csv(APPS / "strava_activities.csv", Options(timezone="UTC")).runs
        is not None
    )
    assert len(gpsfiles.read_tcx(APPS / "garmin_treadmill.tcx", Options(timezone="UTC")).runs) == 1


# --- issue 15: Strava GPX codes, a FIT that breaks off, Garmin strength sets -----------------------


def test_gpx_strava_numeric_types_decide():
    log = read_logs(APPS / "strava_ride_type1.gpx", timezone=LONDON)  # <type>1</type>: a ride
    assert log.runs.empty
    assert log.files[0]["skipped"] == {"not a run: Ride (Strava type 1)": 1}
    assert [gpsfiles.is_run_type(t) for t in ("9", "1", "4", "10", "16", "18", "running", "Run", "walking")] == [
        True, False, False, False, False, False, True, True, False]
    assert gpsfiles.gpx_sport_name("18") == "Strava type 18"


def test_fit_that_breaks_off_keeps_what_came_before():
    """Strava Android writes FIT files fitdecode stops reading ("local message 11 not defined")."""
    log = read_logs(APPS / "strava_android_cut.fit", timezone="UTC")
    run = log.runs.iloc[0]
    assert (round(float(run["distance_km"]), 5), float(run["duration_s"])) == (11.27404, 3558.0)
    kept = log.problems[log.problems["action"] == "kept"]["problem"].tolist()
    assert any(t.startswith("the file breaks off (FIT parsing error @") and "local message 11 not defined" in t
               for t in kept)


def test_fit_cut_before_anything_usable_is_still_refused(tmp_path):
    data = (APPS / "strava_android_cut.fit").read_bytes()
    header = data[:14]
    bad = tmp_path / "nothing.fit"
    body = bytes([0x0B]) + bytes(16)
    head = header[:4] + len(body).to_bytes(4, "little") + header[8:12]
    head += make.fit_crc(head).to_bytes(2, "little")
    bad.write_bytes(head + body + make.fit_crc(head + body).to_bytes(2, "little"))
    with pytest.raises(LogFormatError, match=r"nothing\.fit: not a readable FIT file \(FIT parsing error"):
        read_logs(bad)


def test_garmin_strength_fit_sets_by_hand():
    log = read_logs(APPS / "garmin_strength.fit")  # the watch's zone (UTC+1): 17:30 UTC is 18:30
    assert log.files[0]["format"] == fit.STRENGTH_LABEL
    assert log.files[0]["skipped"] == {"rest between sets": 7}
    s = log.sets
    got = list(zip(s["exercise"], s["exercise_raw"], s["reps"].astype(object).where(s["reps"].notna(), None),
                   s["load_kg"].astype(float), s["duration_s"].astype(object).where(s["duration_s"].notna(), None),
                   s["warmup"].astype(bool), s["source_row"].astype(int), strict=True))
    assert got == [
        ("warm_up", "Warm Up (Arm Circles)", None, 0.0, 300.0, True, 1),
        ("back_squat", "Back Squats", 5.0, 60.0, 33.5, False, 3),  # a set with reps keeps its time
        ("back_squat", "Back Squats", 5.0, 62.5, 34.0, False, 5),
        ("bulgarian_split_squat", "Back Foot Elevated Dumbbell Split Squat", 8.0, 12.0, 41.0, False, 7),
        ("plank", "Plank", None, 0.0, 45.0, False, 9),  # no reps: a hold
        ("deadlift", "Barbell Deadlift", 5.0, 100.0, 30.0, False, 11),  # first of (deadlift, hip_raise, squat)
        ("unknown_exercise", "Unknown exercise", 10.0, 0.0, 28.0, False, 13),
        ("back_squat", "Back Squats", 0.0, 80.0, 12.0, False, 15),  # a missed attempt
    ]
    assert s["date"].dt.strftime("%Y-%m-%d").unique().tolist() == ["2025-10-08"]
    watch = log.problems[log.problems["column"] == "category"]
    assert watch[["source_row", "value"]].values.tolist() == [
        [1, "Warm Up (Arm Circles)"], [3, "Back Squats"], [7, "Back Foot Elevated Dumbbell Split Squat"],
        [9, "Plank"], [11, "Barbell Deadlift"], [13, "Unknown exercise"]]
    assert (watch["action"] == "kept").all()
    assert "on 3 sets: a FIT file keeps the watch's guess" in watch["problem"].iloc[1]


def test_garmin_strength_and_runs_from_one_watch_load_together():
    log = read_logs(APPS / "garmin_strength.fit", APPS / "garmin_run.fit", athlete="Sam")
    assert (len(log.sets), len(log.runs)) == (8, 1)
    assert log.athletes == ["Sam"]


def test_exercise_guess_maps_raw_category_tuples():
    from analysis.loaders.fit_strength import exercise_guess

    assert exercise_guess((0, 0, 0), (1, 1, 1)) == ("Barbell Bench Press", "bench_press/barbell_bench_press")
    assert exercise_guess("squat", 3) == ("Weighted Back Squats", "squat/weighted_back_squats")
    assert exercise_guess((28,), (9999,)) == ("Squat", "squat")  # an index the profile does not know


def test_a_planned_workout_fit_is_named_as_such(capsys):
    log = read_logs(APPS / "garmin_workout_plan.fit", errors="report")
    assert log.sets.empty
    assert log.runs.empty
    assert log.problems["problem"].iloc[0].startswith("a planned workout (3 steps), not a recorded activity")
    assert main(["check", str(APPS / "garmin_workout_plan.fit"), "--json"]) == 1
    assert '"error": "garmin_workout_plan.fit: nothing loaded (a planned workout (3 steps)' in capsys.readouterr().out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Jan", "Feb", "Sep", "Dec", "sep"]), st.integers(0, 32),
                          st.integers(999, 2100), st.integers(0, 13), st.integers(0, 60), st.sampled_from(["AM", "PM", "pm"])),
                min_size=64, max_size=90))
def test_strava_dates_read_in_parts_equal_strptime(cells):
    """Strava's dates read as day and time of day apart (every cell in Strava's exact shape) are the
    datetimes strptime gives the whole cell; any other cell and the column is read as before."""
    text = pd.Series([f"{m} {d}, {y}, {h}:{mi:02d}:{s:02d} {p}" for m, d, y, h, mi, p, s in
                      [(*c, c[4]) for c in cells]], dtype="str")
    want = pd.to_datetime(text, format="%b %d, %Y, %I:%M:%S %p", errors="coerce")
    pd.testing.assert_series_equal(strava._utc_dates(text), want)
    ok = text[want.notna()]
    if len(ok):
        ok = pd.concat([ok] * (64 // len(ok) + 1), ignore_index=True)
        pd.testing.assert_series_equal(strava._utc_dates(ok),
                                       pd.to_datetime(ok, format="%b %d, %Y, %I:%M:%S %p", errors="coerce"))

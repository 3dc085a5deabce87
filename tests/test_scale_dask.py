"""``liftpace squad --engine dask`` gives the in-process squad's tables and files (issue 18).

A 2-worker LocalCluster (processes: report charts use matplotlib, one thread per worker) runs
the sample squad (the coach's workbook of four athletes and a runner's two CSVs, given to
"Sam Runner" with ``PATH=ATHLETE``) cut into several partitions; the in-process path is
:func:`analysis.read_logs` + :func:`analysis.reassessment.reassess_squad`, as
:func:`analysis.report.render_squad` runs it, and ``render_squad`` itself for the files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli, read_logs, report
from analysis.loaders.plan import find_plan
from analysis.loaders.scope import owners
from analysis.loaders.tests import find_tests
from analysis.reassessment import reassess_squad
from analysis.report.per_athlete import TABLES, output_schemas

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "sample_logs"
FILES = [str(SAMPLES / "coach_workbook.xlsx"), str(SAMPLES / "runner_strength.csv"), str(SAMPLES / "runner_runs.csv")]
SAM = {FILES[1]: "Sam Runner", FILES[2]: "Sam Runner"}

pytestmark = pytest.mark.xdist_group("dask")


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("distributed")
    from analysis.report.dask_engine import connect

    c = connect(workers=2)
    yield c
    c.close()
    c.cluster.close()


@pytest.fixture(scope="module")
def on_dask(client, tmp_path_factory):
    from analysis.report.dask_engine import squad_on_dask

    out = tmp_path_factory.mktemp("dask")
    # two partitions (three athletes, then two): the shuffle and the alignment of the four tables are tested
    return squad_on_dask(FILES, client=client, out=out, athletes=SAM, athletes_per_partition=3)


@pytest.fixture(scope="module")
def in_process():
    """The in-process squad's reassessments, built the way render_squad builds them."""
    log = read_logs(*FILES, errors="report", unnamed="unassigned", athletes=SAM)
    named = log.sets[(log.sets["athlete"] != "").fillna(False).to_numpy(dtype=bool)]
    runs = log.runs[(log.runs["athlete"] != "").fillna(False).to_numpy(dtype=bool)]
    owner = owners(log)
    names = sorted(named["athlete"].unique())
    problems = {n: log.problems[(owner == n).fillna(False).to_numpy(dtype=bool)] for n in names}
    plan = find_plan(FILES, program_start=named["date"].min())
    tests, _ = find_tests(FILES)
    return reassess_squad(named, runs, bodyweight=log.bodyweight, plan=plan, problems=problems, tests=tests)


def _timeless(frame: pd.DataFrame) -> pd.DataFrame:
    """Without the rows that say when the file was written (the About sheet)."""
    stamped = frame.astype(str).apply(lambda col: col.str.match(r"\d{4}-\d\d-\d\dT\d\d:")).any(axis=1)
    return frame[~stamped.to_numpy()]


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in frame.columns if frame[c].dtype != object]
    return frame.sort_values(keys, kind="stable", na_position="last").reset_index(drop=True)


@pytest.mark.slow
@pytest.mark.parametrize("table", TABLES)
def test_dask_squad_tables_equal_in_process(on_dask, in_process, table: str) -> None:
    expected = pd.concat([getattr(r, table) for r in in_process.values()], ignore_index=True)
    assert len(expected), "the sample squad fills every table"
    assert on_dask.partitions == 2
    assert on_dask.shuffled
    pd.testing.assert_frame_equal(_sorted(on_dask.tables[table]), _sorted(expected))
    assert dict(expected.dtypes.astype(str)) == output_schemas()[table]  # the declared meta is the code's


@pytest.mark.slow
def test_dask_squad_without_the_shuffle_equals_in_process(client, in_process) -> None:
    """Files that already group the athletes (the workbook's four, Sam's two CSVs) need no shuffle."""
    from analysis.report.dask_engine import squad_on_dask

    done = squad_on_dask(FILES, client=client, out=None, athletes=SAM, partition_sets=1, shuffle=False)
    assert (done.partitions, done.shuffled, done.report) == (2, False, None)
    for table in TABLES:
        expected = pd.concat([getattr(r, table) for r in in_process.values()], ignore_index=True)
        pd.testing.assert_frame_equal(_sorted(done.tables[table]), _sorted(expected), obj=table)


@pytest.mark.slow
def test_dask_squad_params_equal_in_process(on_dask, in_process) -> None:
    params = on_dask.tables["params"].astype(object).where(on_dask.tables["params"].notna(), None)
    got = {row["athlete"]: row for row in params.to_dict(orient="records")}
    assert list(got) == list(in_process) == ["Ana Lopez", "Ben Carter", "Chloe Dubois", "Dev Patel", "Sam Runner"]
    for name, r in in_process.items():
        assert got[name] == {k: r.params.get(k) for k in got[name]}


@pytest.mark.slow
def test_dask_squad_writes_every_report_and_the_same_squad_files(on_dask, tmp_path: Path) -> None:
    done = on_dask.report
    assert done is not None
    assert not done.failures
    assert sorted(done.athletes) == ["Ana Lopez", "Ben Carter", "Chloe Dubois", "Dev Patel", "Sam Runner"]
    for html, xlsx in done.athletes.values():
        assert html.stat().st_size > 10_000
        assert xlsx.stat().st_size > 5_000
    here = report.render_squad(FILES, out=tmp_path, athletes=SAM, progress=False, jobs=1)
    assert sorted(p.name for p in here.paths) == sorted(p.name for p in done.paths)
    ours, theirs = (pd.read_excel(p, sheet_name=None, engine="calamine") for p in (done.xlsx, here.xlsx))
    assert list(ours) == list(theirs)
    for sheet in theirs:  # Triage, Strength, Single-leg balance, Consistency, Running, Findings, Data quality, About
        pd.testing.assert_frame_equal(_sorted(_timeless(ours[sheet])), _sorted(_timeless(theirs[sheet])), obj=sheet)
    assert "Sam Runner" in done.index.read_text(encoding="utf-8")


@pytest.mark.slow
def test_dask_squad_measures_itself(on_dask) -> None:
    assert set(on_dask.timings) >= {"read", "partition", "reassess", "gather"}
    assert len(on_dask.worker_peak_mb) == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--engine", "spark"], "liftpace: error: argument --engine: invalid choice: 'spark' (choose from 'pandas', 'dask')"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "liftpace: error: --scheduler needs --engine dask"),
        (["--engine", "pandas", "--scheduler", "tcp://127.0.0.1:8786"], "liftpace: error: --scheduler needs --engine dask"),
    ],
)
def test_cli_engine_usage_errors_are_one_line(argv: list[str], message: str, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["squad", FILES[0], *argv])
    assert exc.value.code == cli.EXIT_USAGE
    assert capsys.readouterr().err.strip().splitlines()[-1] == message


def test_cli_dask_engine_checks_files_before_starting_a_cluster(tmp_path: Path, capsys) -> None:
    assert cli.main(["squad", str(tmp_path / "none.csv"), "--engine", "dask"]) == cli.EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert err == f"liftpace: expected existing log files, got missing ['{tmp_path / 'none.csv'}'] instead\n"


def test_dask_is_imported_only_for_the_dask_engine() -> None:
    code = ("import sys, analysis, analysis.cli, analysis.report; analysis.cli.build_parser(); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'dask', 'distributed'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.slow  # over 2 s: in make test, not in make test-fast
def test_squad_rows_is_a_pure_function_of_a_group_of_athletes() -> None:
    """Any group of athletes, in any row order, gives their rows of the whole squad's tables."""
    from analysis import columns as C
    from analysis.report.per_athlete import INPUT_SCHEMAS, ROW_ORDER, squad_rows
    from analysis.sample import generate_squad

    sets, runs = generate_squad(athletes=3, weeks=10, seed=5)
    whole = reassess_squad(sets, runs, end="2026-11-22")
    runs = runs.assign(source_file="a.csv", source_row=pd.array(range(2, len(runs) + 2), dtype="Int64"))
    twin = runs[runs["athlete"] == "Athlete 002"].assign(source_file="b.gpx")  # the same runs in another file
    frames = {
        "sets": sets.assign(**{ROW_ORDER: range(len(sets))}),
        "runs": pd.concat([runs, twin], ignore_index=True).assign(**{ROW_ORDER: range(len(runs) + len(twin))}),
        "bodyweight": C.empty(INPUT_SCHEMAS["bodyweight"]),
        "problems": C.empty(INPUT_SCHEMAS["problems"]),
    }
    group = ["Athlete 002", "Athlete 003"]
    mine = {k: f[f["athlete"].isin(group)].iloc[::-1] for k, f in frames.items()}  # any order
    got = squad_rows(mine["sets"], mine["runs"], mine["bodyweight"], mine["problems"], weeks=4, end="2026-11-22")
    for table in TABLES:  # Athlete 002's findings also say its twin runs were dropped
        expected = pd.concat([getattr(whole[n], table) for n in group], ignore_index=True)
        same = ~((got[table]["athlete"] == "Athlete 002") & (table == "findings"))
        expected = expected[~((expected["athlete"] == "Athlete 002") & (table == "findings"))]
        pd.testing.assert_frame_equal(_sorted(got[table][same]), _sorted(expected), obj=table)
    found = got["findings"][got["findings"]["athlete"] == "Athlete 002"]
    assert len(found) == len(whole["Athlete 002"].findings) + 1
    assert found["finding"].str.contains("problem|dropped|quality", case=False).any()
    assert got["params"]["athlete"].tolist() == group
    assert got["params"]["n_runs"].tolist() == [whole[n].params["n_runs"] for n in group]  # twins counted once
    assert got["reports"]["html"].isna().all()  # nothing written without out

"""Packaging: one version everywhere, complete metadata, a clean sdist, explicit test
dependencies, and front ends that name the extra to install when their framework is
missing."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import langchain_workersai
import llamaindex_workersai
import workersai
from workersai._version import __version__

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]


def test_one_version_for_the_three_packages() -> None:
    assert workersai.__version__ == langchain_workersai.__version__ == __version__
    assert llamaindex_workersai.__version__ == __version__
    assert "version" in PROJECT["dynamic"] and "version" not in PROJECT
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "workersai/_version.py"


def test_installed_metadata_matches_when_installed_from_here() -> None:
    try:
        dist = importlib.metadata.distribution("workersai-integrations")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("not installed")
    if Path(str(dist.locate_file("workersai"))).resolve() != (ROOT / "workersai").resolve():
        pytest.skip("installed from another checkout")
    assert dist.version == __version__


def test_metadata_is_complete() -> None:
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert "workersai-integrations contributors" in (ROOT / "LICENSE").read_text()
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    assert "License :: OSI Approved :: MIT License" in PROJECT["classifiers"]
    assert "Typing :: Typed" in PROJECT["classifiers"]
    assert {"cloudflare", "langchain", "llamaindex"} <= set(PROJECT["keywords"])
    assert PROJECT["urls"]["Documentation"].startswith("https://")


def test_test_dependencies_are_explicit() -> None:
    dev = " ".join(PROJECT["optional-dependencies"]["dev"])
    addopts = PYPROJECT["tool"]["pytest"]["ini_options"]["addopts"]
    assert "--benchmark-disable" in addopts and "pytest-benchmark" in dev
    for plugin in ("pytest-asyncio", "pytest-socket", "syrupy", "respx", "tqdm"):
        assert plugin in dev


def test_sdist_leaves_ci_and_caches_out() -> None:
    only = PYPROJECT["tool"]["hatch"]["build"]["targets"]["sdist"]["only-include"]
    assert ".ci" not in only and "tests" in only and "LICENSE" in only
    builder_module = pytest.importorskip("hatchling.builders.sdist")
    builder = builder_module.SdistBuilder(str(ROOT))
    files = [f.distribution_path for f in builder.recurse_included_files()]
    tops = {f.split("/")[0] for f in files}
    assert {"workersai", "langchain_workersai", "llamaindex_workersai", "tests",
            "LICENSE", "README.md", "pyproject.toml"} <= tops
    assert not any(f.startswith(".") or "__pycache__" in f for f in files), tops


@pytest.mark.parametrize(("package", "missing", "extra"), [
    ("langchain_workersai", "langchain_core", "langchain"),
    ("llamaindex_workersai", "llama_index", "llamaindex"),
])
def test_a_missing_framework_names_the_extra(package: str, missing: str, extra: str) -> None:
    code = (f"import sys; sys.modules[{missing!r}] = None\n"
            f"try:\n    import {package}\n"
            "except ImportError as err:\n    print(err)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=True)
    assert f'pip install "workersai-integrations[{extra}]"' in done.stdout


def test_other_import_errors_pass_through(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A framework that is there but fails on a dependency of its own is not "missing"."""
    from workersai import _extras

    (tmp_path / "present_framework.py").write_text("import its_own_missing_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError) as info:
        _extras.require("present_framework", extra="x", framework="X", front_end="y")
    assert "pip install" not in str(info.value)
    monkeypatch.setitem(sys.modules, "json", None)
    with pytest.raises(ImportError, match=r'pip install "workersai-integrations\[x\]"'):
        _extras.require("json", extra="x", framework="X", front_end="y")

"""scripts/lib.sh finds a Python >= 3.12 however the machine has it, or says that none is there."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _fake(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def _run(script: str, path_dirs: list[Path], pyenv_root: Path, cwd: Path = REPO):
    env = {
        "PATH": os.pathsep.join([str(p) for p in path_dirs] + ["/usr/bin", "/bin"]),
        "PYENV_ROOT": str(pyenv_root),
        "HOME": str(pyenv_root.parent),
    }
    return subprocess.run(
        ["bash", "-c", f". {REPO}/scripts/lib.sh; {script}"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
    )


def test_a_shim_that_refuses_to_run_is_skipped_for_a_pyenv_version(tmp_path):
    bin_dir = tmp_path / "bin"
    # pyenv's shims exist on the PATH but fail unless the version is activated.
    _fake(bin_dir / "python3.13", 'echo "pyenv: python3.13: command not found" >&2; exit 127')
    _fake(bin_dir / "python3", "exec /usr/bin/false")
    real = tmp_path / "pyenv" / "versions" / "3.12.9" / "bin" / "python3"
    real.parent.mkdir(parents=True)
    real.symlink_to(sys.executable)
    result = _run("find_python", [bin_dir], tmp_path / "pyenv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(real)


def test_the_first_suitable_python_on_the_path_is_used(tmp_path):
    bin_dir = tmp_path / "bin"
    (bin_dir).mkdir()
    (bin_dir / "python3.12").symlink_to(sys.executable)
    result = _run("find_python", [bin_dir], tmp_path / "no-pyenv")
    assert result.stdout.strip() == str(bin_dir / "python3.12")


def test_without_a_suitable_python_the_setup_says_so_and_stops(tmp_path):
    bin_dir = tmp_path / "bin"
    _fake(bin_dir / "python3", "exit 1")  # an old interpreter fails the version check
    work = tmp_path / "checkout"
    work.mkdir()
    (work / "requirements.txt").write_text("")
    result = _run("ensure_venv requirements.txt", [bin_dir], tmp_path / "no-pyenv", cwd=work)
    assert result.returncode == 1
    assert "needs Python 3.12 or newer" in result.stderr
    assert not (work / ".venv").exists()

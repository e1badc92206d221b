# Shared by scripts/demo and scripts/test: find a Python >= 3.12 and keep .venv in step
# with the requirements. Sourced, not run.

MIN_PYTHON="3.12"

python_is_suitable() {
  "$1" - <<'PY' >/dev/null 2>&1
import sys, venv, ensurepip  # noqa: F401  (venv needs ensurepip to bootstrap pip)
sys.exit(0 if sys.version_info >= (3, 12) else 1)
PY
}

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.14 python3.13 python3.12 python3 python; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if python_is_suitable "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  # pyenv keeps interpreters that its shims refuse to run unless they are activated.
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  if [ -d "$root/versions" ]; then
    for candidate in $(ls -d "$root"/versions/3.* 2>/dev/null | sort -rV); do
      if [ -x "$candidate/bin/python3" ] && python_is_suitable "$candidate/bin/python3"; then
        echo "$candidate/bin/python3"
        return 0
      fi
    done
  fi
  return 1
}

# ensure_venv REQUIREMENTS_FILE: create .venv if needed and install what the file lists.
ensure_venv() {
  local requirements="$1"
  if [ ! -x .venv/bin/python ] || ! python_is_suitable .venv/bin/python; then
    local python
    if ! python=$(find_python); then
      echo "Dialogues needs Python $MIN_PYTHON or newer (with the venv module), and none was found." >&2
      echo "Looked for: \$PYTHON, python3.14, python3.13, python3.12, python3, python and pyenv's versions." >&2
      echo "Install one (Debian/Ubuntu: apt-get install python3 python3-venv) or set PYTHON=/path/to/python3.12." >&2
      exit 1
    fi
    echo "Using $python ($("$python" --version 2>&1))"
    rm -rf .venv
    "$python" -m venv .venv
  fi
  # Reinstall only when the requirements changed since the last install.
  local stamp=".venv/.installed-$(basename "$requirements")"
  local digest
  digest=$(cat requirements*.txt | .venv/bin/python -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo "Installing Python packages from $requirements ..."
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$digest" > "$stamp"
  fi
}

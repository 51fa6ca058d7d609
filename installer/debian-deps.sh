#!/usr/bin/env bash
# Installs the Debian packages a profile needs, when they are missing:
#   base         python3 with venv (for .venv)
#   test         + the libraries Qt needs offscreen and a CJK font (WenQuanYi)
#   gui          + the X11/xcb libraries of a real window
#   screenshots  + Xvfb
#   bundle       + what PyInstaller needs on Debian
#   server       + PostgreSQL (the county database on a server; tests run the county-side suite
#                  against a throw-away cluster of it as well, see README "Tests")
# As root it runs apt-get; otherwise it uses `sudo -n` if allowed, else prints the command.
# On systems without dpkg/apt-get (not Debian) it does nothing.
set -euo pipefail

profile="${1:-test}"
base=(python3 python3-venv)
test=(libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0
      fonts-wqy-microhei poppler-utils time)
gui=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
     libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-randr0 libxcb-xinerama0)
shots=(xvfb xauth)
bundle=(binutils libpython3.11)
server=(postgresql postgresql-client)

case "$profile" in
  base)        wanted=("${base[@]}") ;;
  test)        wanted=("${base[@]}" "${test[@]}") ;;
  gui)         wanted=("${base[@]}" "${test[@]}" "${gui[@]}") ;;
  screenshots) wanted=("${base[@]}" "${test[@]}" "${gui[@]}" "${shots[@]}") ;;
  bundle)      wanted=("${base[@]}" "${test[@]}" "${gui[@]}" "${shots[@]}" "${bundle[@]}") ;;
  server)      wanted=("${base[@]}" "${test[@]}" "${server[@]}") ;;
  *) echo "unknown profile: $profile" >&2; exit 2 ;;
esac

command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 || exit 0

# A Python that already has venv (pyenv, a developer's build) makes the Debian python3 optional.
if command -v python3 >/dev/null 2>&1 && python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  wanted=("${wanted[@]:2}")
fi

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "正在安装系统依赖 / installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt_get=(sudo apt-get)
else
  echo "缺少系统依赖，请以管理员身份运行 / missing system packages, please run:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# other package installs on the machine (unattended upgrades, a second build) hold apt's lock: wait
lock=(-o DPkg::Lock::Timeout=900)
"${apt_get[@]}" "${lock[@]}" update -qq
"${apt_get[@]}" "${lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

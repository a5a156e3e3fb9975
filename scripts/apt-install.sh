#!/usr/bin/env bash
# Sourced by the ensure-* scripts: `apt_install <who> <package>...` installs Debian packages with apt-get,
# as root or through sudo, quietly; it says who asked and fails with a clear message when neither is possible.
apt_install() {
  local who=$1
  shift
  local sudo=
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
      echo "$who: $* missing and this user cannot run apt-get (run as root, or install: apt-get install $*)" >&2
      return 1
    fi
  fi
  echo "$who: installing $* with apt-get (once)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

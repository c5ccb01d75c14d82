#!/bin/sh
# runcode installer: downloads the binary for this OS/arch, verifies its SHA-256 against the release's SHA256SUMS,
# and installs it atomically. Nothing is changed unless every step succeeds.
#
#   curl -fsSL https://github.com/BlockRunAI/runcode/releases/latest/download/install.sh | sh
#   curl -fsSL …/install.sh | sh -s -- --version 0.4.0 --dir ~/bin
#   sh install.sh --uninstall [--purge [--yes]]
#
# Environment:
#   RUNCODE_DOWNLOAD_URL  folder holding runcode-<os>-<arch>[-musl], SHA256SUMS and VERSION (mirrors, tests)
#   RUNCODE_INSTALL_DIR   install directory (default: ~/.local/bin, or /usr/local/bin when writable and on PATH)
#   RUNCODE_HOME          data directory removed by --purge (default: ~/.blockrun)
#   RUNCODE_LIBC          glibc or musl: skip the libc detection (Linux)
#   RUNCODE_SYSROOT       the filesystem root the libc detection and the musl library check look at (default: /);
#                         the tests simulate a musl or a glibc system with it
#
# Linux libc: the one /bin/sh is built for (the program interpreter it names: ld-musl-* or ld-linux-*), so a glibc
# system with Debian's musl package installed still gets the glibc build. On musl, runcode-linux-x64-musl needs the
# libraries in MUSL_LIBS (file:Alpine package); the script stops before downloading anything when one is missing.
#
# Everything runs inside main(), called on the last line, so a download cut short under `curl | sh` runs nothing.
set -eu

RELEASES="https://github.com/BlockRunAI/runcode/releases"
# readelf -d runcode-linux-x64-musl: NEEDED libstdc++.so.6 and libc.musl-x86_64.so.1 (musl itself); Alpine's
# libstdc++.so.6 needs libgcc_s.so.1. test/dist/release.test.ts checks this list against the binary.
MUSL_LIBS="libstdc++.so.6:libstdc++ libgcc_s.so.1:libgcc"

say() { printf '%s\n' "$*"; }
die() {
  printf 'runcode install: %s\n' "$*" >&2
  exit 1
}

usage() {
  say "usage: install.sh [--version X.Y.Z] [--dir DIR] [--uninstall] [--purge] [--yes]"
  say "  --version  install this release instead of the latest"
  say "  --dir      install into DIR (also \$RUNCODE_INSTALL_DIR)"
  say "  --uninstall  remove the runcode binary"
  say "  --purge    also delete \${RUNCODE_HOME:-~/.blockrun} (wallet keys, config, history); asks first"
  say "  --yes      confirm --purge without a terminal"
}

detect_target() {
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN*) die "Windows is not supported by this script: download runcode-windows-x64.exe from $RELEASES" ;;
    *) die "unsupported OS $(uname -s): runcode ships binaries for Linux and macOS" ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "unsupported CPU $(uname -m): runcode ships x64 and arm64 binaries" ;;
  esac
  # An x64 shell on Apple silicon runs under Rosetta: the native arm64 binary is faster.
  if [ "$os" = darwin ] && [ "$arch" = x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
    arch=arm64
  fi
  libc=""
  if [ "$os" = linux ] && is_musl; then
    [ "$arch" = x64 ] || die "no musl build for $arch: install gcompat (apk add gcompat) and re-run with RUNCODE_LIBC=glibc"
    libc="-musl"
  fi
  asset="runcode-$os-$arch$libc"
  [ -z "$libc" ] || check_musl_libs
}

is_musl() {
  case "${RUNCODE_LIBC:-}" in
    glibc) return 1 ;;
    musl) return 0 ;;
    "") ;;
    *) die "RUNCODE_LIBC must be glibc or musl, not $RUNCODE_LIBC" ;;
  esac
  case "$(elf_interp "$sysroot/bin/sh")" in
    */ld-musl-*) return 0 ;;
    */ld-linux*) return 1 ;;
  esac
  # A static or unreadable /bin/sh names no loader: musl only when its loader is there and glibc's is not.
  for f in "$sysroot"/lib/ld-linux* "$sysroot"/lib64/ld-linux*; do
    [ -e "$f" ] && return 1
  done
  for f in "$sysroot"/lib/ld-musl-* "$sysroot"/usr/lib/ld-musl-*; do
    [ -e "$f" ] && return 0
  done
  return 1
}

# elf_interp FILE: the program interpreter a dynamically linked ELF file names (PT_INTERP, in its first 4 KiB).
elf_interp() {
  [ -r "$1" ] || return 0
  { dd if="$1" bs=4096 count=1 | LC_ALL=C tr -c 'A-Za-z0-9._/+-' '\n' | grep -E '^/.*/ld-(musl|linux)[^/]*$' | sed -n 1p; } 2>/dev/null
}

# The directories musl's loader searches: /etc/ld-musl-<arch>.path when it exists, else its built-in default.
musl_lib_dirs() {
  for f in "$sysroot"/etc/ld-musl-*.path; do
    if [ -r "$f" ]; then
      tr ':' '\n' <"$f"
      return
    fi
  done
  printf '%s\n' /lib /usr/local/lib /usr/lib
}

# Stops, before anything is downloaded, when this musl system lacks a library runcode-linux-x64-musl loads.
check_musl_libs() {
  dirs=$(
    printf '%s\n' "${LD_LIBRARY_PATH:-}" | tr ':' '\n'
    musl_lib_dirs
  )
  missing="" pkgs=""
  for entry in $MUSL_LIBS; do
    lib=${entry%%:*}
    found=""
    for d in $dirs; do
      if [ -e "$sysroot$d/$lib" ]; then
        found=1
        break
      fi
    done
    if [ -z "$found" ]; then
      missing="$missing${missing:+ and }$lib"
      pkgs="$pkgs ${entry#*:}"
    fi
  done
  [ -z "$missing" ] || die "$asset needs $missing, which this musl system lacks: run  apk add$pkgs  and re-run the installer"
}

# download URL FILE: curl or wget, failing on HTTP errors.
download() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1" || return 1
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" || return 1
  else
    die "neither curl nor wget found: install one of them"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

on_path() {
  case ":${PATH:-}:" in
    *":$1:"*) return 0 ;;
  esac
  return 1
}

# The install dir: explicit, else the dir of an existing runcode binary (re-running upgrades in place),
# else ~/.local/bin unless only /usr/local/bin is writable and on PATH.
pick_dir() {
  if [ -n "$dir" ]; then return; fi
  existing=$(command -v runcode 2>/dev/null || true)
  # A symlink is most likely the old npm package (@blockrun/runcode): leave it to npm.
  if [ -n "$existing" ] && [ -f "$existing" ] && [ ! -L "$existing" ] && [ -w "$(dirname "$existing")" ]; then
    dir=$(dirname "$existing")
  elif on_path "$HOME/.local/bin" || [ ! -w /usr/local/bin ] || ! on_path /usr/local/bin; then
    dir="$HOME/.local/bin"
  else
    dir=/usr/local/bin
  fi
}

path_hint() {
  on_path "$dir" && return
  case "${SHELL:-}" in
    */zsh) rc="$HOME/.zshrc" ;;
    */bash) rc="$HOME/.bashrc" ;;
    */fish)
      say "$dir is not on your PATH: run  fish_add_path $dir"
      return
      ;;
    *) rc="$HOME/.profile" ;;
  esac
  say "$dir is not on your PATH: run  echo 'export PATH=\"$dir:\$PATH\"' >> $rc  and open a new shell"
}

install_runcode() {
  detect_target
  if ! command -v sha256sum >/dev/null 2>&1 && ! command -v shasum >/dev/null 2>&1; then
    die "no SHA-256 tool (sha256sum or shasum) found, so the download cannot be verified: install coreutils"
  fi
  if [ -n "${RUNCODE_DOWNLOAD_URL:-}" ]; then
    base=${RUNCODE_DOWNLOAD_URL%/}
  elif [ -n "$version" ]; then
    base="$RELEASES/download/v${version#v}"
  else
    base="$RELEASES/latest/download"
  fi
  pick_dir

  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t runcode)
  download "$base/SHA256SUMS" "$tmp/SHA256SUMS" || die "could not download $base/SHA256SUMS: check the version and your connection (or RUNCODE_DOWNLOAD_URL)"
  expected=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print tolower($1); exit }' "$tmp/SHA256SUMS")
  [ -n "$expected" ] || die "$base/SHA256SUMS has no entry for $asset: this release has no build for your platform"
  if download "$base/VERSION" "$tmp/VERSION" 2>/dev/null; then
    found=$(tr -d ' \r\n' <"$tmp/VERSION")
    if [ -n "$version" ] && [ "$found" != "${version#v}" ]; then
      die "$base holds runcode $found, not ${version#v}: point RUNCODE_DOWNLOAD_URL at the $version folder"
    fi
    say "installing runcode $found ($asset) into $dir"
  else
    say "installing runcode ($asset) into $dir"
  fi

  download "$base/$asset" "$tmp/$asset" || die "could not download $base/$asset: check your connection"
  actual=$(sha256_of "$tmp/$asset" | tr 'A-F' 'a-f')
  [ "$actual" = "$expected" ] || die "checksum mismatch for $asset (expected $expected, got $actual): the download is corrupt or tampered with; nothing was installed"

  mkdir -p "$dir" || die "cannot create $dir: pick another with --dir"
  [ -w "$dir" ] || die "$dir is not writable: re-run with --dir ~/.local/bin or with sudo"
  # Stage next to the target so the final mv is a same-filesystem rename: the old binary stays until the new one
  # has been verified to run, and no one ever sees a half-written file.
  staged="$dir/.runcode.install.$$"
  cp "$tmp/$asset" "$staged" || die "cannot write to $dir: check free space and permissions"
  chmod 755 "$staged"
  if ! out=$("$staged" --version 2>&1); then
    rm -f "$staged"
    die "the downloaded binary does not run here ($out): report it at https://github.com/BlockRunAI/runcode/issues"
  fi
  mv -f "$staged" "$dir/runcode" || die "cannot replace $dir/runcode: check permissions"
  staged=""

  say "installed $dir/runcode"
  "$dir/runcode" --version
  path_hint
}

confirm_purge() {
  [ "$yes" = 1 ] && return 0
  # Under `curl | sh` stdin is the script itself, so the answer is read from the terminal.
  if [ -t 1 ] && { : </dev/tty; } 2>/dev/null; then
    printf 'Delete %s, including wallet keys? Funds are lost without a backup. Type "yes": ' "$data" >/dev/tty
    read -r answer </dev/tty || answer=""
    [ "$answer" = yes ] && return 0
    die "not confirmed: $data was kept"
  fi
  die "--purge deletes $data (wallet keys included) and needs confirmation: re-run with --yes"
}

uninstall_runcode() {
  data=${RUNCODE_HOME:-$HOME/.blockrun}
  [ "$purge" = 1 ] && confirm_purge
  if [ -z "$dir" ]; then
    found=$(command -v runcode 2>/dev/null || true)
    if [ -n "$found" ]; then dir=$(dirname "$found"); else dir="$HOME/.local/bin"; fi
  fi
  if [ -e "$dir/runcode" ]; then
    rm -f "$dir/runcode" || die "cannot remove $dir/runcode: check permissions"
    say "removed $dir/runcode"
  else
    say "runcode is not installed in $dir"
  fi
  if [ "$purge" = 1 ] && [ -e "$data" ]; then
    rm -rf "$data" || die "cannot remove $data: check permissions"
    say "removed $data"
  fi
}

cleanup() {
  [ -n "${staged:-}" ] && rm -f "$staged"
  [ -n "${tmp:-}" ] && rm -rf "$tmp"
  return 0
}

main() {
  sysroot=${RUNCODE_SYSROOT:-}
  sysroot=${sysroot%/}
  version=""
  dir=${RUNCODE_INSTALL_DIR:-}
  action=install
  purge=0
  yes=0
  tmp=""
  staged=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --version | -v)
        [ $# -ge 2 ] || die "--version needs a value, e.g. --version 0.4.0"
        version=$2
        shift
        ;;
      --version=*) version=${1#*=} ;;
      --dir | -d)
        [ $# -ge 2 ] || die "--dir needs a value, e.g. --dir ~/bin"
        dir=$2
        shift
        ;;
      --dir=*) dir=${1#*=} ;;
      --uninstall) action=uninstall ;;
      --purge) action=uninstall purge=1 ;;
      --yes | -y) yes=1 ;;
      --help | -h)
        usage
        return 0
        ;;
      *) die "unknown option $1: see --help" ;;
    esac
    shift
  done
  # `--dir=~/bin` reaches us unexpanded (the shell only expands a leading ~ in a separate word).
  # shellcheck disable=SC2088 # matching a literal ~ is the point
  case "$dir" in "~/"*) dir="$HOME/${dir#"~/"}" ;; esac
  trap cleanup EXIT
  trap 'cleanup; exit 130' INT TERM
  [ -n "${HOME:-}" ] || die "HOME is not set: set it or pass --dir"
  if [ "$action" = uninstall ]; then uninstall_runcode; else install_runcode; fi
}

main "$@"

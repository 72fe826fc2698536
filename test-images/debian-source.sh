# Sourced by the build scripts that start from a Debian 12 source package (qemu-stable.sh, tgtd-asan.sh).
# Before sourcing, set `cache` (the script's directory in test-images/cache/) and define `say`.
#
#   require_packages PKG...            installs the Debian packages that dpkg-query does not find installed
#   private_apt CMD...                 runs an apt command on a private configuration in $cache/apt: deb-src
#                                      lines for bookworm, its updates and security; the host's apt sources,
#                                      lists and caches are not touched
#   fetch_source_package SPEC DIR      downloads a source package (.dsc and its tarballs) into DIR, emptied
#                                      first; SPEC as apt-get source takes it: qemu/bookworm, tgt=1:1.0.85-1

require_packages() {
  local missing=() package status
  for package in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return
  say "installing Debian packages: ${missing[*]}"
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

private_apt() {
  local apt=$cache/apt
  if [[ ! -f $apt/sources.list ]]; then
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
    cat >"$apt/sources.list" <<'EOF'
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian bookworm-updates main
deb-src http://deb.debian.org/debian-security bookworm-security main
EOF
  fi
  "$@" -o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" -o APT::Sandbox::User=root
}

fetch_source_package() {
  local spec=$1 dir=$2
  private_apt apt-get -q update >&2
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && private_apt apt-get -q source --download-only "$spec" >&2)
}

# Sourced by the scripts that build qemu-system-x86_64 from a QEMU source tree (qemu-stable.sh, qemu-build.sh),
# so that every build hbadiff compares is configured alike. Before sourcing, define `say` and `usage_error`.
#
#   parse_build_arguments USAGE ARG... sets `sanitize` (--asan, or empty) and `operands` (the other ARGs); an
#                                      option other than --asan is a usage error naming it
#   qemu_build_packages                the Debian packages a build needs (for require_packages)
#   build_qemu SRC BUILD [--asan]      configures SRC into BUILD (once: when BUILD has no build.ninja) and
#                                      builds BUILD/qemu-system-x86_64 with ninja under nice and ccache (set
#                                      CCACHE_DIR first); --asan adds AddressSanitizer and UBSan

qemu_build_packages=(gcc make ninja-build meson pkg-config python3 ccache dpkg-dev libglib2.0-dev libpixman-1-dev
  libfdt-dev zlib1g-dev libiscsi-dev)

# Debian's own firmware search path, so that the binary finds seabios, qboot and the option ROMs where
# Debian's qemu-system-x86 finds them, without -L; libiscsi built in, not a module.
qemu_configure_options=(
  --target-list=x86_64-softmmu --enable-libiscsi --disable-docs --disable-tools --disable-gtk --disable-sdl
  --disable-vnc --disable-opengl --disable-slirp --disable-werror
  --firmwarepath=/usr/share/qemu:/usr/share/seabios:/usr/lib/ipxe/qemu
)

# QEMU up to 9.1 has configure's --enable-sanitizers, later releases the meson options asan and ubsan. UBSan
# is asked for outright too: 7.2's probe for it fails under gcc 12 (a -Werror=maybe-uninitialized in the
# probe's own code), and --enable-sanitizers then quietly builds ASan alone. Frame pointers make ASan's
# fast unwinder give whole allocation stacks.
qemu_sanitizer_options() {
  local src=$1
  if grep -qs "option('asan'" "$src/meson_options.txt" "$src/meson.options"; then
    echo --enable-asan --enable-ubsan
  else
    echo --enable-sanitizers
  fi
  echo --extra-cflags=-fsanitize=undefined --extra-ldflags=-fsanitize=undefined --extra-cflags=-fno-omit-frame-pointer
}

parse_build_arguments() {
  local usage=$1 arg
  shift
  sanitize='' operands=()
  for arg; do
    case $arg in
      --asan) sanitize=--asan ;;
      -*) usage_error "$arg: no such option; $usage" ;;
      *) operands+=("$arg") ;;
    esac
  done
}

build_qemu() {
  local src=$1 build=$2 sanitize=${3:-}
  local options=("${qemu_configure_options[@]}")
  if [[ $sanitize == --asan ]]; then
    # shellcheck disable=SC2207 # the options are single words
    options+=($(qemu_sanitizer_options "$src"))
  fi
  export PATH=/usr/lib/ccache:$PATH CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
  if [[ ! -f $build/build.ninja ]]; then
    say "configuring $build: ${options[*]}"
    rm -rf "$build" && mkdir -p "$build"
    (cd "$build" && nice -n 19 "$src/configure" "${options[@]}" >&2)
  fi
  nice -n 19 ninja -C "$build" -j"${HBADIFF_BUILD_JOBS:-2}" qemu-system-x86_64 >&2
}

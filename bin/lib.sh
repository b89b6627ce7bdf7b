# Shared by the bin/ scripts: where the project is, and building the jar when the sources changed.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"

need_build() {
  [ ! -f "$JAR" ] && return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/src/main" -newer "$JAR" -print -quit 2>/dev/null)" ]
}

build_if_needed() {
  if need_build; then
    echo "building the service (mvn package)..." >&2
    (cd "$ROOT" && mvn -B -q package -DskipTests) >&2
  fi
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=
apt_install() { # Debian packages
  local me
  me=$(basename "$0")
  if ! command -v apt-get >/dev/null; then
    echo "$me: cannot install $*: no apt-get on this machine; install it yourself" >&2
    exit 1
  fi
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq >/dev/null; apt_updated=1; fi
  echo "$me: installing $* from Debian's packages" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

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

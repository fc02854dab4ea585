#!/usr/bin/env bash
# Puts the Aspire Dashboard (an OTLP receiver and trace viewer) under tools/aspire-dashboard/ for make dashboard
# and the observability tests. It comes from NuGet: tests/RLDistributed.IntegrationTests downloads the package
# Aspire.Dashboard.Sdk.linux-x64 on restore (a PackageDownload), and this copies its tools/ folder out of the
# global packages folder. Idempotent: does nothing when the same version is already there. With --optional (make
# setup) a package that cannot be had is a warning, and the tests that need the dashboard say they were skipped.
set -euo pipefail
optional=false
[[ "${1:-}" == "--optional" ]] && optional=true
fail() {
  echo "fetch-dashboard: $1" >&2
  if $optional; then exit 0; else exit 1; fi
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version="13.6.5"
target="$root/tools/aspire-dashboard"
if [[ -x "$target/Aspire.Dashboard" && "$(cat "$target/VERSION" 2>/dev/null)" == "$version" ]]; then exit 0; fi

packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')
source="$packages/aspire.dashboard.sdk.linux-x64/$version/tools"
if [[ ! -x "$source/Aspire.Dashboard" && ! -f "$source/Aspire.Dashboard" ]]; then
  dotnet restore "$root/tests/RLDistributed.IntegrationTests" --nologo >/dev/null || fail "the restore that downloads Aspire.Dashboard.Sdk.linux-x64 failed"
fi
[[ -f "$source/Aspire.Dashboard" ]] || fail "$source/Aspire.Dashboard is missing after restore"
rm -rf "$target"
mkdir -p "$target"
cp -R "$source/." "$target/"
chmod +x "$target/Aspire.Dashboard"
echo "$version" > "$target/VERSION"
echo "fetch-dashboard: Aspire Dashboard $version in tools/aspire-dashboard"

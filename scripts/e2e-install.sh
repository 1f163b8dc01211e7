#!/bin/sh
# Installs code-server (VS Code 1.100 served to a browser) into test/e2e/.code-server/ for the
# end-to-end tests. It runs on machines without access to GitHub, so the one download that
# code-server's dependencies make outside the npm registry (@vscode/ripgrep's postinstall fetches
# a ripgrep binary from GitHub releases) is answered from a cache seeded with Debian's own `rg`.
set -eu

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/test/e2e/.code-server"
code_server_version="4.100.3"
# The @vscode/ripgrep version pinned by code-server 4.100.3 (lib/vscode/npm-shrinkwrap.json) and
# the ripgrep release its postinstall asks for; together they name the cache file it looks for.
vscode_ripgrep_version="1.15.11"
ripgrep_release="v13.0.0-10"

if [ -x "$dest/node_modules/.bin/code-server" ] && [ -e "$dest/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]; then
  echo "code-server $code_server_version is already installed in $dest"
  exit 0
fi

# Native modules of VS Code's server (kerberos, node-pty, ...) build with node-gyp; kerberos needs
# the Kerberos headers and pkg-config. ripgrep provides the binary seeded below.
missing=""
for package in ripgrep libkrb5-dev pkg-config; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "installing Debian packages:$missing"
  if [ "$(id -u)" = 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y $missing
fi

case "$(uname -m)" in
  x86_64) ripgrep_target="x86_64-unknown-linux-musl" ;;
  aarch64) ripgrep_target="aarch64-unknown-linux-musl" ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
tmp_dir="$(node -p 'require("os").tmpdir()')"
cache_dir="$tmp_dir/vscode-ripgrep-cache-$vscode_ripgrep_version"
asset="$cache_dir/ripgrep-$ripgrep_release-$ripgrep_target.tar.gz"
if [ ! -s "$asset" ]; then
  mkdir -p "$cache_dir"
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  tar czf "$asset" -C "$staging" rg
  rm -rf "$staging"
  echo "seeded $asset with $(command -v rg)"
fi

mkdir -p "$dest"
cd "$dest"
[ -f package.json ] || echo '{ "name": "mathnote-e2e-code-server", "private": true }' > package.json
export npm_config_yes=true
export npm_config_unsafe_perm=true
npm install --no-audit --no-fund --no-save "code-server@$code_server_version"
echo "code-server $(node -p "require('$dest/node_modules/code-server/package.json').version") installed in $dest"

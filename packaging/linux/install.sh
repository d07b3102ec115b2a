#!/bin/sh
# Install the Passaparola bundle this script sits in, for the current user (or a --prefix):
#
#   ./install.sh                     # into ~/.local: the app, `crm` on PATH, launcher entry
#   ./install.sh --prefix /opt/pp    # elsewhere (run as root for a system-wide folder)
#   ./install.sh --uninstall         # take it all away again (your database stays)
#
#   PREFIX/lib/passaparola/                          the bundle
#   PREFIX/bin/crm                                   a link to the bundle's crm
#   PREFIX/share/applications/org.passaparola.Passaparola.desktop
#   PREFIX/share/metainfo/org.passaparola.Passaparola.metainfo.xml
#   PREFIX/share/icons/hicolor/<N>x<N>/apps/org.passaparola.Passaparola.png  (16 … 512)
#   PREFIX/share/icons/hicolor/scalable/apps/org.passaparola.Passaparola.svg
set -eu

APP_ID=org.passaparola.Passaparola
BUNDLE=$(cd "$(dirname "$0")" && pwd)
PREFIX="${HOME}/.local"
UNINSTALL=0

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX="$2"; shift 2 ;;
        --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
        --uninstall) UNINSTALL=1; shift ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

APP_DIR="$PREFIX/lib/passaparola"
SHARE="$PREFIX/share"

refresh_caches() {
    # Launchers notice new entries and icons sooner; harmless where the tools are missing.
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$SHARE/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" 2>/dev/null || true
    fi
}

if [ "$UNINSTALL" = 1 ]; then
    rm -rf "$APP_DIR"
    if [ -L "$PREFIX/bin/crm" ]; then rm -f "$PREFIX/bin/crm"; fi
    rm -f "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml"
    find "$SHARE/icons/hicolor" -name "$APP_ID.*" -delete 2>/dev/null || true
    refresh_caches
    echo "Passaparola removed from $PREFIX (your database and backups are kept)."
    exit 0
fi

if [ ! -x "$BUNDLE/crm" ] || [ ! -d "$BUNDLE/share" ]; then
    echo "install.sh: run the install.sh inside a built bundle (python packaging/build.py)" >&2
    exit 2
fi

# The bundle itself, replaced whole so no file of an older version lingers.
mkdir -p "$PREFIX/lib" "$PREFIX/bin"
rm -rf "$APP_DIR.new"
mkdir "$APP_DIR.new"
for item in "$BUNDLE"/* ; do
    case "$(basename "$item")" in
        share|install.sh) ;;
        *) cp -R "$item" "$APP_DIR.new/" ;;
    esac
done
rm -rf "$APP_DIR"
mv "$APP_DIR.new" "$APP_DIR"
ln -sf "$APP_DIR/crm" "$PREFIX/bin/crm"

# Desktop integration: the launcher entry starts this copy whatever PATH holds.
mkdir -p "$SHARE"
cp -R "$BUNDLE/share/." "$SHARE/"
sed -i -e "s|^Exec=crm\$|Exec=$APP_DIR/crm|" -e "s|^TryExec=crm\$|TryExec=$APP_DIR/crm|" \
    "$SHARE/applications/$APP_ID.desktop"
refresh_caches

echo "Passaparola installed in $APP_DIR; the command is $PREFIX/bin/crm."

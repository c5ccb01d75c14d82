#!/usr/bin/env bash
# Runs ini_get.sh on prepared INI files and compares its output and exit status with its header comment.
set -u
script=$PWD/ini_get.sh
work=$PWD/_check/work
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
found() { # found FILE SECTION KEY EXPECTED
  local out status
  out=$(bash "$script" "$1" "$2" "$3" 2>"$work/err")
  status=$?
  [ "$status" -eq 0 ] || fail "ini_get.sh $1 '$2' '$3' exited $status, want 0 (stderr: $(cat "$work/err"))"
  [ "$out" = "$4" ] || fail "ini_get.sh $1 '$2' '$3' printed '$out', want '$4'"
}
missing() { # missing FILE SECTION KEY
  local out status
  out=$(bash "$script" "$1" "$2" "$3" 2>/dev/null)
  status=$?
  [ "$status" -eq 1 ] || fail "ini_get.sh $1 '$2' '$3' exited $status, want 1"
  [ -z "$out" ] || fail "ini_get.sh $1 '$2' '$3' printed '$out', want nothing"
}

found app.ini database host db.internal
found app.ini database port 5432
found app.ini cache host cache.internal
missing app.ini database name
missing app.ini "" name
missing app.ini cache port
missing app.ini nosuch host

f=$work/tricky.ini
cat > "$f" <<'INI'
top = level
# comment
[server]
  listen   =   0.0.0.0:8080   
motd = Hello, World = yes
empty =
	tabbed	=	tab value	
; port = 1
  # host = commented
Name = Upper
name = lower
dup = first
path=/usr/local/bin
[server.tls]
cert = /etc/ssl/cert.pem
[Other]
listen = other
[server]
dup = second
INI
found "$f" server listen "0.0.0.0:8080"
found "$f" server motd "Hello, World = yes"
found "$f" server empty ""
found "$f" server tabbed "tab value"
found "$f" server path "/usr/local/bin"
found "$f" server Name Upper
found "$f" server name lower
found "$f" server dup second
found "$f" server.tls cert /etc/ssl/cert.pem
found "$f" Other listen other
missing "$f" server port
missing "$f" server host
missing "$f" server top
missing "$f" server cert
missing "$f" other listen
missing "$f" server.tls listen
missing "$f" "server" "#"
missing "$work/no-such-file.ini" server listen

rm -rf "$work"
echo ok

#!/bin/sh
# Makes the fixture beside this script: an installation written by koseki as it was before row
# commitments and audit entry format 2 (commit 1e27be9), for the upgrade test in
# tests/integration/upgrade_test.cc. Run from the repository root with that commit's binary:
#
#   git worktree add /tmp/old 1e27be9 && cmake -S /tmp/old -B /tmp/old/b -G Ninja \
#     -DCMAKE_BUILD_TYPE=Release && ninja -C /tmp/old/b koseki
#   sh tests/integration/testdata/format1_installation/make.sh /tmp/old/b/src/koseki/cli/koseki
#
# Fictional municipality and family (docs/examples/minato-yamakawa.jsonl, before its 死亡).
# It holds a row of every committed table: the tenant and its key, a register with two versions
# (a 死亡届 approved), cases and their actions, two certificate issues, a setting, users and the
# device CA.
set -eu
koseki=$1
out=tests/integration/testdata/format1_installation
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export KOSEKI_DATA="$work/data" KOSEKI_KEY_FILE="$work/keys/master.key"
export KOSEKI_PASSPHRASE='correct horse battery staple'
tenant=999997
honseki='青葉県みなと市桜町二丁目１５番地'
mkdir -p "$work/keys"

# The example register as it stood before the death was recorded.
python3 - docs/examples/minato-yamakawa.jsonl "$work/family.jsonl" <<'PY'
import json, sys
register = json.loads(open(sys.argv[1], encoding="utf-8").read())
person = register["persons"][0]
person["mibun_jiko"] = [e for e in person["mibun_jiko"] if e["kind"] != "死亡"]
person.pop("removed_by", None)
open(sys.argv[2], "w", encoding="utf-8").write(json.dumps(register, ensure_ascii=False) + "\n")
PY
cat > "$work/death.json" <<'JSON'
{"type": "shibou", "values": {"deceased": "R1:1", "death_date": "令和６年１１月２０日",
 "death_time": "15:45", "death_place": "青葉県みなと市", "todokedenin_shikaku": "同居の親族",
 "todokedenin_name": "山川美咲"},
 "acknowledgements": {"RULE-DEADLINE-001": "届出人の入院のため"}}
JSON

"$koseki" init
"$koseki" tenant add --code "$tenant" --name '青葉県みなと市'
"$koseki" import --tenant "$tenant" "$work/family.jsonl"
for pair in clerk-1:clerk sup-1:supervisor op-1:operator exa-1:examiner app-1:approver; do
  "$koseki" user add --tenant "$tenant" --login "${pair%%:*}" --role "${pair#*:}" \
    --pledge-signed 2026-04-01 --training-until 2099-12-31
done
case_id=$("$koseki" case receive --tenant "$tenant" --user clerk-1 --type shibou \
  --todokedenin '親族　山川美咲' | sed -n 's/.*事件 \([0-9a-f]\{32\}\).*/\1/p')
"$koseki" case attach --tenant "$tenant" --user clerk-1 --case "$case_id" \
  --honseki "$honseki" --head 山川健一
"$koseki" case assign --tenant "$tenant" --user sup-1 --case "$case_id" --operator op-1
"$koseki" case submit --tenant "$tenant" --user op-1 --case "$case_id" "$work/death.json"
"$koseki" case examine --tenant "$tenant" --user exa-1 --case "$case_id"
"$koseki" case approve --tenant "$tenant" --user app-1 --case "$case_id"
for i in 1 2; do
  "$koseki" cert --tenant "$tenant" --user clerk-1 --purpose 本人確認のため --requester 本人 \
    --honseki "$honseki" --head 山川健一 > /dev/null
done
"$koseki" tenant set --code "$tenant" --double-entry on

rm -rf "$out/data" "$out/keys"
cp -r "$work/data" "$work/keys" "$out/"
ls -l "$out/data" "$out/keys"

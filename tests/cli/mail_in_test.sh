#!/usr/bin/env bash
# Mail intake (issue 13, point 2), as Postfix, fetchmail or procmail run it: one message on
# standard input, the exit status for the MTA.
#   1. a GBK-encoded complaint with a Chinese subject, a Chinese body and a JPEG is filed:
#      kind from the [[mail.rule]] that matches its To, party from the sender's address,
#      the sender kept as the protected identity, the JPEG kept as an attachment with the
#      very bytes sent; audit verify passes;
#   2. the same message delivered again is filed once (exit 0, nothing written);
#   3. a Big5 reply naming the reference in its subject joins the record as an email
#      entry, with the party; one naming the first message in In-Reply-To joins it too;
#   4. an HTML-only GB2312 mail from an unknown sender gets [mail] kind, its text without
#      markup, script or style; it is auto-submitted, so no acknowledgement goes out;
#   5. acknowledgements (RFC 3834): one per new record, Auto-Submitted: auto-replied, the
#      reference in the subject, recorded in the history; none to a mailing list, to
#      liaison's own address, or for a message delivered twice;
#   6. what cannot be filed is quarantined and answered 65 (not mail at all, a message
#      over [mail] max_size, an attachment over [attachments] max_size); without a
#      quarantine folder, or with a busy database, or a broken config, the answer is 75
#      and nothing is written; a forged row in event_messages does not make a message
#      look delivered.
. "$(dirname "$0")/lib.sh"

M="$LIAISON_SRC/tests/cli/mail"
setup_workdir
use_fake_sendmail
cat >>liaison.toml <<'EOF'

[mail]
address = "complaints@factory.example.cn"
kind = "feedback"
unknown_kind = "feedback"
channel = "email"
quarantine = "quarantine"
acknowledge = true

[[mail.rule]]
name = "投诉邮箱"
when.to = "complaints@"
kind = "complaint"
EOF
run "$L" config check
expect_status 0 "the [mail] config validates"

# ---------------------------------------------------------------------------------------
# 1. A GBK complaint with a JPEG.
at 2026-12-01T09:00:00+08:00
run "$L" party add "上汽大众汽车有限公司" --id svw --type customer --email wang.gong@svw.example.cn
expect_status 0 "party add"
at 2026-12-01T09:30:00+08:00
run sh -c '"$1" mail-in --format json <"$2"' sh "$L" "$M/gbk-complaint.eml"
expect_status 0 "mail-in files the GBK complaint"
expect_eq "$(jq -r '[.outcome, .ref, .kind, .mail_rule, .party, .attachments, .acknowledged] | join(" ")' <<<"$out")" \
  "filed EXT-2026-00001 complaint 投诉邮箱 svw 1 true" "filed as a complaint by the mail rule, from svw, acknowledged"
ref=EXT-2026-00001
run "$L" show "$ref" --format json
expect_eq "$(jq -r '.subject' <<<"$out")" "关于批次2026-11齿轮箱异响的投诉" "the GBK subject, decoded"
expect_contains "$(jq -r '.body' <<<"$out")" "贵司11月交付的齿轮箱（批次2026-11）装车后出现异响，共12台。" "the GBK body, decoded"
expect_eq "$(jq -r '[.channel, .party, .direction] | join(" ")' <<<"$out")" "email svw external" "channel, party, direction"
expect_not_contains "$(jq -r '.body' <<<"$out")" "wang.gong@" "the sender is not in the body of a kind that protects identity"
run "$L" show "$ref" --identity --format json
expect_contains "$out" "王工 <wang.gong@svw.example.cn>" "the sender is the protected identity"
python3 - "$M/gbk-complaint.eml" photo.jpg <<'PY'
import email, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"))
for part in msg.walk():
    if part.get_content_type() == "image/jpeg":
        open(sys.argv[2], "wb").write(part.get_payload(decode=True))
PY
run "$L" attachment list "$ref" --format json
expect_eq "$(jq -r '.[0] | [.n, .name, .media_type, .size, .sha256] | join(" ")' <<<"$out")" \
  "1 异响照片.jpg image/jpeg $(stat -c %s photo.jpg) $(sha256sum photo.jpg | cut -d' ' -f1)" \
  "the JPEG kept under its GBK-encoded name, the very bytes sent"
expect_eq "$(db "SELECT json_extract(data, '\$.message_sha256') FROM events WHERE type = 'filed'")" \
  "$(printf '<20261130091500.4711@svw.example.cn>' | sha256sum | cut -d' ' -f1)" \
  "the filed event holds the SHA-256 of the Message-ID, not the id"
expect_eq "$(mail_count)" "1" "one acknowledgement sent"
ack="$(mails | head -1)"
expect_contains "$(cat "$ack")" "Auto-Submitted: auto-replied" "the acknowledgement says it is automatic (RFC 3834)"
expect_contains "$(cat "$ack")" "In-Reply-To: <20261130091500.4711@svw.example.cn>" "and answers the message"
expect_contains "$(cat "$ack")" "To: =?UTF-8?B?546L5bel?= <wang.gong@svw.example.cn>" "to the sender, name encoded"
expect_contains "$(grep -i '^Subject:' "$ack")" "=?UTF-8?B?" "its subject is RFC 2047 encoded"
expect_eq "$(db "SELECT count(*) FROM events WHERE type = 'logged' AND json_extract(data, '\$.entry') = 'email'")" "1" \
  "the acknowledgement is in the history"
run "$L" audit verify
expect_status 0 "audit verify passes after mail-in"

# ---------------------------------------------------------------------------------------
# 2. Delivered twice.
before="$(snapshot)"
run sh -c '"$1" mail-in <"$2"' sh "$L" "$M/gbk-complaint.eml"
expect_status 0 "the same message again: delivered (exit 0)"
expect_contains "$out" "$ref" "it names the record that has it"
expect_eq "$(snapshot)" "$before" "nothing written the second time"
expect_eq "$(mail_count)" "1" "no second acknowledgement"

# ---------------------------------------------------------------------------------------
# 3. Replies.
at 2026-12-02T10:00:00+08:00
sed "s/\[REF\]/[$ref]/" "$M/big5-reply.eml.in" >reply.eml
run sh -c '"$1" mail-in --format json <reply.eml' sh "$L"
expect_status 0 "a Big5 reply is delivered"
expect_eq "$(jq -r '[.outcome, .ref, .party] | join(" ")' <<<"$out")" "logged $ref svw" "it joins the record it names"
expect_eq "$(db "SELECT json_extract(data, '\$.entry') || ' ' || json_extract(data, '\$.party') FROM events WHERE id = (SELECT max(id) FROM events)")" \
  "email svw" "an email entry from the party"
expect_contains "$(db "SELECT json_extract(data, '\$.text') FROM events WHERE id = (SELECT max(id) FROM events)")" \
  "補充：異響在時速60公里時最明顯。" "its Big5 quoted-printable text, decoded"
expect_eq "$(mail_count)" "1" "a reply is not acknowledged"
# A reply whose subject lost the reference, but whose In-Reply-To names the first message.
printf 'From: wang.gong@svw.example.cn\nTo: complaints@factory.example.cn\nSubject: =?UTF-8?B?5YaN6KGl5YWF?=\nMessage-ID: <third@svw.example.cn>\nIn-Reply-To: <20261130091500.4711@svw.example.cn>\nContent-Type: text/plain; charset=UTF-8\n\n第三封\n' >third.eml
run sh -c '"$1" mail-in <third.eml' sh "$L"
expect_status 0 "a reply by In-Reply-To"
expect_contains "$out" "$ref" "it joins the record of the message it answers"
# One answering liaison's acknowledgement (its Message-ID is in the history too).
ack_id="$(sed -n 's/^Message-ID: <\(.*\)>$/\1/p' "$ack")"
printf 'From: wang.gong@svw.example.cn\nTo: complaints@factory.example.cn\nSubject: thanks\nMessage-ID: <fourth@svw.example.cn>\nReferences: <%s>\n\nthanks\n' "$ack_id" >fourth.eml
run sh -c '"$1" mail-in <fourth.eml' sh "$L"
expect_contains "$out" "$ref" "a reply to the acknowledgement joins the record"

# ---------------------------------------------------------------------------------------
# 4. HTML only, unknown sender, auto-submitted.
run sh -c '"$1" mail-in --format json <"$2"' sh "$L" "$M/gb2312-html.eml"
expect_status 0 "an HTML-only GB2312 mail is filed"
expect_eq "$(jq -r '[.outcome, .kind, .mail_rule, .party, .acknowledged] | join(" ")' <<<"$out")" "filed feedback   false" \
  "no rule matches: [mail] kind; unknown sender: no party; auto-submitted: no acknowledgement"
html_ref="$(jq -r .ref <<<"$out")"
run "$L" show "$html_ref" --format json
body="$(jq -r .body <<<"$out")"
expect_contains "$body" "咨询：贵司的ISO 14001证书是否有效？" "the HTML's text, entities decoded"
expect_not_contains "$body" "<p>" "no markup"
expect_not_contains "$body" "color:red" "no style"
expect_not_contains "$body" "x()" "no script"
expect_eq "$(mail_count)" "1" "nothing sent to auto-submitted mail"

# ---------------------------------------------------------------------------------------
# 5. No acknowledgement to a mailing list or to ourselves.
printf 'From: list@lists.example.org\nTo: complaints@factory.example.cn\nSubject: news\nList-Id: <news.lists.example.org>\nMessage-ID: <list-1@lists.example.org>\n\nnews\n' >list.eml
run sh -c '"$1" mail-in --format json <list.eml' sh "$L"
expect_eq "$(jq -r '[.outcome, .acknowledged] | join(" ")' <<<"$out")" "filed false" "mailing-list mail is filed, not answered"
printf 'From: complaints@factory.example.cn\nTo: complaints@factory.example.cn\nSubject: loop\nMessage-ID: <self-1@factory.example.cn>\n\nloop\n' >self.eml
run sh -c '"$1" mail-in --format json <self.eml' sh "$L"
expect_eq "$(jq -r '[.outcome, .acknowledged] | join(" ")' <<<"$out")" "filed false" "mail from liaison's own address is not answered"
expect_eq "$(mail_count)" "1" "still one acknowledgement in all"
# A sender's name that decodes to two lines: one line in the identity; an address that
# cannot go into a header: no acknowledgement, said, and the mail still delivered (0).
printf 'From: =?UTF-8?B?%s?= <two.lines@svw.example.cn>\nTo: complaints@factory.example.cn\nSubject: =?UTF-8?B?5oqV6K+J?=\nMessage-ID: <two-lines@svw.example.cn>\n\nx\n' \
  "$(printf '王\n工' | base64)" >twolines.eml
run sh -c '"$1" mail-in --format json <twolines.eml' sh "$L"
expect_status 0 "a name with a line break is filed"
run "$L" show "$(jq -r .ref <<<"$out")" --identity --format json
expect_eq "$(jq -r .identity.name <<<"$out")" "王 工 <two.lines@svw.example.cn>" "on one line"

# ---------------------------------------------------------------------------------------
# 6. What cannot be filed.
before="$(snapshot)"
run sh -c '"$1" mail-in <"$2"' sh "$L" "$M/garbage.eml"
expect_status 65 "not a mail message: exit 65"
expect_contains "$err" "cannot be read as mail" "says why"
kept="$(find quarantine -name '*.eml' | head -1)"
expect_eq "$(cat "$kept" 2>/dev/null)" "$(cat "$M/garbage.eml")" "the message is kept whole in the quarantine folder"
expect_eq "$(stat -c %a "$kept" 2>/dev/null)" "600" "readable by its owner only"
expect_eq "$(snapshot)" "$before" "nothing written"

# An attachment over [attachments] max_size: the message's fault, quarantined.
sed -i 's/^\[mail\]$/[attachments]\nmax_size = 50\n\n[mail]/' liaison.toml
sed 's/4711@/4799@/' "$M/gbk-complaint.eml" >big-part.eml
run sh -c '"$1" mail-in <big-part.eml' sh "$L"
expect_status 65 "an attachment over max_size: exit 65"
expect_contains "$err" "max_size" "says which limit"
expect_eq "$(find quarantine -name '*.eml' | wc -l | tr -d ' ')" "2" "and keeps the message"
expect_eq "$(snapshot)" "$before" "nothing written"
sed -i '/^\[attachments\]$/,/^$/d' liaison.toml

# A message over [mail] max_size.
sed -i 's/^acknowledge = true$/acknowledge = true\nmax_size = 1024/' liaison.toml
{ cat "$M/gbk-complaint.eml"; head -c 2000 /dev/zero | tr '\0' 'x'; echo; } >huge.eml
run sh -c '"$1" mail-in <huge.eml' sh "$L"
expect_status 65 "a message over [mail] max_size: exit 65"
expect_contains "$err" "more than [mail] max_size (1024)" "says so"
expect_eq "$(snapshot)" "$before" "nothing written"
sed -i '/^max_size = 1024$/d' liaison.toml

# No quarantine folder: the MTA must keep it (75), not bounce it into the void.
sed -i 's/^quarantine = "quarantine"$//' liaison.toml
run sh -c '"$1" mail-in <"$2"' sh "$L" "$M/garbage.eml"
expect_status 75 "unparsable and no quarantine folder: exit 75"
expect_contains "$err" "[mail] quarantine" "says what to set"
sed -i 's/^\[mail\]$/[mail]\nquarantine = "quarantine"/' liaison.toml

# A busy database: 75, so the MTA retries; then the retry files it.
sed 's/4711@/4800@/' "$M/gbk-complaint.eml" >later.eml
hold_db_lock
run sh -c '"$1" mail-in <later.eml' sh "$L"
release_db_lock
expect_status 75 "a busy database: exit 75 (EX_TEMPFAIL)"
expect_contains "$err" "delivers it again later" "says the MTA keeps it"
expect_eq "$(snapshot)" "$before" "nothing written while busy"
run sh -c '"$1" mail-in --no-acknowledge <later.eml' sh "$L"
expect_status 0 "the retry is filed"
expect_contains "$out" "EXT-2026-" "with a new reference"

# A config being fixed: 75 too.
cp liaison.toml liaison.toml.good
printf '\n[mail.bogus]\n' >>liaison.toml
before="$(snapshot)"
sed 's/4711@/4801@/' "$M/gbk-complaint.eml" >later2.eml
run sh -c '"$1" mail-in <later2.eml' sh "$L"
expect_status 75 "a broken config: exit 75"
expect_eq "$(snapshot)" "$before" "nothing written"
mv liaison.toml.good liaison.toml

run "$L" audit verify
expect_status 0 "audit verify passes at the end"

# A row slipped into event_messages behind the tool's back must not make a new message
# look delivered (exit 0 and dropped): the event it names does not carry the digest.
sed 's/4711@/4802@/' "$M/gbk-complaint.eml" >forged.eml
db "INSERT INTO event_messages VALUES ('$(printf '<20261130091500.4802@svw.example.cn>' | sha256sum | cut -d' ' -f1)', 1)"
run sh -c '"$1" mail-in <forged.eml' sh "$L"
expect_status 75 "a forged index row: not taken as delivered (exit 75, the MTA keeps it)"
expect_not_contains "$out" "has this message already" "not called a duplicate"
run "$L" audit verify
expect_status 1 "audit verify finds the forged index row"
expect_contains "$err" "event 1 is indexed under message" "and names it"

# The example in examples/mail/ validates appended to the manufacturing example.
new_dir
cp "$LIAISON_SRC/examples/manufacturing/liaison.toml" .
cat "$LIAISON_SRC/examples/mail/mail.toml" >>liaison.toml
run "$L" --config liaison.toml config check
expect_status 0 "examples/mail/mail.toml validates"
run "$L" --config liaison.toml config show --format json
expect_eq "$(jq -r '.mail.rule | map(.name) | join(",")' <<<"$out")" "投诉邮箱,供应商来函" "config show lists the mail rules"
finish

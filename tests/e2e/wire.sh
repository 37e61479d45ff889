# Wire copy through `crosscheck run`: a JSONL feed whose stories are hard-wrapped at 68
# columns with indented paragraphs and whose headlines are only in the `title` field.
# The headline becomes the title zone and its figure a mention; the wrapped lines are
# joined so that no sentence ends at a line break and a figure stays in one sentence
# with its source; a record whose text starts with its title keeps a single title; a
# record that is not wrapped keeps its lines. The stories are made up.
source "$(dirname "$0")/lib.sh"

python3 - > feed.jsonl <<'PY'
import json
wire = (
    "At least 40 spectators were hurt\n"
    "when part of a wooden stand collapsed during a football match in\n"
    "the northern town of Brenmoor on Saturday, police said.\n"
    "    A police spokesman said 16 people were taken to hospital and\n"
    "that three of them were in a critical condition. The others were\n"
    "treated by first aid teams at the ground.\n"
    "    The club said the stand had passed a safety inspection in\n"
    "August.\n"
)
print(json.dumps({"id": "w1", "title": "40 HURT AS STAND COLLAPSES AT STADIUM",
                  "date": "2023-09-16", "outlet": "Wire", "text": wire}))
print(json.dumps({"id": "w2", "title": "Harbour reopens after storm",
                  "date": "2023-09-18", "outlet": "Coast News",
                  "text": "Harbour reopens after storm\n\nThe harbour reopened on Monday, "
                          "two days after a storm sank 12 fishing boats, the port "
                          "authority said.\nRepairs to the pier will take a month.\n"}))
PY

expect_status 0 "$CROSSCHECK" run feed.jsonl --db w.db -q
db=w.db
w1="(select id from documents where name like '%:w1')"
w2="(select id from documents where name like '%:w2')"
stext() { echo "substr(d.text, s.start + 1, s.\"end\" - s.start)"; }

got=$(sql $db "select $(stext) from sentences s join documents d on d.id = s.doc_id
               where s.doc_id = $w1 and s.zone_kind = 'title'")
[ "$got" = "40 HURT AS STAND COLLAPSES AT STADIUM" ] || fail "w1 title sentence: '$got'"
got=$(sql $db "select count(*) from mentions m join sentences s
               on s.doc_id = m.doc_id and s.idx = m.sentence
               where m.doc_id = $w1 and s.zone_kind = 'title' and m.kind = 'quantity'
               and m.text like '40%'")
[ "$got" = 1 ] || fail "the headline's figure is not a title-zone mention ($got)"
pass "a JSONL title is the title zone, its figure a mention"

got=$(sql $db "select count(*) from sentences where doc_id = $w1 and zone_kind = 'body'")
[ "$got" = 4 ] || fail "w1 has $got body sentences, wanted 4"
got=$(sql $db "select count(*) from sentences where doc_id = $w1 and zone_kind = 'meta'")
[ "$got" = 0 ] || fail "a wrapped line was taken for a header line ($got meta sentences)"
got=$(sql $db "select count(distinct paragraph) from sentences
               where doc_id = $w1 and zone_kind = 'body'")
[ "$got" = 3 ] || fail "w1 has $got body paragraphs, wanted 3"
got=$(sql $db "select count(*) from sentences s join documents d on d.id = s.doc_id
               where s.doc_id = $w1 and $(stext) like 'A police spokesman said 16 people%'
               and $(stext) like '%critical condition.'")
[ "$got" = 1 ] || fail "the figure and its source are not in one sentence"
got=$(sql $db "select instr(text, char(10) || 'August.') from documents where id = $w1")
[ "$got" = 0 ] || fail "a wrapped line break is left in the text"
pass "wrapped lines joined into sentences and paragraphs"

got=$(sql $db "select count(*) from sentences where doc_id = $w2 and zone_kind = 'title'")
[ "$got" = 1 ] || fail "w2 has $got title sentences, wanted 1"
got=$(sql $db "select text from documents where id = $w2")
want=$'Harbour reopens after storm\n\nThe harbour reopened on Monday, two days after a storm sank 12 fishing boats, the port authority said.\nRepairs to the pier will take a month.'
[ "$got" = "$want" ] || fail "w2 text changed: '$got'"
pass "a title the text repeats is kept once; unwrapped text keeps its lines"

expect_status 0 "$CROSSCHECK" run feed.jsonl --db w.db -q
got=$(sql $db "select count(*) from documents")
[ "$got" = 2 ] || fail "a second run added documents ($got)"
pass "the same feed again adds nothing"

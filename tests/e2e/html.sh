# HTML pages through `crosscheck run`: metadata from the page, claims from the article's
# figures only (never from navigation, related links, the footer or reader comments),
# a legacy charset decoded, and bad pages reported with their name while the rest is
# stored.
source "$(dirname "$0")/lib.sh"

mkdir in
cat > in/floods.html <<'HTML'
<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Floods force thousands from homes | Valley Herald</title>
<meta property="og:site_name" content="Valley Herald">
<meta name="author" content="Maria Lopez">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Floods force thousands from homes", "datePublished": "2024-03-05T08:30:00Z"}
</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<div class="cookie-banner">We use cookies. Accept all cookies</div>
<main><article>
<h1>Floods force thousands from homes</h1>
<div class="share-bar"><a href="#">Share on Facebook</a></div>
<p>Heavy rain over the weekend forced thousands of residents to leave their homes, the
regional governor said on Monday, as rivers burst their banks across the valley.</p>
<p>Rescue teams said at least 12 people were killed and 40 injured, while officials warned
that more rain was expected later in the week.</p>
<p>The army deployed 500 soldiers to help with the evacuation, according to the defence
ministry, which added that shelters had been opened in three towns.</p>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">Storm: 900 people killed in the
neighbouring region</a></li></ul></aside>
</article></main>
<section id="comments" class="comments-area">
<h2>2 Comments</h2>
<ol class="comment-list">
<li><p>My cousin says 70 people were killed there, not 12, and 300 were injured.</p></li>
<li><p>They always play it down; locals say 65 people were killed.</p></li>
</ol>
</section>
<footer><p>Valley Herald: 999 people were killed in our archive of stories.</p></footer>
</body></html>
HTML

# windows-1252 bytes, declared by http-equiv; the date from <time datetime> in the article
printf '%s' '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Caf' > in/cafe.htm
printf '\xe9 fire - The Northern Post</title><meta property="og:site_name" content="The Northern Post"></head>
<body><article><time datetime="2023-11-02T10:00:00Z">2 Nov</time>
<p>A fire at a caf\xe9 in the old town injured 8 people, the fire brigade said, adding that
\x93the building could not be saved\x94.</p></article></body></html>\n' >> in/cafe.htm

cat > in/nothing.html <<'HTML'
<html><head><title>Only furniture</title></head>
<body><nav><a href="/">Home</a></nav><footer>About us</footer></body></html>
HTML

expect_status 3 "$CROSSCHECK" run in --db h.db
cat err

# one value from the database; the sqlite3 shell when there is one (much quicker to start
# than the Python of lib.sh's sql)
if command -v sqlite3 >/dev/null; then
  q() { sqlite3 h.db "$1"; }
else
  q() { sql h.db "$1"; }
fi
doc=$(q "SELECT id FROM documents WHERE name LIKE '%in/floods.html'")
[ -n "$doc" ] || fail "floods.html not stored"
[ "$(q "SELECT title FROM documents WHERE id=$doc")" = "Floods force thousands from homes" ] || fail "title: $(q "SELECT title FROM documents WHERE id=$doc")"
[ "$(q "SELECT outlet FROM documents WHERE id=$doc")" = "Valley Herald" ] || fail "outlet"
[ "$(q "SELECT author FROM documents WHERE id=$doc")" = "Maria Lopez" ] || fail "author"
[ "$(q "SELECT date FROM documents WHERE id=$doc")" = "2024-03-05" ] || fail "date"
pass "page metadata"

# the article's figures are claims ...
for v in 12 40 500; do
  [ "$(q "SELECT count(*) FROM claims WHERE doc_id=$doc AND low=$v")" -ge 1 ] || fail "no claim for $v"
done
# ... the sidebar's, footer's and comments' are not
for v in 900 999 70 65 300; do
  [ "$(q "SELECT count(*) FROM claims WHERE doc_id=$doc AND (low=$v OR high=$v)")" -eq 0 ] || fail "claim for $v, which is not the article's"
done
pass "claims from the body only"

# the comments are in the text, zoned as comments; the furniture is not in the text at all
[ "$(q "SELECT count(*) FROM sentences WHERE doc_id=$doc AND zone_kind='comments'")" -ge 2 ] || fail "no comments zone"
[ "$(q "SELECT count(*) FROM documents WHERE id=$doc AND instr(text, 'My cousin says 70') > 0")" -eq 1 ] || fail "comment text missing"
for junk in cookies 'Share on Facebook' 'neighbouring region' 'our archive'; do
  [ "$(q "SELECT instr(text, '$junk') FROM documents WHERE id=$doc")" -eq 0 ] || fail "'$junk' in the text"
done
pass "comments zoned, furniture dropped"

cafe=$(q "SELECT id FROM documents WHERE name LIKE '%in/cafe.htm'")
[ -n "$cafe" ] || fail "cafe.htm not stored"
[ "$(q "SELECT title FROM documents WHERE id=$cafe")" = "Café fire" ] || fail "windows-1252 title: $(q "SELECT title FROM documents WHERE id=$cafe")"
[ "$(q "SELECT outlet FROM documents WHERE id=$cafe")" = "The Northern Post" ] || fail "outlet of cafe.htm"
[ "$(q "SELECT date FROM documents WHERE id=$cafe")" = "2023-11-02" ] || fail "date from <time>"
[ "$(q "SELECT invalid_bytes FROM documents WHERE id=$cafe")" -eq 0 ] || fail "invalid bytes in a windows-1252 page"
[ "$(q "SELECT count(*) FROM documents WHERE id=$cafe AND instr(text, 'café in the old town') > 0")" -eq 1 ] || fail "windows-1252 body"
[ "$(q "SELECT count(*) FROM claims WHERE doc_id=$cafe AND low=8")" -ge 1 ] || fail "no claim for the 8 injured"
pass "windows-1252 page"

grep -q 'in/nothing.html.*no article text' err || fail "no message naming nothing.html"
[ "$(q "SELECT count(*) FROM errors WHERE source LIKE '%in/nothing.html' AND message LIKE '%no article text%'")" -eq 1 ] || fail "no errors row for nothing.html"
[ "$(q "SELECT count(*) FROM documents")" -eq 2 ] || fail "expected 2 documents"
pass "a page without text is an error, the others are stored"

# The parser keeps only the attributes the cleaner reads (core/html.c, KEPT_ATTRIBUTES):
# attr() takes one of that list's names, so every attribute html.c reads is kept. Check
# that nothing reads an attribute some other way (a name as a string, xmlGetProp), which
# the parser may have dropped and the cleaner would then silently never see.
python3 - "$CC_SOURCE/core/html.c" <<'PY' || fail "html.c reads an attribute the parser drops"
import re, sys
src = open(sys.argv[1]).read()
kept = set(re.findall(r'X\(\w+, "([^"]+)"\)', src))
asked = re.findall(r'\battr\([^;]*?, (\w+)\)', src)
bad = sorted({a for a in asked if not a.startswith("AT_")})
other = re.findall(r'\b(xmlGetProp|xmlGetNoNsProp|xmlHasProp)\(', src)
if len(kept) < 10 or not asked or bad or other:
    print("kept:", sorted(kept), "not through the list:", bad, other)
    sys.exit(1)
PY
pass "every attribute the cleaner reads is kept by the parser"

--[=[
clean.lua: what the cleaner treats as page furniture, bylines, datelines, outlet lines
and the start of a reader-comment section.

HOW THESE PATTERNS ARE USED (read this before editing)

  * Every entry is a PCRE2 regular expression (not a Lua pattern). Lua long strings
    [[...]] are used so that backslashes need no escaping.
  * Each pattern is matched against ONE WHOLE LINE of the article (in hard-wrapped text,
    such as wire copy, a whole paragraph: its lines are joined first). Before matching, the
    line has been normalised: surrounding spaces trimmed, runs of spaces folded to one,
    curly quotes turned into ' and ", no-break spaces into plain spaces. The pattern
    must match the entire line (it is implicitly anchored at both ends), so
    "Advertisement" drops the line "Advertisement" but never a sentence that contains
    the word. Use .* explicitly when you want "a line starting with ...".
  * Matching is case-insensitive and Unicode-aware (\w, \d, \s and \b know about
    accented letters). Write (?-i) at the start of a pattern to make it case-sensitive.
    \p{Lu} (an upper-case letter) stays case-sensitive even without (?-i).
  * Keep patterns general: they describe what news pages have in common, not one site.
  * A bad pattern stops the run with a message naming the list and the item number,
    e.g. "furniture item 12: missing closing parenthesis at offset 7".
  * Where a list says "group 1", the text captured by the first (...) group is what is
    recorded; use (?:...) for groups that should not capture. Without a group 1 the
    whole line is recorded.
]=]

-- Building blocks for the date patterns below (plain Lua string concatenation).
local MONTH = [[(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?]]
local WEEKDAY = [[(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s+)?]]
local DAY = [[\d{1,2}(?:st|nd|rd|th)?]]
local YEAR = [[\d{4}]]
local TIME = [[(?:\s*(?:,|\||•|·|@|-|–|—|at)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*\(?(?:[a-z]{2,5}|(?:gmt|utc)\s*[+-]\s*\d{1,2}(?::?\d{2})?)\)?)?)?]]
local DATE = "(?:" ..
    WEEKDAY .. MONTH .. [[\s*]] .. DAY .. [[,?\s*(?:[-–,]\s*)?]] .. YEAR ..   -- Nov.17 - 2023, November 17, 2023
    "|" .. WEEKDAY .. DAY .. [[\s*(?:-\s*)?]] .. MONTH .. [[,?\s*(?:-\s*)?]] .. YEAR ..   -- 17 November 2023, 26-FEB-1987
    "|" .. [[\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?]] ..   -- ISO 8601
    "|" .. [[\d{1,2}[/.]\d{1,2}[/.]\d{4}]] ..
    ")"
local DATE_PREFIX = [[(?:(?:published|posted|updated|last updated|first published|date|dated|issued)(?:\s+on)?\s*:?\s*)?]]

-- A person's name as it appears in a byline: capitalised words, initials, particles.
local NAME = [[(\p{Lu}[\p{L}'.\-]*(?:\s+(?:\p{Lu}[\p{L}'.\-]*|and|&|de|del|der|van|von|da|di|al|el|bin|la|le))*)]]

return {
  -- furniture: the line is dropped wherever it appears (title, header, body, comments).
  -- Share bars, reading times, ads, newsletter and social prompts, photo captions and
  -- credits, wire-service credits, tag lists, copyright notes, cookie notices, section
  -- labels and comment-form boilerplate.
  furniture = {
    -- reading time: "5 Min Read", "3 minute read", "Reading time: 4 minutes"
    [[\d+\s*(?:min|mins|minute|minutes)\.?\s+read]],
    [[(?:estimated\s+)?(?:reading|read)\s+time\s*:?\s*\d+\s*(?:min|mins|minute|minutes)\.?]],
    [[listen to (?:this|the) (?:article|story)(?:\s*[\d:]+.*)?]],
    -- share bars: "Share", "Share this", "Share This Article", "Share on Facebook"
    [[share(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page|video))?(?:\s+(?:on|via)\s+\S+)?\s*:?]],
    [[(?:tweet|pin it|email|e-mail|print|copy link|copy url|whatsapp|facebook|twitter|linkedin|telegram|reddit|flipboard)(?:\s+(?:this|it))?(?:\s+(?:article|story))?]],
    [[(?:post|send|share)(?:\s+(?:this|it))?\s+(?:on|to|via)\s+(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|email)]],
    -- "Read more", "Read more: <headline>", "Continue reading", "Click here to ..."
    [[read more(?:\s*[:.›»>].*)?]],
    [[read (?:more|the full (?:article|story|report)) (?:about|on|at|here|from)\b.*]],
    [[(?:continue reading|keep reading|read the full (?:article|story)).*]],
    [[(?:click|tap) here\b.*]],
    [[(?:related|also read|read also|see also|listen|more)\s*:\s*\S.*]],
    -- advertising
    [[(?:advertisement|advertisements|advertising|ad|ads|sponsored|sponsored content|promoted|promoted content|paid content|partner content)]],
    [[(?:the )?(?:story|article|text) continues (?:below|after)(?: (?:this|the))?(?: (?:advertisement|ad|ads|video))?]],
    [[scroll (?:down )?to continue(?: with content| reading)?]],
    [[skip (?:to (?:main )?content|advertisement)]],
    [[back to top]],
    -- newsletters, subscriptions and social media
    [[subscribe(?:\s+(?:now|today|here))?(?:\s+(?:to|for)\b.*)?[.!]?]],
    [[sign up (?:for|to)\b.*|sign up(?:\s+(?:now|here|today))?[.!]?]],
    [[(?:get|receive) (?:our|the) .{0,60}newsletters?\b.*]],
    [[follow (?:us|me|@\S+|[^.]{1,40}) on (?:facebook|twitter|x|instagram|linkedin|telegram|youtube|tiktok|threads|bluesky|google news|whatsapp|social media)(?: and .{1,40})?[.!]?]],
    [[(?:join|download) (?:us|our app|the app)\b.{0,60}]],
    -- captions and credits: "Photo: ...", "Image: ...", "Photograph: ...", "(Reuters)"
    [[(?:photo|photos|image|images|picture|photograph|video|graphic|illustration|file photo|caption|credit|photo credit|image credit|image source|source)\s*:.*]],
    [[(?:photo|image|photograph|picture|video)s?\s+(?:by|courtesy of|via|from)\s.{1,80}]],
    [[(?=.{0,120}$).*\b(?:getty images|shutterstock|ap photo|afp photo|reuters/\S+|alamy|anadolu agency|sipa usa|epa-efe)\b.*]],
    -- wire credits: "(Reporting by ...; Editing by ...)", "Editing by ...", "Writing by ..."
    [[\(?(?:reporting|additional reporting|writing|editing|compiled|produced|research)\s+by\b.*]],
    [[\((?:reuters|ap|afp|ani|upi|bloomberg|dpa|pti|ians)\)]],
    -- a wire service's sign-off on the last line of a story: "REUTER", "Reuter"
    [[(?-i)(?:REUTER|Reuter)]],
    -- tags and filing
    [[(?:tags|tag|tagged|topics|filed under|categories|category)\s*:.*]],
    -- copyright lines
    [[(?:copyright|©|\(c\))\s*(?:©\s*)?\d{4}(?:\s*[-–]\s*\d{4})?.{0,120}]],
    [[©.*]],
    [[.{0,120}all rights reserved\.?]],
    -- time stamps relative to now: "Updated 3 hours ago", "2 days ago"
    [[(?:(?:updated|last updated|published|posted)\b.{0,40}\s)?\d+\s*(?:s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|weeks?|months?|years?)\s+ago\.?]],
    [[(?:updated|last updated|published|posted)\s+(?:just now|moments? ago|an? (?:hour|minute|day) ago|yesterday|today)\.?]],
    -- cookie and privacy notices
    [[(?:we use cookies|this (?:site|website) uses cookies|by (?:using|continuing to use) (?:this|our) (?:site|website)).*]],
    [[(?:accept|reject|allow)(?: all)? cookies|cookie (?:settings|policy|preferences|notice)|manage (?:cookies|preferences|consent)|privacy (?:policy|settings)|terms (?:of (?:use|service)|and conditions)|do not sell(?: or share)? my personal information]],
    -- widgets and listings labels (a list that ends the article is in body_end)
    [[(?:trending|trending now|trending stories|trending topics|trending news|popular now|top stories|editor'?s picks?|editors'? picks?|don'?t miss|recommended|must read|breaking|breaking news|live|live updates|exclusive|explainer|video|videos|watch|photos|gallery|podcast|newsletter)]],
    -- section labels standing alone on a line ("World", "Politics", "War")
    [[(?:news|world|world news|politics|war|conflict|business|economy|markets|opinion|sport|sports|tech|technology|science|health|climate|environment|culture|arts|entertainment|lifestyle|travel|europe|asia|africa|americas|middle east|asia pacific|us|u\.s\.|uk|local|national|international|home|menu|search|latest|more)]],
    -- comment-form and comment-thread boilerplate (the comments themselves are kept)
    [[(?:leave|add|post|write|submit) (?:a|your) (?:comment|reply|response)]],
    [[(?:view|show|hide|load|see)(?: all| more)? (?:comments?|replies)(?:\s*\(\d+\))?]],
    [[(?:cancel reply|reply|reply →|report|report comment|like|flag|permalink|show more|load more|see more|view more)]],
    [[your email address will not be published\..*]],
    [[required fields are marked.*]],
    [[(?:save my name, email|notify me of|you must be logged in|log in to (?:comment|reply)|comments are (?:closed|moderated)).*]],
    -- lines of nothing but punctuation or symbols: "—", "***", "• • •"
    [[[\p{P}\p{S}\s]+]],
  },

  -- furniture_next: the line AND the next non-empty line are dropped. For a label that
  -- introduces a link to another story ("Related article" above that story's headline).
  furniture_next = {
    [[related(?:\s+(?:article|story|post|content|reading|video))?\s*:?]],
    [[(?:also read|read also|see also|read next|more on this(?: story)?|more on this topic|editor'?s pick|recommended (?:article|story|reading))\s*:?]],
  },

  -- comments_start: from this line on, everything is the reader-comments zone (its
  -- figures are never the outlet's claims). Furniture inside it is still dropped. The
  -- line itself is kept as the zone's heading; a heading with no comments under it is
  -- dropped.
  comments_start = {
    [[(?:no|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:comments?|responses?|replies|reactions)]],
    [[(?:\d+|one|two|three)\s+thoughts? on\b.*]],
    [[comments?\s*(?:\(\d+\)|:\s*\d+|:)?]],
    [[(?:leave a reply|join the (?:discussion|conversation)|readers'? comments|reader comments|discussion|what do you think\??)]],
  },

  -- body_end: the article is over; later lines are dropped unless a comments_start line
  -- comes after. For blocks of links to other stories at the foot of a page. Only
  -- effective once body text has begun (in the header these are plain furniture).
  body_end = {
    [[(?:you (?:may|might|will) also (?:like|enjoy|be interested in)|we also recommend|recommended for you)\s*:?]],
    [[(?:more|more stories|more news|more articles|latest) from\b.{1,60}]],
    [[(?:related (?:articles|stories|posts|news|coverage|content|topics)|read next|what to read next|up next)\s*:?]],
    [[(?:most (?:popular|read|viewed|shared|commented)|more (?:stories|news|articles|headlines)|latest (?:news|stories|articles|headlines)|in other news|recommended (?:stories|articles|reading))\s*:?]],
    [[(?:about the author|about the reporter|author bio)\s*:?]],
  },

  -- byline: a header line naming the author. Group 1 is the author.
  byline = {
    [[(?:(?:written|posted|reported|story|words|text|report|article|published|compiled)\s+)?by\s*:?\s+]] .. NAME .. [[(?:\s*(?:,|\||•|·|-|—|–|\bin\b|\bfor\b).*)?]],
    [[(?:author|authors|reporter|writer|correspondent|byline)\s*:\s*]] .. NAME .. [[(?:\s*(?:,|\||•|·|-|—|–).*)?]],
  },

  -- dateline: a header line giving the publication date. Group 1 is the date as
  -- written; the cleaner also turns it into YYYY-MM-DD when it can.
  dateline = {
    DATE_PREFIX .. "(" .. DATE .. TIME .. ")" .. [[(?:\s*(?:\||•|·|,|;)\s*(?:updated|modified|last updated)\b.*)?]],
  },

  -- outlets: a header line that is just the name of the publisher. The whole line (or
  -- group 1) is recorded as the outlet.
  outlets = {
    [[CNN]], [[Reuters]], [[(?:The )?Associated Press|AP]], [[AFP|Agence France-Presse]],
    [[BBC(?: News)?]], [[Al Jazeera(?: English)?]], [[(?:The )?Guardian]],
    [[(?:The )?New York Times|NYT]], [[(?:The )?Washington Post]],
    [[(?:The )?Wall Street Journal|WSJ]], [[(?:The )?Financial Times]], [[Bloomberg]],
    [[(?:The )?Kyiv Independent]], [[Kyiv Post]], [[Ukrainska Pravda]], [[Ukrinform]],
    [[Yonhap(?: News Agency)?]], [[(?:The )?Korea Herald]], [[Korea JoongAng Daily]],
    [[NHK(?: World)?]], [[Xinhua]], [[TASS]], [[RIA Novosti]], [[(?:The )?Moscow Times]],
    [[Meduza]], [[Deutsche Welle|DW]], [[France 24]], [[Euronews]], [[Politico]],
    [[Axios]], [[NPR]], [[(?:Fox|NBC|CBS|ABC|Sky) News]], [[(?:The )?Independent]],
    [[(?:The )?Telegraph]], [[Le Monde]], [[Der Spiegel]], [[(?:The )?Times of India]],
  },

  -- abbreviations: words (without the final dot, case-sensitive) after which a dot does
  -- not end a sentence. Used by the sentence segmenter.
  abbreviations = {
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Cpt", "Sgt",
    "Cpl", "Pvt", "Adm", "Cmdr", "Gov", "Sen", "Rep", "Rev", "Hon", "Pres", "St", "Sr",
    "Jr", "No", "Nos", "Vol", "Fig", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
    "Sep", "Sept", "Oct", "Nov", "Dec", "U.S", "U.K", "U.N", "E.U", "a.m", "p.m", "etc",
    "vs", "approx", "est", "Inc", "Corp", "Co", "Ltd", "Mt", "Ft", "Ave", "Blvd",
  },

  -- max_header_lines: how many non-empty lines after the title are looked at for
  -- byline, dateline and outlet. The header also ends at the first line of prose.
  max_header_lines = 8,
}

"""Tuned constants and selectors of the clean step, gathered in one place."""

from __future__ import annotations

import re

# Pages above this size are refused ("too_large"): real article pages, inline JSON included, stay far
# below it, and parsing 50 MB of markup costs ~1 GB of lxml tree.
MAX_BYTES = 16 * 1024 * 1024
# A title candidate (JSON-LD headline, og:title, h1, <title>...) longer than this is no headline: the
# longest gold title of the dev sets has 139 characters. The title rules split and compare candidates
# at every separator, so a hostile megabyte "title" of " | | | ..." cost seconds per page.
TITLE_MAX_CHARS = 1000
# libxml2's HTML parser compares each attribute of a start tag with all the tag's earlier ones: a tag
# of 80,000 attributes (1.5 MB) took 58 s to parse. Attributes past this many in one tag are cut before
# parsing; real pages stay far below (no tag of the 732 dev pages reaches this many).
MAX_ATTRIBUTES = 256
# Of a run of <br>s with only white space between them, the first this many are kept: more say nothing
# more (a line or a paragraph break to every method), and a million of them cost every pass a walk (24 s
# and 1.1 GB). The longest run on the 732 dev pages is 20, and its page gives the same text.
BREAK_RUN_MAX = 2
# A page with more elements than this once its runs of <br>s are cut is refused ("too_many_elements"):
# every pass walks each element (a million took 24 s), and no article page comes near (the most the
# 732 dev pages hold is 4,098; a paragraph of 300,000 links above a story still gives the story).
MAX_ELEMENTS = 400_000
# A page holding this many <br>s has its runs cut in its text, before parsing, too (the element count
# before parsing is bounded by 2 x MAX_ELEMENTS '<'s that do not start an end tag: see html.parse).
BREAK_RUN_TEXT_MIN = 20_000
# libxml2 stops nesting at 255 levels (without huge_tree); a tree that reaches the cap lost content.
MAX_DEPTH = 250
# The meta description anchors the story when our text shares under DESCRIBED_MAX_OVERLAP of its words
# (body.described_story); shorter descriptions say too little.
DESCRIBED_MIN_CHARS = 80
DESCRIBED_MAX_OVERLAP = 0.5
# A page of this many characters whose body libxml2 left empty is parsed again by Python's html.parser.
REPARSE_MIN_CHARS = 200
# ... and of at most this many tags (a hostile page of millions of tags after a broken one stays "no_body").
REPARSE_MAX_TAGS = 100_000
# trafilatura reads a page whose paragraphs hold more text nodes than this with their inline markup merged,
# and not at all when they still do: its "//p//text()" costs time in the square of their number (the most
# of the 732 dev pages hold is 331; 10,000 cost about 0.15 s a pass).
TRAFILATURA_MAX_P_TEXTS = 10_000
# A canonical link (or og:url) longer than this is no URL of the article: the limit sources put on a listed URL.
MAX_URL_CHARS = 16_384
# Only this much of a page is sniffed for encoding hints and binary bytes.
SNIFF_BYTES = 4096
# Pages that render their story from script state (clean/scriptstate.py): JSON strings of at least
# SCRIPT_STATE_MIN_CHARS are read, from at most SCRIPT_STATE_MAX_CHARS of script text and at most
# SCRIPT_STATE_MAX_FRAGMENTS HTML fragments, and a fragment is the story only when it holds
# SCRIPT_STATE_MIN_SHARED of the words of the headline or description.
SCRIPT_STATE_MIN_CHARS = 500
SCRIPT_STATE_MAX_CHARS = 3_000_000
SCRIPT_STATE_MIN_SHARED = 0.3
SCRIPT_STATE_MAX_FRAGMENTS = 200
# A text counts as an article only when it holds prose: a paragraph of at least PROSE_MIN_CHARS with a
# sentence end, or one of PROSE_LONG_CHARS (Thai and glued table rows have no sentence marks). Lengths
# count Chinese, Japanese and Korean characters twice (a character says about as much as a short word).
# What a removed story leaves (menus, the headline, "Updated 12 minutes ago") has none; the shortest
# sentence paragraph of the 599 gold bodies of the dev sets is 126 such characters.
PROSE_MIN_CHARS = 60
PROSE_LONG_CHARS = 200
# C0 control characters other than tab, LF and CR: JSON-LD rejects them in strings, and lxml refuses to
# assign them as element text although libxml2 parses them into text nodes.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# When no method finds an article, the page's longest run of bare text between <br>s is the story only
# from this many characters (body.loose_story).
# A block of at most this much text, all of it link text ("Article continues", "Comments"), between a
# story's loose lead and its first paragraph does not end the lead's run of text.
LEAD_GAP_LINK_CHARS = 40
# A loose paragraph between two of ours comes back when the paragraph before it is printed in this many
# siblings with text above its run (body.with_loose_between): a photo table or an ad box between.
LOOSE_BETWEEN_SIBLINGS = 4
# It compares at most this many (paragraph, <p>) pairs a page (a search of the page for a paragraph in no <p>
# counts as one a <p>): each paragraph is looked for from where the one before it was found, so a story's
# page costs about one a <p>; a hostile page of thousands of paragraphs, none found, stops there.
LOOSE_BETWEEN_SCANS = 200_000
# At most this many loose runs are put back a page (a story prints a few, after its ad boxes and photos).
LOOSE_BETWEEN_RUNS = 100
LOOSE_STORY_MIN_CHARS = 500
# <noscript> blocks measured for a story printed for readers without JavaScript (body.noscript_copy).
NOSCRIPT_SCANS = 20
# Language detection reads this much text; py3langid is linear in its input (600 and 1200 characters
# gave the same language on 726 of the 728 dev pages with text; the two others are menu dumps).
LANG_SAMPLE_CHARS = 600
# The first this many characters are classified first, and decide when py3langid gives them at least
# LANG_QUICK_CONFIDENCE; a less certain start reads the whole sample. py3langid walks its input byte by byte in
# Python (about 0.4-0.9 ms a page for 600 characters, on every page). On the 1,453 texts of 40+ characters of
# the dev sets and their class-blind copies, 300 characters at 0.99 gave the label of the 600-character sample
# on every text; 1,310 stopped there (session 41: benchmarks/language_sample.py).
LANG_QUICK_CHARS = 300
LANG_QUICK_CONFIDENCE = 0.99
# A date more than this far in the future (hours) is a parse error or a placeholder.
FUTURE_SLACK_HOURS = 36
# Published values of one article within this many hours are the same publication told in two
# timezones (one mislabelled): the earliest wins.
SAME_DAY_SPREAD_HOURS = 24
# Page scripts read (characters) to learn the publisher's UTC offset. 100,000 and 2,000,000 gave the
# same published and updated values on all 427 aeb, fundus and dates pages; scanning 2 MB cost ~5 ms
# on the pages with big inline state (45 % of fundus pages reach this scan).
OFFSET_SCAN_CHARS = 300_000
# Header date: text read after the article's h1 (characters), and a text node this long is body prose
# (the byline area is over).
HEADER_DATE_CHARS = 300
# A byline line right after a long deck ("By <a>Jane Doe</a> · <time>March 4, 2019</time>") is read to this many
# text nodes for its date (`dates._byline_after_deck`).
BYLINE_AFTER_DECK_TEXTS = 4
# At most this many "Posted on ..." lines are looked at (`dates._posted_line`): more are a list of posts.
POSTED_LINES = 20
# Text nodes of the page (those holding "/" or "-") read for numeric dates that show its day-month order.
ORDER_SCAN_TEXTS = 2000
# A text under the headline of this many characters and words that ends a sentence is the story's lead: the
# byline area is over (`dates._is_sentence`).
LEAD_SENTENCE_CHARS = 60
LEAD_SENTENCE_WORDS = 10
# With no date under the headline, the date in the text nodes right above it (a kicker line) is read, at most
# this many of them (`dates._date_above`).
ABOVE_HEADLINE_TEXTS = 4
# A <time> whose ancestors up to this many levels hold headings that are all links to other stories is a
# teaser card's (metadata.py `in_teaser_card`); further up, the ancestor holds the page.
TEASER_DATE_LEVELS = 3
# A date element above the headline beside a link of this many words or more (a story's headline, not a section's
# or an author's name) is that story's (`dates._beside_other_story`); the first STORY_LINK_SCAN links are read.
STORY_LINK_WORDS = 4
STORY_LINK_SCAN = 20
# A <time> is marked as modified by its own class or by those of this many wrappers around it
# (`dates._time_elements`: "<div class=article__updated><span><time>").
DATE_LABEL_LEVELS = 2
# A date element's parent, or an ancestor up to this many levels, holding it alone and this many characters
# of other text is an entry; this many entries of one tag under one parent are a run of dated entries
# (readers' comments, a live blog's posts), none of them the article's date (`dates._dated_entries`).
DATED_RUN_LEVELS = 3
DATED_ENTRY_CHARS = 30
DATED_RUN_ENTRIES = 2
# A <time> in a paragraph of this many characters that ends a sentence is a word of the story (an event's day).
PROSE_TIME_CHARS = 100
# For bylines, such an ancestor is a card only when its text is shorter than this (headline, byline, a
# teaser line): an article body holding a "Related" link heading is longer.
TEASER_CARD_CHARS = 600
# A page without an <h1> headline: the title is the text of a node holding its longest word, or of one of
# this many ancestors ("<b><font>Title</font></b>").
TITLE_ELEMENT_LEVELS = 3
# ... of the first this many text nodes holding the title's longest word (a site name or menu may hold it too).
TITLE_ELEMENT_SCANS = 20
# A word looked for in the page's text nodes (XPath contains()) is cut to this many characters.
SEARCH_WORD_CHARS = 64
HEADER_PROSE_CHARS = 150
# An undated page's day that htmldate found only in its story's sentences is an event's, not the publication's
# (`dates._told_in_prose`): the paragraphs read and the characters of text searched, at most.
PROSE_DAY_PARAGRAPHS = 200
PROSE_DAY_CHARS = 200_000
# The text of a <time> element whose attribute is no date is read for one up to this many characters.
TIME_TEXT_CHARS = 200
# Tweet status IDs (snowflakes): milliseconds since this epoch in the bits above 22; an ID whose
# time is under an hour past it is a sequential pre-2010 ID, not a time.
TWEET_EPOCH_MILLIS = 1_288_834_974_657
TWEET_MIN_MILLIS = 3_600_000
# Month names in dates written out ("13 Oct 2020", "9 oktober 2020", "13. Mai 2026", "3 декабря 2020",
# "3. prosince 2020"), by month number: nominative and genitive forms; Croatian is left out (its "listopad"
# is October, Polish, Czech and Ukrainian "listopad" November).
MONTH_NAMES = (
    ("jan", "january", "januar", "janvier", "enero", "januari", "gennaio", "janeiro", "jänner",
     "январь", "января", "січень", "січня", "styczeń", "stycznia", "leden", "ledna", "януари", "januara",
     "ocak", "ianuarie", "ιανουαρίου"),
    ("feb", "february", "februar", "février", "fevrier", "febrero", "februari", "febbraio", "fevereiro",
     "февраль", "февраля", "лютий", "лютого", "luty", "lutego", "únor", "února", "февруари", "februara",
     "şubat", "februarie", "φεβρουαρίου"),
    ("mar", "march", "märz", "maerz", "mars", "marzo", "maart", "março",
     "март", "марта", "березень", "березня", "marzec", "marca", "březen", "března", "mart", "marta",
     "martie", "marts", "maret", "μαρτίου"),
    ("apr", "april", "avril", "abril", "aprile",
     "апрель", "апреля", "квітень", "квітня", "kwiecień", "kwietnia", "duben", "dubna", "април", "aprila",
     "nisan", "aprilie", "απριλίου"),
    ("may", "mai", "mayo", "mei", "maggio", "maio",
     "май", "мая", "травень", "травня", "maj", "maja", "květen", "května", "mayıs", "μαΐου"),
    ("jun", "june", "juni", "juin", "junio", "giugno", "junho",
     "июнь", "июня", "червень", "червня", "czerwiec", "czerwca", "červen", "června", "юни", "juna",
     "haziran", "iunie", "ιουνίου"),
    ("jul", "july", "juli", "juillet", "julio", "luglio", "julho",
     "июль", "июля", "липень", "липня", "lipiec", "lipca", "červenec", "července", "юли", "jula",
     "temmuz", "iulie", "ιουλίου"),
    ("aug", "august", "août", "aout", "agosto", "augustus",
     "август", "августа", "серпень", "серпня", "sierpień", "sierpnia", "srpen", "srpna", "avgust",
     "avgusta", "augusta", "ağustos", "augusti", "agustus", "αυγούστου"),
    ("sep", "sept", "september", "septembre", "septiembre", "settembre", "setembro",
     "сентябрь", "сентября", "вересень", "вересня", "wrzesień", "września", "září", "септември",
     "septembar", "septembra", "eylül", "septembrie", "σεπτεμβρίου"),
    ("oct", "october", "oktober", "octobre", "octubre", "ottobre", "outubro",
     "октябрь", "октября", "жовтень", "жовтня", "październik", "października", "říjen", "října",
     "октомври", "oktobar", "oktobra", "ekim", "octombrie", "οκτωβρίου"),
    ("nov", "november", "novembre", "noviembre", "novembro",
     "ноябрь", "ноября", "листопад", "листопада", "listopad", "listopada", "listopadu", "ноември",
     "novembar", "novembra", "kasım", "noiembrie", "νοεμβρίου"),
    ("dec", "december", "dezember", "décembre", "decembre", "diciembre", "dicembre", "dezembro",
     "декабрь", "декабря", "грудень", "грудня", "grudzień", "grudnia", "prosinec", "prosince", "декември",
     "decembar", "decembra", "aralık", "decembrie", "desember", "δεκεμβρίου"),
)
# Further month names read only in visible datelines (`dates._visible_dates`, between a day and a year),
# not as date words of titles or names: abbreviations bylines print ("févr.", "Mär.", "dic", "out"),
# Finnish, Hungarian, Slovak, Croatian, Lithuanian, Latvian, Estonian and Arabic (Egyptian) names; Catalan,
# Hindi and Hebrew (also with the preposition "ב" bylines print: "4 במרץ 2019"). Croatian "listopad" (October) is left out:
# Polish "listopad" is November.
DATELINE_MONTH_NAMES = (
    ("janv", "ene", "gen", "tammikuuta", "tammikuu", "január", "januára", "siječnja", "siječanj", "sausio",
     "janvāris", "janvāra", "jaanuar", "يناير", "gener", "जनवरी", "ינואר", "בינואר"),
    ("févr", "fevr", "fév", "fev", "helmikuuta", "helmikuu", "február", "februára", "veljače", "veljača",
     "vasario", "februāris", "februāra", "veebruar", "فبراير", "febrer", "फरवरी", "फ\u093cरवरी", "\u095eरवरी",
     "פברואר", "בפברואר"),
    ("mär", "mrz", "mrt", "maaliskuuta", "maaliskuu", "március", "ožujka", "ožujak", "kovo", "märts", "مارس",
     "març", "मार्च", "מרץ", "במרץ", "מרס", "במרס"),
    ("avr", "abr", "huhtikuuta", "huhtikuu", "április", "apríla", "travnja", "travanj", "balandžio",
     "aprīlis", "aprīļa", "aprill", "أبريل", "إبريل", "अप्रैल", "אפריל", "באפריל"),
    ("mag", "toukokuuta", "toukokuu", "május", "mája", "svibnja", "svibanj", "gegužės", "maijs", "maija",
     "مايو", "maig", "मई", "מאי", "במאי"),
    ("giu", "kesäkuuta", "kesäkuu", "június", "júna", "lipnja", "lipanj", "birželio", "jūnijs", "jūnija",
     "juuni", "يونيو", "juny", "जून", "יוני", "ביוני"),
    ("juil", "lug", "heinäkuuta", "heinäkuu", "július", "júla", "srpnja", "srpanj", "liepos", "jūlijs",
     "jūlija", "juuli", "يوليو", "juliol", "जुलाई", "יולי", "ביולי"),
    ("ago", "elokuuta", "elokuu", "augusztus", "kolovoza", "kolovoz", "rugpjūčio", "augusts", "أغسطس",
     "agost", "अगस्त", "אוגוסט", "באוגוסט"),
    ("set", "syyskuuta", "syyskuu", "szeptember", "rujna", "rujan", "rugsėjo", "septembris", "septembrī",
     "سبتمبر", "setembre", "सितंबर", "सितम्बर", "ספטמבר", "בספטמבר"),
    ("okt", "ott", "out", "lokakuuta", "lokakuu", "október", "októbra", "spalio", "oktobris", "أكتوبر",
     "अक्टूबर", "אוקטובר", "באוקטובר"),
    ("marraskuuta", "marraskuu", "studenoga", "studeni", "lapkričio", "novembris", "نوفمبر", "नवंबर", "नवम्बर",
     "נובמבר", "בנובמבר"),
    ("déc", "dic", "dez", "des", "joulukuuta", "joulukuu", "prosinca", "gruodžio", "decembris", "detsember",
     "ديسمبر", "desembre", "दिसंबर", "दिसम्बर", "דצמבר", "בדצמבר"),
)
# More month names read only in visible datelines, as news sites of other countries print them: Levantine and
# Iraqi Arabic ("7 حزيران 2020", "تشرين الأول"), Maghreb Arabic (Algeria and Tunisia "جوان", Morocco "يوليوز"),
# Egyptian variants, Persian and Urdu names of the Gregorian months ("۷ ژوئن ۲۰۲۰", "07 جون 2020"), Bengali,
# Marathi, Nepali, Tamil, Slovenian, Serbian and Macedonian Cyrillic, Belarusian, Kazakh, Azerbaijani, Uzbek,
# Georgian, Armenian (genitive), Latvian locatives ("jūnijā"), Icelandic, Tagalog ("Hunyo 7, 2020"), Malay ("4 Mac 2019"),
# Swahili ("Machi 4, 2019") and Greek nominatives and abbreviations
# ("Κυριακή, 7 Ιουν 2020"). Their digits may be the script's own (`dates._ascii_digits`). The Levantine "آب"
# (August) is read, its spelling without madda "اب" ("father") is not.
WORLD_MONTH_NAMES = (
    ("كانون الثاني", "janvārī", "جانفي", "ژانویه", "جنوری", "জানুয়ারি", "জানুয়ারী", "जानेवारी", "ஜனவரி", "januarja",
     "јануар", "јануара", "јануари", "студзеня", "студзень", "қаңтар", "yanvar", "იანვარი", "հունվարի", "janúar",
     "enero", "ιανουάριος", "ιαν"),
    ("شباط", "februārī", "فيفري", "فبراير", "فوریه", "فروری", "ফেব্রুয়ারি", "ফেব্রুয়ারী", "फेब्रुवारी", "फेब्रुअरी", "பிப்ரவரி",
     "februarja", "фебруар", "фебруара", "февруари", "лютага", "люты", "ақпан", "fevral", "თებერვალი",
     "փետրվարի", "febrúar", "pebrero", "φεβρουάριος", "φεβ"),
    ("آذار", "martā", "اذار", "مارچ", "মার্চ", "मार्च", "மார்ச்", "marec", "марта", "сакавіка", "сакавік", "наурыз",
     "mart", "მარტი", "մարտի", "marso", "μάρτιος", "μαρ", "mac", "machi"),
    ("نيسان", "aprīlī", "أفريل", "افريل", "ابريل", "آوریل", "اپریل", "এপ্রিল", "एप्रिल", "अप्रिल", "ஏப்ரல்", "aprila", "април",
     "априла", "красавіка", "красавік", "сәуір", "aprel", "აპრილი", "ապրիլի", "apríl", "abril", "απρίλιος", "απρ", "aprili"),
    ("أيار", "maijā", "ايار", "ماي", "مه", "مئی", "মে", "मे", "மே", "мај", "маја", "мая", "мамыр", "მაისი", "մայիսի",
     "maí", "mayo", "μάιος", "μαΐ", "μαϊ"),
    ("حزيران", "jūnijā", "جوان", "ژوئن", "جون", "জুন", "जुन", "ஜூன்", "junij", "junija", "јун", "јуна", "јуни",
     "чэрвеня", "чэрвень", "маусым", "iyun", "ივნისი", "հունիսի", "júní", "hunyo", "ιούνιος", "ιουν"),
    ("تموز", "jūlijā", "جويلية", "يوليوز", "يوليه", "ژوئیه", "ژوییه", "جولائی", "জুলাই", "जुलै", "ஜூலை", "julij", "julija",
     "јул", "јула", "јули", "ліпеня", "ліпень", "шілде", "iyul", "ივლისი", "հուլիսի", "júlí", "hulyo",
     "ιούλιος", "ιουλ", "julai"),
    ("آب", "augustā", "أوت", "اوت", "غشت", "اگست", "আগস্ট", "ऑगस्ट", "अगस्ट", "ஆகஸ்ட்", "avgusta", "август", "августа",
     "жніўня", "жнівень", "тамыз", "avqust", "avgust", "აგვისტო", "օգոստոսի", "ágúst", "agosto", "αύγουστος",
     "αυγ", "ogos", "agosti"),
    ("أيلول", "septembrī", "ايلول", "شتنبر", "سپتامبر", "ستمبر", "সেপ্টেম্বর", "सप्टेंबर", "सेप्टेम्बर", "செப்டம்பர்", "septembra",
     "септембар", "септембра", "верасня", "верасень", "қыркүйек", "sentyabr", "sentabr", "სექტემბერი",
     "սեպտեմբերի", "setyembre", "σεπτέμβριος", "σεπ", "σεπτ", "septemba"),
    ("تشرين الأول", "oktobrī", "تشرين الاول", "اکتبر", "اکتوبر", "অক্টোবর", "ऑक्टोबर", "अक्टोबर", "அக்டோபர்", "oktobra",
     "октобар", "октобра", "кастрычніка", "кастрычнік", "қазан", "oktyabr", "oktabr", "ოქტომბერი", "հոկտեմբերի",
     "október", "oktubre", "οκτώβριος", "οκτ", "oktoba"),
    ("تشرين الثاني", "novembrī", "نونبر", "نوامبر", "نومبر", "নভেম্বর", "नोव्हेंबर", "नोभेम्बर", "நவம்பர்", "novembra",
     "новембар", "новембра", "лістапада", "лістапад", "қараша", "noyabr", "ნოემბერი", "նոյեմբերի", "nóvember",
     "nobyembre", "νοέμβριος", "νοε", "νοεμ", "novemba"),
    ("كانون الأول", "decembrī", "كانون الاول", "دجنبر", "دسامبر", "دسمبر", "ডিসেম্বর", "डिसेंबर", "डिसेम्बर", "டிசம்பர்",
     "decembra", "децембар", "децембра", "снежня", "снежань", "желтоқсан", "dekabr", "დეკემბერი", "դեկտեմբերի",
     "desember", "disyembre", "δεκέμβριος", "δεκ", "disember", "desemba"),
)
# UTC offsets (hours) of the time-zone abbreviations bylines print after a time ("01:30 AM IST", "14:30 WIB",
# "10:30 p.m. ET"), every one an abbreviation may stand for: the page's time in UTC is shown in the zone whose
# offset gives the printed wall time to the minute (`dates._shown_zone`), so "IST" (India, Israel, Ireland),
# "CST" (US Central, China) or "ET" (standard or daylight time) is never guessed.
ZONE_ABBREVIATIONS: dict[str, tuple[float, ...]] = {
    "UTC": (0,), "GMT": (0,), "WET": (0,), "WEST": (1,), "BST": (1, 6), "IST": (5.5, 2, 3, 1), "CET": (1,),
    "CEST": (2,), "MEZ": (1,), "MESZ": (2,), "EET": (2,), "EEST": (3,), "MSK": (3,), "WAT": (1,), "CAT": (2,),
    "EAT": (3,), "SAST": (2,), "TRT": (3,), "GST": (4,), "PKT": (5,), "NPT": (5.75,), "BDT": (6,), "ICT": (7,),
    "WIB": (7,), "WITA": (8,), "WIT": (9,), "SGT": (8,), "MYT": (8,), "PHT": (8,), "PST": (-8, 8), "HKT": (8,),
    "AWST": (8,), "JST": (9,), "KST": (9,), "ACST": (9.5,), "ACDT": (10.5,), "AEST": (10,), "AEDT": (11,),
    "NZST": (12,), "NZDT": (13,), "ET": (-5, -4), "EST": (-5,), "EDT": (-4,), "CT": (-6, -5), "CST": (-6, 8),
    "CDT": (-5,), "MT": (-7, -6), "MST": (-7,), "MDT": (-6,), "PT": (-8, -7), "PDT": (-7,), "AKST": (-9,),
    "AKDT": (-8,), "HST": (-10,), "AST": (-4, 3), "ADT": (-3,), "NST": (-3.5,), "BRT": (-3,), "ART": (-3,),
}
# Khmer and Burmese (Myanmar) names of the Gregorian months, as Cambodian and Myanmar news sites print them
# ("ថ្ងៃទី ១២ ខែមិថុនា ឆ្នាំ ២០២៤": day 12, month June, year 2024; "၁၂ ဇွန် ၂၀၂၄", "ဇွန် ၁၂၊ ၂၀၂၄"), digits of
# their own script read as ASCII ones (`dates._ascii_digits`). Burmese August is spelt three ways.
KHMER_MONTH_NAMES = (("មករា",), ("កុម្ភៈ", "កុម្ភះ"), ("មីនា",), ("មេសា",), ("ឧសភា",), ("មិថុនា",), ("កក្កដា",),
                     ("សីហា",), ("កញ្ញា",), ("តុលា",), ("វិច្ឆិកា",), ("ធ្នូ",))
MYANMAR_MONTH_NAMES = (("ဇန်နဝါရီ",), ("ဖေဖော်ဝါရီ",), ("မတ်",), ("ဧပြီ",), ("မေ",), ("ဇွန်",), ("ဇူလိုင်",),
                       ("ဩဂုတ်", "သြဂုတ်", "ဂုတ်"), ("စက်တင်ဘာ",), ("အောက်တိုဘာ",), ("နိုဝင်ဘာ",), ("ဒီဇင်ဘာ",))
# Thai month names and abbreviations, read in datelines too; a Thai year is the Buddhist era's ("4 มีนาคม 2562"),
# read by a form of its own (`dates._VISIBLE_DATES`).
THAI_MONTH_NAMES = (("มกราคม", "ม.ค."), ("กุมภาพันธ์", "ก.พ."), ("มีนาคม", "มี.ค."), ("เมษายน", "เม.ย."),
                    ("พฤษภาคม", "พ.ค."), ("มิถุนายน", "มิ.ย."), ("กรกฎาคม", "ก.ค."), ("สิงหาคม", "ส.ค."),
                    ("กันยายน", "ก.ย."), ("ตุลาคม", "ต.ค."), ("พฤศจิกายน", "พ.ย."), ("ธันวาคม", "ธ.ค."))
# Month names and abbreviations that are also English words: not read as a month between a year and a day
# (`dates._VISIBLE_DATES`, year first), where "Tokyo 2020 set 5 world records" would be 5 September.
ENGLISH_WORD_MONTHS = frozenset({"set", "out", "ago", "may", "mag", "gen", "des"})
# A block of plain text (no heading, no headline class) is the headline only when its words are this share
# of the <title>'s: "Aidy recalls big guns" of "Aidy Recalls Big Guns (from Harrow Times)", not "Sport : Rugby"
# of "Bulls, Jones pursue talks: Sport: Rugby: News24" (metadata.visible_headline).
HEADLINE_BLOCK_TITLE_SHARE = 0.4
# A page that names its headline in no heading and no <title> shows it as the emphasized line nearest above
# the story, among this many lines there: a date, byline and agency line may come between
# (metadata._line_above_story).
HEADLINE_LINES_ABOVE_STORY = 4
# Day names, to tell a heading that is only a date ("Tuesday January 15") from a headline.
WEEKDAY_NAMES = frozenset({
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "montag", "dienstag", "mittwoch", "donnerstag", "freitag",
    "samstag", "sonntag", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lunes",
    "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"})
# The Solar Hijri months Iranian and Afghan publishers print their dates in ("2 تیر 1399"), in the
# Persian spelling (Arabic ي and ك are read as ی and ک first).
PERSIAN_MONTH_NAMES = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی",
                       "بهمن", "اسفند")
# Relative dates a page prints under its headline when rendered ("3 hours ago", "vor 2 Stunden", "il y a 3 jours",
# "hace 5 minutos", "3시간 전", "2 時間前", "منذ 3 ساعات"): an amount (`n`, a number or "a"/"ein"/"une" for one,
# none in Arabic) and a unit (`u`). Only a time of fetch can date them (`extract(..., fetched_at=...)`):
# without one, or in days and longer, they give no date (`dates._relative_after`), never htmldate's guess.
RELATIVE_DATE = re.compile(
    r"(?<!\w)(?:(?P<n>\d{1,3}|an?|one)\s*(?P<u>sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?)"
    r"\s+ago\b"
    r"|vor\s+(?P<n2>\d{1,3}|einer?|einem)\s+(?P<u2>sekunden?|minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?)\b"
    r"|il\s+y\s+a\s+(?P<n3>\d{1,3}|une?)\s+(?P<u3>secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)\b"
    r"|(?:hace|h[áa])\s+(?P<n4>\d{1,3}|una?)\s+(?P<u4>segundos?|minutos?|horas?|d[íi]as?|semanas?|mes(?:es)?|años?|anos?)\b"
    r"|(?P<n5>\d{1,3}|una?|un)\s+(?P<u5>second[oi]|minut[oi]|or[ae]|giorn[oi]|settiman[ae]|mes[ei]|ann[oi])\s+fa\b"
    r"|(?P<n6>\d{1,3}|een)\s+(?P<u6>seconden?|minuten?|uur|dagen?|weken?|maanden?|jaar|jaren)\s+geleden\b"
    r"|(?P<n7>\d{1,3})\s+(?P<u7>секунд\w*|минут\w*|час\w*|дн(?:я|ей)|день|недел\w*|хвилин\w*|годин\w*|сутки)\s+назад"
    r"|(?P<n8>\d{1,3})\s+(?P<u8>sekund\w*|minut\w*|godzin\w*|dni|dzień|tygodni\w*)\s+temu\b"
    r"|(?P<n9>\d{1,3})\s+(?P<u9>saniye|dakika|saat|gün|hafta|ay|yıl)\s+önce\b"
    r"|(?P<n10>\d{1,3})\s+(?P<u10>detik|menit|minit|jam|hari|minggu|bulan|tahun)\s+(?:yang\s+)?lalu\b"
    r"|(?P<n11>\d{1,3})\s+(?P<u11>giây|phút|giờ|ngày|tuần|tháng|năm)\s+trước\b"
    r"|منذ\s+(?P<n12>\d{1,3})?\s*(?P<u12>ثوان[يٍ]?|ثانية|دقائق|دقيقتين|دقيقة|ساعات|ساعتين|ساعة|أيام|يومين|يوم|أسابيع|أسبوع|أشهر|شهر|سنة)"
    r"|(?P<n13>\d{1,3})\s*(?P<u13>秒|分钟|分鐘|分|小时|小時|時間|天|日|周|週|个月|個月|か月|ヶ月|年)\s*前"
    r"|(?P<n14>\d{1,3})\s*(?P<u14>초|분|시간|일|주|개월|년)\s*전)", re.I)
# Units whose amount a fetch time dates to the minute, with their seconds; every other unit (days, weeks, ...)
# leaves the day open (a day's boundary is the site's zone's, which the page does not give).
RELATIVE_CLOCK_UNITS = (
    (re.compile(r"sec|sek|seg|секунд|saniye|detik|giây|ثوان|ثانية|秒|초", re.I), 1),
    (re.compile(r"min|минут|хвилин|dakika|menit|phút|دقي|دقائق|分|분", re.I), 60),
    (re.compile(r"hours?$|hrs?$|stunden?$|heures?$|horas?$|or[ae]$|uur$|час|годин|godzin|saat$|jam$|giờ|ساع|小时|小時|時間|시간",
                re.I), 3600),
)
# "Yesterday, 14:05", "gestern, 14:05 Uhr", "hier à 14h05", "昨天 14:05", "Today" alone: a day only the site's zone
# dates; read as a relative date when a time follows the word or the word is the whole line.
RELATIVE_DAY = re.compile(
    r"(?<!\w)(?:yesterday|today|gestern|heute|hier|aujourd'hui|ayer|hoy|ontem|hoje|ieri|oggi|gisteren|vandaag|"
    r"вчера|сегодня|учора|сьогодні|wczoraj|dzisiaj|dün|bugün|kemarin|hari ini|hôm qua|hôm nay|أمس|اليوم|"
    r"昨天|今天|昨日|今日|어제|오늘)(?:\W{0,3}(?:(?:um|à|at|a las|alle|om|в|o|saat|pukul|lúc)\s+)?\d{1,2}[:.h時]\d{2}|\W*$)",
    re.I)
# "just now": no amount, a time of fetch itself.
RELATIVE_NOW = re.compile(r"^\W*(?:just now|gerade eben|à l'instant|ahora mismo|agora mesmo|刚刚|剛剛|方才|방금)\W*$", re.I)
# A lunar Hijri date ("24 شوال 1445 هـ"): its Gregorian day hangs on the moon's sighting (a day either way
# between countries and calendars), so a header printing only such a date gives no date (`dates._relative_after`).
HIJRI_DATE = re.compile(
    r"(?:محرم|صفر|ربيع\s+(?:الأول|الاول|الآخر|الثاني)|جمادى\s+(?:الأولى|الاولى|الآخرة|الاخرة|الثانية)|رجب|شعبان|رمضان|شوال|"
    r"ذو\s+القعدة|ذو\s+الحجة|ذي\s+القعدة|ذي\s+الحجة)\s*,?\s*1[34]\d\d(?!\d)|(?<!\d)1[34]\d\d\s*(?:هـ|ه\.ق|ھ)")
# A Bikram Sambat date, Nepal's official calendar ("२०८१ असार १५", "असार १५, २०८१": year 2081, month Asar, day
# 15, which is 2024-06-29): its months are 29 to 32 days long by a table the government fixes year by year, so no
# rule converts it; a header printing only such a date gives no date (`dates._relative_after`), not a related
# story's day. Years 2050 to 2099 (1993 to 2043) beside a month's name, either spelling.
_BS_MONTH = (r"(?:बैशाख|वैशाख|जेठ|जेष्ठ|ज्येष्ठ|असार|आषाढ|साउन|श्रावण|भदौ|भाद्र|असोज|आश्विन|कात्तिक|कार्तिक|मंसिर|मङ्सिर|"
             r"मार्ग|पुस|पौष|माघ|फागुन|फाल्गुन|चैत|चैत्र)")
BIKRAM_SAMBAT_DATE = re.compile(
    rf"(?<!\d)20[5-9]\d\s*(?:साल\s*)?,?\s*{_BS_MONTH}|{_BS_MONTH}\s*\d{{1,2}}\s*,?\s*20[5-9]\d(?!\d)|"
    rf"(?<!\d)\d{{1,2}}\s*(?:गते\s*)?{_BS_MONTH}\s*,?\s*20[5-9]\d(?!\d)")

# An events or stories listing (`dates._listing_after`): blocks after the headline read, nodes of each read.
LISTING_BLOCKS = 30
LISTING_BLOCK_NODES = 200
# A name alone under the headline with the date under it (`authors._name_over_date`): elements read after the
# headline, and the name's element's length at most.
NAME_OVER_DATE_NODES = 40
NAME_OVER_DATE_CHARS = 80
NAME_OVER_DATE_LINKS = 5_000  # the page's links compared with the name at most (`authors._a_menu_link`)
# Regions of the countries whose sites print a dateline's place where a byline goes ("By Texas", "<div>New Jersey
# </div>" under the headline): the states of the US, Australia and India, Canada's provinces and territories, the
# United Kingdom's nations, Germany's and Austria's states (in English). Neither the time-zone database (cities) nor
# babel (countries) names them; `authors._only_a_place` refuses a credit that is nothing but one of them or those.
REGION_NAMES = frozenset(s.casefold() for s in (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
    "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
    "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma",
    "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
    "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "District of Columbia",
    "Washington D.C.", "Washington DC", "Puerto Rico",
    "Alberta", "British Columbia", "Manitoba", "New Brunswick", "Newfoundland and Labrador", "Nova Scotia", "Ontario",
    "Prince Edward Island", "Quebec", "Québec", "Saskatchewan", "Northwest Territories", "Nunavut", "Yukon",
    "New South Wales", "Victoria", "Queensland", "South Australia", "Western Australia", "Tasmania",
    "Northern Territory", "Australian Capital Territory",
    "England", "Scotland", "Wales", "Northern Ireland",
    "Andhra Pradesh", "Arunachal Pradesh", "Assam", "Bihar", "Chhattisgarh", "Goa", "Gujarat", "Haryana",
    "Himachal Pradesh", "Jharkhand", "Karnataka", "Kerala", "Madhya Pradesh", "Maharashtra", "Manipur", "Meghalaya",
    "Mizoram", "Nagaland", "Odisha", "Punjab", "Rajasthan", "Sikkim", "Tamil Nadu", "Telangana", "Tripura",
    "Uttar Pradesh", "Uttarakhand", "West Bengal", "Jammu and Kashmir", "Delhi", "New Delhi",
    "Bavaria", "Baden-Württemberg", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hesse", "Lower Saxony",
    "Mecklenburg-Vorpommern", "North Rhine-Westphalia", "Rhineland-Palatinate", "Saarland", "Saxony",
    "Saxony-Anhalt", "Schleswig-Holstein", "Thuringia", "Bayern", "Hessen", "Niedersachsen", "Nordrhein-Westfalen",
    "Rheinland-Pfalz", "Sachsen", "Sachsen-Anhalt", "Thüringen", "Burgenland", "Carinthia", "Kärnten",
    "Niederösterreich", "Oberösterreich", "Salzburg", "Steiermark", "Styria", "Tirol", "Tyrol", "Vorarlberg", "Wien",
    "Vienna",
))
# A Chinese, Japanese or Korean name printed alone under the headline (`authors._cjk_name_alone`): its first
# character (Chinese, Korean) or first two (Japanese) are a common surname, it is two to four characters long, and its
# last is none a desk's, section's or office's name ends with ("社会部", "사회부", "国际台").
CJK_SURNAMES_HAN = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林罗羅高郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖萧蕭田董袁潘"
    "蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閻段雷侯龙龍"
    "史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯")
CJK_SURNAMES_JA = frozenset((
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "渡邊", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木",
    "山口", "松本", "井上", "木村", "清水", "林", "山崎", "斎藤", "斉藤", "森", "池田", "橋本", "阿部", "石川", "山下",
    "中島", "石井", "小川", "前田", "岡田", "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本", "斉藤",
    "福田", "太田", "西村", "藤井", "金子", "岡本", "藤原", "中野", "三浦", "原田", "中川", "松田", "竹内", "小野",
    "田村", "中山", "和田", "石田", "森田", "上田", "原", "柴田", "酒井", "工藤", "横山", "宮崎", "宮本", "内田",
    "高木", "安藤", "谷口", "大野", "丸山", "今井", "高田", "藤本", "武田", "村田", "上野", "杉山", "増田", "平野",
    "大塚", "千葉", "久保", "松井", "小島", "岩崎", "桜井", "野口", "松尾", "野村", "木下", "菊地", "佐野", "大西",
    "杉本", "新井", "浜田", "菅原", "市川", "水野", "小松", "島田", "古川", "小山", "高野", "西田", "菊池", "山内",
    "西川", "五十嵐", "北村", "安田", "中田", "川口", "平田", "川崎", "飯田", "吉川", "本田", "久保田", "沢田", "辻",
    "関", "吉村", "渡部", "岩田", "中西", "服部", "樋口", "福島", "川上", "永井", "松岡", "田口", "山中", "森本",
    "土屋", "矢野", "広瀬", "秋山", "石原", "松下", "大橋", "松浦", "吉岡", "小池", "馬場", "浅野", "荒木", "大久保",
    "野田", "小沢", "田辺", "川村", "星野", "黒田", "堀", "尾崎", "望月", "永田", "熊谷", "内藤", "松村", "西山",
    "大谷", "平井", "大島", "岩本", "片山", "本間", "早川", "横田", "岡崎", "荒井", "大石", "鎌田", "成田", "宮田",
    "小田", "石橋", "篠原", "須藤", "河野", "大沢", "小西", "南", "高山", "栗原", "伊東", "松原", "三宅", "福井",
    "大森", "奥村", "岡", "内山", "片岡",
))
CJK_SURNAMES_KO = frozenset("김이박최정강조윤장임한오서신권황안송류유홍전고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈동온호범좌팽승간상갈")
CJK_LABEL_ENDINGS = frozenset("部局課科室社報版面組班団團会會院省庁廳所网網台臺站刊誌界圏圈県縣市区區都府道州国國党黨队隊团"
                              "부팀국과실단면판계권청원처소사")
# Dates before this year are placeholders ("0001-01-01", "1970-01-01").
MIN_YEAR = 1995

# schema.org types whose object describes the article itself (lower case).
ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
    "socialmediaposting", "report", "scholarlyarticle", "techarticle", "advertisercontentarticle",
    "satiricalarticle", "askpublicnewsarticle", "posting", "discussionforumposting", "review",
    "videoobject", "webpage", "itempage", "medicalwebpage", "creativework", "blog", "newsmediaorganization",
})
# Types ranked: a NewsArticle beats a WebPage that happens to carry a headline too.
TYPE_RANK = {
    "newsarticle": 0, "reportagenewsarticle": 0, "analysisnewsarticle": 0, "opinionnewsarticle": 0,
    "reviewnewsarticle": 0, "backgroundnewsarticle": 0, "askpublicnewsarticle": 0,
    "article": 1, "blogposting": 1, "liveblogposting": 1, "socialmediaposting": 1, "report": 1,
    "scholarlyarticle": 1, "techarticle": 1, "advertisercontentarticle": 1, "satiricalarticle": 1,
    "posting": 2, "discussionforumposting": 2, "review": 2, "videoobject": 3, "creativework": 3,
    "webpage": 4, "itempage": 4, "medicalwebpage": 4,
}
# An article object (of rank LD_STORY_RANK or better) whose headline the page does not print, beside one whose
# headline it prints, is another story's (`metadata._other_stories`): "printed" is this share of the
# headline's words (of its first LD_HEADLINE_CHARS characters) in the <title>, og:title or an <h1>.
LD_STORY_RANK = 2
LD_HEADLINE_SHOWN = 0.8
LD_HEADLINE_CHARS = 500

# Meta tags, by priority, for each field (name/property/itemprop compared lower-cased).
META_TITLE = ("og:title", "twitter:title", "sailthru.title", "parsely-title", "dc.title", "title",
              "headline")
META_PUBLISHED = (
    "article:published_time", "article:published", "og:article:published_time", "datepublished",
    "parsely-pub-date", "sailthru.date", "publish-date", "publish_date", "published_time", "pubdate",
    "publishdate", "dc.date.issued", "dcterms.created", "dc.date.created", "dcterms.date", "dc.date",
    "date", "article.published", "article_date_original", "original-publish-date", "datecreated",
    "cxenseparse:recs:publishtime", "publication_date", "release_date", "citation_publication_date",
    "og:pubdate", "bt:pubdate", "article.created", "dateposted",
)
# Meta tags whose content is JSON holding the published date (`dates._other_meta_published`), read up to
# this many characters.
META_JSON_PUBLISHED = {"parsely-page": "pub_date"}
META_JSON_CHARS = 20_000
META_UPDATED = (
    "article:modified_time", "og:updated_time", "datemodified", "article:modified", "last-modified",
    "dcterms.modified", "dc.date.modified", "lastmod", "article.updated", "modified_time",
    "bt:moddate",
)
META_AUTHOR = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
               "dcterms.creator", "byl", "citation_author", "twitter:creator:name", "cxenseparse:author")
META_SITE = ("og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher",
             "copyright")

# Visible byline containers (class/id/itemprop/rel); checked only when structured data has no person.
BYLINE_CONDITION = (
    '@rel="author" or @itemprop="author"'
    ' or contains(concat(" ", normalize-space(@class), " "), " byline ")'
    ' or contains(@class, "byline__") or contains(@class, "author-name") or contains(@class, "authorName")'
    ' or contains(@class, "article__author") or contains(@class, "article-author")'
    ' or contains(@class, "c-byline") or contains(@class, "author__name") or contains(@class, "byline-name")'
    ' or @class="author" or contains(@class, "entry-author") or contains(@class, "post-author")'
    ' or contains(@id, "byline")'
)
# Every branch of the condition needs one of these substrings: a cheap first pass over the page. Asked
# of the attributes, then their elements: the same elements, in document order, in 0.42 ms a page where
# `//*[@rel="author" or ...]` took 0.90 (aeb, fundus and l3s: libxml2 tests each element's predicate).
BYLINE_PREFILTER = ('(//@class[contains(., "uthor") or contains(., "byline")] | //@id[contains(., "byline")]'
                    ' | //@rel[. = "author"] | //@itemprop[. = "author"])/..')

# Words in a class or id that name an element holding a byline ("story-author__name", "c-Byline",
# "writer"); read only right after the headline (`authors._names_a_byline`).
BYLINE_CLASS_WORDS = ("uthor", "byline", "Byline", "writer")
# How much text after the headline a byline may follow: a deck, a photo's caption and the date fit.
BYLINE_WINDOW_CHARS = 600
# ... and the walk stops at the second text of prose (one of HEADER_PROSE_CHARS or more) after the first
# byline element: a short story's end is within that window, and the teasers under it carry their own
# bylines. (A deck and a photo caption may come before the byline.)
BYLINE_PROSE_STOP = 2
# Links to an author's page ("/author/jane-doe", "/autoren/...") after the headline are bylines.
# ("/people/" is no such path: thehill.com links the politicians a story names there.)
AUTHOR_HREF = re.compile(r"/(?:authors?|autor(?:en|in)?|auteurs?|autores?|journalists?|reporters?|staff|"
                         r"columnists?|writers?|redakteur(?:e|in)?)/[\w.%-]+/?$", re.I)
# At most this many byline elements are read there (the most on a dev page: 7, three names, three
# avatars and a date); their ancestors are looked at, so the bound keeps a hostile page linear.
BYLINE_MAX_ELEMENTS = 24
# A person's role printed beside the name in a byline with no markup and no "By" ("Nadia Brooks | Reporter",
# "Jane Doe / Senior Correspondent", `authors._name_and_role`).
BYLINE_ROLE = re.compile(
    r"(?:(?:senior|chief|staff|special|political|foreign|sports?|business|contributing|deputy|associate|managing|"
    r"news|city|investigative|data|science|health|education|court|crime|local|freelance|guest)\s+){0,2}"
    r"(?:reporter|correspondent|writer|editor|columnist|contributor|journalist|redakteur(?:in)?|"
    r"korrespondent(?:in)?|reporterin|journaliste|rédact(?:eur|rice)|periodista|redactora?|giornalista|"
    r"corrispondente|redatt(?:ore|rice))s?", re.I)
# A byline told only by its first word ("By Jane Roe", "Von Anna Muster") is shorter than this.
BYLINE_TEXT_CHARS = 120

# A field's label naming the author in a labelled field list ("<li><strong>Autorin/Autor</strong> Jane Doe</li>",
# "<dt>Author</dt><dd>...</dd>", "Author: Jane Doe" beside "Date: ..." and "Keywords: ..."), read below the story.
AUTHOR_FIELD_LABEL = re.compile(r"^\s*(?:authors?|autor(?:in|en|innen|a|as|e|es|i)?|auteure?s?|auteur\(e\)s?|"
                                r"forfatter|författare|tekst|texto?|texte)"
                                r"(?:\s*/\s*autor(?:in|a|e)?)?\s*:?\s*$", re.I)
# The label of Yoast SEO's author pair of Twitter card metas (`twitter:label1` / `twitter:data1`) in the
# languages it is translated to.
WRITTEN_BY_LABEL = re.compile(r"written by|verfasst von|geschrieben von|[ée]crit par|escrito por|scritto da|"
                              r"geschreven door|napisane przez|skrevet af|skrevet av|skrivet av|kirjoittanut|"
                              r"escrit per|napisao|napsal|írta|yazan", re.I)
# A field of such a list: a short label, then its value ("Datum", "Keywords:", "Themenseiten").
FIELD_LABEL_CHARS = 30
# A credit paragraph (a name alone in bold, printed as the story's first or last paragraph): the story's
# paragraphs beside it are prose of this many characters or more, at least CREDIT_PROSE_SIBLINGS of them.
CREDIT_PROSE_CHARS = 100
CREDIT_PROSE_SIBLINGS = 2
# At most this many short paragraphs (a deck, a kicker) stand before it, or after it at the story's end.
CREDIT_EDGE_PARAGRAPHS = 3
# Words of a page's furniture printed in bold at a story's edge ("Share This Story", "Top Stories", "Mehr
# Zum Thema"): a line holding one is no credit. Not words that are common surnames ("Page", "More", "Home").
CREDIT_NOT_NAME_WORDS = frozenset({
    "share", "this", "story", "stories", "top", "latest", "next", "previous", "print", "comments",
    "comment", "tags", "topics", "related", "advertisement", "sign", "log", "login", "watch", "video", "photo",
    "photos", "gallery", "listen", "download", "click", "here", "mehr", "zum", "thema", "teilen",
    "lesen", "weitere", "artikel", "partager", "lire", "aussi", "compartir", "leer", "también", "update",
    "breaking", "live", "exclusive", "opinion", "analysis", "editorial", "sponsored", "source", "sources",
    # a box's or a closing section's heading in capitals as names are ("Key Takeaways", "About The Author",
    # "Fact Box", "Final Thoughts", "Über den Autor", "En bref"), and words no name is made of
    "about", "author", "authors", "takeaways", "highlights", "summary", "conclusion", "conclusions", "final",
    "thoughts", "bottom", "fact", "facts", "note", "notes", "background", "overview", "contact", "information",
    "info", "disclaimer", "correction", "corrections", "timeline", "verdict", "the", "of", "for", "to", "in",
    "on", "with", "what", "how", "why", "our", "your", "über", "autor", "autorin", "fazit", "hintergrund",
    "kommentar", "zusammenfassung", "kontakt", "hinweis", "quelle", "propos", "bref", "résumé", "savoir",
    "sobre", "resumen", "contacto", "nota", "más",
})

# News agencies: credited as organisations, never as people.
AGENCIES = frozenset(s.casefold() for s in (
    "ap", "afp", "dpa", "reuters", "associated press", "the associated press", "bloomberg", "upi",
    "epd", "kna", "apa", "sid", "ansa", "efe", "ddp", "tt", "ntb", "ritzau", "belga", "anp", "pap",
    "ctk", "mti", "xinhua", "tass", "ria novosti", "interfax", "pti", "ians", "ani", "aap",
    "agence france-presse", "agence france presse", "dpa-afx", "afp/dpa", "deutsche presse-agentur",
))
# Organisations, wires and non-names that show up in author fields but are not people.
AUTHOR_STOPWORDS = AGENCIES | frozenset(s.casefold() for s in (
    "cnn", "bbc", "bbc news", "staff", "staff writer", "staff reporter", "editor", "editors", "redaktion",
    "admin", "administrator", "guest", "newsroom", "news desk", "web desk", "online desk", "desk",
    "agencies", "agency", "agenturen", "agentur", "the editors", "editorial board", "editorial staff", "team", "press release", "wire",
    "wire services", "news service", "ots", "red.", "red", "author", "authors", "by", "von",
    "anonymous", "unknown", "none", "null", "facebook", "twitter", "instagram", "linkedin",
))
# Bylines of other languages (session 39): "by" words no name starts with (Arabic "بقلم", Thai "โดย", Hebrew "מאת"),
# Chinese and Japanese "作者" / "记者" / "記者" before the name, and labels read only with their colon or dash,
# since a name or a sentence may start with the word ("Oleh" is a Ukrainian first name and Indonesian "by";
# Arabic "كتب" is "wrote"): Russian "Автор:", Turkish "Yazar:", Indonesian "Penulis:", Vietnamese "Tác giả:",
# Hindi "लेखक:", Persian "نویسنده:", Hungarian "Szerző:", Finnish "Teksti:", Serbian "Piše:".
_BY_WORDS = r"(?:بقلم|โดย|מאת)\b\s*[:\-–]?"
_BY_CJK = r"(?:作者|记者|記者|撰文)\s*"
_BY_LABELS = (r"(?:автор|текст|yazar|oleh|penulis|szerző|teksti|kirjoittaja|avtor|autors|autorius|piše|пише|كتبت?|إعداد"
              r"|نویسنده|نوشته|लेखक|tác giả)\s*[:：\-–]")
# A date label printed right after a byline's name, no separator between ("By Jane Doe Published March 4, 2019",
# "Von Anna Muster Aktualisiert am ..."): the name ends there (`authors.clean_name`, visible bylines only).
BYLINE_DATE_LABEL = re.compile(
    r"\s+(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)|veröffentlicht|aktualisiert|publié|mis à jour"
    r"|publicado|actualizado|atualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt)\b", re.I)
# A contact or follow button's label printed right after a byline's name ("By Jane Doe email", "By Jane Doe
# Twitter", "Jane Doe Follow", "Von Anna Muster E-Mail"): the name ends there (`authors.clean_name`, visible only).
BYLINE_CONTACT_LABEL = re.compile(
    r"\s+(?:e-?mail|mail|twitter|facebook|linkedin|instagram|bluesky|threads|follow|contact|rss|bio|profile"
    r"|view\s+profile|more\s+(?:stories|articles)|folgen|kontakt|suivre|contacter|seguir|contactar|correo)"
    r"(?:\W.*)?$", re.I)
AUTHOR_PREFIX = re.compile(
    r"^\s*(?:(?:(?:written|reported|posted|text|photos?|fotos?|interview|story|words|"
    r"(?:ein\s+|eine\s+)?(?:kommentar|analyse|analysis|commentary|essay|gastbeitrag|kolumne|column|review|rezension))\s+)?"
    r"(?:by|von|par|por|di|da|door|av|af|przez|autor(?:in|a|e)?|author|auteur|text|texte|texto|tekst|und|and)\b"
    rf"\s*[:\-–]?|{_BY_WORDS}|{_BY_CJK}[:：・]?|{_BY_LABELS})\s*",
    re.I,
)
# An element whose own text starts "By", "Von", "Par" ...: a byline printed without any markup naming it.
# Narrower than AUTHOR_PREFIX: "di", "da", "und", "and", "text" start ordinary lines too.
# A label with its colon ("Author: Jane Doe", "Autor: ...", "Auteur : ...", "Texto: ...") starts one too. The CJK
# words need a separator after them: "記者会見" is a press conference.
BY_START = re.compile(r"\s*(?:(?:(?:written|reported|story|words)\s+)?(?:by|von|par|por|door|av|af|przez)\b\s*[:\-–]?"
                      r"|(?:author|autor(?:in|a|e)?|auteur|texto?|texte|tekst)\s*:"
                      rf"|{_BY_WORDS}|{_BY_CJK}[:：・\s]|{_BY_LABELS})\s*(?:\w|$)", re.I)
AUTHOR_JUNK = re.compile(
    r"(?:e-?mail|follow|twitter|facebook|instagram|linkedin|contact|profile|view all|more from|"
    r"read more|articles|posts by|subscribe|updated|published|minutes? read|min read|correspondent|"
    r"korrespondent|redakteur|\beditor\b|reporter|\bwriter\b|\bcolumnist\b|@|https?:|www\.|\d{3,})",
    re.I,
)

# Paragraph-level boilerplate that survives DOM cleaning (whole-line matches, case-insensitive).
BOILERPLATE_LINE = re.compile(
    r"^\s*(?:(?:advertisement|advertising|anzeige|werbung|publicité)(?: \d{1,3})?|sponsored( content)?|"
    r"read more|read next|read also|also read|see also|related( articles?| stories| content)?|"
    r"more from .{0,40}|latest news|top stories|most read|trending( now)?|recommended( for you)?|"
    r"share( this( article| story)?)?( on .{0,20})?|share via.*|tweet|email|print|copy link|"
    r"sign up(?: .{0,120})?|subscribe(?: .{0,120})?|log ?in|register|newsletter.{0,80}|"
    r"(?:topics|tags|themen|schlagworte|schlagwörter|etiquetas|temas|mots-clés)\s*:\s*\S.{0,150}|"
    r"(?:watch|listen)( now| live)?:?|loading\.*|skip (to|advert).{0,40}|"
    r"(?:image|photo|foto|bild|picture)( credit)?:.{0,120}|getty images|©.{0,80}|"
    r"this (article|story) (is|was) .{0,60}(available|published|originally).{0,80}|"
    r"weiterlesen|mehr zum thema.{0,40}|lesen sie auch.{0,80}|das könnte sie auch interessieren.{0,20}|"
    r"zum thema|artikel teilen|teilen|kommentare?|comments?( \(\d+\))?|\d+ comments?|"
    # "read also: <another story>" in other languages (the phrase alone is a heading some golds keep),
    # and in English with its colon ("READ MORE: <headline>", "Related: <headline>")
    r"(?:les også|læs også|läs (?:även|också)|lees ook|(?:à )?lire aussi|leggi anche|le[ae] también|"
    r"leia também|czytaj (?:też|także)|читайте также)\s*:?\s+\S.{0,150}|"
    r"(?:read more|see more|related|also read|read also|see also|watch|listen)\s*:\s*\S.{0,150}|don'?t miss|"
    # a promo's label left alone once its link went ("READ MORE:", "More:", "Advertisement:")
    r"more)\s*[:：]?\s*$",
    re.I,
)

# Containers removed before the body scorer runs (class/id tokens; the guard below keeps wrappers),
# besides every <figcaption>.
PRUNE_TAGS = ("div", "section", "aside", "ul", "ol", "p", "span", "figure", "form", "li")
PRUNE_CLASS = re.compile(
    r"[\s_-](caption|credits?|copyright|newsletters?|related|recirc\w*|recommend\w*|"
    r"most-?(read|popular|viewed)|trending|outbrain|taboola|subscribe|signup|"
    r"sign-up|social-?share|share-?bar|share-?buttons?|sharing|cookies?|consent|gdpr|inline-?ad|ad-?slot|"
    r"advert\w*|more-?stories|also-?read|further-?reading|latest-?(?:news|stories|articles|posts)|"
    r"read-?next|up-?next|also-?like|you-?may-?like|popular|more-?(?:news|from|on|articles))[\s_-]",
    re.I,
)
# A pruned container holding this many long paragraphs wraps article text (class names lie).
PRUNE_KEEP_LONG_PARAGRAPHS = 3
# A table with a cell of this many characters holds a story: it is page layout (body.unwrap_layout_tables).
LAYOUT_CELL_CHARS = 1000
# Teaser cards: a short list item or <article> whose heading is a link to another page.
TEASER_TAGS = ("li", "article")
# A heading holding a link or a link holding a heading, asked as `.//h3[.//a]`, not `.//h3//a`: libxml2 merges
# the links found under each heading with all found before (40,000 linked <h3>s in an <article>: 2 s, session 43).
TEASER_TEST = ".//h2[.//a] or .//h3[.//a] or .//h4[.//a] or .//a[.//h2] or .//a[.//h3] or .//a[.//h4]"
TEASER_MAX_CHARS = 400
# Text a browser does not show until a reader acts: an element with the `hidden` attribute (a disclosure
# that scripts open; "until-found" is searchable text, shown) and an ARIA tooltip, the pop-up card a
# name in a story opens on hover ("Jane Doe is a senator from ..."). None of the 53 `hidden` elements
# and 49 tooltips of 25+ characters on the aeb, fundus and l3s pages is in a gold body (body.prune).
# Asked through the attribute axis: the same elements at half the cost of testing every element's attributes.
HIDDEN_XPATH = ".//@hidden[. != 'until-found']/.. | .//@role[. = 'tooltip']/.."
# A window the page opens over itself: an element a screen reader is told is a dialog (role "dialog" or
# "alertdialog", `aria-modal="true"`) or an HTML <dialog>. A consent platform's preference centre, a login or
# "save this article" prompt, a share sheet, a menu drawer: on the aeb, fundus, l3s and dates pages 128 such
# windows of 20 characters or more, none holding a sentence of a gold body. One that holds PRUNE_KEEP_LONG_PARAGRAPHS
# long paragraphs (a preference centre's cookie categories: 30 sentences on a Reuters page) goes unless it wraps
# the page's top heading (a site that shows the story itself in a modal); the story guard kept it, and with class
# names hashed nothing named it "consent" (body.prune). A short one is left as it was: its lines are what sends a
# long text to the vote (body._mixed), and pruned it left a footer's prose on two publishers' blind pages.
DIALOG_XPATH = ".//@role[. = 'dialog' or . = 'alertdialog']/.. | .//@aria-modal[. = 'true']/.. | .//dialog"
# A <p> of this many links a line or more (lines: its <br>s + 1) whose text is this share of link text
# (spaces aside) is a link list: one paragraph of 300,000 space-separated links read as the article (words
# over PROSE_LONG_CHARS) and took 20 s. trafilatura's own link-density test stops at 60-character
# paragraphs, with the same share. A list of a link a line is left to the line rules (drop_item_runs).
LINK_LIST_MIN_LINKS = 10
LINK_LIST_SHARE = 0.8
# Paragraphs starting with an author's name are notes about the author while fewer than this many do
# (body.drop_author_notes), and only the first this many authors are looked for.
AUTHOR_NOTE_MAX = 3
AUTHOR_NOTE_NAMES = 10
# JSON-LD author entries read (authors.choose_authors): a byline names a few people, the dev pages at most 5.
LD_AUTHOR_MAX_ENTRIES = 100
# A second copy of the story (body.drop_second_copy): a run of this many paragraphs or more, starting at a
# paragraph of this many characters, that holds this share of the text's words.
SECOND_COPY_MIN_PARAGRAPHS = 3
SECOND_COPY_MIN_CHARS = 80
SECOND_COPY_SHARE = 0.3
# Teaser cards printed as <div>s: a linked heading's <div>s this many levels up are its possible cards.
CARD_LEVELS = 8
# Blocks of a linked headline (this many words or more) and its lede (this many characters or more, after a
# <br> or in an element of its own): a run of LEDE_RUN_MIN under one parent is other stories' teasers
# (body._drop_lede_runs).
LEDE_HEADLINE_WORDS = 3
LEDE_MIN_CHARS = 40
LEDE_RUN_MIN = 3
PRUNE_LONG_PARAGRAPH_CHARS = 150
# Below this many characters the single precise pass may have cut the body short: run the fallbacks.
FALLBACK_BELOW_CHARS = 1500
# ... unless the readability candidate has this share of the short text too (two methods found the
# same short story: the fallbacks changed nothing on such pages).
FALLBACK_AGREED_SHARE = 0.8
# A text of FALLBACK_BELOW_CHARS or more that starts and ends with prose skips the readability vote (its
# parse of every long page cost 7-12 % of our median time), unless it holds this many non-prose lines
# (headings, name and byline lines, "Recent posts:", a contact line) between its prose: then it is a mix of
# blocks, and the vote's drops of prose printed apart from the story pay there (body._mixed). Set by a
# budget, about one long text in ten on the dev sets, not fitted to a fold (docs/extraction.md, "The vote on mixed long texts").
VOTE_LONG_NONPROSE_LINES = 6
# A text the vote left under this size is a stub when the other candidate holds it inside a story of
# STUB_STORY_PROSE prose paragraphs and STUB_SHARE times its size (body.story_around_stub).
STUB_MAX_CHARS = 500
STUB_STORY_PROSE = 3
STUB_SHARE = 3
# ... and finds the stub among its first paragraphs: a dateline or a kicker may come before it.
STUB_LEAD_SLACK = 2
# Only a paragraph of this many words or more tells whether two candidates share text (the catastrophe
# guards body.menus_beside_story and body.story_around_stub): one 4-gram of the AEB metric.
EVIDENCE_MIN_TOKENS = 4
# The precise pass's longest paragraph must be this long to locate the story's <article> by its words.
ARTICLE_ANCHOR_CHARS = 200
# A story printed in chunks (body.with_continuation): how far above its paragraphs' container the chunk
# may start (newyorker.com: 3 levels).
CONTINUATION_MAX_LEVELS = 8
# The date under the headline is looked for after the first this many <h1>s (a hostile page holds
# 120,000 of them); real pages have a few.
HEADER_H1_SCANS = 30
# Boilerplate phrases anywhere in a short paragraph (consent placeholders, paywall prompts). Matched
# case-sensitively against the lower-cased paragraph: 4x faster than re.I on the same lines.
BOILERPLATE_ANYWHERE = re.compile(
    r"(?:privacy settings|privatsphäre-einstellungen|externe[nr]? inhalt|external content|"
    r"enable javascript|javascript (?:is )?(?:disabled|required)|your browser does not support|"
    r"accept (?:all )?cookies|cookie settings|we use cookies|(?:web)?site uses cookies|use of cookies|"
    r"wir verwenden cookies|utilizamos cookies|nous utilisons des cookies|a post shared by|"
    r"subscribe (?:now|today|to (?:our|the))|already a subscriber|sign up (?:for|to) (?:our|the)|"
    r"log ?in to (?:continue|read)|to continue reading|jetzt abonnieren|abo abschließen|会員限定|有料会員|"
    r"to read (?:this|the) (?:article|story) in full|to read the full (?:article|story)|"
    r"you must (?:be registered|be logged in|be a subscriber|have registered|log ?in|register|subscribe)|"
    r"can be (?:reached|contacted) at .{0,80}(?:@\w|\d{3}[-.]\d{4})|"
    r"newsletter abonnieren|via getty images|/getty images|getty images/|\(photo:|\(foto:|"
    r"all rights reserved|alle rechte vorbehalten|thanks for signing up|keep an eye on your inbox|"
    r"non-commercial use only|order reprints|an error has occurred|has been sent to|"
    r"^(?:write to|e-?mail|contact) .{0,80}@\w|"
    # an ad slot's note, a registration wall's lines and a sign-up box's fine print (session 44)
    r"advertisement has not loaded|continues (?:below|after) (?:this |the )?(?:ad|advert|advertisement)\W*$|"
    r"(?:content|article|story) is (?:only )?reserved for (?:paid )?(?:subscribers|members)|to continue (?:with )?your reading|"
    r"(?:register|sign in|log ?in)(?: ?(?:/|or) ?(?:register|sign in|log ?in))? to unlock"
    r"(?: (?:more|this|the|all|full|unlimited) \w+)?\W*$|"
    r"(?:don['’]?t|do not) have an account\?|by signing up,? you (?:consent|agree)|we use your sign-?up|"
    # what an empty comment section prints in place of comments (session 44)
    r"there are (?:currently |as yet |still )?no comments(?: (?:for|on) this (?:entry|article|story|post|page))?\W*$|"
    r"^no comments (?:have|has) (?:yet |so far |as yet )?been (?:posted|submitted|made|added)|^no comments yet\W*$|"
    r"be the first to (?:comment|post a comment|leave a comment|send us your thoughts)|"
    r"(?:artikel|beitrag) (?:wurden|gibt es) (?:noch |bisher )?keine kommentare|join the conversation in the comments)",
)
# A photo caption printed as a plain block (its class names unknown, no <figcaption>): a line that ends with
# the picture's credit in parentheses, "(AP Photo/Jane Marsh, File)", "(Tom Reed/Reuters)", "(NASA via AP)",
# "(Photo: ...)", "(Foto: Hans Berg/dpa)", "(Credit: Getty Images)", after CAPTION_MIN_CHARS of text (a credit
# alone, "(Image credit: All About Space)", is a line two aeb golds keep). A note that ends a sentence, "(Tekst
# gaat verder onder de foto.)" at a Nieuwsblad paragraph's end, is the story's. Lines under CAPTION_MAX_CHARS only.
# On the dev sets' 599 gold bodies one paragraph matches (an l3s caption that no method returns); on the
# class-blind copies our text held 24 such lines, none gold (docs/extraction.md, session 41).
# The lookahead first checks that the group runs to the line's end, and a credit word's tail is possessive
# (it cannot give back what is no parenthesis): backtracking from the end for each credit word made a 590-
# character line of "photo ... x.)" cost 0.5 ms (a 16 MB page of them: minutes; session 43). Same matches.
CAPTION_CREDIT = re.compile(
    r"\((?=[^()]*+(?<![.!?])\)\s*$)"
    r"(?:[^()]*\b(?:photos?|photograph|fotos?|bild|image|credit|quelle|ap video)\b[^()]*+"
    r"|[^()]*/\s*(?:ap|afp|reuters|getty images|epa|dpa|bloomberg|ansa|efe|aap)"
    r"|[^()]*\bvia (?:ap|afp|reuters|getty images)\b[^()]*+)\)",
    re.I,
)
CAPTION_MIN_CHARS = 20
# Another story's headline with its date in parentheses, a line of a "Related Stories" box: "Tiger Victim Admits
# Alcohol And Pot Use (1/18/2008)", "... (Jan. 11, 2008)", "... (2008-01-03)". The closing parenthesis read as a
# sentence's end (body.is_prose), so such a list stood as prose after a long story that skips the vote. Only a
# line of at most DATED_HEADLINE_MAX_WORDS words before the date, with no sentence end among them (a story's
# sentence dated after its full stop stays). No gold paragraph of aeb, fundus or l3s ends in a date in
# parentheses; the class- and section-blind l3s copy's text held 9 such lines, none gold (session 43).
DATED_HEADLINE = re.compile(
    r"\s\((?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}|"
    r"\d{1,2}\.? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{4})\)$",
    re.I,
)
DATED_HEADLINE_MAX_WORDS = 15
# The next story an endless-scroll page appends (body.drop_next_story) is looked for in at most this many of
# our trailing paragraphs (each is also looked for in the story's text above: a bound on a hostile page's cost);
# a longer run is left as it is. Dagbladet's next story: 40.
NEXT_STORY_MAX_PARAGRAPHS = 150
# Readers' comments each signed "Name, Town, Country" after the story (body.drop_signed_comments): a run of this
# many signatures (two when the last ends the text), at most this many paragraphs apart, a signature this long at
# most. No gold body of aeb, fundus, l3s or dates holds such a run (session 44).
# A credit line of the story: its source or editors, a label and a short value that ends no sentence ("Quelle:
# AFP" under a chart, "Redaktion: ..." and "Sendung: hr-INFO, 25.04.2024" under a broadcaster's story, "Kilde:
# Helsenorge.no" under a fact box). A bare "Sources:" heading stays (an aeb gold keeps one), and so does a sentence
# after a label. Read on the finished text (body.drop_credit_lines), not among the line rules: a credit line the
# candidates hold is one of the non-prose lines that send a long text to the vote (body._mixed), and taken out
# there it changed the vote's verdict on two pages (session 44).
CREDIT_LINE = re.compile(
    r"(?:quellen?|kilder?|sources?|redaktion|sendung|fuentes?|fontes?|bronn?e?n?|källa|lähde|źródło|zdroj)"
    r"\s*:\s*(?!.*[.!?…](?:\s|$))\S.{0,80}",
    re.I,
)
SIGNED_COMMENTS_MIN = 3
SIGNED_COMMENT_MAX_GAP = 7
SIGNATURE_MAX_CHARS = 80
SIGNED_COMMENTS_KEEP_SHARE = 1 / 3
CAPTION_MAX_CHARS = 600
# Text a page prints in place of a player, an embed or a picture while scripts are off or consent is not given:
# a plug-in prompt ("You need the latest Flash player to view video content.", "Click here to download."), a
# consent placeholder for an embed ("Ich bin damit einverstanden, dass mir Inhalte von YouTube angezeigt
# werden.", "Personenbezogene Daten können an Drittplattformen übermittelt werden."), a picture slot's
# "Placeholder image-2". Searched in the lower-cased line, lines under EMBED_PLACEHOLDER_MAX_CHARS (a consent
# placeholder runs to 330 characters; BOILERPLATE_ANYWHERE reads lines under 300). No gold paragraph of aeb,
# fundus or l3s matches (docs/extraction.md, session 41).
EMBED_PLACEHOLDER = re.compile(
    r"(?:need|requires?|download|install|get|upgrade)\b.{0,30}\bflash ?player\b.{0,40}"
    r"(?:to (?:view|watch|see|play)|and a browser|enabled|required)|"
    r"^click here (?:for a free download of|to download\b|to bypass)|"
    r"\b(?:einverstanden|i agree|i consent)\b.{0,60}(?:externe[nr]? inhalt|inhalte? (?:von|aus)\b|content from\b|"
    r"external content)|personenbezogene daten (?:können|werden) (?:dabei )?an drittplattformen|"
    r"mit einem klick anzeigen lassen|^placeholder(?: image)?[- ]?\d*$"
)
EMBED_PLACEHOLDER_MAX_CHARS = 600
# Lines that are no prose: a bare timestamp (ISO, or a numeric day with a clock time: "2008-01-12 11:31:01 -",
# "1/10/2008 4:09:14 PM") or an image URL (leaked metadata), an unrendered template placeholder
# ("$$ARTICLEAD$$", "{{ad_slot}}", "[[AD]]", "%%ad%%").
NON_TEXT_LINE = re.compile(
    r"^(?:(?:\d{4}-\d{2}-\d{2}(?:[T ][\d:.+\-Z]+)?|\d{1,2}[./]\d{1,2}[./]\d{2,4}(?:,? \d{1,2}:\d{2}(?::\d{2})?"
    r"(?: ?[AaPp]\.?[Mm]\.?)?)?)(?: ?[-–|])?|https?://\S+\.(?:jpe?g|png|gif|webp|svg)|"
    r"\$\$[\w-]+\$\$|\{\{[\w .-]+\}\}|\[\[[\w-]+\]\]|%%[\w-]+%%)$",
    re.I,
)
# The readability vote (body.trim_to_vote): a paragraph is the other candidate's too when this share
# of its token 4-grams is there; the other candidate needs this many tokens to vote at all; a
# paragraph of at least this many words that ends a sentence is prose and never trimmed; a vote
# that would keep less than this share of our characters is ignored.
VOTE_SUPPORT = 0.5
VOTE_MIN_TOKENS = 20
# An other candidate with fewer tokens than this share of ours took one block of the text, not the
# article: no stretch is trimmed to it.
VOTE_MIN_SHARE = 0.1
VOTE_PROSE_MIN_WORDS = 8
VOTE_KEEP_SHARE = 0.2
# An agreed paragraph marks an edge of the agreed stretch only from this size (characters, CJK twice);
# shorter agreed lines join the stretch only next to it (body.trim_to_vote).
VOTE_EDGE_MIN_CHARS = 30
# ... and parts at a gap of this many paragraphs the other candidate lacks, mostly not prose; the gap
# is outside the story, and so is a part at either end with under VOTE_PART_SHARE of the largest
# part's agreed text (body._main_stretch).
VOTE_GAP_MIN = 8
VOTE_PART_SHARE = 0.25
# The vote looks a short paragraph up in the other candidate's text by a scan for the first this many,
# then by a set of that candidate's word runs (linear on a page of tens of thousands of paragraphs).
SUPPORT_SCANS = 200
# A paragraph of at least this many short items (names between commas, bars, bullets) and no sentence
# end is a list of links or tags, not article text (body._is_item_list).
ITEM_LIST_MIN = 20
# ... and a run of at least ITEM_RUN_MIN lines of at most three words (ITEM_RUN_MAX_CHARS, CJK twice)
# before or after the story's prose is one printed a line per item (body.drop_item_runs).
ITEM_RUN_MIN = 30
ITEM_RUN_MAX_CHARS = 40
# Prose kept after the story's end past a line that went is a site's promo when it is under this share of
# the story kept up to the stretch's end (body._without_detached_tail): a story's continuation that the
# other method missed was longer than what it found on every dev page, the promos under 0.55 of it.
VOTE_TAIL_SHARE = 1.0
# ... and when none of its paragraphs is this long (characters, CJK twice): a promo runs a sentence or two a
# paragraph (the dev sets' longest, 266), a story section that the other method missed longer ones.
VOTE_TAIL_PARAGRAPH_CHARS = 300
# A heading between two of our paragraphs' <p>s is the story's subhead up to this many characters
# (body.with_subheads): the dev golds' longest such heading has 186; a longer one is a block of its own.
SUBHEAD_MAX_CHARS = 200
# A paragraph is found on the page by its first this many characters (body._block_of); shorter ones are not
# looked for (a short line's start is everywhere).
TAIL_PROBE_CHARS = 40
# A promo printed inside a story as a label in capitals and another story's headline (body.drop_label_promos):
# the label, one to four words, and its separator (a dash is a dateline's: "LONDON — ..."); the headline is
# at least this share the text of the page's links; lines longer than PROMO_MAX_CHARS are no such promo.
PROMO_LABEL = re.compile(r"^\W*([^\W\d_][^\W\d_']*(?: [^\W\d_][^\W\d_']*){0,3})\s*(?::|\||>>|»|›)+\s*(\S.*)$")
PROMO_LINKED_SHARE = 0.8
PROMO_MAX_CHARS = 250
# Prose outside the agreed stretch that is this share link text is a teaser of another page, not prose.
VOTE_LINKED_SHARE = 0.5
# jusText (body.justext_paragraphs), the third vote on prose outside the agreed stretch, with trafilatura's
# settings for it: blocks under LOW characters are short, over HIGH long enough to stand alone; stopword
# shares below LOW are no prose, above HIGH prose.
JUSTEXT_LENGTH_LOW = 50
JUSTEXT_LENGTH_HIGH = 150
JUSTEXT_STOPWORDS_LOW = 0.1
JUSTEXT_STOPWORDS_HIGH = 0.2
# A publisher's notice after the story: its rights, where the story first ran, its sign-up box, its company
# and regulator (body.drop_trailing_notices). A short line counts only by its rights
# (RIGHTS: "Copyright 2008 by The Associated Press"); "Originally published on Live Science." alone is in the
# aeb gold. A "©" inside a sentence is a credit ("photos © Inexhibit", "© RIPRODUZIONE RISERVATA" glued to a
# story's last paragraph), and a newsletter or podcast named in prose is in some golds ("You can also
# subscribe to this newsletter", "Abonnieren Sie den Podcast"): neither marks a notice.
_RIGHTS = (r"^\s*(?:\(c\)|©)|©\s?\d{4}|\bcopyright(?:ed)?\b|all rights reserved|alle rechte vorbehalten|"
           r"tous droits réservés|derechos reservados|may not be (?:published|reproduced|redistributed|copied|republished)")
RIGHTS = re.compile(_RIGHTS, re.I)
NOTICE_MAX_CHARS = 600
# Words one of which every NOTICE match holds (lower case): looked for with `in` first, the pattern runs only
# on a paragraph that has one (the case-blind pattern alone cost 0.07 ms a page).
NOTICE_KEYS = ("©", "(c)", "copyright", "rights", "vorbehalten", "réservés", "reservados", "may not be", "published",
               "appeared", "erschien", "creative commons", "disclosure", "inbox", "sign", "unsubscribe", "terms",
               "privacy", "datenschutz", "registered", "company", "news tips", "regulated")
# In a paragraph of prose the wording must be a notice's, not a story's last lines about copyright, privacy
# policies or sign-ups ("The suit alleges copyright infringement.", "Residents can sign up for the scheme.",
# "Facebook will change its privacy policy.", "The novel, first published in 1962, ...", "Banks are regulated
# by the Fed."): rights with a year, a holder or a colon, a story "originally published on <Name>", the
# reader's own sign-up, the site's own terms and privacy policy (session 33's review).
NOTICE = re.compile(
    r"^\s*(?:\(c\)|©|copyright\b)|©\s?\d{4}|\bcopyright(?:ed)?\s*(?:©|\(c\)|\d{4}|by\b|:)|all rights reserved|"
    r"alle rechte vorbehalten|tous droits réservés|derechos reservados|"
    r"may not be (?:published|reproduced|redistributed|copied|republished)|"
    r"this (?:article|story|piece|post|column) (?:was |is |has been )?(?:originally |first )?(?:published|appeared)|"
    r"(?:originally|first) (?:published|appeared) (?:on|in|by|at) (?-i:[A-Z])|republished (?:from|with|under|by)|"
    r"erschien (?:zuerst|erstmals)|creative commons|disclosure statement|your inbox|"
    r"sign(?:ing)? up (?:now|today|here|free|(?:for|to) (?:our|my) )|unsubscribe|"
    r"(?:our|standard|the site's|these) terms (?:and|&) conditions|terms (?:and|&) conditions (?:of use|apply)|"
    r"(?:read|see|visit|our) (?:our )?privacy (?:policy|notice)|datenschutzerklärung|registered (?:in england|office)|"
    r"company (?:number|no\b)|news tips|we are regulated by|authori[sz]ed and regulated by",
    re.I,
)
# Lines that open or punctuate a readers' comment section (a comment's byline, its controls).
COMMENT_MARKER = re.compile(
    r"^(?:(?:posted|written|submitted|comment) by\b.{1,80}?(?:\bon\b|\bat\b|\d{1,2}:\d{2}|\d{4})|"
    r"report (?:this )?(?:comment|post|abuse)\b|(?:\d+ )?(?:reader )?comments?(?: \(\d+\))?:?$|"
    # a thread's heading with a qualifier or a count's tail: "Top Rated Comments", "5 comments so far..."
    r"(?:\d+ )?(?:(?:top|most|best|all|latest|newest|recent|featured|rated|readers?'?) ){1,2}comments?(?: \(\d+\))?:?$|"
    r"\d+ comments? so far\W*$|"
    r"(?:add|leave|post|write|submit) (?:a |your )?comments?\b|have your say\b|comments? (?:are|is) (?:now )?closed|"
    r"thanks for your comments?|quote \| report|"
    # the comment section's rules ("Comment entries are limited to 100 words.", "We welcome your comments
    # on this story. Comments are submitted for possible publication ...")
    r"(?:note: )?comments? (?:will|are|must|may|should|is)\b.{0,40}?\b(?:posted|moderated|monitored|reviewed|"
    r"submitted|limited|active|published|open)\b|comment (?:entries|posters?)\b|we welcome your comments\b|"
    # the comment section's heading in other languages, alone on its line
    r"(?:\d+ )?(?:comentarios?|comentar|comentários|commentaires|commenter|commenti|commenta|kommentare|"
    r"kommentieren|kommentarer|reacties|komentarze|комментарии|yorumlar|評論|评论|コメント|댓글)(?: \(\d+\))?:?$)",
    re.I,
)

# A readers' comment section below the story (body.comment_section): of the page's text nodes holding a
# comment word, the first COMMENT_SCANS are read; a marker line is at most COMMENT_LINE_MAX_CHARS long; the
# section repeats a furniture line (a byline, "Reply", "3 hours ago"; digits aside, of at most
# COMMENT_FURNITURE_CHARS) COMMENT_FURNITURE_MIN times or more, and about once a comment (its prose paragraphs
# less one).
COMMENT_SCANS = 50
# A candidate's paragraphs looked for one by one in the comment section's and the page's text; past this many
# (no dev page's candidate comes near) their probes are counted together, as runs of words (body.CommentSection).
COMMENT_PROBE_SCANS = 200
COMMENT_LINE_MAX_CHARS = 100
COMMENT_FURNITURE_CHARS = 80
COMMENT_FURNITURE_MIN = 3
# ... once a comment: a comment holds up to this many prose paragraphs on the mean (a reader's comment of two
# or three paragraphs under one byline and one "Reply": with one a comment, a thread of such comments was no thread).
COMMENT_PROSE_PER_ENTRY = 3


# Bot walls that answer a crawler with a challenge page (status 200) instead of the story: what their
# pages load (script, iframe or form source; element id) or are titled, and the wall's name, which the
# clean error carries (`blocked_by_<name>`).
CHALLENGE_NAMES = {
    "_incapsula_resource": "incapsula", "/cdn-cgi/challenge-platform": "cloudflare", "challenge-form": "cloudflare",
    "just a moment...": "cloudflare", "attention required! | cloudflare": "cloudflare",
    "captcha-delivery.com": "datadome", "px-captcha": "perimeterx", "ddos-guard": "ddos_guard",
    "sucuri website firewall": "sucuri", "window.rbzns": "reblaze", "cf_chl_opt": "cloudflare",
}
CHALLENGE_REFS = re.compile(r"(_Incapsula_Resource|/cdn-cgi/challenge-platform|\bchallenge-form\b"
                            r"|captcha-delivery\.com|\bpx-captcha\b)", re.I)
CHALLENGE_SCRIPTS = re.compile(r"(_Incapsula_Resource|window\.rbzns|cf_chl_opt|captcha-delivery\.com)", re.I)
# A challenge page's body has fewer elements than this (Incapsula's: 1, Cloudflare's: about 30).
CHALLENGE_MAX_ELEMENTS = 300
# A challenge page holds at most a line or two of text ("Request unsuccessful. Incapsula incident ID").
CHALLENGE_MAX_CHARS = 300
CHALLENGE_TITLES = re.compile(r"^\s*(just a moment\.\.\.|attention required! \| cloudflare|ddos-guard"
                              r"|sucuri website firewall)", re.I)
# A promo line after the story (body.drop_promo_tail) is at most this many characters long.
PROMO_LINE_CHARS = 300

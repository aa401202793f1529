/* Table of lesson files and the exact diagnostics each must produce (every
 * diagnostic, in order, formatted as "t.json:LINE:COL: level: message").
 * Columns count characters from 1. Used by test_lesson.c. */

/* Line 1 of most cases; cues start on line 3. */
#define HEAD "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\",\n\"cues\": [\n"
#define TAIL "\n]}\n"
#define LESSON(cues) HEAD cues TAIL

typedef struct lesson_case {
    const char *name;
    const char *json;
    unsigned flags;
    int rc;
    const char *diags; /* "" for none; lines joined with '\n' */
} lesson_case;

static const lesson_case cases[] = {
    /* ---- valid ---- */
    {"minimal", LESSON("{\"id\": \"p1\", \"begin\": 0, \"end\": 2.5, \"text\": \"Hello.\"}"), 0, SH_OK, ""},
    {"time strings", LESSON("{\"begin\": \"00:01.5\", \"end\": \"0:00:04.250\", \"text\": \"Hello.\"}"), 0, SH_OK, ""},
    {"unknown keys kept, null optionals",
     "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\", \"x-tool\": {\"v\": [1, 2]}, \"level\": null,\n"
     "\"cues\": [{\"begin\": 0, \"end\": 2, \"text\": \"A\", \"speaker\": \"Ann\", \"translation\": null}]}",
     0, SH_OK, ""},
    {"bom", "\xEF\xBB\xBF{\"shadowing\": 1, \"title\": 5}", 0, SH_ERR_FORMAT,
     "t.json:1:27: error: \"title\" must be a string in double quotes, not a number 5\n"
     "t.json:1:1: error: missing \"audio\": add the audio file's name, relative to this file, such as \"audio\": "
     "\"news.mp3\"\n"
     "t.json:1:1: error: missing \"cues\": add \"cues\": [{\"begin\": 0.0, \"end\": 4.2, \"text\": \"...\"}]"},
    {"cjk translation, columns count characters",
     LESSON("{\"text\": \"A\", \"translation\": \"中文翻译\", \"begin\": 1, \"end\": 0.5}"), 0, SH_ERR_FORMAT,
     "t.json:3:57: error: cue \"p1\" (#1): \"end\" 0.5 is not after \"begin\" 1: make end later than begin"},
    {"untimed allowed", LESSON("{\"text\": \"A\"},\n{\"text\": \"B\", \"begin\": 3}"), SH_LESSON_ALLOW_UNTIMED, SH_OK,
     ""},

    /* ---- file level, syntax ---- */
    {"empty file", "", 0, SH_ERR_FORMAT,
     "t.json:1:1: error: the file is empty: a lesson is a JSON object (see doc/lesson-format.md)"},
    {"blank file", "  \n  ", 0, SH_ERR_FORMAT,
     "t.json:2:3: error: the file is empty: a lesson is a JSON object (see doc/lesson-format.md)"},
    {"top level array", "[1, 2]", 0, SH_ERR_FORMAT,
     "t.json:1:1: error: the top level must be an object { \"shadowing\": 1, ... }, not an array (see "
     "doc/lesson-format.md)"},
    {"trailing comma", LESSON("{\"begin\": 0, \"end\": 2, \"text\": \"A\"},"), 0, SH_ERR_FORMAT,
     "t.json:3:36: error: trailing comma before ']': remove this comma"},
    {"missing comma between members", LESSON("{\"begin\": 0 \"end\": 2, \"text\": \"A\"}"), 0, SH_ERR_FORMAT,
     "t.json:3:13: error: expected ',' or '}': add a comma between members"},
    {"single quotes", LESSON("{'begin': 0}"), 0, SH_ERR_FORMAT,
     "t.json:3:2: error: keys need double quotes (\"), not single quotes"},
    {"comment", LESSON("// first\n{}"), 0, SH_ERR_FORMAT,
     "t.json:3:1: error: JSON has no comments: remove it (put remarks in a \"notes\" field)"},
    {"unquoted key", LESSON("{begin: 0}"), 0, SH_ERR_FORMAT, "t.json:3:2: error: keys need double quotes: write \"begin\""},
    {"unterminated string", "{\"title\": \"abc", 0, SH_ERR_FORMAT,
     "t.json:1:11: error: string not closed before the end of the file: add the closing '\"'"},
    {"line break in string", "{\"title\": \"abc\n\"}", 0, SH_ERR_FORMAT,
     "t.json:1:11: error: string not closed before the end of the line: add the closing '\"' (write \\n for a line "
     "break inside a string)"},
    {"bad escape", "{\"title\": \"C:\\temp\\x\"}", 0, SH_ERR_FORMAT,
     "t.json:1:19: error: invalid escape '\\' followed by 'x': write \\\\ for a backslash"},
    {"nul escape", "{\"title\": \"a\\u0000\"}", 0, SH_ERR_FORMAT,
     "t.json:1:13: error: \\u0000 (a NUL character) is not allowed in a lesson: remove it"},
    {"lone surrogate", "{\"title\": \"\\ud83d!\"}", 0, SH_ERR_FORMAT,
     "t.json:1:12: error: unpaired UTF-16 surrogate \\uD83D: write the character itself (the file is UTF-8)"},
    {"leading zero", "{\"shadowing\": 01}", 0, SH_ERR_FORMAT,
     "t.json:1:15: error: numbers cannot start with 0: write 12, not 012"},
    {"bare fraction", "{\"shadowing\": .5}", 0, SH_ERR_FORMAT,
     "t.json:1:15: error: unexpected '.': expected a value (an object, array, \"string\", number, true, false or "
     "null)"},
    {"no fraction digits", "{\"shadowing\": 1.}", 0, SH_ERR_FORMAT,
     "t.json:1:17: error: expected digits after the decimal point: write 12.0 or 12"},
    {"unquoted time", LESSON("{\"begin\": 1:02.5}"), 0, SH_ERR_FORMAT,
     "t.json:3:11: error: a time such as 1:02.5 must be a string: put it in double quotes"},
    {"NaN", "{\"shadowing\": NaN}", 0, SH_ERR_FORMAT,
     "t.json:1:15: error: unknown word 'NaN': strings need double quotes; values are numbers, \"strings\", true, "
     "false or null"},
    {"extra text", "{\"shadowing\": 1} x", 0, SH_ERR_FORMAT,
     "t.json:1:18: error: extra text after the end of the JSON value: a lesson is one object; remove it"},
    {"ends inside object", "{\"shadowing\": 1,\n \"cues\": [\n", 0, SH_ERR_FORMAT,
     "t.json:3:1: error: the file ends inside the array that starts at line 2, column 10: add the missing ']'"},
    {"missing value", "{\"shadowing\": }", 0, SH_ERR_FORMAT, "t.json:1:15: error: expected a value before '}'"},

    {"missing colon", "{\"shadowing\" 1}", 0, SH_ERR_FORMAT, "t.json:1:14: error: expected ':' after the key, found '1'"},
    {"raw tab in string", "{\"title\": \"a\tb\"}", 0, SH_ERR_FORMAT,
     "t.json:1:13: error: control character U+0009 inside a string: remove it, or write it as an escape such as \\t"},
    {"stray character", "{\"shadowing\": @}", 0, SH_ERR_FORMAT,
     "t.json:1:15: error: unexpected '@': expected a value (an object, array, \"string\", number, true, false or "
     "null)"},
    {"misspelt literal", "{\"shadowing\": tru}", 0, SH_ERR_FORMAT,
     "t.json:1:15: error: unknown word 'tru': strings need double quotes; values are numbers, \"strings\", true, "
     "false or null"},
    {"missing comma in array", LESSON("{\"begin\": 0, \"end\": 1, \"text\": \"A\"}\n{\"begin\": 1, \"end\": 2, \"text\": \"B\"}"),
     0, SH_ERR_FORMAT, "t.json:4:1: error: expected ',' or ']': add a comma between elements"},

    /* ---- UTF-8 ---- */
    {"invalid byte after cjk", LESSON("{\"text\": \"A\", \"translation\": \"中文\xFF\"}"), 0, SH_ERR_FORMAT,
     "t.json:3:33: error: the file is not valid UTF-8 (byte 0xFF at byte offset 95): save it with UTF-8 encoding"},
    {"latin-1 text", "{\"title\": \"caf\xE9\"}", 0, SH_ERR_FORMAT,
     "t.json:1:15: error: the file is not valid UTF-8 (byte 0xE9 at byte offset 14): save it with UTF-8 encoding"},
    {"overlong", "{\"title\": \"\xC0\x80\"}", 0, SH_ERR_FORMAT,
     "t.json:1:12: error: the file is not valid UTF-8 (byte 0xC0 at byte offset 11): save it with UTF-8 encoding"},
    {"utf-16 surrogate in utf-8", "{\"title\": \"\xED\xA0\x80\"}", 0, SH_ERR_FORMAT,
     "t.json:1:12: error: the file is not valid UTF-8 (byte 0xED at byte offset 11): save it with UTF-8 encoding"},
    {"truncated sequence at end", "{\"title\": \"\xE4\xB8", 0, SH_ERR_FORMAT,
     "t.json:1:12: error: the file is not valid UTF-8 (byte 0xE4 at byte offset 11): save it with UTF-8 encoding"},

    /* ---- format version ---- */
    {"missing version", "{\"title\": \"T\", \"audio\": \"a.mp3\", \"cues\": [{\"begin\": 0, \"end\": 1, \"text\": \"A\"}]}",
     0, SH_ERR_FORMAT,
     "t.json:1:1: error: missing \"shadowing\": 1 (the format version): add it as the first member"},
    {"version as string", "{\"shadowing\": \"1\"}", 0, SH_ERR_FORMAT,
     "t.json:1:15: error: \"shadowing\" must be the number 1 (the format version), not a string \"1\"\n"
     "t.json:1:1: error: missing \"title\": add the lesson's title, such as \"title\": \"BBC News, 3 May\"\n"
     "t.json:1:1: error: missing \"audio\": add the audio file's name, relative to this file, such as \"audio\": "
     "\"news.mp3\"\n"
     "t.json:1:1: error: missing \"cues\": add \"cues\": [{\"begin\": 0.0, \"end\": 4.2, \"text\": \"...\"}]"},
    {"newer version", "{\n  \"shadowing\": 2, \"cues\": 7}", 0, SH_ERR_FORMAT,
     "t.json:2:16: error: format version 2 is newer than this program reads (version 1): update shadowing"},
    {"version zero", "{\"shadowing\": 0}", 0, SH_ERR_FORMAT,
     "t.json:1:15: error: unknown format version 0: this program reads version 1; write \"shadowing\": 1"},
    {"version fraction", "{\"shadowing\": 1.5}", 0, SH_ERR_FORMAT,
     "t.json:1:15: error: unknown format version 1.5: this program reads version 1; write \"shadowing\": 1"},

    /* ---- top-level fields ---- */
    {"blank title and audio, bad language",
     "{\"shadowing\": 1, \"title\": \" \", \"audio\": \"\", \"language\": 5,\n\"cues\": [{\"begin\": 0, \"end\": 1, "
     "\"text\": \"A\"}]}",
     0, SH_ERR_FORMAT,
     "t.json:1:27: error: \"title\" is empty: write the lesson's title, such as \"title\": \"BBC News, 3 May\"\n"
     "t.json:1:41: error: \"audio\" is empty: write the audio file's name, relative to this file, such as \"audio\": "
     "\"news.mp3\"\n"
     "t.json:1:57: error: \"language\" must be a string in double quotes, not a number 5"},
    {"duplicate top-level key",
     "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\",\n \"title\": \"U\", \"cues\": [{\"begin\": 0, \"end\": 1, "
     "\"text\": \"A\"}]}",
     0, SH_ERR_FORMAT, "t.json:2:2: error: duplicate key \"title\" (first at line 1, column 18): remove one of them"},
    {"cues not an array", "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\", \"cues\": {}}", 0, SH_ERR_FORMAT,
     "t.json:1:58: error: \"cues\" must be an array [...] of cue objects, not an object"},
    {"no cues", LESSON(""), 0, SH_ERR_FORMAT,
     "t.json:2:9: error: \"cues\" is empty: add at least one cue {\"begin\", \"end\", \"text\"}"},

    /* ---- cues ---- */
    {"cue not an object", LESSON("\"Hello.\""), 0, SH_ERR_FORMAT,
     "t.json:3:1: error: cue #1: must be an object {\"id\", \"begin\", \"end\", \"text\"}, not a string"},
    {"missing begin, end, text", LESSON("{\"id\": \"a\"}"), 0, SH_ERR_FORMAT,
     "t.json:3:1: error: cue \"a\" (#1): missing \"begin\": add the time the paragraph starts, in seconds or "
     "\"mm:ss.fff\"\n"
     "t.json:3:1: error: cue \"a\" (#1): missing \"end\": add the time the paragraph ends, in seconds or "
     "\"mm:ss.fff\"\n"
     "t.json:3:1: error: cue \"a\" (#1): missing \"text\": add the English paragraph"},
    {"end not after begin",
     LESSON("{\"id\": \"p1\", \"begin\": 0, \"end\": 1, \"text\": \"A\"},\n"
            "{\"id\": \"p2\", \"begin\": 2, \"end\": 3, \"text\": \"B\"},\n"
            "{\"id\": \"p3\",\n \"begin\": 5.0,\n \"end\": 4.2, \"text\": \"C\"}"),
     0, SH_ERR_FORMAT,
     "t.json:7:9: error: cue \"p3\" (#3): \"end\" 4.2 is not after \"begin\" 5.0: make end later than begin"},
    {"end equals begin", LESSON("{\"begin\": \"00:02\", \"end\": 2, \"text\": \"A\"}"), 0, SH_ERR_FORMAT,
     "t.json:3:27: error: cue \"p1\" (#1): \"end\" 2 is not after \"begin\" \"00:02\": make end later than begin"},
    {"negative and bad time strings",
     LESSON("{\"begin\": -1, \"end\": \"1:75\", \"text\": \"A\"},\n{\"begin\": \"-0:01\", \"end\": \"1e3\", \"text\": \"B\"}"),
     0, SH_ERR_FORMAT,
     "t.json:3:11: error: cue \"p1\" (#1): \"begin\" -1 is negative: times count from the start of the audio, 0 or "
     "more\n"
     "t.json:3:22: error: cue \"p1\" (#1): \"end\" \"1:75\" is not a time: write seconds (12.5) or \"[hh:]mm:ss[.fff]\" "
     "(\"1:02.5\"), minutes and seconds below 60\n"
     "t.json:4:11: error: cue \"p2\" (#2): \"begin\" \"-0:01\" is negative: times count from the start of the audio, 0 "
     "or more\n"
     "t.json:4:27: error: cue \"p2\" (#2): \"end\" \"1e3\" is not a time: write seconds (12.5) or \"[hh:]mm:ss[.fff]\" "
     "(\"1:02.5\"), minutes and seconds below 60"},
    {"time types and limits",
     LESSON("{\"begin\": true, \"end\": 1e400, \"text\": \"A\"},\n{\"begin\": 0, \"end\": 400000, \"text\": \"B\"}"), 0,
     SH_ERR_FORMAT,
     "t.json:3:11: error: cue \"p1\" (#1): \"begin\" must be seconds (12.5) or a time string (\"1:02.5\"), not true "
     "true\n"
     "t.json:3:24: error: cue \"p1\" (#1): \"end\" 1e400 is not a finite number: write seconds, such as 12.5\n"
     "t.json:4:21: error: cue \"p2\" (#2): \"end\" 400000 is beyond the limit of 360000 s: check the value"},
    {"text, translation, loops",
     LESSON("{\"begin\": 0, \"end\": 1, \"text\": 7, \"translation\": [], \"loops\": 0},\n"
            "{\"begin\": 1, \"end\": 2, \"text\": \" \\n\", \"loops\": 1.5}"),
     0, SH_ERR_FORMAT,
     "t.json:3:32: error: cue \"p1\" (#1): \"text\" must be a string in double quotes, not a number 7\n"
     "t.json:3:50: error: cue \"p1\" (#1): \"translation\" must be a string in double quotes, not an array []\n"
     "t.json:3:63: error: cue \"p1\" (#1): \"loops\" 0 must be a whole number from 1 to 99 (times to play this cue; "
     "leave it out to use the lesson's default)\n"
     "t.json:4:32: error: cue \"p2\" (#2): \"text\" is empty: write the English paragraph\n"
     "t.json:4:48: error: cue \"p2\" (#2): \"loops\" 1.5 must be a whole number from 1 to 99 (times to play this "
     "cue; leave it out to use the lesson's default)"},
    {"duplicate key in cue", LESSON("{\"begin\": 0, \"end\": 1, \"end\": 2, \"text\": \"A\"}"), 0, SH_ERR_FORMAT,
     "t.json:3:24: error: cue \"p1\" (#1): duplicate key \"end\" (first at line 3, column 14): remove one of them"},

    /* ---- ids ---- */
    {"duplicate id",
     LESSON("{\"id\": \"intro\", \"begin\": 0, \"end\": 1, \"text\": \"A\"},\n"
            "{\"id\": \"p2\", \"begin\": 1, \"end\": 2, \"text\": \"B\"},\n"
            "{\"id\": \"intro\", \"begin\": 2, \"end\": 3, \"text\": \"C\"}"),
     0, SH_ERR_FORMAT,
     "t.json:5:8: error: cue \"intro\" (#3): duplicate id \"intro\": cue #1 (line 3) already has it: give each cue its "
     "own id"},
    {"bad ids",
     LESSON("{\"id\": 3, \"begin\": 0, \"end\": 1, \"text\": \"A\"},\n"
            "{\"id\": \"../x\", \"begin\": 1, \"end\": 2, \"text\": \"B\"},\n"
            "{\"id\": \"\", \"begin\": 2, \"end\": 3, \"text\": \"C\"}"),
     0, SH_ERR_FORMAT,
     "t.json:3:8: error: cue #1: \"id\" must be a string such as \"p1\", not a number 3\n"
     "t.json:4:8: error: cue #2: \"id\" \"../x\" is not a valid id: use 1 to 64 letters, digits, '-', '_' or '.' "
     "(ids name files), such as \"p2\"\n"
     "t.json:5:8: error: cue #3: \"id\" \"\" is not a valid id: use 1 to 64 letters, digits, '-', '_' or '.' (ids name "
     "files), such as \"p3\""},
    {"numeric id warns", LESSON("{\"id\": \"2\", \"begin\": 0, \"end\": 1, \"text\": \"A\"}"), 0, SH_OK,
     "t.json:3:8: warning: cue \"2\" (#1): id \"2\" is a number: looking up \"2\" finds this cue, not cue #2; prefer "
     "ids such as \"p1\""},

    /* ---- defaults and vocabulary ---- */
    {"bad defaults",
     "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\",\n"
     "\"defaults\": {\"lead\": -0.1, \"tail\": \"0:11\", \"gap\": \"x0\", \"loops\": 100},\n"
     "\"cues\": [{\"begin\": 0, \"end\": 1, \"text\": \"A\"}]}",
     0, SH_ERR_FORMAT,
     "t.json:2:22: error: \"lead\" -0.1 is negative: times count from the start of the audio, 0 or more\n"
     "t.json:2:36: error: \"tail\" \"0:11\" is beyond the limit of 10 s: check the value\n"
     "t.json:2:51: error: \"gap\" \"x0\" is not a valid multiple: write \"x1.2\" (1.2 times the cue's length, above 0 "
     "and at most 10) or seconds\n"
     "t.json:2:66: error: \"loops\" 100 must be a whole number from 0 to 99 (times to play each cue; 0 loops until "
     "you move on)"},
    {"defaults not an object",
     "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\", \"defaults\": 3,\n"
     "\"cues\": [{\"begin\": 0, \"end\": 1, \"text\": \"A\"}]}",
     0, SH_ERR_FORMAT,
     "t.json:1:62: error: \"defaults\" must be an object such as {\"lead\": 0.1, \"tail\": 0.3, \"loops\": 2}, not a "
     "number"},
    {"bad vocabulary",
     "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\",\n"
     "\"cues\": [{\"begin\": 0, \"end\": 1, \"text\": \"A\"}],\n"
     "\"vocabulary\": [\"word\", {\"ipa\": \"/a/\"}, {\"word\": \"\"}, {\"word\": \"ok\", \"meaning\": 1}]}",
     0, SH_ERR_FORMAT,
     "t.json:3:16: error: vocabulary entry #1 must be an object {\"word\": ..., \"meaning\": ...}, not a string\n"
     "t.json:3:24: error: vocabulary entry #2: missing \"word\": add the word or phrase\n"
     "t.json:3:49: error: vocabulary entry #3: \"word\" must be a non-empty string\n"
     "t.json:3:80: error: \"meaning\" must be a string in double quotes, not a number 1"},
    {"vocabulary not an array",
     "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\", \"vocabulary\": {},\n"
     "\"cues\": [{\"begin\": 0, \"end\": 1, \"text\": \"A\"}]}",
     0, SH_ERR_FORMAT,
     "t.json:1:64: error: \"vocabulary\" must be an array of {\"word\", \"ipa\", \"meaning\"} objects, not an object"},

    /* ---- likely typos: warnings; other unknown members are silently kept ---- */
    {"misspelt members",
     "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\", \"Level\": \"B1\", \"x-tool\": 1,\n"
     "\"defaults\": {\"loop\": 2},\n"
     "\"cues\": [{\"begin\": 0, \"end\": 1, \"text\": \"A\", \"transltion\": \"x\", \"speaker\": \"Ann\"}],\n"
     "\"vocabulary\": [{\"word\": \"a\", \"meanings\": \"b\"}]}",
     0, SH_OK,
     "t.json:1:50: warning: unknown member \"Level\" is ignored: did you mean \"level\"?\n"
     "t.json:2:14: warning: unknown member \"loop\" is ignored: did you mean \"loops\"?\n"
     "t.json:3:46: warning: cue \"p1\" (#1): unknown member \"transltion\" is ignored: did you mean "
     "\"translation\"?\n"
     "t.json:4:30: warning: unknown member \"meanings\" is ignored: did you mean \"meaning\"?"},
    {"start instead of begin", LESSON("{\"start\": 0, \"end\": 1, \"text\": \"A\"}"), 0, SH_ERR_FORMAT,
     "t.json:3:2: warning: cue \"p1\" (#1): unknown member \"start\" is ignored: did you mean \"begin\"?\n"
     "t.json:3:1: error: cue \"p1\" (#1): missing \"begin\": add the time the paragraph starts, in seconds or "
     "\"mm:ss.fff\""},

    /* ---- warnings ---- */
    {"timing warnings",
     LESSON("{\"begin\": 0, \"end\": 0.3, \"text\": \"Short.\"},\n"
            "{\"begin\": 1, \"end\": 70, \"text\": \"Long.\"},\n"
            "{\"begin\": 69.5, \"end\": 72, \"text\": \"Overlap.\"},\n"
            "{\"begin\": 90, \"end\": 92, \"text\": \"Gap.\"},\n"
            "{\"begin\": 85, \"end\": 87, \"text\": \"Out of order.\"}"),
     0, SH_OK,
     "t.json:3:11: warning: cue \"p1\" (#1): lasts only 0.3 s (under 0.5 s): check \"begin\" and \"end\", or merge it "
     "with a neighbour\n"
     "t.json:4:11: warning: cue \"p2\" (#2): lasts 69 s (over 60 s), too long to repeat from memory: split it into "
     "shorter cues\n"
     "t.json:5:11: warning: cue \"p3\" (#3): begins at 01:09.500, 0.5 s before cue \"p2\" (#2) ends (01:10.000): the "
     "cues overlap; move this \"begin\" or that \"end\"\n"
     "t.json:6:11: warning: cue \"p4\" (#4): begins 18 s after cue \"p3\" (#3) ends (over 10 s): a paragraph may be "
     "missing, or the times are off\n"
     "t.json:7:11: warning: cue \"p5\" (#5): begins at 01:25.000, before cue \"p4\" (#4) at 01:30.000: cues are "
     "played in file order; move it to its place"},
};

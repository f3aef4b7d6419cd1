// Cassette format, loading, saving and the crash-safe journal.
#include <jubilant/cassette.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/errors.hpp>

namespace jc = jubilant::cassette;
using ::testing::HasSubstr;

namespace {

class TempDir {
public:
    TempDir() {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "cassette-test-XXXXXX").string();
        path_ = ::mkdtemp(tmpl.data());
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

jc::Interaction make_interaction(int i) {
    jc::Interaction in;
    in.args = {"status", "--format", "json", "--model", "m" + std::to_string(i)};
    in.returncode = i % 3;
    in.stdout_text = R"({"model":{"name":"m)" + std::to_string(i) +
                     R"("},"n":[1,25,-3]})"
                     "\n";
    in.stderr_text = "warning: something\nsecond line";
    in.duration = std::chrono::microseconds(1234 + i);
    return in;
}

jc::Cassette make_cassette() {
    jc::Cassette c;
    c.header.created = "2026-11-22T07:16:00Z";
    c.header.toolkit_version = "0.1.0";
    c.header.juju_version = "3.6.1";
    c.header.recorded_from = "subprocess";
    c.header.redactions = 2;
    c.interactions.push_back(make_interaction(0));
    auto in = make_interaction(1);
    in.stdin_text = "line one\nline two\n";
    in.temp_files.push_back(
        {.name = "content.yaml", .sensitive = true, .redacted = true, .content = std::nullopt});
    in.temp_files.push_back({.name = "params.yaml",
                             .sensitive = false,
                             .redacted = false,
                             .content = std::string("a: 1\n")});
    in.timed_out = true;
    in.timeout = std::chrono::milliseconds(5000);
    c.interactions.push_back(in);
    return c;
}

// Every stdout/stdin representation must give back exactly the bytes that went in.
void expect_round_trip(const std::string& bytes) {
    jc::Cassette c = make_cassette();
    c.interactions[0].stdout_text = bytes;
    c.interactions[0].stderr_text = bytes;
    c.interactions[0].stdin_text = bytes;
    const auto back = jc::Cassette::parse(c.to_json());
    EXPECT_EQ(back.interactions[0].stdout_text, bytes);
    EXPECT_EQ(back.interactions[0].stderr_text, bytes);
    EXPECT_EQ(back.interactions[0].stdin_text, bytes);
    EXPECT_EQ(back, c);
}

// A hand-written cassette (as after editing the file) whose one interaction has `stdout` as
// its stdout blob, on a line of its own.
std::string with_stdout(const std::string& stdout_blob) {
    return "{\"format\": \"jubilant-cassette\", \"version\": 1,\n"
           "\"header\": {\"created\": \"\", \"toolkit_version\": \"\", \"recorded_from\": \"\", "
           "\"redactions\": 0},\n"
           "\"interactions\": [{\"args\": [], \"returncode\": 0, \"stderr\": {\"lines\": []},\n"
           "\"stdout\": " +
           stdout_blob + "}]}\n";
}

std::string with_stdout_json(const std::string& value) {
    return with_stdout("{\"newline\": true, \"json\": " + value + "}");
}

// "test.json:LINE:COLUMN:" of the first `needle` inside the stdout JSON value of `text`.
std::string position_in_stdout(const std::string& text, const std::string& needle) {
    const std::string json_key = "\"json\": ";
    const auto at = text.find(needle, text.find(json_key) + json_key.size());
    const auto line = std::count(text.begin(), text.begin() + static_cast<long>(at), '\n') + 1;
    const auto line_start = text.rfind('\n', at) + 1;  // npos + 1 == 0 on the first line
    return "test.json:" + std::to_string(line) + ":" + std::to_string(at - line_start + 1) + ":";
}

// Whether the writer stores `bytes` as a JSON value (rather than as lines or base64).
bool stored_as_json(const std::string& bytes) {
    jc::Cassette c;
    c.interactions.emplace_back();
    c.interactions[0].stdout_text = bytes;
    return c.to_json().find("\"json\": ") != std::string::npos;
}

std::string error_of(const std::string& json) {
    try {
        jc::Cassette::parse(json, "test.json");
    } catch (const jubilant::ParseError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST(CassetteFormat, RoundTripsWholeCassette) {
    const auto c = make_cassette();
    const auto json = c.to_json();
    const auto back = jc::Cassette::parse(json);
    EXPECT_EQ(back, c);
    EXPECT_EQ(back.to_json(), json);  // stable output
}

TEST(CassetteFormat, LayoutIsPrettyWithStableKeyOrder) {
    const auto json = make_cassette().to_json();
    EXPECT_EQ(
        json.rfind("{\n  \"format\": \"jubilant-cassette\",\n  \"version\": 1,\n  \"header\"", 0),
        0u)
        << json;
    EXPECT_THAT(json,
                HasSubstr("\"stdout\": {\n        \"newline\": true,\n        \"json\": {\n"));
    EXPECT_THAT(json, HasSubstr("\"lines\": [\n          \"warning: something\",\n"));
    EXPECT_THAT(json, HasSubstr("\"duration_us\": 1234,"));
    EXPECT_THAT(json, HasSubstr("\"timeout_ms\": 5000"));
    EXPECT_EQ(json.back(), '\n');
}

TEST(CassetteFormat, JsonStdoutStoredAsJsonValue) {
    jc::Cassette c = make_cassette();
    c.interactions[0].stdout_text = R"({"b":[true,null],"a":"x"})";
    const auto json = c.to_json();
    EXPECT_THAT(json, HasSubstr("\"newline\": false,\n        \"json\": {\n          \"b\": [\n"));
    EXPECT_EQ(jc::Cassette::parse(json).interactions[0].stdout_text, c.interactions[0].stdout_text);
}

TEST(CassetteFormat, JsonWhoseReserialisationDiffersFallsBackToLines) {
    for (const std::string bytes :
         {R"({"a":1.0})", R"({"a": 1})", "{\"a\":1}\n\n", R"({"a":"\u003c"})", "{\"a\":1e5}\n",
          R"({"a":1,"a":2})", "  {\"a\":1}", "[1,2]\r\n"}) {
        jc::Cassette c = make_cassette();
        c.interactions[0].stdout_text = bytes;
        const auto json = c.to_json();
        EXPECT_EQ(jc::Cassette::parse(json).interactions[0].stdout_text, bytes) << bytes;
        expect_round_trip(bytes);
    }
}

TEST(CassetteFormat, JsonStdoutRoundTripsExactly) {
    // Stored as JSON values: escapes, strings holding JSON punctuation and white space, extreme
    // integers, nesting. The reader gives back each value's text without the indentation.
    const std::vector<std::string> stored = {
        R"({"s":"say \"hi\" \\ \b\f\n\r\t"})",
        R"({"s":"a\\"})",
        R"({"s":"\u0001\u001f\u0000"})",
        R"({"s":" { [ , : ] } ","t":"a\tb"})",
        "{\"s\":\"caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80\"}",
        R"({"u":18446744073709551615,"i":-9223372036854775808,"z":0,"n":-1})",
        R"([[[],[[1,[2,[3]]]],{}],[],{"a":{"b":{"c":[true,false,null]}}}])",
        R"({"":"","a b":{}})",
        "[]",
        "{}",
        std::string(200, '[') + std::string(200, ']'),
    };
    for (const auto& json : stored) {
        for (const std::string& bytes : {json, json + "\n"}) {
            EXPECT_TRUE(stored_as_json(bytes)) << bytes;
            expect_round_trip(bytes);
        }
    }
    // Valid JSON that older readers would not rebuild exactly: stored as lines, still exact.
    for (const std::string bytes :
         {R"({"s":"caf\u00e9 \ud83d\ude00 \/"})", R"({"big":123456789012345678901234567890})",
          R"({"f":0.5,"e":1e-7,"g":-0.0})", "[1,\n2]"}) {
        EXPECT_FALSE(stored_as_json(bytes)) << bytes;
        expect_round_trip(bytes);
    }
}

TEST(CassetteFormat, TextRoundTripsWithAndWithoutTrailingNewline) {
    for (const std::string& bytes :
         std::vector<std::string>{"", "\n", "\n\n", "a", "a\n", "a\nb", "a\nb\n", "tab\there\r\n",
                                  std::string("nul\0byte", 8), "\x7f\x01\x1f", "é ünïcode ✓\n", "{",
                                  "[1,2", "\"quoted\\\"\""}) {
        expect_round_trip(bytes);
    }
}

TEST(CassetteFormat, NonUtf8IsBase64) {
    for (const std::string bytes : {"\xff", "\xff\xfe", "abc\xc3", "\x80\x81\x82\x83\n"}) {
        jc::Cassette c = make_cassette();
        c.interactions[0].stdout_text = bytes;
        EXPECT_THAT(c.to_json(), HasSubstr("\"base64\": "));
        expect_round_trip(bytes);
    }
}

TEST(CassetteFormat, NonUtf8ArgumentRoundTrips) {
    jc::Cassette c = make_cassette();
    c.interactions[0].args.push_back("bad\xff");
    EXPECT_EQ(jc::Cassette::parse(c.to_json()), c);
}

TEST(CassetteFormat, SensitiveTempFileContentIsNeverWritten) {
    jc::Cassette c = make_cassette();
    c.interactions[0].temp_files.push_back({.name = "secret.yaml",
                                            .sensitive = true,
                                            .redacted = false,
                                            .content = std::string("canary-temp-file-9f3a")});
    const auto json = c.to_json();
    EXPECT_THAT(json, Not(HasSubstr("canary-temp-file-9f3a")));
    const auto back = jc::Cassette::parse(json);
    EXPECT_TRUE(back.interactions[0].temp_files.back().redacted);
    EXPECT_FALSE(back.interactions[0].temp_files.back().content.has_value());
}

TEST(CassetteParse, ErrorsNameFileLineColumnAndExpectation) {
    const auto good = make_cassette().to_json();
    // Wrong type: "returncode": "0".
    std::string bad = good;
    bad.replace(bad.find("\"returncode\": 0"), 15, "\"returncode\": \"0\"");
    const auto rc_line =
        std::count(bad.begin(), bad.begin() + static_cast<long>(bad.find("\"returncode\": \"0\"")),
                   '\n') +
        1;
    const auto msg = error_of(bad);
    EXPECT_THAT(msg, HasSubstr("test.json:" + std::to_string(rc_line) + ":21:"));
    EXPECT_THAT(msg, HasSubstr("expected an integer for \"returncode\", got string"));
}

TEST(CassetteParse, TruncatedFile) {
    const auto good = make_cassette().to_json();
    for (std::size_t cut : {std::size_t{1}, good.size() / 3, good.size() / 2, good.size() - 3}) {
        const auto msg = error_of(good.substr(0, cut));
        EXPECT_THAT(msg, HasSubstr("test.json:")) << cut;
        EXPECT_THAT(msg, Not(HasSubstr("no error"))) << cut;
    }
    EXPECT_THAT(error_of(good.substr(0, good.size() / 2)), HasSubstr("end of input"));
}

TEST(CassetteParse, InvalidJson) {
    EXPECT_THAT(error_of(""), HasSubstr("test.json:1:1: empty input"));
    EXPECT_THAT(error_of("{\n  \"format\": jubilant\n}"), HasSubstr("test.json:2:"));
    EXPECT_THAT(error_of("not json"), HasSubstr("test.json:1:1:"));
}

TEST(CassetteParse, VersionAndFormat) {
    EXPECT_THAT(
        error_of(
            R"({"format": "jubilant-cassette", "version": 2, "header": {}, "interactions": []})"),
        HasSubstr("test.json:1:44: unsupported cassette version 2"));
    EXPECT_THAT(error_of(R"({"format": "jubilant-cassette", "header": {}, "interactions": []})"),
                HasSubstr("test.json:1:1: missing required field \"version\""));
    EXPECT_THAT(error_of(R"({"format": "vcr", "version": 1})"),
                HasSubstr("expected \"format\": \"jubilant-cassette\""));
    EXPECT_THAT(error_of(R"({"version": 1})"), HasSubstr("missing required field \"format\""));
    EXPECT_THAT(error_of(R"({"format": "jubilant-cassette", "version": "1"})"),
                HasSubstr("test.json:1:"));
}

TEST(CassetteParse, MissingAndUnknownFields) {
    const std::string head =
        "{\"format\": \"jubilant-cassette\", \"version\": 1, \"header\": {\"created\": \"\", "
        "\"toolkit_version\": \"\", \"recorded_from\": \"\", \"redactions\": 0}, ";
    EXPECT_NO_THROW(jc::Cassette::parse(head + "\"interactions\": []}"));
    EXPECT_THAT(error_of(head + "\"interactions\": [{\"args\": [], \"returncode\": 0, "
                                "\"stdout\": {\"lines\": []}}]}"),
                HasSubstr("missing required field \"stderr\" in interaction"));
    const std::string misspelt = head + "\"interactions\": [{\"args\": [], \"retruncode\": 0}]}";
    EXPECT_THAT(error_of(misspelt),
                HasSubstr("test.json:1:" + std::to_string(misspelt.find("\"retruncode\"") + 1) +
                          ": unknown field \"retruncode\""));
    // A second value after a string is not taken for a key-value pair, at any depth.
    EXPECT_THAT(error_of(head + "\"interactions\": [{\"args\": [], \"stdin\": null : 1}]}"),
                HasSubstr("invalid JSON"));
    EXPECT_THAT(error_of(head + "\"interactions\": [{\"args\": [\"a\" : \"b\"]}]}"),
                HasSubstr("invalid JSON"));
    EXPECT_THAT(error_of(head + "\"interactions\": [{\"args\": [], \"stdin\": nullx}]}"),
                HasSubstr("invalid literal \"nullx\" (expected null)"));
    EXPECT_THAT(error_of(head + "\"interactions\": [{\"args\": [1]}]}"),
                HasSubstr("expected a string for \"args[]\", got number"));
    EXPECT_THAT(error_of(head + "\"interactions\": [{\"args\": [], \"returncode\": 0, "
                                "\"stdout\": {\"lines\": [], \"base64\": \"\"}}]}"),
                HasSubstr("expected exactly one of"));
    EXPECT_THAT(error_of(head + "\"interactions\": [{\"args\": [], \"returncode\": 1.5}]}"),
                HasSubstr("expected an integer for \"returncode\""));
    EXPECT_THAT(error_of(head + "\"interactions\": [{\"args\": [], \"returncode\": 0, "
                                "\"stdout\": {\"json\": 3}}]}"),
                HasSubstr("expected an object or array"));
}

TEST(CassetteParse, BadBase64) {
    const std::string head =
        "{\"format\": \"jubilant-cassette\", \"version\": 1, \"header\": {\"created\": \"\", "
        "\"toolkit_version\": \"\", \"recorded_from\": \"\", \"redactions\": 0}, "
        "\"interactions\": [{\"args\": [], \"returncode\": 0, \"stderr\": {\"lines\": []}, ";
    const auto msg = error_of(head + "\"stdout\": {\"base64\": \"QUJD*A==\"}}]}");
    const auto col = head.size() + std::string("\"stdout\": {\"base64\": \"QUJD").size() + 1;
    EXPECT_THAT(msg,
                HasSubstr("test.json:1:" + std::to_string(col) + ": invalid base64 in \"stdout\""));
    EXPECT_THAT(error_of(head + "\"stdout\": {\"base64\": \"QUJ\"}}]}"),
                HasSubstr("invalid base64"));
}

TEST(CassetteParse, HandEditedJsonValueKeepsItsSpellingWithoutWhiteSpace) {
    // White space between tokens (spaces, tabs, CR LF) goes; every token's spelling stays.
    const auto c = jc::Cassette::parse(with_stdout_json(
        "{\n\t\"a\" : [ 1.50 , -0 ,\r\n  1E+5, 123456789012345678901234567890 ] ,\n"
        "  \"b\" : \"\\u00e9 x , y\" , \"c\" : { } ,\"d\":[ ] , \"e\" : [ true,null ,false ]\n}"));
    EXPECT_EQ(c.interactions[0].stdout_text,
              R"({"a":[1.50,-0,1E+5,123456789012345678901234567890],"b":"\u00e9 x , y","c":{},)"
              R"("d":[],"e":[true,null,false]})"
              "\n");
    // "json" may come before "newline".
    const auto d =
        jc::Cassette::parse(with_stdout(R"({"json": [ 1, {"a": 2} ], "newline": false})"));
    EXPECT_EQ(d.interactions[0].stdout_text, R"([1,{"a":2}])");
}

TEST(CassetteParse, EscapedNamesAndStringsAreUnescaped) {
    // Names and strings are usually read straight from the file; escaped ones are unescaped.
    const auto c = jc::Cassette::parse(
        "{\"format\": \"jubilant-cassette\", \"versio\\u006e\": 1,\n"
        "\"header\": {\"created\": \"\\u0032026\", \"toolkit_version\": \"a\\\"b\" ,\n"
        "  \"recorded_from\": \"c\\\\\"\n, \"redactions\": 0},\n"
        "\"interactions\": [{\"arg\\u0073\": [\"x y\" ,\n \"\\t\"\n ], \"returncode\": 0,\n"
        "\"stdout\": {\"lines\": [\"\" , \"\\u00e9\"\n]}, \"stderr\": {\"lines\": [\" \"]}}]}\n");
    EXPECT_EQ(c.header.created, "2026");
    EXPECT_EQ(c.header.toolkit_version, "a\"b");
    EXPECT_EQ(c.header.recorded_from, "c\\");
    EXPECT_EQ(c.interactions[0].args, (std::vector<std::string>{"x y", "\t"}));
    EXPECT_EQ(c.interactions[0].stdout_text, "\n\xc3\xa9");
    EXPECT_EQ(c.interactions[0].stderr_text, " ");
}

TEST(CassetteParse, InvalidJsonValueIsLocated) {
    struct Case {
        std::string value;
        std::string at;  ///< the first occurrence of this marks the reported position
        std::string message;
    };
    const std::vector<Case> cases = {
        {"{\"a\": [1,\n  01]}", "01", R"(invalid number "01" in "stdout".json)"},
        {"{\"a\": 2.}", "2.", R"(invalid number "2." in "stdout".json)"},
        {"[-]", "-", R"(invalid number "-" in "stdout".json)"},
        {"[1x]", "1x", R"(invalid number "1x" in "stdout".json)"},
        {"{\"a\":\n tru}", "tru", R"(invalid literal "tru" in "stdout".json)"},
        {"[nulls]", "nulls", R"(invalid literal "nulls" in "stdout".json)"},
        {R"({"a": "\x41"})", "\\x", R"(invalid escape \x in a string in "stdout".json)"},
        // Earlier escapes, "\\" among them, must not throw the position off.
        {"[\"ok \\\\ \\\" \\u00e9\",\n \"\\ud800\"]", "\\ud800",
         R"(invalid escape \ud800 in a string in "stdout".json)"},
        {R"(["\udc00"])", "\\udc00", R"(invalid escape \udc00)"},
        {R"(["\ud800\u0041"])", "\\ud800", R"(invalid escape \ud800)"},
        {R"(["\u12G4"])", "\\u12G4", R"(invalid escape \u12G4)"},
        {"[1,\n ]", "]", R"(expected a JSON value in "stdout".json, got "]")"},
        {"[1, :]", ":", R"(expected a JSON value in "stdout".json, got ":")"},
        {"3", "3", R"(expected an object or array in "stdout".json, got number)"},
        // Skipping a string followed by ':' would take it for a key: each string is consumed.
        {"{\"a\": \"b\" : 1}", ": 1", "invalid JSON ("},
        {"[\"b\" : 1]", ": 1", "invalid JSON ("},
        {std::string(1001, '[') + std::string(1001, ']'), "[]",
         R"("stdout".json is nested more than 1000 levels deep)"},
    };
    for (const auto& c : cases) {
        const auto text = with_stdout_json(c.value);
        const auto msg = error_of(text);
        EXPECT_THAT(msg, HasSubstr(position_in_stdout(text, c.at) + " " + c.message)) << c.value;
    }
    // Structure errors (simdjson's wording), located at the offending token.
    const std::vector<std::pair<std::string, std::string>> structure = {
        {"[1\n 2]", "2]"},      {"{\"a\"\n 1}", "1}"},
        {"{\"a\": 1,\n}", "}"}, {"{\"a\": 1\n \"b\": 2}", "\"b\""},
        {"{\n1: 2}", "1:"},     {"[1\n}", "}"},
        {"[\"a\"\n x]", "x]"},
    };
    for (const auto& [value, at] : structure) {
        const auto text = with_stdout_json(value);
        const auto msg = error_of(text);
        EXPECT_THAT(msg, HasSubstr(position_in_stdout(text, at) + " invalid JSON (")) << value;
        EXPECT_THAT(msg, HasSubstr("while reading a JSON value in \"stdout\".json")) << value;
    }
}

TEST(CassetteParse, ContentAfterTheCassetteIsAnError) {
    const auto good = make_cassette().to_json();
    const auto lines = std::count(good.begin(), good.end(), '\n');
    EXPECT_THAT(error_of(good + "x\n"),
                HasSubstr("test.json:" + std::to_string(lines + 1) +
                          ":1: unexpected \"x\" after the end of the cassette object"));
    EXPECT_THAT(error_of(good + "}"), HasSubstr("unexpected \"}\" after the end"));
    EXPECT_NO_THROW(jc::Cassette::parse(good + " \r\n\t\n"));
}

TEST(CassetteParse, RepeatedFormatOrVersionIsCheckedToo) {
    const auto good = make_cassette().to_json();
    std::string bad = good;
    bad.insert(bad.find("\"header\""), "\"format\": \"vcr\", ");
    EXPECT_THAT(error_of(bad),
                HasSubstr("expected \"format\": \"jubilant-cassette\", got \"vcr\""));
    bad = good;
    bad.insert(bad.find("\"header\""), "\"version\": 2, ");
    EXPECT_THAT(error_of(bad), HasSubstr("unsupported cassette version 2"));
}

TEST(CassetteParse, InvalidUtf8IsLocated) {
    const auto msg = error_of("{\n \"format\": \"jubilant-\xff\"}");
    EXPECT_THAT(msg, HasSubstr("test.json:2:22: invalid UTF-8"));
}

TEST(CassetteFile, SaveIsAtomicAndMode0600EvenOverAnExistingFile) {
    TempDir dir;
    const auto path = dir.path() / "c.json";
    write_file(path, "old");
    ::chmod(path.c_str(), 0644);
    const auto c = make_cassette();
    c.save(path);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(read_file(path), c.to_json());
    EXPECT_EQ(jc::Cassette::load(path), c);
    // No temp files left behind.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                            std::filesystem::directory_iterator()),
              1);
}

TEST(CassetteFile, LoadErrorsNameTheFile) {
    TempDir dir;
    const auto path = dir.path() / "broken.json";
    write_file(path, "{\n  \"format\": \"jubilant-cassette\",\n  \"version\": 7\n}");
    try {
        jc::Cassette::load(path);
        FAIL() << "expected ParseError";
    } catch (const jubilant::ParseError& e) {
        EXPECT_THAT(e.what(), HasSubstr(path.string() + ":3:14: unsupported cassette version 7"));
    }
    EXPECT_THROW(jc::Cassette::load(dir.path() / "missing.json"), jubilant::Error);
}

namespace {

// What Cassette::load says about `path`, run on another thread: a load that blocks (on a FIFO
// nobody writes) is reported instead of hanging the test run. The wait is a hang guard, not a
// speed check: a working load returns at once.
std::string load_message_unless_blocked(const std::filesystem::path& path,
                                        const std::filesystem::path& fifo) {
    auto loading = std::async(std::launch::async, [path] {
        try {
            jc::Cassette::load(path);
            return std::string("loaded");
        } catch (const jubilant::Error& e) {
            return std::string(e.what());
        }
    });
    if (loading.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
        // Open and close the writing end, so the blocked read sees end-of-file and returns.
        const int fd = ::open(fifo.c_str(), O_WRONLY);
        if (fd >= 0) ::close(fd);
        loading.wait();
        return "blocked on the FIFO";
    }
    return loading.get();
}

}  // namespace

TEST(CassetteFile, LoadRefusesAFifoWithoutBlocking) {
    TempDir dir;
    const auto path = dir.path() / "c.json";
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    EXPECT_EQ(load_message_unless_blocked(path, path),
              "cannot read " + path.string() + ": not a regular file (a FIFO)");
}

TEST(CassetteFile, LoadRefusesAJournalThatIsAFifoWithoutBlocking) {
    TempDir dir;
    const auto path = dir.path() / "c.json";
    write_file(path, make_cassette().to_json());
    const auto journal = jc::journal_path(path);
    ASSERT_EQ(::mkfifo(journal.c_str(), 0600), 0);
    EXPECT_EQ(load_message_unless_blocked(path, journal),
              "cannot read " + journal.string() + ": not a regular file (a FIFO)");
}

TEST(CassetteFile, LoadRefusesDirectoriesAndDevices) {
    TempDir dir;
    try {
        jc::Cassette::load(dir.path());
        FAIL() << "loaded a directory";
    } catch (const jubilant::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "cannot read " + dir.path().string() + ": not a regular file (a directory)");
    }
    try {
        jc::Cassette::load("/dev/null");
        FAIL() << "loaded /dev/null";
    } catch (const jubilant::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "cannot read /dev/null: not a regular file (a character device)");
    }
}

TEST(CassetteParse, ByteOrderMarkAndGarbageSayWhatIsWrong) {
    try {
        jc::Cassette::parse("\xEF\xBB\xBF" + make_cassette().to_json(), "bom.json");
        FAIL() << "parsed a cassette with a byte-order mark";
    } catch (const jubilant::ParseError& e) {
        EXPECT_THAT(e.what(), HasSubstr("bom.json:1:1: starts with a UTF-8 byte-order mark"));
    }
    try {
        jc::Cassette::parse("Traceback (most recent call last):\n", "py.json");
        FAIL() << "parsed garbage";
    } catch (const jubilant::ParseError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "py.json:1:1: expected a cassette object, got \"Traceback\"");
    }
}

TEST(CassetteJournal, CloseFoldsIntoCassetteAndRemovesJournal) {
    TempDir dir;
    const auto path = dir.path() / "c.json";
    auto base = make_cassette();
    {
        jc::Journal journal(path, base);
        struct stat st {};
        ASSERT_EQ(::stat(jc::journal_path(path).c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u);
        journal.append(make_interaction(7), 3);
        journal.append(make_interaction(8));
        EXPECT_EQ(journal.cassette().interactions.size(), 4u);
        journal.close();
        journal.close();  // idempotent
    }
    EXPECT_FALSE(std::filesystem::exists(jc::journal_path(path)));
    const auto loaded = jc::Cassette::load(path);
    ASSERT_EQ(loaded.interactions.size(), 4u);
    EXPECT_EQ(loaded.interactions[2], make_interaction(7));
    EXPECT_EQ(loaded.header.redactions, base.header.redactions + 3);
}

TEST(CassetteJournal, LoadRecoversLeftoverJournalIgnoringTornLine) {
    TempDir dir;
    const auto path = dir.path() / "c.json";
    jc::Cassette old = make_cassette();
    old.save(path);
    jc::Cassette base;  // a fresh recording over the old cassette keeps nothing
    base.header.recorded_from = "subprocess";
    // Never destroyed, as in a crash; the static pointer keeps it reachable for LeakSanitizer.
    static jc::Journal* journal = nullptr;
    journal = new jc::Journal(path, base);
    journal->append(make_interaction(5), 1);
    journal->append(make_interaction(6));
    {
        std::ofstream out(jc::journal_path(path), std::ios::app | std::ios::binary);
        out << R"({"redactions":0,"interaction":{"args":["sta)";  // torn
    }
    const auto loaded = jc::Cassette::load(path);
    ASSERT_EQ(loaded.interactions.size(), 2u);
    EXPECT_EQ(loaded.interactions[0], make_interaction(5));
    EXPECT_EQ(loaded.header.redactions, 1);
    EXPECT_FALSE(std::filesystem::exists(jc::journal_path(path)));
    EXPECT_EQ(jc::Cassette::load(path), loaded);  // folded for good
}

TEST(CassetteJournal, SurvivesSigkillMidRecording) {
    TempDir dir;
    const auto path = dir.path() / "killed.json";
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(ready[0]);
        jc::Journal journal(path, jc::Cassette{});
        for (int i = 0;; ++i) {
            journal.append(make_interaction(i));
            if (i == 9) {
                const char byte = 'x';
                if (::write(ready[1], &byte, 1) != 1) ::_exit(3);
            }
        }
    }
    ::close(ready[1]);
    char byte = 0;
    ASSERT_EQ(::read(ready[0], &byte, 1), 1);
    ::close(ready[0]);
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));
    ASSERT_TRUE(std::filesystem::exists(jc::journal_path(path)));
    const auto loaded = jc::Cassette::load(path);
    ASSERT_GE(loaded.interactions.size(), 10u);
    for (std::size_t i = 0; i < loaded.interactions.size(); ++i) {
        EXPECT_EQ(loaded.interactions[i], make_interaction(static_cast<int>(i)));
    }
    EXPECT_FALSE(std::filesystem::exists(jc::journal_path(path)));
    EXPECT_NO_THROW(jc::Cassette::load(path));
}

TEST(CassetteFile, FixtureLoadsAndIsWrittenBackByteForByte) {
    const std::filesystem::path path = JUBILANT_FIXTURES_DIR "/cassettes/example.json";
    const auto c = jc::Cassette::load(path);
    ASSERT_EQ(c.interactions.size(), 2u);
    EXPECT_EQ(
        c.interactions[0].stdout_text,
        "{\"model\":{\"name\":\"m\",\"type\":\"iaas\"},\"machines\":{},\"applications\":{}}\n");
    EXPECT_EQ(c.interactions[1].stdout_text, "\xff");
    EXPECT_EQ(c.interactions[1].stdin_text, "a: 1\n");
    EXPECT_EQ(c.interactions[1].timeout, std::chrono::milliseconds(60000));
    EXPECT_EQ(c.header.juju_version, "3.6.1");
    EXPECT_EQ(c.to_json(), read_file(path));
}

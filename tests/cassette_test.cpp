// Cassette format, loading, saving and the crash-safe journal.
#include <jubilant/cassette.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
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
        std::string tmpl = (std::filesystem::temp_directory_path() / "cassette-test-XXXXXX").string();
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
    in.stdout_text = R"({"model":{"name":"m)" + std::to_string(i) + R"("},"n":[1,25,-3]})" "\n";
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
    in.temp_files.push_back({.name = "content.yaml", .sensitive = true, .redacted = true,
                             .content = std::nullopt});
    in.temp_files.push_back({.name = "params.yaml", .sensitive = false, .redacted = false,
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
    EXPECT_EQ(json.rfind("{\n  \"format\": \"jubilant-cassette\",\n  \"version\": 1,\n  \"header\"", 0),
              0u)
        << json;
    EXPECT_THAT(json, HasSubstr("\"stdout\": {\n        \"newline\": true,\n        \"json\": {\n"));
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

TEST(CassetteFormat, TextRoundTripsWithAndWithoutTrailingNewline) {
    for (const std::string& bytes : std::vector<std::string>{"", "\n", "\n\n", "a", "a\n", "a\nb", "a\nb\n", "tab\there\r\n",
                                    std::string("nul\0byte", 8), "\x7f\x01\x1f", "é ünïcode ✓\n",
                                    "{", "[1,2", "\"quoted\\\"\""}) {
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
    c.interactions[0].temp_files.push_back(
        {.name = "secret.yaml", .sensitive = true, .redacted = false,
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
    const auto rc_line = std::count(bad.begin(), bad.begin() + static_cast<long>(bad.find("\"returncode\": \"0\"")), '\n') + 1;
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
    EXPECT_THAT(error_of(R"({"format": "jubilant-cassette", "version": 2, "header": {}, "interactions": []})"),
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
    EXPECT_THAT(error_of(head + "\"interactions\": [{\"args\": [], \"retruncode\": 0}]}"),
                HasSubstr("unknown field \"retruncode\""));
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
    EXPECT_THAT(msg, HasSubstr("test.json:1:" + std::to_string(col) + ": invalid base64 in \"stdout\""));
    EXPECT_THAT(error_of(head + "\"stdout\": {\"base64\": \"QUJ\"}}]}"), HasSubstr("invalid base64"));
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
    auto* journal = new jc::Journal(path, base);  // leaked on purpose: simulates a crash
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
    EXPECT_EQ(c.interactions[0].stdout_text,
              "{\"model\":{\"name\":\"m\",\"type\":\"iaas\"},\"machines\":{},\"applications\":{}}\n");
    EXPECT_EQ(c.interactions[1].stdout_text, "\xff");
    EXPECT_EQ(c.interactions[1].stdin_text, "a: 1\n");
    EXPECT_EQ(c.interactions[1].timeout, std::chrono::milliseconds(60000));
    EXPECT_EQ(c.header.juju_version, "3.6.1");
    EXPECT_EQ(c.to_json(), read_file(path));
}

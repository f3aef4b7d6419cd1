// Tests of jubilant::FlatMap: std::map's behaviour (order, lookup, insertion rules, erasure,
// equality) on a sorted array of its own, plus the conversions and bulk operations it adds, and
// the array's own bookkeeping: growth, entries built from arguments that point into the map,
// exceptions part-way through, and every entry destroyed exactly once.
#include <jubilant/flat_map.hpp>

#include <algorithm>
#include <compare>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using jubilant::FlatMap;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using namespace std::string_literals;

using Map = FlatMap<std::string, int>;

// Same entries in the same order (std::map's value_type has a const key, so the pairs are of
// different types and do not compare with ==).
bool same_entries(const Map& map, const std::map<std::string, int>& want) {
    return std::equal(
        map.begin(), map.end(), want.begin(), want.end(),
        [](const auto& a, const auto& b) { return a.first == b.first && a.second == b.second; });
}

TEST(FlatMap, StartsEmpty) {
    const Map map;
    EXPECT_TRUE(map.empty());
    EXPECT_EQ(map.size(), 0U);
    EXPECT_EQ(map.begin(), map.end());
    EXPECT_FALSE(map.contains("a"));
    EXPECT_EQ(map.find("a"), map.end());
    EXPECT_EQ(map.count("a"), 0U);
    EXPECT_THROW((void)map.at("a"), std::out_of_range);
}

TEST(FlatMap, InitializerListIsSortedAndTheFirstOfEqualKeysWins) {
    const Map map{{"b", 2}, {"a", 1}, {"c", 3}, {"a", 9}};
    EXPECT_THAT(map, ElementsAre(Pair("a", 1), Pair("b", 2), Pair("c", 3)));
    // The same rule as std::map's.
    const std::map<std::string, int> std_map{{"b", 2}, {"a", 1}, {"c", 3}, {"a", 9}};
    EXPECT_EQ(map, Map(std_map));
}

TEST(FlatMap, OrderIsStdMapsByteWiseOrder) {
    // Numeric-looking keys sort as strings; a key sorts before the longer keys it begins; an
    // embedded NUL is an ordinary byte.
    const std::vector<std::string> keys{"9",         "10",        "1",     "",      "1\x01",
                                        "1\0"s,      "1\0\0"s,    "abc",   "ab",    "\xff",
                                        "machine-1", "machine-0", "a\xc3", "a\x7f", "12345678",
                                        "123456789", "12345677z"};
    std::map<std::string, int> want;
    std::vector<std::pair<std::string, int>> items;
    int i = 0;
    for (const std::string& key : keys) {
        want.emplace(key, i);
        items.emplace_back(key, i);
        ++i;
    }
    const Map map(items.begin(), items.end());
    ASSERT_EQ(map.size(), want.size());
    EXPECT_TRUE(same_entries(map, want));
}

TEST(FlatMap, MatchesStdMapUnderRandomOperations) {
    std::mt19937 random(42);
    std::uniform_int_distribution<int> key_of(0, 60);
    std::uniform_int_distribution<int> op_of(0, 5);
    Map map;
    std::map<std::string, int> want;
    for (int step = 0; step < 5000; ++step) {
        const std::string key = std::to_string(key_of(random));
        switch (op_of(random)) {
        case 0:
            map[key] += step;
            want[key] += step;
            break;
        case 1: EXPECT_EQ(map.insert({key, step}).second, want.insert({key, step}).second); break;
        case 2:
            EXPECT_EQ(map.insert_or_assign(key, step).second,
                      want.insert_or_assign(key, step).second);
            break;
        case 3: EXPECT_EQ(map.erase(key), want.erase(key)); break;
        case 4:
            EXPECT_EQ(map.try_emplace(key, step).second, want.try_emplace(key, step).second);
            break;
        default: EXPECT_EQ(map.count(key), want.count(key)); break;
        }
        ASSERT_TRUE(same_entries(map, want));
    }
}

TEST(FlatMap, LookupAcceptsStringsViewsAndLiterals) {
    Map map{{"pg", 1}, {"redis", 2}};
    const std::string name = "pg";
    const std::string_view view = "redis";
    EXPECT_EQ(map.at(name), 1);
    EXPECT_EQ(map.at("pg"), 1);
    EXPECT_EQ(map.at(view), 2);
    EXPECT_EQ(map.find(view)->second, 2);
    EXPECT_TRUE(map.contains(view));
    EXPECT_FALSE(map.contains("p"));
    EXPECT_FALSE(map.contains("pgx"));
    EXPECT_EQ(map.count("redis"), 1U);
    map.at("pg") = 5;
    EXPECT_EQ(std::as_const(map).at("pg"), 5);
    EXPECT_EQ(std::as_const(map).find("nope"), map.cend());
    EXPECT_THROW((void)map.at("nope"), std::out_of_range);
}

TEST(FlatMap, StructuredBindingsAndReverseIteration) {
    Map map{{"b", 2}, {"a", 1}};
    std::string seen;
    for (const auto& [key, value] : map) seen += key + "=" + std::to_string(value) + ";";
    EXPECT_EQ(seen, "a=1;b=2;");
    for (auto& [key, value] : map) value *= 10;
    EXPECT_EQ(map.at("b"), 20);
    EXPECT_EQ(map.rbegin()->first, "b");
    EXPECT_EQ(std::prev(map.rend())->first, "a");
}

TEST(FlatMap, SubscriptInsertsAValueInitialisedEntryInOrder) {
    Map map{{"a", 1}, {"c", 3}};
    EXPECT_EQ(map["b"], 0);
    map["b"] = 2;
    map[std::string("d")] = 4;
    EXPECT_THAT(map, ElementsAre(Pair("a", 1), Pair("b", 2), Pair("c", 3), Pair("d", 4)));
    map["a"] = 7;  // an existing key is not inserted again
    EXPECT_EQ(map.size(), 4U);
    EXPECT_EQ(map.at("a"), 7);
}

TEST(FlatMap, InsertKeepsAnExistingValueInsertOrAssignReplacesIt) {
    Map map;
    const auto [first, inserted] = map.insert({"a", 1});
    EXPECT_TRUE(inserted);
    EXPECT_EQ(first->second, 1);
    const auto [again, inserted_again] = map.insert({"a", 2});
    EXPECT_FALSE(inserted_again);
    EXPECT_EQ(again->second, 1);
    const auto [assigned, inserted_assigned] = map.insert_or_assign("a", 3);
    EXPECT_FALSE(inserted_assigned);
    EXPECT_EQ(assigned->second, 3);
    EXPECT_TRUE(map.insert_or_assign("b", 4).second);
    EXPECT_TRUE(map.emplace("c", 5).second);
    EXPECT_FALSE(map.emplace("c", 6).second);
    map.insert({{"e", 7}, {"d", 8}, {"a", 9}});
    EXPECT_THAT(map,
                ElementsAre(Pair("a", 3), Pair("b", 4), Pair("c", 5), Pair("d", 8), Pair("e", 7)));
}

TEST(FlatMap, TryEmplaceLeavesItsArgumentsAloneWhenTheKeyExists) {
    FlatMap<std::string, std::unique_ptr<int>> map;
    auto one = std::make_unique<int>(1);
    EXPECT_TRUE(map.try_emplace("x", std::move(one)).second);
    auto two = std::make_unique<int>(2);
    EXPECT_FALSE(map.try_emplace("x", std::move(two)).second);
    ASSERT_NE(two, nullptr);  // not moved from
    EXPECT_EQ(*map.at("x"), 1);
}

TEST(FlatMap, Erase) {
    Map map{{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}, {"e", 5}};
    EXPECT_EQ(map.erase("b"), 1U);
    EXPECT_EQ(map.erase("b"), 0U);
    EXPECT_EQ(map.erase(std::string_view("zz")), 0U);
    const auto next = map.erase(map.find("c"));
    EXPECT_EQ(next->first, "d");
    map.erase(map.cbegin(), std::next(map.cbegin()));
    EXPECT_THAT(map, ElementsAre(Pair("d", 4), Pair("e", 5)));
    EXPECT_EQ(jubilant::erase_if(map, [](const auto& entry) { return entry.second == 5; }), 1U);
    EXPECT_THAT(map, ElementsAre(Pair("d", 4)));
    map.clear();
    EXPECT_THAT(map, IsEmpty());
}

TEST(FlatMap, Bounds) {
    const Map map{{"b", 2}, {"d", 4}};
    EXPECT_EQ(map.lower_bound("a")->first, "b");
    EXPECT_EQ(map.lower_bound("b")->first, "b");
    EXPECT_EQ(map.upper_bound("b")->first, "d");
    EXPECT_EQ(map.lower_bound("c")->first, "d");
    EXPECT_EQ(map.upper_bound("d"), map.end());
    const auto [first, last] = map.equal_range("d");
    EXPECT_EQ(std::distance(first, last), 1);
    const auto [none, none_end] = map.equal_range("c");
    EXPECT_EQ(none, none_end);
}

TEST(FlatMap, EqualityAndOrdering) {
    const Map a{{"x", 1}, {"y", 2}};
    const Map b{{"y", 2}, {"x", 1}};
    const Map c{{"x", 1}, {"y", 3}};
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_NE(a, Map{});
    EXPECT_TRUE(a < c);
    EXPECT_EQ(a <=> b, std::strong_ordering::equal);
}

TEST(FlatMap, CopiesAndMovesAreIndependent) {
    Map a{{"x", 1}};
    Map copy = a;
    copy["y"] = 2;
    EXPECT_EQ(a.size(), 1U);
    Map moved = std::move(copy);
    EXPECT_EQ(moved.size(), 2U);
    a = moved;
    EXPECT_EQ(a, moved);
    Map other{{"z", 3}};
    swap(a, other);
    EXPECT_THAT(a, ElementsAre(Pair("z", 3)));
    EXPECT_EQ(other, moved);
    a = {{"q", 1}, {"p", 2}};
    EXPECT_THAT(a, ElementsAre(Pair("p", 2), Pair("q", 1)));
}

TEST(FlatMap, ConvertsToAndFromStdMap) {
    const std::map<std::string, int> std_map{{"b", 2}, {"a", 1}};
    const Map map = std_map;
    EXPECT_THAT(map, ElementsAre(Pair("a", 1), Pair("b", 2)));
    const std::map<std::string, int> back = map;
    EXPECT_EQ(back, std_map);
    EXPECT_EQ(map, std_map);  // through the implicit conversion
}

TEST(FlatMap, ExtractAndReplaceMoveTheEntriesWithoutSorting) {
    Map map{{"a", 1}, {"b", 2}};
    std::vector<std::pair<std::string, int>> items = std::move(map).extract();
    EXPECT_TRUE(map.empty());  // NOLINT(bugprone-use-after-move): extract() leaves it empty
    ASSERT_EQ(items.size(), 2U);
    items.emplace_back("c", 3);
    map.replace(std::move(items));
    EXPECT_THAT(map, ElementsAre(Pair("a", 1), Pair("b", 2), Pair("c", 3)));
    map.reserve(10);
    EXPECT_GE(map.capacity(), 10U);
}

// A value type that holds a map of itself, as UnitStatus holds its subordinates.
struct Tree {
    int value = 0;
    FlatMap<std::string, Tree> children{};
    bool operator==(const Tree&) const = default;
};

TEST(FlatMap, HoldsItsOwnEnclosingType) {
    Tree root;
    root.children["b"].value = 2;
    root.children["a"].children["x"].value = 1;
    EXPECT_EQ(root.children.begin()->first, "a");
    EXPECT_EQ(root.children.at("a").children.at("x").value, 1);
    Tree copy = root;
    EXPECT_EQ(copy, root);
    copy.children.at("a").children.at("x").value = 3;
    EXPECT_NE(copy, root);
}

// A value that counts its live instances and can be told to throw from its copy constructor,
// whose move constructor may throw as far as the type says: the map must then grow by copying.
struct Counted {
    static inline int live = 0;
    static inline int copies_until_throw = -1;  // < 0: never throw

    int value = 0;

    Counted() { ++live; }
    explicit Counted(int v) : value(v) { ++live; }
    Counted(const Counted& other) : value(other.value) {
        if (copies_until_throw == 0) throw std::runtime_error("copy refused");
        if (copies_until_throw > 0) --copies_until_throw;
        ++live;
    }
    Counted(Counted&& other) noexcept(false) : Counted(static_cast<const Counted&>(other)) {}
    Counted& operator=(const Counted&) = default;
    Counted& operator=(Counted&&) = default;
    ~Counted() { --live; }
    bool operator==(const Counted&) const = default;
};
static_assert(!std::is_nothrow_move_constructible_v<std::pair<std::string, Counted>>);

using CountedMap = FlatMap<std::string, Counted>;

std::vector<std::pair<std::string, int>> entries_of(const CountedMap& map) {
    std::vector<std::pair<std::string, int>> out;
    for (const auto& [key, counted] : map) out.emplace_back(key, counted.value);
    return out;
}

TEST(FlatMap, TryEmplaceWithAHintInsertsWhereTheKeyBelongsWhateverTheHint) {
    Map map;
    for (const char* key : {"a", "c", "e"}) map.try_emplace(map.end(), key, 1);  // in order
    EXPECT_THAT(map, ElementsAre(Pair("a", 1), Pair("c", 1), Pair("e", 1)));
    EXPECT_EQ(map.try_emplace(map.find("c"), "b", 2)->first, "b");  // right hint
    EXPECT_EQ(map.try_emplace(map.end(), "d", 4)->first, "d");      // wrong hint
    EXPECT_EQ(map.try_emplace(map.begin(), "f", 6)->first, "f");    // wrong hint
    const auto existing = map.try_emplace(map.find("e"), "c", 9);   // present: not replaced
    EXPECT_EQ(existing->first, "c");
    EXPECT_EQ(existing->second, 1);
    EXPECT_EQ(map.try_emplace(map.find("d"), "c", 9)->second, 1);  // present, just before hint
    EXPECT_THAT(map, ElementsAre(Pair("a", 1), Pair("b", 2), Pair("c", 1), Pair("d", 4),
                                 Pair("e", 1), Pair("f", 6)));

    // Against std::map with hints anywhere.
    std::mt19937 random(7);
    std::map<std::string, int> want(map.begin(), map.end());
    for (int step = 0; step < 3000; ++step) {
        const std::string key = std::to_string(std::uniform_int_distribution<int>(0, 300)(random));
        const auto at = std::uniform_int_distribution<std::size_t>(0, map.size())(random);
        const auto it = map.try_emplace(map.begin() + at, key, step);
        want.try_emplace(key, step);
        ASSERT_EQ(it->first, key);
        ASSERT_EQ(it->second, want.at(key));
        ASSERT_TRUE(same_entries(map, want));
    }
}

TEST(FlatMap, AnArgumentThatIsAnEntryOfTheMapSurvivesTheMapGrowingOrShifting) {
    FlatMap<std::string, std::string> map;
    map.reserve(2);
    map.try_emplace("a", std::string(100, 'a'));
    map.try_emplace("c", std::string(100, 'c'));
    ASSERT_EQ(map.size(), map.capacity());
    map.try_emplace("d", map.at("a"));  // grows: the argument lives in the old array
    EXPECT_EQ(map.at("d"), std::string(100, 'a'));
    ASSERT_LT(map.size(), map.capacity());
    map.try_emplace("b", map.at("d"));  // shifts "c" and "d" along: the argument moves
    EXPECT_EQ(map.at("b"), std::string(100, 'a'));
    map.insert_or_assign("aa", map.at("c"));
    EXPECT_EQ(map.at("aa"), std::string(100, 'c'));
    EXPECT_EQ(map.at("d"), std::string(100, 'a'));
}

TEST(FlatMap, AnExceptionWhileGrowingLeavesTheMapAsItWas) {
    {
        CountedMap map;
        for (int i = 0; i < 4; ++i)
            map.try_emplace(std::string(1, static_cast<char>('a' + 2 * i)), i);
        ASSERT_EQ(map.size(), map.capacity());
        const auto before = entries_of(map);
        // The value is built first, then the entries are copied (moving may throw); refuse
        // the build itself, then each of the copies in turn, at the front, middle and end.
        for (const char* key : {"0", "d", "z"}) {
            for (int allowed = 0; allowed <= 4; ++allowed) {
                Counted::copies_until_throw = allowed;
                EXPECT_THROW(map.try_emplace(key, Counted(5)), std::runtime_error)
                    << key << " " << allowed;
                Counted::copies_until_throw = -1;
                EXPECT_EQ(entries_of(map), before) << key << " " << allowed;
                EXPECT_EQ(map.size(), map.capacity());
                EXPECT_EQ(Counted::live, 4) << key << " " << allowed;
            }
        }
        // Copying the map, or building one from a range, frees what it copied when a copy
        // throws (the live count would keep the two entries copied before it otherwise).
        Counted::copies_until_throw = 2;
        EXPECT_THROW(CountedMap{map}, std::runtime_error);
        Counted::copies_until_throw = 2;
        EXPECT_THROW(CountedMap(map.begin(), map.end()), std::runtime_error);
        Counted::copies_until_throw = -1;
        EXPECT_EQ(Counted::live, 4);
        Counted::copies_until_throw = 2;  // moving to a bigger array, the third entry
        EXPECT_THROW(map.reserve(100), std::runtime_error);
        Counted::copies_until_throw = -1;
        EXPECT_EQ(entries_of(map), before);
        EXPECT_EQ(Counted::live, 4);
        map.try_emplace("d", 5);  // and it still works
        EXPECT_EQ(map.size(), 5U);
    }
    EXPECT_EQ(Counted::live, 0);
}

TEST(FlatMap, EveryEntryIsDestroyedExactlyOnce) {
    {
        std::mt19937 random(11);
        CountedMap map;
        std::map<std::string, int> want;
        for (int step = 0; step < 4000; ++step) {
            const std::string key =
                std::to_string(std::uniform_int_distribution<int>(0, 80)(random));
            switch (std::uniform_int_distribution<int>(0, 9)(random)) {
            case 0:
                map.insert_or_assign(key, Counted(step));
                want.insert_or_assign(key, step);
                break;
            case 1:
                map.erase(key);
                want.erase(key);
                break;
            case 2:
                map.try_emplace(map.end(), key, step);
                want.try_emplace(key, step);
                break;
            case 3: {
                const auto first =
                    std::uniform_int_distribution<std::size_t>(0, map.size())(random);
                const auto last =
                    std::uniform_int_distribution<std::size_t>(first, map.size())(random);
                const auto gone = std::next(want.begin(), static_cast<std::ptrdiff_t>(first));
                want.erase(gone, std::next(gone, static_cast<std::ptrdiff_t>(last - first)));
                map.erase(map.cbegin() + first, map.cbegin() + last);
                break;
            }
            case 4:
                jubilant::erase_if(map, [](const auto& e) { return e.second.value % 3 == 0; });
                std::erase_if(want, [](const auto& e) { return e.second % 3 == 0; });
                break;
            case 5: map.shrink_to_fit(); break;
            case 6: map.reserve(map.size() + 7); break;
            case 7: {
                CountedMap copy(map);
                map = copy;  // copy assignment over a non-empty map
                map = std::move(copy);
                break;
            }
            case 8: {
                CountedMap& self = map;
                map = self;
                map = std::move(self);
                break;
            }
            default:
                map.try_emplace(key, step);
                want.try_emplace(key, step);
                break;
            }
            ASSERT_EQ(Counted::live, static_cast<int>(map.size())) << step;
            std::vector<std::pair<std::string, int>> expected(want.begin(), want.end());
            ASSERT_EQ(entries_of(map), expected) << step;
        }
        std::vector<std::pair<std::string, Counted>> items = std::move(map).extract();
        EXPECT_EQ(Counted::live, static_cast<int>(items.size()));
        map.replace(std::move(items));
        EXPECT_EQ(Counted::live, static_cast<int>(map.size()));
    }
    EXPECT_EQ(Counted::live, 0);
}

}  // namespace

// Tests of jubilant::FlatMap: std::map's behaviour (order, lookup, insertion rules, erasure,
// equality) on a sorted vector, plus the conversions and bulk operations it adds.
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

}  // namespace

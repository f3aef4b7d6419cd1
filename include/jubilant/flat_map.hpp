// jubilant::FlatMap: a sorted map kept in one contiguous array, used for the maps of the status
// types.
//
// A `juju status` of 10,000 units holds tens of thousands of map entries; as std::map each is a
// separately allocated tree node (over 1 KiB for a machine), and allocating, walking and freeing
// those nodes was most of what parsing cost beyond the JSON itself. A FlatMap holds all of its
// entries in one std::vector of key/value pairs sorted by key, so a map costs one allocation
// however many entries it has, and iterating it walks memory in order.
//
// The interface is std::map's (find, at, contains, count, operator[], insert, try_emplace,
// insert_or_assign, erase, lower_bound, ..., iteration in key order yielding pairs that work
// with structured bindings), with these differences:
//
// - Inserting or erasing invalidates iterators, pointers and references to other entries (as
//   with std::vector). Take references only after the map has been filled.
// - value_type is std::pair<Key, T>, not std::pair<const Key, T>: iterators give access to the
//   key, and changing a key through one breaks the map's order.
// - Inserting or erasing one entry costs time linear in the size of the map; lookups are binary
//   searches. Fill a large map in one go (from a range, or with replace()) rather than one
//   entry at a time.
// - Lookups are heterogeneous by default (Compare is std::less<>), so find("pg") or
//   find(std::string_view) does not build a std::string.
//
// A FlatMap converts implicitly to and from the std::map of the same key and value types.
#pragma once

#include <algorithm>
#include <cassert>
#include <compare>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <map>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace jubilant {

/// A map from Key to T kept as a vector of pairs sorted by key; see the file comment for how it
/// differs from std::map.
template <class Key, class T, class Compare = std::less<>>
class FlatMap {
public:
    using key_type = Key;
    using mapped_type = T;
    using value_type = std::pair<Key, T>;
    using key_compare = Compare;
    using container_type = std::vector<value_type>;
    using size_type = typename container_type::size_type;
    using difference_type = typename container_type::difference_type;
    using reference = value_type&;
    using const_reference = const value_type&;
    using pointer = value_type*;
    using const_pointer = const value_type*;
    using iterator = typename container_type::iterator;
    using const_iterator = typename container_type::const_iterator;
    using reverse_iterator = typename container_type::reverse_iterator;
    using const_reverse_iterator = typename container_type::const_reverse_iterator;

    /// Orders entries by key, as std::map::value_compare does.
    class value_compare {
    public:
        bool operator()(const value_type& a, const value_type& b) const {
            return comp_(a.first, b.first);
        }

    private:
        friend class FlatMap;
        explicit value_compare(Compare comp) : comp_(std::move(comp)) {}
        Compare comp_;
    };

    /// An empty map.
    FlatMap() = default;

    // Copying and destroying are defined below the class, not in it, so that a map type the
    // library instantiates explicitly (the status types' maps, see statustypes.hpp) is
    // destroyed and copied by the library's code rather than compiled again in every test file
    // that holds a Status. Moving stays inline: it is a few pointer stores.

    /// A copy of `other`.
    FlatMap(const FlatMap& other);
    /// Takes `other`'s entries, leaving it empty.
    FlatMap(FlatMap&& other) noexcept = default;
    /// Replaces the entries with a copy of `other`'s.
    FlatMap& operator=(const FlatMap& other);
    /// Takes `other`'s entries.
    FlatMap& operator=(FlatMap&& other) noexcept = default;
    ~FlatMap();

    /// An empty map ordered by `comp`.
    explicit FlatMap(const Compare& comp) : comp_(comp) {}

    /// The entries of [first, last); of entries with equal keys the first is kept, as std::map
    /// does.
    template <std::input_iterator It>
    FlatMap(It first, It last, const Compare& comp = Compare()) : items_(first, last), comp_(comp) {
        sort_and_unique();
    }

    /// The given entries; of entries with equal keys the first is kept, as std::map does.
    FlatMap(std::initializer_list<value_type> items, const Compare& comp = Compare())
        : FlatMap(items.begin(), items.end(), comp) {}

    /// The entries of `map`, in its order.
    template <class C, class A>
    FlatMap(const std::map<Key, T, C, A>& map)  // NOLINT(google-explicit-constructor)
        : FlatMap(map.begin(), map.end()) {}

    /// The entries in a std::map (implicit, so code that stores a status map in a std::map
    /// keeps compiling).
    template <class C, class A>
    operator std::map<Key, T, C, A>() const {  // NOLINT(google-explicit-constructor)
        return std::map<Key, T, C, A>(items_.begin(), items_.end());
    }

    /// Replaces the contents with the given entries (first of equal keys kept).
    FlatMap& operator=(std::initializer_list<value_type> items) {
        items_.assign(items.begin(), items.end());
        sort_and_unique();
        return *this;
    }

    // Iteration, in key order.

    iterator begin() noexcept { return items_.begin(); }
    const_iterator begin() const noexcept { return items_.begin(); }
    const_iterator cbegin() const noexcept { return items_.cbegin(); }
    iterator end() noexcept { return items_.end(); }
    const_iterator end() const noexcept { return items_.end(); }
    const_iterator cend() const noexcept { return items_.cend(); }
    reverse_iterator rbegin() noexcept { return items_.rbegin(); }
    const_reverse_iterator rbegin() const noexcept { return items_.rbegin(); }
    const_reverse_iterator crbegin() const noexcept { return items_.crbegin(); }
    reverse_iterator rend() noexcept { return items_.rend(); }
    const_reverse_iterator rend() const noexcept { return items_.rend(); }
    const_reverse_iterator crend() const noexcept { return items_.crend(); }

    // Size.

    /// Whether the map has no entries.
    [[nodiscard]] bool empty() const noexcept { return items_.empty(); }
    /// Number of entries.
    size_type size() const noexcept { return items_.size(); }
    /// Largest possible number of entries.
    size_type max_size() const noexcept { return items_.max_size(); }
    /// Number of entries the map holds without allocating again.
    size_type capacity() const noexcept { return items_.capacity(); }
    /// Makes room for `n` entries.
    void reserve(size_type n) { items_.reserve(n); }
    /// Releases unused capacity.
    void shrink_to_fit() { items_.shrink_to_fit(); }

    // Lookup. K is Key or, with a transparent Compare such as std::less<>, anything comparable
    // with Key (std::string_view or a string literal for std::string keys).

    /// The entry with key `key`, or end().
    template <class K = Key>
    iterator find(const K& key) {
        const iterator it = lower_bound(key);
        return it != end() && !comp_(key, it->first) ? it : end();
    }
    /// The entry with key `key`, or end().
    template <class K = Key>
    const_iterator find(const K& key) const {
        const const_iterator it = lower_bound(key);
        return it != end() && !comp_(key, it->first) ? it : end();
    }

    /// Whether there is an entry with key `key`.
    template <class K = Key>
    bool contains(const K& key) const {
        return find(key) != end();
    }

    /// 1 if there is an entry with key `key`, else 0.
    template <class K = Key>
    size_type count(const K& key) const {
        return contains(key) ? 1 : 0;
    }

    /// The value for `key`; throws std::out_of_range when there is none.
    template <class K = Key>
    T& at(const K& key) {
        const iterator it = find(key);
        if (it == end()) throw std::out_of_range("FlatMap::at: key not found");
        return it->second;
    }
    /// The value for `key`; throws std::out_of_range when there is none.
    template <class K = Key>
    const T& at(const K& key) const {
        const const_iterator it = find(key);
        if (it == end()) throw std::out_of_range("FlatMap::at: key not found");
        return it->second;
    }

    /// The value for `key`, inserting a value-initialised one first if there is none.
    T& operator[](const Key& key) { return try_emplace(key).first->second; }
    /// The value for `key`, inserting a value-initialised one first if there is none.
    T& operator[](Key&& key) { return try_emplace(std::move(key)).first->second; }

    /// The first entry whose key is not less than `key`.
    template <class K = Key>
    iterator lower_bound(const K& key) {
        return std::partition_point(begin(), end(),
                                    [&](const value_type& v) { return comp_(v.first, key); });
    }
    /// The first entry whose key is not less than `key`.
    template <class K = Key>
    const_iterator lower_bound(const K& key) const {
        return std::partition_point(begin(), end(),
                                    [&](const value_type& v) { return comp_(v.first, key); });
    }
    /// The first entry whose key is greater than `key`.
    template <class K = Key>
    iterator upper_bound(const K& key) {
        return std::partition_point(begin(), end(),
                                    [&](const value_type& v) { return !comp_(key, v.first); });
    }
    /// The first entry whose key is greater than `key`.
    template <class K = Key>
    const_iterator upper_bound(const K& key) const {
        return std::partition_point(begin(), end(),
                                    [&](const value_type& v) { return !comp_(key, v.first); });
    }
    /// [lower_bound(key), upper_bound(key)).
    template <class K = Key>
    std::pair<iterator, iterator> equal_range(const K& key) {
        const iterator first = lower_bound(key);
        return {first, first != end() && !comp_(key, first->first) ? first + 1 : first};
    }
    /// [lower_bound(key), upper_bound(key)).
    template <class K = Key>
    std::pair<const_iterator, const_iterator> equal_range(const K& key) const {
        const const_iterator first = lower_bound(key);
        return {first, first != end() && !comp_(key, first->first) ? first + 1 : first};
    }

    // Modifiers. Each one that inserts or erases invalidates every iterator and reference.

    /// Inserts `value` unless its key is present; returns the entry and whether it was inserted.
    std::pair<iterator, bool> insert(const value_type& value) {
        return try_emplace(value.first, value.second);
    }
    /// Inserts `value` unless its key is present; returns the entry and whether it was inserted.
    std::pair<iterator, bool> insert(value_type&& value) {
        return try_emplace(std::move(value.first), std::move(value.second));
    }
    /// Inserts each entry whose key is not present yet (the first of equal keys wins).
    template <std::input_iterator It>
    void insert(It first, It last) {
        for (; first != last; ++first) insert(*first);
    }
    /// Inserts each entry whose key is not present yet (the first of equal keys wins).
    void insert(std::initializer_list<value_type> items) { insert(items.begin(), items.end()); }

    /// Builds an entry from `args` and inserts it unless its key is present.
    template <class... Args>
    std::pair<iterator, bool> emplace(Args&&... args) {
        value_type value(std::forward<Args>(args)...);
        return insert(std::move(value));
    }

    /// Inserts T(args...) under `key` unless `key` is present (then `args` are left untouched).
    // clang-format 14 cannot lay out a requires-clause.
    // clang-format off
    template <class K, class... Args>
        requires std::is_constructible_v<Key, K&&>
    std::pair<iterator, bool> try_emplace(K&& key, Args&&... args) {
        const iterator it = lower_bound(key);
        if (it != end() && !comp_(key, it->first)) return {it, false};
        return {items_.emplace(it, std::piecewise_construct,
                               std::forward_as_tuple(std::forward<K>(key)),
                               std::forward_as_tuple(std::forward<Args>(args)...)),
                true};
    }
    // clang-format on

    /// Sets the value for `key`, inserting it if absent; returns the entry and whether it was
    /// inserted.
    // clang-format 14 cannot lay out a requires-clause.
    // clang-format off
    template <class K, class M>
        requires std::is_constructible_v<Key, K&&>
    std::pair<iterator, bool> insert_or_assign(K&& key, M&& value) {
        const iterator it = lower_bound(key);
        if (it != end() && !comp_(key, it->first)) {
            it->second = std::forward<M>(value);
            return {it, false};
        }
        return {items_.emplace(it, std::forward<K>(key), std::forward<M>(value)), true};
    }
    // clang-format on

    /// Removes the entry at `pos`; returns the entry after it.
    iterator erase(const_iterator pos) { return items_.erase(pos); }
    /// Removes the entry at `pos`; returns the entry after it.
    iterator erase(iterator pos) { return items_.erase(pos); }
    /// Removes the entries in [first, last); returns the entry after them.
    iterator erase(const_iterator first, const_iterator last) { return items_.erase(first, last); }
    /// Removes the entry with key `key`, if any; returns how many were removed (0 or 1).
    // clang-format 14 cannot lay out a requires-clause.
    // clang-format off
    template <class K = Key>
        requires(!std::is_convertible_v<const K&, const_iterator> &&
                 !std::is_convertible_v<const K&, iterator>)
    size_type erase(const K& key) {
        const iterator it = find(key);
        if (it == end()) return 0;
        items_.erase(it);
        return 1;
    }
    // clang-format on

    /// Removes every entry (keeping the capacity).
    void clear() noexcept { items_.clear(); }

    /// Exchanges the contents of two maps.
    void swap(FlatMap& other) noexcept(std::is_nothrow_swappable_v<Compare>) {
        using std::swap;
        items_.swap(other.items_);
        swap(comp_, other.comp_);
    }
    /// Exchanges the contents of two maps.
    friend void swap(FlatMap& a, FlatMap& b) noexcept(noexcept(a.swap(b))) { a.swap(b); }

    // Bulk access, as in C++23's std::flat_map: move the entries out, or put a vector of
    // entries in without sorting it again.

    /// Moves the entries out, leaving the map empty.
    container_type extract() && {
        container_type out = std::move(items_);
        items_.clear();
        return out;
    }

    /// Takes `items` as the new contents. Precondition: sorted by key with no two keys equal
    /// (checked only in debug builds).
    void replace(container_type&& items) {
        items_ = std::move(items);
        assert(is_sorted_unique());
    }

    /// The key comparison.
    key_compare key_comp() const { return comp_; }
    /// The comparison of entries by key.
    value_compare value_comp() const { return value_compare(comp_); }

    /// Whether both maps have the same entries.
    friend bool operator==(const FlatMap& a, const FlatMap& b) { return a.items_ == b.items_; }

    /// Lexicographic comparison of the entries, when T is ordered.
    // clang-format 14 cannot lay out a requires-clause.
    // clang-format off
    friend auto operator<=>(const FlatMap& a, const FlatMap& b)
        requires std::three_way_comparable<T>
    {
        return std::lexicographical_compare_three_way(a.begin(), a.end(), b.begin(), b.end());
    }
    // clang-format on

private:
    bool is_sorted_unique() const {
        return std::adjacent_find(items_.begin(), items_.end(),
                                  [this](const value_type& a, const value_type& b) {
                                      return !comp_(a.first, b.first);
                                  }) == items_.end();
    }

    void sort_and_unique() {
        if (is_sorted_unique()) return;
        std::stable_sort(items_.begin(), items_.end(), value_compare(comp_));
        const auto last = std::unique(
            items_.begin(), items_.end(),
            [this](const value_type& a, const value_type& b) { return !comp_(a.first, b.first); });
        items_.erase(last, items_.end());
    }

    container_type items_;
    [[no_unique_address]] Compare comp_{};
};

template <class Key, class T, class Compare>
inline FlatMap<Key, T, Compare>::FlatMap(const FlatMap&) = default;
template <class Key, class T, class Compare>
inline FlatMap<Key, T, Compare>& FlatMap<Key, T, Compare>::operator=(const FlatMap&) = default;
template <class Key, class T, class Compare>
inline FlatMap<Key, T, Compare>::~FlatMap() = default;

/// Removes the entries for which `pred(entry)` holds; returns how many were removed.
template <class Key, class T, class Compare, class Pred>
typename FlatMap<Key, T, Compare>::size_type erase_if(FlatMap<Key, T, Compare>& map, Pred pred) {
    std::vector<std::pair<Key, T>> items = std::move(map).extract();
    const auto removed = std::erase_if(items, pred);
    map.replace(std::move(items));
    return removed;
}

}  // namespace jubilant

// jubilant::FlatMap: a sorted map kept in one contiguous array, used for the maps of the status
// types.
//
// A `juju status` of 10,000 units holds tens of thousands of map entries; as std::map each is a
// separately allocated tree node (over 1 KiB for a machine), and allocating, walking and freeing
// those nodes was most of what parsing cost beyond the JSON itself. A FlatMap holds all of its
// entries in one array of key/value pairs sorted by key, so a map costs one allocation however
// many entries it has, and iterating it walks memory in order.
//
// The array is the map's own (three pointers, as in std::vector, and pointers as iterators)
// rather than a std::vector member: a class that holds a std::vector makes every file that
// names the class instantiate that vector, and the status types name 18 maps, which cost a test
// file that includes juju.hpp about a tenth of its compile time. The members are instantiated
// only where they are used, and the status maps' members once, in the library.
//
// The interface is std::map's (find, at, contains, count, operator[], insert, try_emplace,
// insert_or_assign, erase, lower_bound, ..., iteration in key order yielding pairs that work
// with structured bindings), with these differences:
//
// - Inserting or erasing invalidates iterators, pointers and references to other entries (as
//   with std::vector). Take references only after the map has been filled. Iterators are
//   pointers to the entries.
// - value_type is std::pair<Key, T>, not std::pair<const Key, T>: iterators give access to the
//   key, and changing a key through one breaks the map's order.
// - Inserting or erasing one entry costs time linear in the size of the map; lookups are binary
//   searches. Fill a large map in one go (from a range), or in key order with end() as the
//   hint of try_emplace(hint, key, args...) (constant time each, amortised).
// - Lookups are heterogeneous by default (Compare is std::less<>), so find("pg") or
//   find(std::string_view) does not build a std::string.
//
// A FlatMap converts implicitly to and from the std::map of the same key and value types.
#pragma once

#include <algorithm>
#include <cassert>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace jubilant {

/// A map from Key to T kept as an array of pairs sorted by key; see the file comment for how it
/// differs from std::map.
template <class Key, class T, class Compare = std::less<>>
class FlatMap {
public:
    using key_type = Key;
    using mapped_type = T;
    using value_type = std::pair<Key, T>;
    using key_compare = Compare;
    /// What extract() returns and replace() takes.
    using container_type = std::vector<value_type>;
    using size_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    using reference = value_type&;
    using const_reference = const value_type&;
    using pointer = value_type*;
    using const_pointer = const value_type*;
    using iterator = value_type*;
    using const_iterator = const value_type*;
    using reverse_iterator = std::reverse_iterator<iterator>;
    using const_reverse_iterator = std::reverse_iterator<const_iterator>;

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
    //
    // The constructors that copy entries delegate to FlatMap(const Compare&) first: the map is
    // then constructed, so should an entry's copy throw, the destructor frees what was copied.

    /// A copy of `other`.
    FlatMap(const FlatMap& other);
    /// Takes `other`'s entries, leaving it empty.
    FlatMap(FlatMap&& other) noexcept
        : first_(std::exchange(other.first_, nullptr)),
          last_(std::exchange(other.last_, nullptr)),
          end_of_storage_(std::exchange(other.end_of_storage_, nullptr)),
          comp_(other.comp_) {}
    /// Replaces the entries with a copy of `other`'s.
    FlatMap& operator=(const FlatMap& other);
    /// Takes `other`'s entries, leaving it empty.
    FlatMap& operator=(FlatMap&& other) noexcept {
        FlatMap taken(std::move(other));
        swap(taken);
        return *this;
    }
    ~FlatMap();

    /// An empty map ordered by `comp`.
    explicit FlatMap(const Compare& comp) : comp_(comp) {}

    /// The entries of [first, last); of entries with equal keys the first is kept, as std::map
    /// does.
    template <std::input_iterator It>
    FlatMap(It first, It last, const Compare& comp = Compare()) : FlatMap(comp) {
        append(first, last);
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
        return std::map<Key, T, C, A>(begin(), end());
    }

    /// Replaces the contents with the given entries (first of equal keys kept).
    FlatMap& operator=(std::initializer_list<value_type> items) {
        clear();
        append(items.begin(), items.end());
        sort_and_unique();
        return *this;
    }

    // Iteration, in key order.

    iterator begin() noexcept { return first_; }
    const_iterator begin() const noexcept { return first_; }
    const_iterator cbegin() const noexcept { return first_; }
    iterator end() noexcept { return last_; }
    const_iterator end() const noexcept { return last_; }
    const_iterator cend() const noexcept { return last_; }
    reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
    const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
    const_reverse_iterator crbegin() const noexcept { return rbegin(); }
    reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
    const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }
    const_reverse_iterator crend() const noexcept { return rend(); }

    // Size.

    /// Whether the map has no entries.
    [[nodiscard]] bool empty() const noexcept { return first_ == last_; }
    /// Number of entries.
    size_type size() const noexcept { return static_cast<size_type>(last_ - first_); }
    /// Largest possible number of entries.
    size_type max_size() const noexcept {
        return static_cast<size_type>(PTRDIFF_MAX) / sizeof(value_type);
    }
    /// Number of entries the map holds without allocating again.
    size_type capacity() const noexcept { return static_cast<size_type>(end_of_storage_ - first_); }
    /// Makes room for `n` entries.
    void reserve(size_type n) {
        if (n > capacity()) reallocate(n);
    }
    /// Releases unused capacity.
    void shrink_to_fit() {
        if (capacity() > size()) reallocate(size());
    }

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
        return {emplace_at(it, std::piecewise_construct,
                           std::forward_as_tuple(std::forward<K>(key)),
                           std::forward_as_tuple(std::forward<Args>(args)...)),
                true};
    }

    /// As try_emplace(key, args...), in constant time (amortised) when the entry belongs just
    /// before `hint`: end() as the hint fills a map in key order cheaply, as std::map's hint
    /// does. Returns the entry for `key`, inserted or not.
    template <class K, class... Args>
        requires std::is_constructible_v<Key, K&&>
    iterator try_emplace(const_iterator hint, K&& key, Args&&... args) {
        const bool after_previous = hint == begin() || comp_((hint - 1)->first, key);
        const bool before_hint = hint == end() || comp_(key, hint->first);
        if (!after_previous || !before_hint) {
            return try_emplace(std::forward<K>(key), std::forward<Args>(args)...).first;
        }
        return emplace_at(hint, std::piecewise_construct,
                          std::forward_as_tuple(std::forward<K>(key)),
                          std::forward_as_tuple(std::forward<Args>(args)...));
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
        return {emplace_at(it, std::forward<K>(key), std::forward<M>(value)), true};
    }
    // clang-format on

    /// Removes the entry at `pos`; returns the entry after it.
    iterator erase(const_iterator pos) { return erase(pos, pos + 1); }
    /// Removes the entry at `pos`; returns the entry after it.
    iterator erase(iterator pos) { return erase(const_iterator(pos)); }
    /// Removes the entries in [first, last); returns the entry after them.
    iterator erase(const_iterator first, const_iterator last) {
        const iterator from = first_ + (first - first_);
        if (first != last) truncate(std::move(from + (last - first), last_, from));
        return from;
    }
    /// Removes the entry with key `key`, if any; returns how many were removed (0 or 1).
    // clang-format 14 cannot lay out a requires-clause.
    // clang-format off
    template <class K = Key>
        requires(!std::is_convertible_v<const K&, const_iterator> &&
                 !std::is_convertible_v<const K&, iterator>)
    size_type erase(const K& key) {
        const iterator it = find(key);
        if (it == end()) return 0;
        erase(it);
        return 1;
    }
    // clang-format on

    /// Removes every entry (keeping the capacity).
    void clear() noexcept { truncate(first_); }

    /// Exchanges the contents of two maps.
    void swap(FlatMap& other) noexcept(std::is_nothrow_swappable_v<Compare>) {
        using std::swap;
        swap(first_, other.first_);
        swap(last_, other.last_);
        swap(end_of_storage_, other.end_of_storage_);
        swap(comp_, other.comp_);
    }
    /// Exchanges the contents of two maps.
    friend void swap(FlatMap& a, FlatMap& b) noexcept(noexcept(a.swap(b))) { a.swap(b); }

    // Bulk access, as in C++23's std::flat_map: move the entries out, or put a vector of
    // entries in without sorting it again. Each moves every entry once.

    /// Moves the entries out into a vector, leaving the map empty.
    container_type extract() && {
        container_type out;
        out.reserve(size());
        for (value_type& item : *this) out.push_back(std::move(item));
        clear();
        return out;
    }

    /// Takes `items` as the new contents. Precondition: sorted by key with no two keys equal
    /// (checked only in debug builds).
    void replace(container_type&& items) {
        clear();
        append(std::make_move_iterator(items.begin()), std::make_move_iterator(items.end()));
        items.clear();
        assert(is_sorted_unique());
    }

    /// The key comparison.
    key_compare key_comp() const { return comp_; }
    /// The comparison of entries by key.
    value_compare value_comp() const { return value_compare(comp_); }

    /// Whether both maps have the same entries.
    friend bool operator==(const FlatMap& a, const FlatMap& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end());
    }

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
    using Allocator = std::allocator<value_type>;

    bool is_sorted_unique() const {
        return std::adjacent_find(begin(), end(), [this](const value_type& a, const value_type& b) {
                   return !comp_(a.first, b.first);
               }) == end();
    }

    void sort_and_unique() {
        if (is_sorted_unique()) return;
        std::stable_sort(begin(), end(), value_compare(comp_));
        truncate(std::unique(begin(), end(), [this](const value_type& a, const value_type& b) {
            return !comp_(a.first, b.first);
        }));
    }

    // Destroys the entries from `new_last` on.
    void truncate(iterator new_last) noexcept {
        std::destroy(new_last, last_);
        last_ = new_last;
    }

    // Appends [first, last) unsorted (the caller sorts).
    template <class It>
    void append(It first, It last) {
        if constexpr (std::forward_iterator<It>) {
            reserve(size() + static_cast<size_type>(std::distance(first, last)));
        }
        for (; first != last; ++first) emplace_at(end(), *first);
    }

    // Moves (or, when moving may throw and copying may not, copies) [first, last) into the
    // uninitialised memory at `out`, as std::vector does when it grows.
    static iterator relocate(iterator first, iterator last, iterator out) {
        if constexpr (std::is_nothrow_move_constructible_v<value_type> ||
                      !std::is_copy_constructible_v<value_type>) {
            return std::uninitialized_move(first, last, out);
        } else {
            return std::uninitialized_copy(first, last, out);
        }
    }

    // Builds an entry from `args` at `pos`, moving the entries after it along by one. The new
    // entry is built before anything moves, so `args` may refer to an entry of this map.
    template <class... Args>
    iterator emplace_at(const_iterator pos, Args&&... args) {
        const auto index = static_cast<size_type>(pos - first_);
        if (last_ == end_of_storage_) {
            const size_type grown = std::max<size_type>(2 * capacity(), 4);
            FlatMap bigger(comp_);
            bigger.first_ = Allocator().allocate(grown);
            bigger.last_ = bigger.first_;
            bigger.end_of_storage_ = bigger.first_ + grown;
            // If a step throws, `bigger` frees what it holds so far, and this map is as it
            // was (unless its entries can only be moved and moving one threw).
            const iterator hole = bigger.first_ + index;
            std::construct_at(hole, std::forward<Args>(args)...);
            try {
                relocate(first_, first_ + index, bigger.first_);
            } catch (...) {
                std::destroy_at(hole);
                throw;
            }
            bigger.last_ = hole + 1;
            bigger.last_ = relocate(first_ + index, last_, hole + 1);
            swap(bigger);
            return first_ + index;
        }
        if (index == size()) {
            std::construct_at(last_, std::forward<Args>(args)...);
            return last_++;
        }
        value_type entry(std::forward<Args>(args)...);
        std::construct_at(last_, std::move(*(last_ - 1)));
        ++last_;
        std::move_backward(first_ + index, last_ - 2, last_ - 1);
        first_[index] = std::move(entry);
        return first_ + index;
    }

    // Gives the map a buffer of `n` entries (n >= size()), moving the entries into it.
    void reallocate(size_type n) {
        FlatMap moved(comp_);
        if (n > 0) {
            moved.first_ = Allocator().allocate(n);
            moved.last_ = moved.first_;
            moved.end_of_storage_ = moved.first_ + n;
            moved.last_ = relocate(first_, last_, moved.first_);
        }
        swap(moved);
    }

    iterator first_ = nullptr;
    iterator last_ = nullptr;
    iterator end_of_storage_ = nullptr;
    [[no_unique_address]] Compare comp_{};
};

template <class Key, class T, class Compare>
inline FlatMap<Key, T, Compare>::FlatMap(const FlatMap& other) : FlatMap(other.comp_) {
    append(other.begin(), other.end());
}
template <class Key, class T, class Compare>
inline FlatMap<Key, T, Compare>& FlatMap<Key, T, Compare>::operator=(const FlatMap& other) {
    if (this != &other) {
        FlatMap copy(other);
        swap(copy);
    }
    return *this;
}
template <class Key, class T, class Compare>
inline FlatMap<Key, T, Compare>::~FlatMap() {
    std::destroy(first_, last_);
    if (first_ != nullptr) Allocator().deallocate(first_, capacity());
}

/// Removes the entries for which `pred(entry)` holds; returns how many were removed.
template <class Key, class T, class Compare, class Pred>
typename FlatMap<Key, T, Compare>::size_type erase_if(FlatMap<Key, T, Compare>& map, Pred pred) {
    const auto before = map.size();
    map.erase(std::remove_if(map.begin(), map.end(), pred), map.end());
    return before - map.size();
}

}  // namespace jubilant

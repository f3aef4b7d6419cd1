#include "support/tab_writer.hpp"

#include <algorithm>

namespace jubilant::fake {
namespace {

constexpr std::size_t padding = 2;

// Go measures cells in runes.
std::size_t runes(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

using Line = std::vector<std::string_view>;

class Layout {
public:
    explicit Layout(std::vector<Line> lines) : lines_(std::move(lines)) {}

    std::string run() {
        format(0, lines_.size());
        return std::move(out_);
    }

private:
    // Go's tabwriter.format: finds the blocks of consecutive lines that have a cell in the next
    // column, gives each block the width of its widest cell, and recurses into it.
    void format(std::size_t line0, std::size_t line1) {
        const std::size_t column = widths_.size();
        for (std::size_t at = line0; at < line1; ++at) {
            if (column + 1 >= lines_[at].size()) continue;
            write_lines(line0, at);
            line0 = at;
            std::size_t width = 0;
            for (; at < line1 && column + 1 < lines_[at].size(); ++at) {
                width = std::max(width, runes(lines_[at][column]) + padding);
            }
            widths_.push_back(width);
            format(line0, at);
            widths_.pop_back();
            line0 = at;
            if (at == line1) break;
        }
        write_lines(line0, line1);
    }

    void write_lines(std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
            const Line& line = lines_[i];
            for (std::size_t j = 0; j < line.size(); ++j) {
                out_ += line[j];
                if (j < widths_.size() && j + 1 < line.size()) {
                    out_.append(widths_[j] - runes(line[j]), ' ');
                }
            }
            out_ += '\n';
        }
    }

    std::vector<Line> lines_;
    std::vector<std::size_t> widths_{};
    std::string out_{};
};

}  // namespace

std::string tab_layout(std::string_view text) {
    std::vector<Line> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        Line cells;
        const std::string_view line = text.substr(start, end - start);
        std::size_t cell = 0;
        for (std::size_t tab = line.find('\t'); tab != std::string_view::npos;
             tab = line.find('\t', cell)) {
            cells.push_back(line.substr(cell, tab - cell));
            cell = tab + 1;
        }
        cells.push_back(line.substr(cell));
        lines.push_back(std::move(cells));
        start = end + 1;
    }
    return Layout(std::move(lines)).run();
}

}  // namespace jubilant::fake

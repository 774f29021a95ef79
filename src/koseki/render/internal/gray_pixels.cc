#include "koseki/render/internal/gray_pixels.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "koseki/render/internal/scan_errors.h"

namespace koseki::render::internal {
namespace {

// Source pixels that make up one destination pixel along one axis, with their weights.
struct Span {
  std::size_t first = 0;
  std::size_t weights_at = 0;  // index of the first weight in the shared weight list
  std::size_t count = 0;
};

// Splits `from` source pixels into `to` (< `from`) equal parts: destination pixel i covers
// [i * from, (i + 1) * from) in units of 1/to of a source pixel, so each source pixel overlaps
// it by a whole number of units, and every destination pixel's weights add up to `from`.
std::vector<Span> BoxSpans(std::int64_t from, std::int64_t to,
                           std::vector<std::uint32_t>& weights) {
  std::vector<Span> spans(static_cast<std::size_t>(to));
  for (std::int64_t i = 0; i < to; ++i) {
    const std::int64_t begin = i * from;
    const std::int64_t end = begin + from;
    Span& span = spans[static_cast<std::size_t>(i)];
    span.first = static_cast<std::size_t>(begin / to);
    span.weights_at = weights.size();
    for (std::int64_t s = begin / to; s * to < end; ++s) {
      const std::int64_t overlap = std::min(end, (s + 1) * to) - std::max(begin, s * to);
      weights.push_back(static_cast<std::uint32_t>(overlap));
      ++span.count;
    }
  }
  return spans;
}

}  // namespace

Result<void> PageBudget::Admit(int page, std::int64_t width, std::int64_t height) {
  if (page >= limits_.max_pages) return TooManyPagesError(format_, limits_.max_pages);
  if (width <= 0 || height <= 0) return EmptyPageError(format_, page, width, height);
  // Sides first: they bound the product, which then cannot overflow.
  if (width > limits_.max_side_px || height > limits_.max_side_px ||
      width * height > limits_.max_page_pixels) {
    return PageTooLargeError(format_, page, width, height, limits_);
  }
  total_ += width * height;
  if (total_ > limits_.max_total_pixels) {
    return TotalTooLargeError(format_, page, total_, limits_);
  }
  return Ok();
}

GrayPage BlankPage(std::uint32_t width, std::uint32_t height) {
  GrayPage page;
  page.width = static_cast<int>(width);
  page.height = static_cast<int>(height);
  page.pixels.resize(static_cast<std::size_t>(width) * height);
  return page;
}

GrayPage ScaleToWidth(GrayPage page, int max_width) {
  if (max_width < 1 || page.width <= max_width) return page;
  const std::int64_t src_w = page.width;
  const std::int64_t src_h = page.height;
  const std::int64_t dst_w = max_width;
  const std::int64_t dst_h = std::max<std::int64_t>(1, (src_h * dst_w + src_w / 2) / src_w);

  std::vector<std::uint32_t> col_weights;
  std::vector<std::uint32_t> row_weights;
  const std::vector<Span> cols = BoxSpans(src_w, dst_w, col_weights);
  const std::vector<Span> rows = BoxSpans(src_h, dst_h, row_weights);

  GrayPage out;
  out.width = static_cast<int>(dst_w);
  out.height = static_cast<int>(dst_h);
  out.pixels.resize(static_cast<std::size_t>(dst_w * dst_h));
  const auto width = static_cast<std::size_t>(dst_w);
  const auto area = static_cast<std::uint64_t>(src_w) * static_cast<std::uint64_t>(src_h);
  std::vector<std::uint64_t> row_sums(width);  // one source row, horizontally weighted
  std::vector<std::uint64_t> acc(width);
  std::size_t summed_row = SIZE_MAX;
  for (std::size_t y = 0; y < rows.size(); ++y) {
    std::fill(acc.begin(), acc.end(), 0);
    for (std::size_t k = 0; k < rows[y].count; ++k) {
      const std::size_t sy = rows[y].first + k;
      if (sy != summed_row) {
        const std::uint8_t* src = page.pixels.data() + sy * static_cast<std::size_t>(src_w);
        for (std::size_t x = 0; x < width; ++x) {
          std::uint64_t sum = 0;
          for (std::size_t j = 0; j < cols[x].count; ++j) {
            sum += std::uint64_t{src[cols[x].first + j]} * col_weights[cols[x].weights_at + j];
          }
          row_sums[x] = sum;
        }
        summed_row = sy;
      }
      const std::uint64_t wy = row_weights[rows[y].weights_at + k];
      for (std::size_t x = 0; x < width; ++x) acc[x] += row_sums[x] * wy;
    }
    std::uint8_t* dst = out.pixels.data() + y * width;
    for (std::size_t x = 0; x < width; ++x) {
      dst[x] = static_cast<std::uint8_t>((acc[x] + area / 2) / area);
    }
  }
  return out;
}

}  // namespace koseki::render::internal

// The rendering benchmark: the pictures koseki draws per request, timed one call at a time.
//
//   certificate PDF    render::CertificatePdf of the DOMAIN.md §1.5 register (2 pages) with a
//                      職印 PNG — what a clerk prints; guide ≤ 20 ms;
//   register PNG page  render::CertificatePagePng of its first page, 1240 px wide, watermarked
//                      — a register page as a screen shows it; guide ≤ 30 ms;
//   scan view          what the server does per view of a stored scan page: render::DecodeScan
//                      of the stored 8-bit gray PNG (A4 at 300 dpi, 2480×3508, text-like
//                      strokes, ~8 % ink), then render::ScanPagePng at 1240 px with the
//                      watermark, giving a PNG;
//   libvips scan view  its peer: the same gray PNG loaded from memory, resized to 1240 px, the
//                      same watermark line (vips_text) tiled at the same angle and opacity and
//                      blended over it, saved as an RGB PNG — libvips' operation cache off, one
//                      worker thread.
// Target: the scan view ≥ 0.5× libvips' throughput.
//
// The whole process is pinned to one CPU (unless --no-pin), so that each side gets one core:
// libvips' pngsave writes behind its worker on a thread of its own. Every round runs the four
// workloads --iterations times each, every other round in the opposite order, so that a change
// in the machine's speed during the run (other tenants, frequency scaling) falls on both sides
// of the ratio alike. Figures: median and p99 latency over all calls, throughput as the median
// of the rounds' throughputs, and the koseki/libvips ratio as the median of the rounds' ratios.
// Every output is decoded once at start-up and its size checked: a broken path exits non-zero
// instead of being timed. Figures are informational: nothing here fails on a missed target.
//
// Usage: koseki_bench_render [--iterations N] [--rounds R] [--json FILE] [--output-dir DIR]
//                            [--only WORKLOAD] [--no-pin]
#include <sched.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bench/workload.h"
#include "koseki/domain/certificate.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/render/certificate_print.h"
#include "koseki/render/scan_image.h"
#include "koseki/render/scan_view.h"
#include "koseki/render/watermark.h"

#if defined(KOSEKI_BENCH_HAVE_VIPS)
#include <vips/vips8>
#endif

namespace koseki::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kViewWidth = 1240;  // the width screens ask for
constexpr int kScanWidth = 2480;  // A4 at 300 dpi
constexpr int kScanHeight = 3508;
constexpr double kPdfGuideMs = 20;
constexpr double kPagePngGuideMs = 30;
constexpr double kVipsTarget = 0.5;  // scan view throughput / libvips'

struct Options {
  int iterations = 8;
  int rounds = 5;
  std::string json_out;
  fs::path output_dir;
  std::string only;  // one workload's key (for a profiler); empty: all
  bool no_pin = false;
};

// One measured operation: returns the bytes it produced.
struct Workload {
  std::string key;      // JSON key
  std::string label;    // printed
  double guide_ms = 0;  // 0: no absolute guide
  std::function<Result<std::string>()> run;
  std::vector<double> latencies_ms = {};  // every call of every round
  std::vector<double> round_rates = {};   // calls per second, one per round
  std::size_t output_bytes = 0;
  double output_ink = -1;  // a PNG's mean darkness; -1 for the PDF
};

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Nearest rank: the smallest value at or above 99 % of the samples.
double P99(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(values.size())));
  return values[std::max<std::size_t>(rank, 1) - 1];
}

// A stand-in for a tenant's scanned 職印: a dark square frame with strokes inside, gray.
Result<std::string> SealPng() {
  constexpr int kSide = 120;
  render::GrayPage seal{kSide, kSide, std::vector<std::uint8_t>(kSide * kSide, 255)};
  for (int y = 8; y < kSide - 8; ++y) {
    for (int x = 8; x < kSide - 8; ++x) {
      const bool frame = x < 18 || x >= kSide - 18 || y < 18 || y >= kSide - 18;
      const bool stroke = (x - 30) % 24 < 6 || (y - 30) % 30 < 5;
      if (frame || (x > 26 && x < kSide - 26 && y > 26 && y < kSide - 26 && stroke)) {
        seal.pixels[static_cast<std::size_t>(y) * kSide + x] = 60;
      }
    }
  }
  return render::EncodeGrayPng(seal);
}

// A scanned page of typed text: lines of glyph cells, each a few black strokes with a gray
// fringe (a scanner's anti-aliasing), so the PNG compresses as a real page does, not as a flat
// one.
render::GrayPage ScanLikePage() {
  render::GrayPage page{kScanWidth, kScanHeight,
                        std::vector<std::uint8_t>(std::size_t{kScanWidth} * kScanHeight, 255)};
  std::mt19937 rng(20261206);
  const auto put = [&](int x, int y, std::uint8_t value) {
    std::uint8_t& p = page.pixels[static_cast<std::size_t>(y) * kScanWidth + x];
    p = std::min(p, value);
  };
  // A stroke: a black rectangle with a one-pixel fringe of gray around it.
  const auto stroke = [&](int x0, int y0, int w, int h) {
    for (int y = y0 - 1; y <= y0 + h; ++y) {
      for (int x = x0 - 1; x <= x0 + w; ++x) {
        const bool edge = x < x0 || x >= x0 + w || y < y0 || y >= y0 + h;
        put(x, y, edge ? 170 : 20);
      }
    }
  };
  constexpr int kMargin = 220;
  constexpr int kCell = 44;       // glyph pitch
  constexpr int kLinePitch = 64;  // line pitch
  std::uniform_int_distribution<int> strokes(3, 6);
  std::uniform_int_distribution<int> offset(0, 28);
  std::uniform_int_distribution<int> length(12, 34);
  std::uniform_int_distribution<int> coin(0, 9);
  for (int y = kMargin; y + kLinePitch < kScanHeight - kMargin; y += kLinePitch) {
    // Lines of varying length, a paragraph's end now and then.
    const int line_end = coin(rng) == 0 ? kScanWidth / 2 : kScanWidth - kMargin - kCell;
    for (int x = kMargin; x < line_end; x += kCell) {
      if (coin(rng) == 0) continue;  // a space
      for (int s = strokes(rng); s > 0; --s) {
        if (coin(rng) < 5) {
          stroke(x + offset(rng) / 3, y + offset(rng), length(rng), 4);  // horizontal
        } else {
          stroke(x + offset(rng), y + offset(rng) / 3, 4, length(rng));  // vertical
        }
      }
    }
  }
  return page;
}

// Returns the mean darkness of `page`, 0 (white) to 1 (black).
double Ink(const render::GrayPage& page) {
  double dark = 0;
  for (std::uint8_t p : page.pixels) dark += 255 - p;
  return dark / 255.0 / static_cast<double>(page.pixels.size());
}

// Decodes `png` (a PNG koseki or libvips produced), checks its size and returns its ink.
Result<double> CheckPng(std::string_view what, const std::string& png, int width, int height) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(png.data());
  auto decoded = render::DecodeScan(std::span(bytes, png.size()));
  if (!decoded) {
    return BenchError(std::string(what) +
                      ": not a readable PNG: " + decoded.error().internal_detail);
  }
  if (decoded->format != render::ScanFormat::kPng || decoded->pages.size() != 1) {
    return BenchError(std::string(what) + ": not a one-page PNG");
  }
  const render::GrayPage& page = decoded->pages.front();
  if (page.width != width || page.height != height) {
    return BenchError(std::string(what) + ": " + std::to_string(page.width) + "x" +
                      std::to_string(page.height) + ", want " + std::to_string(width) + "x" +
                      std::to_string(height));
  }
  return Ink(page);
}

// Counts the page objects of a PDF ("/Type /Page", not "/Type /Pages").
int PdfPageCount(std::string_view pdf) {
  int pages = 0;
  constexpr std::string_view kPage = "/Type /Page";
  for (std::size_t at = pdf.find(kPage); at != std::string_view::npos;
       at = pdf.find(kPage, at + 1)) {
    const std::size_t next = at + kPage.size();
    if (next < pdf.size() && pdf[next] != 's') ++pages;
  }
  return pages;
}

#if defined(KOSEKI_BENCH_HAVE_VIPS)

struct BlobDeleter {
  void operator()(VipsBlob* blob) const { vips_area_unref(reinterpret_cast<VipsArea*>(blob)); }
};

// The scan view as an engineer would write it with libvips: the same stored gray PNG in, the
// same watermark (WatermarkLine, IPAmj明朝 at width / 45, rows 6 sizes apart, every other row
// shifted half a line, rotated 30° up to the right, colour (140, 0, 0) at 22 % opacity over the
// ink) and an RGB PNG out, at libvips' default resize kernel (lanczos3) and PNG settings
// (compression 6, no row filter).
Result<std::string> VipsScanView(const std::string& stored, int width_px,
                                 const render::Watermark& mark) {
  try {
    using vips::VImage;
    VImage gray = VImage::new_from_buffer(stored.data(), stored.size(), "",
                                          VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
    const double scale = static_cast<double>(width_px) / gray.width();
    const int height_px = std::max(1, static_cast<int>(std::lround(gray.height() * scale)));
    VImage page = gray.resize(scale, VImage::option()->set(
                                         "vscale", static_cast<double>(height_px) / gray.height()))
                      .colourspace(VIPS_INTERPRETATION_sRGB);

    // The watermark's coverage: the line once, a tile of two rows (the second shifted by half
    // a line), the tile repeated over the page's diagonal, rotated, the page's middle cut out.
    const std::string line = render::WatermarkLine(mark);
    const double size = width_px / 45.0;
    const std::string font =
        std::string(render::kCertificateFontFamily) + " " + std::to_string(size);
    VImage text =
        VImage::text(line.c_str(), VImage::option()->set("font", font.c_str())->set("dpi", 72));
    const int tile_width = text.width() + static_cast<int>(std::lround(4 * size));
    const int row_height = static_cast<int>(std::lround(6 * size));
    VImage row = text.embed(0, 0, tile_width, row_height);
    VImage tile = row.join(row.wrap(VImage::option()->set("x", tile_width / 2)->set("y", 0)),
                           VIPS_DIRECTION_VERTICAL);
    const double reach = std::hypot(width_px, height_px);
    VImage sheet = tile.replicate(static_cast<int>(std::ceil(reach / tile.width())) + 1,
                                  static_cast<int>(std::ceil(reach / tile.height())) + 1);
    VImage turned = sheet.rotate(-30);
    VImage coverage = turned.crop((turned.width() - width_px) / 2,
                                  (turned.height() - height_px) / 2, width_px, height_px);
    // The watermark's colour blended over the page by its coverage × 22 %, in 8 bits
    // (ifthenelse's blend; composite2 would take the same pixels through float scRGB, slower).
    VImage alpha = coverage.linear(0.22, 0.0, VImage::option()->set("uchar", true));
    VImage view = alpha.ifthenelse(std::vector<double>{140, 0, 0}, page,
                                   VImage::option()->set("blend", true));
    std::unique_ptr<VipsBlob, BlobDeleter> blob(view.pngsave_buffer());
    std::size_t length = 0;
    const void* data = vips_blob_get(blob.get(), &length);
    return std::string(static_cast<const char*>(data), length);
  } catch (const vips::VError& error) {
    return BenchError(std::string("libvips: ") + error.what());
  }
}

#endif  // KOSEKI_BENCH_HAVE_VIPS

// Pins this thread, and every thread started after it, to the CPU it is on now; returns the
// CPU, or -1 (reported) if it cannot.
int PinToOneCpu() {
  const int cpu = sched_getcpu();
  cpu_set_t one;
  CPU_ZERO(&one);
  if (cpu >= 0) CPU_SET(cpu, &one);
  if (cpu < 0 || sched_setaffinity(0, sizeof one, &one) != 0) {
    std::fprintf(stderr, "koseki_bench_render: cannot pin to one CPU; running unpinned\n");
    return -1;
  }
  return cpu;
}

Result<void> Run(const Options& options, int pinned_cpu) {
  // The inputs, built once.
  KOSEKI_ASSIGN_OR_RETURN(
      std::vector<std::string> pages,
      domain::RenderCertificatePages(domain::testing::ExampleRegister(),
                                     domain::testing::ExampleCertificateOptions()));
  if (pages.size() != 2) {
    return BenchError("the example register has " + std::to_string(pages.size()) +
                      " pages, want 2");
  }
  KOSEKI_ASSIGN_OR_RETURN(std::string seal, SealPng());
  const render::CertificateArt art{seal};
  const render::Watermark mark{"vendor-op01", "VENDOR-PC-03", "2026-12-06 10:15", "2026-000123"};
  const render::GrayPage scan = ScanLikePage();
  const double ink = Ink(scan);
  KOSEKI_ASSIGN_OR_RETURN(const std::string stored, render::EncodeGrayPng(scan));
  const int view_height =
      static_cast<int>(std::lround(static_cast<double>(kScanHeight) * kViewWidth / kScanWidth));
  const int page_height = static_cast<int>(std::lround(kViewWidth * 297.0 / 210.0));

  std::vector<Workload> workloads;
  workloads.push_back({"certificate_pdf", "certificate PDF, 2 pages", kPdfGuideMs,
                       [&] { return render::CertificatePdf(pages, art); }});
  workloads.push_back({"register_page_png", "register page PNG, 1240 px, wm", kPagePngGuideMs, [&] {
                         return render::CertificatePagePng(pages.front(), kViewWidth, art, &mark);
                       }});
  workloads.push_back(
      {"scan_view", "scan view (decode+scale+wm+PNG)", 0, [&]() -> Result<std::string> {
         const auto* bytes = reinterpret_cast<const std::uint8_t*>(stored.data());
         KOSEKI_ASSIGN_OR_RETURN(render::DecodedScan decoded,
                                 render::DecodeScan(std::span(bytes, stored.size())));
         return render::ScanPagePng(decoded.pages.front(), kViewWidth, &mark);
       }});
#if defined(KOSEKI_BENCH_HAVE_VIPS)
  workloads.push_back({"libvips_scan_view", "libvips scan view (same work)", 0,
                       [&] { return VipsScanView(stored, kViewWidth, mark); }});
#endif
  if (!options.only.empty()) {
    std::erase_if(workloads, [&](const Workload& w) { return w.key != options.only; });
    if (workloads.empty()) return BenchError("--only: no workload " + options.only);
  }

  // Each output once: checked, so that a broken path is never timed (and the fonts, caches
  // and libraries are warm before the first timed call).
  {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(stored.data());
    KOSEKI_ASSIGN_OR_RETURN(render::DecodedScan decoded,
                            render::DecodeScan(std::span(bytes, stored.size())));
    if (decoded.pages.size() != 1 || decoded.pages.front().pixels != scan.pixels) {
      return BenchError("the stored scan page does not decode to the page encoded");
    }
  }
  for (Workload& workload : workloads) {
    KOSEKI_ASSIGN_OR_RETURN(std::string output, workload.run());
    workload.output_bytes = output.size();
    if (workload.key == "certificate_pdf") {
      if (!output.starts_with("%PDF-") || PdfPageCount(output) != 2) {
        return BenchError("the certificate PDF is not a PDF of 2 pages (" +
                          std::to_string(PdfPageCount(output)) + " page objects)");
      }
    } else if (workload.key == "register_page_png") {
      KOSEKI_ASSIGN_OR_RETURN(workload.output_ink,
                              CheckPng(workload.label, output, kViewWidth, page_height));
    } else {
      KOSEKI_ASSIGN_OR_RETURN(workload.output_ink,
                              CheckPng(workload.label, output, kViewWidth, view_height));
    }
    if (!options.output_dir.empty()) {
      fs::create_directories(options.output_dir);
      const fs::path file = options.output_dir /
                            (workload.key + (workload.key == "certificate_pdf" ? ".pdf" : ".png"));
      std::ofstream(file, std::ios::binary | std::ios::trunc) << output;
    }
  }
  if (!options.output_dir.empty()) {
    std::ofstream(options.output_dir / "scan_stored.png", std::ios::binary | std::ios::trunc)
        << stored;
  }

  for (int round = 0; round < options.rounds; ++round) {
    for (std::size_t step = 0; step < workloads.size(); ++step) {
      Workload& workload = workloads[round % 2 == 0 ? step : workloads.size() - 1 - step];
      const auto round_start = Clock::now();
      for (int i = 0; i < options.iterations; ++i) {
        const auto start = Clock::now();
        Result<std::string> output = workload.run();
        const auto elapsed = Clock::now() - start;
        if (!output) return std::move(output).error();
        workload.latencies_ms.push_back(std::chrono::duration<double, std::milli>(elapsed).count());
      }
      const double seconds = std::chrono::duration<double>(Clock::now() - round_start).count();
      workload.round_rates.push_back(options.iterations / seconds);
    }
  }

  // Report.
  std::printf(
      "koseki rendering benchmark: %d rounds x %d calls of each workload, the order reversed "
      "every other round\n",
      options.rounds, options.iterations);
  if (pinned_cpu >= 0) {
    std::printf("one core each: the process is pinned to CPU %d", pinned_cpu);
  } else {
    std::printf("not pinned: libvips' PNG writer may use a second core");
  }
#if defined(KOSEKI_BENCH_HAVE_VIPS)
  std::printf("; libvips %s with its operation cache off and 1 thread (vips_concurrency_set)\n",
              vips_version_string());
#else
  std::printf("\n");
#endif
  std::printf("scan page: %dx%d gray, %.1f %% ink, stored PNG %zu bytes; views %d px wide\n\n",
              kScanWidth, kScanHeight, 100.0 * ink, stored.size(), kViewWidth);
  std::printf("%-34s %10s %10s %10s %12s %10s\n", "", "median ms", "p99 ms", "per second",
              "output bytes", "guide");
  nlohmann::ordered_json json_workloads = nlohmann::ordered_json::object();
  for (const Workload& workload : workloads) {
    const double median = Median(workload.latencies_ms);
    const double p99 = P99(workload.latencies_ms);
    const double rate = Median(workload.round_rates);
    std::string guide;
    if (workload.guide_ms > 0) {
      guide = "<= " + std::to_string(static_cast<int>(workload.guide_ms)) + " ms " +
              (median <= workload.guide_ms ? "PASS" : "MISS");
    }
    std::printf("%-34s %10.1f %10.1f %10.1f %12zu  %s\n", workload.label.c_str(), median, p99, rate,
                workload.output_bytes, guide.c_str());
    nlohmann::ordered_json entry = {{"median_ms", median},
                                    {"p99_ms", p99},
                                    {"per_second", rate},
                                    {"per_second_rounds", workload.round_rates},
                                    {"output_bytes", workload.output_bytes}};
    if (workload.output_ink >= 0) entry["output_ink"] = workload.output_ink;
    if (workload.guide_ms > 0) {
      entry["guide_ms"] = workload.guide_ms;
      entry["guide"] = median <= workload.guide_ms ? "PASS" : "MISS";
    }
    json_workloads[workload.key] = std::move(entry);
  }

  nlohmann::ordered_json doc = {{"iterations", options.iterations}, {"rounds", options.rounds},
                                {"pinned_cpu", pinned_cpu},         {"scan_ink", ink},
                                {"scan_png_bytes", stored.size()},  {"view_width", kViewWidth},
                                {"workloads", json_workloads}};
#if defined(KOSEKI_BENCH_HAVE_VIPS)
  doc["libvips_version"] = vips_version_string();
  if (options.only.empty()) {
    const Workload& ours = workloads[2];
    const Workload& peer = workloads[3];
    std::vector<double> ratios;
    for (int round = 0; round < options.rounds; ++round) {
      ratios.push_back(ours.round_rates[round] / peer.round_rates[round]);
    }
    const double ratio = Median(ratios);
    const auto [low, high] = std::minmax_element(ratios.begin(), ratios.end());
    std::printf(
        "\nscan view koseki / libvips: %.2fx  (target >= %.1fx: %s; median of %d rounds, "
        "%.2f-%.2f)\n",
        ratio, kVipsTarget, ratio >= kVipsTarget ? "PASS" : "MISS", options.rounds, *low, *high);
    // The same work shows as the same darkness: the page's ink plus the watermark's.
    std::printf("scan views' mean darkness (page + watermark): koseki %.1f %%, libvips %.1f %%\n",
                100.0 * ours.output_ink, 100.0 * peer.output_ink);
    doc["scan_view_ratio_to_libvips"] = ratio;
    doc["scan_view_ratio_rounds"] = ratios;
    doc["scan_view_ratio_target"] = kVipsTarget;
    doc["scan_view_ratio_verdict"] = ratio >= kVipsTarget ? "PASS" : "MISS";
  }
#else
  std::printf("\nlibvips not installed: no peer\n");
  doc["libvips_version"] = nullptr;
#endif
  std::printf("figures are informational: nothing here fails on a missed target\n");

  if (!options.json_out.empty()) {
    std::ofstream out(options.json_out, std::ios::trunc);
    out << doc.dump(2) << '\n';
    if (!out) return BenchError("cannot write " + options.json_out);
    std::printf("written to %s\n", options.json_out.c_str());
  }
  return Ok();
}

int Main(int argc, char** argv) {
  Options options;
  CLI::App app{"koseki rendering benchmark: certificate PDF, register PNG, scan view vs libvips"};
  app.add_option("--iterations", options.iterations, "calls of each workload per round (8)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--rounds", options.rounds, "rounds; the order is reversed every other (5)")
      ->check(CLI::Range(1, 100));
  app.add_option("--json", options.json_out, "also write the figures as JSON to this file");
  app.add_option("--output-dir", options.output_dir,
                 "write one output of each workload here, to look at, and the stored scan page");
  app.add_option("--only", options.only,
                 "run this workload alone (to profile it): certificate_pdf, register_page_png, "
                 "scan_view or libvips_scan_view");
  app.add_flag("--no-pin", options.no_pin, "do not pin the process to one CPU");
  CLI11_PARSE(app, argc, argv);

  // Before libvips starts any thread: they inherit the pinning.
  const int pinned_cpu = options.no_pin ? -1 : PinToOneCpu();
#if defined(KOSEKI_BENCH_HAVE_VIPS)
  if (VIPS_INIT(argv[0]) != 0) {
    std::fprintf(stderr, "koseki_bench_render: libvips failed to start: %s\n", vips_error_buffer());
    return 1;
  }
  vips_cache_set_max(0);
  vips_concurrency_set(1);
#endif
  const Result<void> done = Run(options, pinned_cpu);
#if defined(KOSEKI_BENCH_HAVE_VIPS)
  vips_shutdown();
#endif
  if (!done) {
    std::fprintf(stderr, "koseki_bench_render: %s %s\n", done.error().id.c_str(),
                 done.error().internal_detail.c_str());
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace koseki::bench

int main(int argc, char** argv) { return koseki::bench::Main(argc, argv); }

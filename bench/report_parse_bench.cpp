// Parse time of realistic visit reports: every message of the corpus (labelled templates, messy
// labels, free text, voice input, non-reports) parsed as the engine does — classified, then
// parsed in full — timed per message. Prints the distribution over all parses and the slowest
// messages.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bot/reports/visit_report_parser.hpp"
#include "bot/time/civil_time.hpp"
#include "config/config_loader.hpp"
#include "tests/support/report_corpus.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Parse time of the visit report corpus"};
    int iterations = 200;
    std::string fixtures = std::string(LEDGERBOT_SOURCE_DIR) + "/tests/fixtures/visit_reports";
    app.add_option("--iterations", iterations, "Rounds over the whole corpus")
        ->check(CLI::Range(1, 1000000));
    app.add_option("--fixtures", fixtures, "The corpus folder (cases/ and directory.json)");
    CLI11_PARSE(app, argc, argv);

    namespace corpus = ledgerbot::testing::report_corpus;
    const auto settings = ledgerbot::config::load_default_settings().engine.report;
    const auto directory = corpus::directory(fixtures);
    const auto cases = corpus::load(fixtures);

    using Clock = std::chrono::steady_clock;
    std::vector<double> micros;
    std::vector<double> per_case(cases.size(), 0.0);
    std::size_t bytes = 0;
    std::size_t reports = 0;
    for (int round = 0; round < iterations; ++round) {
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const auto& c = cases[i];
            const auto now = *ledgerbot::bot::time::parse_rfc3339(c.expect.at("message_time"));
            const auto start = Clock::now();
            const auto kind =
                ledgerbot::bot::reports::classify_message(c.text, now, directory, settings);
            if (kind != ledgerbot::bot::reports::MessageKind::other) {
                const auto parsed = ledgerbot::bot::reports::parse_visit_report(
                    c.text, now, directory, settings, "张三");
                reports += parsed.is_report ? 1 : 0;
            }
            const double us =
                std::chrono::duration<double, std::micro>(Clock::now() - start).count();
            micros.push_back(us);
            per_case[i] += us;
            bytes += round == 0 ? c.text.size() : 0;
        }
    }
    std::vector<double> sorted = micros;
    std::sort(sorted.begin(), sorted.end());
    auto at = [&](double q) { return sorted[static_cast<std::size_t>(q * (sorted.size() - 1))]; };
    double total = 0;
    for (double us : micros) {
        total += us;
    }
    std::printf("messages %zu (mean %zu bytes), rounds %d, parses %zu, reports %zu\n", cases.size(),
                bytes / cases.size(), iterations, micros.size(), reports);
    std::printf("per message: mean %.1f us, p50 %.1f us, p99 %.1f us, max %.1f us\n",
                total / micros.size(), at(0.5), at(0.99), sorted.back());
    std::vector<std::size_t> order(cases.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return per_case[a] > per_case[b]; });
    std::printf("slowest messages (mean):\n");
    for (std::size_t k = 0; k < std::min<std::size_t>(5, order.size()); ++k) {
        const std::size_t i = order[k];
        std::printf("  %7.1f us  %5zu bytes  %s\n", per_case[i] / iterations, cases[i].text.size(),
                    cases[i].name.c_str());
    }
    return 0;
}

#include "storage/score_repository.hpp"

#include <catch2/catch.hpp>

#include <SQLiteCpp/Transaction.h>

#include "storage/database.hpp"
#include "storage/directory_repository.hpp"
#include "storage/ledger_repository.hpp"
#include "storage/sqlite_state.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using namespace ledgerbot::bot;
using namespace ledgerbot::bot::model;
using ledgerbot::storage::Database;
using ledgerbot::storage::LedgerRepository;
using ledgerbot::storage::ScoreRepository;
using ledgerbot::storage::SqliteState;

struct Fixture {
    ledgerbot::testing::TempDir dir;
    Database db{dir / "scores.db"};

    Fixture() {
        auto imported = ledgerbot::storage::DirectoryRepository(db.sql()).import_companies(
            "full_name\n宁夏示例科技有限公司\n", 1000);
        REQUIRE(imported);
        const std::int64_t company = db.sql().execAndGet("SELECT id FROM companies").getInt64();
        SQLite::Transaction tx(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
        LedgerRepository ledger(db.sql());
        for (std::int64_t n = 1; n <= 3; ++n) {
            VisitRecord r;
            r.number = n;
            r.company_id = company;
            r.company_name = "宁夏示例科技有限公司";
            // V2 has no visit time: it is placed by its report time.
            if (n != 2) {
                r.visit_time = 1000 * n;
            }
            r.reporter_id = "zhangsan";
            r.channel = "generic";
            r.chat_id = "room";
            r.source_event_id = "e" + std::to_string(n);
            r.reported_at = 1000 * n + 500;
            ledger.apply(VisitRecordCreated{r});
        }
        tx.commit();
    }

    void apply(const ScoreChange& change) {
        SQLite::Transaction tx(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
        ScoreRepository(db.sql()).apply(change);
        tx.commit();
    }
};

}  // namespace

TEST_CASE("Findings, voids and reviews are stored and read back", "[storage][scoring]") {
    Fixture f;
    const VisitFinding omission{1, "omission", "缺少走访内容", "zhengshi", "郑十", 5000, 9000};
    const VisitFinding inaccurate{1, "inaccurate", "与客户反馈不符", "zhengshi", "郑十", 6000, 0};
    f.apply(FindingRecorded{omission});
    f.apply(FindingRecorded{inaccurate});
    f.apply(VisitVoided{VisitVoid{3, "存疑", "zhengshi", "郑十", 7000}});
    f.apply(VisitVoided{VisitVoid{3, "again", "other", "别人", 8000}});  // the first void stands
    f.apply(ScoreReviewed{ScoreReview{"2026-W47", "业务一线", "zhengshi", 7100}});

    ScoreRepository scores(f.db.sql());
    CHECK(scores.findings(1) == std::vector<VisitFinding>{omission, inaccurate});
    CHECK(scores.findings(2).empty());
    REQUIRE(scores.visit_void(3));
    CHECK(scores.visit_void(3)->reason == "存疑");
    CHECK_FALSE(scores.visit_void(1));
    REQUIRE(scores.review("2026-W47", "业务一线"));
    CHECK(scores.review("2026-W47", "业务一线")->by_id == "zhengshi");
    CHECK_FALSE(scores.review("2026-W48", "业务一线"));

    // A finding must name a stored record and a known kind.
    CHECK_THROWS(f.apply(FindingRecorded{VisitFinding{99, "omission", "", "x", "", 1, 0}}));
    CHECK_THROWS(f.apply(FindingRecorded{VisitFinding{1, "maybe", "", "x", "", 1, 0}}));
}

TEST_CASE("The engine's state reads what scoring needs from SQLite", "[storage][scoring]") {
    Fixture f;
    SqliteState state(f.db.sql());
    state.refresh();
    // By visit time, or report time when the record has none: V1 1000, V2 2500, V3 3000.
    std::vector<std::int64_t> numbers;
    for (const auto& v : state.visits_between(900, 2600)) {
        numbers.push_back(v.number);
    }
    CHECK(numbers == std::vector<std::int64_t>{1, 2});
    CHECK(state.visits_between(2501, 2999).empty());
    CHECK(state.scoring_details(0, 10000).empty());
    CHECK_FALSE(state.visit_void(1));

    // Findings, a void, supplements, evidence and demands, each by its record, for the range.
    f.apply(FindingRecorded{VisitFinding{1, "omission", "缺", "zhengshi", "郑十", 5000, 9000}});
    f.apply(FindingRecorded{VisitFinding{3, "inaccurate", "错", "zhengshi", "郑十", 5100, 0}});
    f.apply(VisitVoided{VisitVoid{2, "存疑", "zhengshi", "郑十", 7000}});
    {
        SQLite::Transaction tx(f.db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
        LedgerRepository ledger(f.db.sql());
        VisitRecordSupplemented supplement;
        supplement.record = *ledger.visit(1);
        supplement.by_id = "zhangsan";
        supplement.channel = "generic";
        supplement.event_id = "s1";
        supplement.at = 6000;
        ledger.apply(supplement);
        ledger.apply(EvidenceAttached{Evidence{1, "generic", "i1", "u", "", "zhangsan", 6100}});
        ledger.apply(EvidenceAttached{Evidence{1, "generic", "i2", "u", "", "zhangsan", 6200}});
        Demand demand;
        demand.number = 1;
        demand.visit_number = 2;
        demand.summary = "股权融资";
        demand.status = "collected";
        ledger.apply(DemandCreated{demand});
        tx.commit();
    }
    const auto details = state.scoring_details(900, 2600);  // V1 and V2, not V3
    REQUIRE(details.size() == 2);
    CHECK(details.at(1).findings.size() == 1);
    CHECK(details.at(1).supplement_times == std::vector<std::int64_t>{6000});
    CHECK(details.at(1).evidence == 2);
    CHECK_FALSE(details.at(1).voided);
    CHECK(details.at(2).voided->reason == "存疑");
    REQUIRE(details.at(2).demands.size() == 1);
    CHECK(details.at(2).demands[0].summary == "股权融资");
    CHECK_FALSE(state.score_review("2026-W47", "业务一线"));
}

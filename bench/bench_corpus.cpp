#include "bench/bench_corpus.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "storage/directory_repository.hpp"

namespace ledgerbot::bench {

std::vector<std::string> company_names(int count) {
    static const char* kPlaces[] = {"银川", "石嘴山", "吴忠", "固原", "中卫",   "灵武", "青铜峡",
                                    "永宁", "贺兰",   "平罗", "盐池", "同心",   "海原", "隆德",
                                    "泾源", "彭阳",   "西吉", "中宁", "红寺堡", "宁东"};
    static const char* kTrades[] = {"恒泰", "瑞丰", "鑫源", "华盛", "金川", "博远", "宏达",
                                    "天成", "嘉禾", "润泽", "长兴", "融信", "聚能", "卓越",
                                    "安和", "盛世", "永利", "德丰", "汇通", "新宇"};
    static const char* kBusinesses[] = {"科技", "新材料", "机械制造", "农业发展", "商贸", "能源"};
    std::vector<std::string> names;
    for (const char* business : kBusinesses) {
        for (const char* trade : kTrades) {
            for (const char* place : kPlaces) {
                if (static_cast<int>(names.size()) < count) {
                    names.push_back(std::string(place) + trade + business + "有限公司");
                }
            }
        }
    }
    return names;
}

std::vector<std::pair<std::string, std::string>> staff_names(int count) {
    static const char* kSurnames[] = {"赵", "钱", "孙", "李", "周", "吴", "郑", "王",
                                      "冯", "陈", "褚", "卫", "蒋", "沈", "韩", "杨"};
    static const char* kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                                   "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平"};
    std::vector<std::pair<std::string, std::string>> staff;
    for (const char* second : kGiven) {
        for (const char* first : kGiven) {
            for (const char* surname : kSurnames) {
                if (static_cast<int>(staff.size()) >= count) {
                    return staff;
                }
                char id[16];
                std::snprintf(id, sizeof id, "am%04zu", staff.size() + 1);
                staff.emplace_back(id, std::string(surname) + first + second);
            }
        }
    }
    return staff;
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

Messages load_messages() {
    Messages messages;
    const auto fixtures =
        std::filesystem::path(LEDGERBOT_SOURCE_DIR) / "tests" / "fixtures" / "visit_reports";
    const auto cases = fixtures / "cases";
    const auto directory = nlohmann::json::parse(read_text(fixtures / "directory.json"));
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(cases)) {
        paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
        const std::string contents = read_text(path);
        const std::size_t split = contents.find("\n=====\n");
        if (split == std::string::npos ||
            contents.substr(0, split).find("is_report: yes") == std::string::npos) {
            continue;
        }
        std::string text = contents.substr(split + 7);
        if (!text.empty() && text.back() == '\n') {
            text.pop_back();
        }
        std::string company;
        const std::size_t field = contents.find("\ncompany: ");
        if (field != std::string::npos && field < split) {
            const std::size_t from = field + 10;
            company = contents.substr(from, contents.find('\n', from) - from);
        }
        std::vector<std::string> short_names;
        for (const auto& entry : directory.at("companies")) {
            if (entry.at("full_name") == company) {
                short_names = entry.at("short_names").get<std::vector<std::string>>();
            }
        }
        std::sort(short_names.begin(), short_names.end(),
                  [](const auto& a, const auto& b) { return a.size() > b.size(); });
        if (company == "-") {
            company.clear();
        }
        // CDATA cannot hold "]]>"; no report does, but keep the XML valid whatever the corpus.
        if (text.find("]]>") == std::string::npos) {
            messages.reports.push_back({std::move(text), std::move(company), short_names});
        }
    }
    return messages;
}

bool import_registry(SQLite::Database& db, const Messages& messages) {
    storage::DirectoryRepository repository(db);
    const auto demo = std::filesystem::path(LEDGERBOT_SOURCE_DIR) / "config" / "demo";
    std::string companies = read_text(demo / "companies.csv");
    static const char* kOwners[] = {"市场发展部,zhangsan", "企业服务部,lisi", "市场发展部,wangwu",
                                    "企业服务部,zhaoliu"};
    for (std::size_t c = 0; c < messages.companies.size(); ++c) {
        const std::string& name = messages.companies[c];
        companies += name + "," + name.substr(0, name.size() - Messages::kSuffix.size()) +
                     ",制造业,挂牌," + kOwners[c % 4] + "\n";
    }
    std::string staff = read_text(demo / "staff.csv");
    for (const auto& [id, name] : messages.extra_staff) {
        staff += id + "," + name + ",市场发展部,客户经理\n";
    }
    return repository.import_companies(companies, 0) && repository.import_staff(staff, 0);
}

}  // namespace ledgerbot::bench

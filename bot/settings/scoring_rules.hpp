#pragma once

#include <string>
#include <vector>

namespace ledgerbot::bot::settings {

/// 第十七条 point values and caps (config/scoring.toml).
struct ScoringRules {
    int complete = 0;           ///< 完整记录
    int accurate = 0;           ///< 准确记录
    int evidence = 0;           ///< 有效证据
    int full_marks_bonus = 0;   ///< 单次满分额外加分; 0 turns the bonus off
    int finding_deduction = 0;  ///< per finding of inaccuracy or omission
    /// Only the first N valid visits per company per calendar year score (0 = no cap).
    int visits_per_company_per_year = 0;
    /// The cap's scope: per company (false), or per company and author (true), for centres
    /// that count each account manager's visits separately.
    bool visit_cap_per_reporter = false;
    /// 未及时补充遗漏内容则该次走访不计分: the working days an omission may be supplemented in.
    int omission_supplement_working_days = 2;
    /// `omission_deadline = "24h"`: the deadline in hours instead (0 = in working days).
    int omission_deadline_hours = 0;
    int landed = 0;           ///< 挂牌或服务项目落地 (service agreement signed)
    int revenue = 0;          ///< 按约完成服务且创收, times the completion ratio
    int referral_landed = 0;  ///< 推荐其他部门项目成功落地, to the referrer
    /// 首次走访的新企业未实现挂牌或落地的，质效不计分.
    bool first_visit_needs_landing = true;
    /// Listing statuses (company import) of companies that are not new: a listed company's
    /// first visit in the system is not a 首次走访的新企业.
    std::vector<std::string> listed_statuses{"挂牌", "已挂牌", "上市", "已上市"};
    /// 同部门协同走访：each visitor's share of the quality points (0.5 = 50 / 50).
    double joint_visit_share = 1.0;
    /// joint_split = "all": the share applies to truthfulness too (each gets half of the points
    /// due); "quality_only": truthfulness is earned in full by every visitor.
    bool joint_split_truthfulness = true;
};

}  // namespace ledgerbot::bot::settings

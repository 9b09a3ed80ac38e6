#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bot/model/directory.hpp"
#include "bot/settings/convention_settings.hpp"
#include "config/config_loader.hpp"

namespace ledgerbot::tests {

/// The demo directory (config/demo/*.csv) as the convention rules see it.
inline bot::model::Directory demo_directory() {
    using bot::model::Company;
    using bot::model::StaffMember;
    return bot::model::Directory(
        {
            Company{1,
                    "宁夏示例科技有限公司",
                    {"示例科技"},
                    "软件和信息技术服务业",
                    "挂牌",
                    "市场发展部",
                    "zhangsan"},
            Company{2,
                    "银川星河新材料股份有限公司",
                    {"星河新材"},
                    "新材料",
                    "挂牌",
                    "企业服务部",
                    "lisi"},
            Company{3,
                    "宁夏贺兰山葡萄酒庄有限公司",
                    {"贺兰山酒庄", "贺兰山葡萄酒"},
                    "",
                    "培育",
                    "投行业务部",
                    "wangwu"},
            Company{5,
                    "石嘴山市恒达机械制造有限公司",
                    {"恒达机械"},
                    "",
                    "培育",
                    "存管交易部",
                    "zhaoliu"},
        },
        {
            StaffMember{"zhangsan", "张三", "市场发展部", {"客户经理"}},
            StaffMember{"lisi", "李四", "企业服务部", {"客户经理"}},
            StaffMember{"wangwu", "王五", "投行业务部", {"客户经理", "项目负责人"}},
            StaffMember{"zhaoliu", "赵六", "存管交易部", {"客户经理"}},
            StaffMember{"sunqi", "孙七", "市场发展部", {"部门负责人"}},
            StaffMember{"zhouba", "周八", "合规风控部", {"合规", "合规质效督办"}},
            StaffMember{"wujiu", "吴九", "企业服务部", {"部门负责人"}},
            StaffMember{"zhengshi", "郑十", "业务一线", {"条线业务总监"}},
            StaffMember{"ouyang", "欧阳 娜娜", "市场发展部", {"客户经理"}},
        });
}

/// The shipped [conventions] defaults, so the tests also pin what config/ledgerbot.toml says.
inline bot::settings::ConventionSettings default_conventions() {
    const auto no_environment = [](std::string_view) -> std::optional<std::string> {
        return std::nullopt;
    };
    return config::load_default_settings(no_environment).engine.conventions;
}

}  // namespace ledgerbot::tests

#include "app/score_setup_check.hpp"

#include <set>

#include "storage/directory_repository.hpp"
#include "storage/group_repository.hpp"

namespace ledgerbot::app {

std::vector<std::string> score_setup_problems(SQLite::Database& db,
                                              const bot::settings::ScoreSettings& scores) {
    std::vector<std::string> out;
    auto directory = storage::DirectoryRepository(db).load();
    if (directory) {
        std::set<std::string> departments;
        for (const auto& staff : directory.value().staff()) {
            departments.insert(staff.department);
        }
        for (const auto& line : scores.lines) {
            if (!line.director_id.empty() && !directory.value().find_staff(line.director_id)) {
                out.push_back("[scores] line '" + line.name + "': director '" + line.director_id +
                              "' is not in the staff directory, so nobody reviews its table");
            }
            for (const auto& department : line.departments) {
                if (!directory.value().staff().empty() && departments.count(department) == 0) {
                    out.push_back("[scores] line '" + line.name + "': no staff member is in '" +
                                  department + "'");
                }
            }
        }
    }
    if (scores.publish_to.empty()) {
        out.push_back("[scores] publish_to is empty: the Monday table goes to line directors only");
    }
    storage::GroupRepository groups(db);
    for (const auto& target : scores.publish_to) {
        const auto group = groups.find(target.channel, target.id);
        const std::string name = target.channel + ":" + target.id;
        if (!group) {
            out.push_back("[scores] publish group " + name +
                          " is not in the group registry; it is trusted to be internal");
        } else if (group->has_active_external_member()) {
            out.push_back("[scores] publish group " + name +
                          " has external members: the Monday table will not be posted there");
        }
    }
    return out;
}

}  // namespace ledgerbot::app

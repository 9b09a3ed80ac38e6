#include "bot/reports/parsing/report_people.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace ledgerbot::bot::reports::parsing {
namespace {

// 王总, 李经理, 张董事长: a common surname followed by a title is how staff name a contact.
// Surnames that are also everyday characters in front of 总 (万: 3000万总投资, 和: 和总经理)
// are left out.
constexpr View kSurnames =
    U"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏"
    U"魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    U"龚邵钱严覃武戴莫孔汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘"
    U"祝宁符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶牟艾尤"
    U"穆农卓吉缪简车芦麦褚娄窦戚岑景党宫费卜冷晏卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋刁荣巫寇"
    U"桑郎甄丛仲虞敖巩佘池麻苑迟邝";

constexpr std::array<View, 17> kTitles{
    U"副总经理", U"董事长", U"总经理", U"总监", U"副总", U"经理", U"主任", U"部长", U"董秘",
    U"会计",     U"秘书",   U"老师",   U"女士", U"先生", U"主管", U"总",   U"董",
};

// Whether a joining word ends right before `pos` or starts right at `end` (spaces between).
bool joined_at(View body, std::size_t pos, std::size_t end, const std::vector<Text>& joiners) {
    std::size_t before = pos;
    while (before > 0 && is_space(body[before - 1])) {
        --before;
    }
    std::size_t after = end;
    while (after < body.size() && is_space(body[after])) {
        ++after;
    }
    return std::any_of(joiners.begin(), joiners.end(), [&](const Text& joiner) {
        return sub(body, 0, before).ends_with(joiner) || starts_at(body, after, joiner);
    });
}

// 今天和张三去了恒达机械: a joining word that opens the sentence (after a time word at most)
// leaves its subject out, and the subject left out is the one writing.
bool subject_left_out(View body, std::size_t name_at, const Vocabulary& vocabulary) {
    for (const Text& joiner : vocabulary.visitor_joiners) {
        if (joiner.size() > name_at || sub(body, name_at - joiner.size(), name_at) != joiner ||
            joiner == U"、") {
            continue;
        }
        std::size_t before = name_at - joiner.size();
        while (before > 0 && is_space(body[before - 1])) {
            --before;
        }
        if (before == 0 || contains(U",.;!?。\n", body[before - 1]) ||
            contains(U"天午晚早日号点半", body[before - 1])) {
            return true;
        }
    }
    return false;
}

// 李四去了恒达机械, 昨天李四和王五去了…: a name at the start of a clause (after a time word at
// most) is its subject.
bool opens_clause(View body, std::size_t at, const Vocabulary& vocabulary) {
    std::size_t before = at;
    while (before > 0 && is_space(body[before - 1])) {
        --before;
    }
    const bool joined =
        std::any_of(vocabulary.visitor_joiners.begin(), vocabulary.visitor_joiners.end(),
                    [&](const Text& joiner) { return sub(body, 0, before).ends_with(joiner); });
    return !joined && (before == 0 || contains(U",.;!?。\n", body[before - 1]) ||
                       contains(U"天午晚早日号点半", body[before - 1]));
}

}  // namespace

std::size_t surname_title_at(View f, std::size_t i) {
    if (i + 1 >= f.size() || !contains(kSurnames, f[i])) {
        return 0;
    }
    for (View title : kTitles) {
        if (!starts_at(f, i + 1, title)) {
            continue;
        }
        const std::size_t end = i + 1 + title.size();
        const char32_t next = end < f.size() ? f[end] : U'\0';
        // 总结, 总体, 总部, 董事会: words, not titles.
        if ((title == U"总" && contains(U"结体部额共计量数之务站署线", next)) ||
            (title == U"董" && next == U'事')) {
            return 0;
        }
        return 1 + title.size();
    }
    return 0;
}

std::optional<Range> find_contact_name(View f) {
    for (std::size_t i = 0; i + 1 < f.size(); ++i) {
        if (const std::size_t n = surname_title_at(f, i)) {
            return Range{i, i + n};
        }
    }
    return std::nullopt;
}

std::vector<std::string> split_visitors(View value) {
    // Notes in brackets are roles or departments: 张三（客户经理）.
    Text cleaned;
    int depth = 0;
    for (char32_t c : value) {
        const char32_t folded = text::fold_width(c);
        if (folded == U'(' || is_open_bracket(folded)) {
            ++depth;
        } else if ((folded == U')' || is_close_bracket(folded)) && depth > 0) {
            --depth;
        } else if (depth == 0) {
            cleaned.push_back(c);
        }
    }
    std::vector<std::string> out;
    auto add = [&](View name) {
        const Range r = trim_range(name, {0, name.size()}, true);
        View piece = sub(name, r.first, r.second);
        for (View suffix : {View(U"等人"), View(U"等"), View(U"一行")}) {
            if (piece.size() > suffix.size() && piece.ends_with(suffix)) {
                piece.remove_suffix(suffix.size());
                break;
            }
        }
        if (piece.empty()) {
            return;
        }
        std::string name_utf8 = utf8(piece);
        if (std::find(out.begin(), out.end(), name_utf8) == out.end()) {
            out.push_back(std::move(name_utf8));
        }
    };
    Text current;
    auto flush = [&] {
        // 张三和李四: split on a conjunction only between two name-sized pieces.
        for (char32_t conj : View(U"和与及跟同")) {
            const std::size_t at = current.find(conj);
            if (at != Text::npos && at >= 2 && at <= 4 && current.size() - at - 1 >= 2 &&
                current.size() - at - 1 <= 4) {
                add(View(current).substr(0, at));
                add(View(current).substr(at + 1));
                current.clear();
                return;
            }
        }
        add(current);
        current.clear();
    };
    for (char32_t c : cleaned) {
        if (is_blank(c) || contains(U"、,;/|", text::fold_width(c))) {
            flush();
        } else {
            current.push_back(c);
        }
    }
    flush();
    return out;
}

std::string contact_name(View original, View folded,
                         const std::vector<text::phone_number::Candidate>& phones,
                         const Vocabulary& vocabulary) {
    std::vector<bool> drop(folded.size(), false);
    for (const auto& phone : phones) {
        for (std::size_t i = phone.begin; i < phone.end && i < drop.size(); ++i) {
            drop[i] = true;
        }
    }
    for (const Text& word : vocabulary.phone_words) {
        for (std::size_t pos = folded.find(word); pos != View::npos;
             pos = folded.find(word, pos + 1)) {
            for (std::size_t i = pos; i < pos + word.size(); ++i) {
                drop[i] = true;
            }
        }
    }
    Text kept;
    for (std::size_t i = 0; i < folded.size(); ++i) {
        if (drop[i]) {
            if (!kept.empty() && kept.back() != U' ') {
                kept.push_back(U' ');
            }
        } else if (is_blank(folded[i])) {
            if (!kept.empty() && kept.back() != U' ') {
                kept.push_back(U' ');
            }
        } else {
            kept.push_back(original[i]);
        }
    }
    // Brackets emptied by the removal go (王总（13912345678）); balanced ones stay
    // (王建国（总经理）). Then blanks and punctuation left at the ends.
    std::size_t open = 0;
    while (open < kept.size()) {
        if (text::fold_width(kept[open]) == U'(') {
            std::size_t close = open + 1;
            while (close < kept.size() && kept[close] == U' ') {
                ++close;
            }
            if (close < kept.size() && text::fold_width(kept[close]) == U')') {
                kept.erase(open, close + 1 - open);
                continue;
            }
        }
        ++open;
    }
    std::size_t b = 0;
    std::size_t e = kept.size();
    auto edge = [](char32_t c) { return is_blank(c) || is_edge_punct(text::fold_width(c)); };
    while (b < e && edge(kept[b])) {
        ++b;
    }
    while (e > b && edge(kept[e - 1])) {
        --e;
    }
    return utf8(sub(kept, b, e));
}

std::vector<std::string> first_person_visitors(View body, const std::string& sender_name,
                                               const model::Directory& directory,
                                               const Vocabulary& vocabulary, bool subject_implied) {
    if (sender_name.empty()) {
        return {};
    }
    const auto& words = vocabulary.first_person_words;
    bool first_person = std::any_of(words.begin(), words.end(), [&](const Text& word) {
        return body.find(word) != View::npos;
    });
    // Colleagues in the order the text names them.
    std::map<std::size_t, std::string> found;
    bool other_subject = false;  // 李四去了恒达机械: someone else is the subject
    for (const model::StaffMember& staff : directory.staff()) {
        const Text name = text::fold_width(text::decode_utf8(staff.name));
        if (staff.name == sender_name || name.size() < 2) {
            continue;
        }
        for (std::size_t at = body.find(name); at != View::npos; at = body.find(name, at + 1)) {
            other_subject = other_subject || opens_clause(body, at, vocabulary);
            if (joined_at(body, at, at + name.size(), vocabulary.visitor_joiners)) {
                found.emplace(at, staff.name);
                first_person = first_person || subject_left_out(body, at, vocabulary);
                break;
            }
        }
    }
    // Free text that names no subject at all (昨晚7点去老城根餐饮拜访了王总) was written by
    // the one who went, as a colleague reads it.
    if (!first_person && subject_implied && !other_subject) {
        first_person = true;
    }
    if (!first_person) {
        return {};
    }
    std::vector<std::string> visitors{sender_name};
    for (const auto& [at, name] : found) {
        visitors.push_back(name);
    }
    return visitors;
}

}  // namespace ledgerbot::bot::reports::parsing

#pragma once

#include <optional>

#include "app/delivery/notice_sender.hpp"
#include "bot/model/notice.hpp"
#include "templates/renderer.hpp"

namespace ledgerbot::app::delivery {

/// The file a notice asks to carry (its `attachment` field), built for sending: a score table
/// (the Monday post, /导出 积分表) or the ledger (/导出 台账), as xlsx. nullopt when the notice has
/// none. Throws std::runtime_error when the field is malformed or the file cannot be written: the
/// dispatcher parks such a notice.
std::optional<Attachment> render_attachment(const bot::model::Notice& notice,
                                            const templates::Renderer& renderer);

}  // namespace ledgerbot::app::delivery

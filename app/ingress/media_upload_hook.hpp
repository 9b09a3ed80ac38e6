#pragma once

#include "adapters/generic/generic_adapter.hpp"
#include "app/clock.hpp"
#include "app/http/http_types.hpp"
#include "app/metrics.hpp"
#include "storage/evidence_store.hpp"

namespace ledgerbot::app::ingress {

/// POST [evidence] upload_path: a bridge uploads an image's bytes (the 1 MiB event body cannot
/// carry a photo), signed like an event over the raw body. The bytes are checked (size, an
/// accepted image type sniffed from the bytes) and stored content-addressed before the answer
/// `{"upload_id": "<sha256>", "mime": …, "width": …, "height": …}`; the next event names them as
/// `image.upload_id`. A refused upload stores nothing: 413 over the size limit, 415 for anything
/// that is not an accepted image.
http::Handler make_media_upload_hook(const storage::EvidenceStore& evidence, Metrics& metrics,
                                     const Clock& clock, adapters::generic::Verifier verifier);

}  // namespace ledgerbot::app::ingress

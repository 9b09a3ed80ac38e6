// The generic adapter's signature (docs/generic-adapter.md): HMAC-SHA256 over "timestamp.body",
// sent as `sha256=<hex>`. The bridge signs what it posts to ledgerbot and checks what ledgerbot
// posts to it, with the same shared secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-ledgerbot-timestamp';
export const SIGNATURE_HEADER = 'x-ledgerbot-signature';

export function signature(secret, timestamp, body) {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export function signedHeaders(secret, body, now = Date.now()) {
  const timestamp = String(Math.floor(now / 1000));
  return { 'X-Ledgerbot-Timestamp': timestamp, 'X-Ledgerbot-Signature': signature(secret, timestamp, body) };
}

/// null when the request is genuine, else why not (for the log and the 401 body).
export function verify(secret, headers, body, { now = Date.now(), maxSkewSeconds = 300 } = {}) {
  const timestamp = headers[TIMESTAMP_HEADER];
  const sent = headers[SIGNATURE_HEADER];
  if (!timestamp || !sent) return 'missing_signature';
  if (!/^\d{1,12}$/.test(timestamp)) return 'bad_signature';
  if (Math.abs(Math.floor(now / 1000) - Number(timestamp)) > maxSkewSeconds) return 'stale_timestamp';
  const expected = Buffer.from(signature(secret, timestamp, body));
  const given = Buffer.from(String(sent));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad_signature';
  return null;
}

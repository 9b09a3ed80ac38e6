// The bridge's HTTP side: ledgerbot's notices in (POST /notices, signed like the generic
// adapter's events), health and the login QR out. A notice is answered 200 only once it was
// said in WeChat; a notice_id seen before is answered 200 without saying it again.
import { createServer } from 'node:http';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { verify } from './signing.mjs';

const MAX_BODY = 32 * 1024 * 1024;  // a score table as xlsx, base64
const KEEP_NOTICE_IDS_MS = 7 * 24 * 3600 * 1000;

export class SentNotices {
  constructor(directory) {
    this.path = join(directory, 'sent-notices.jsonl');
    this.sent = new Map();
  }

  async init() {
    const text = await readFile(this.path, 'utf8').catch(() => '');
    const cutoff = Date.now() - KEEP_NOTICE_IDS_MS;
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const { id, at } = JSON.parse(line);
        if (at >= cutoff) this.sent.set(String(id), at);
      } catch {
        // A line cut by a crash mid-write: the notice was not acknowledged, so ledgerbot resends.
      }
    }
  }

  has(id) {
    return this.sent.has(String(id));
  }

  async add(id) {
    const at = Date.now();
    this.sent.set(String(id), at);
    await appendFile(this.path, JSON.stringify({ id: String(id), at }) + '\n');
  }
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function answer(response, status, body) {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

/// `deliver(notice)` says the notice in WeChat; it throws an Error with `status` 404 for an
/// unknown room or person, 503 while not logged in.
export function createOutboundServer({ secret, sentNotices, deliver, health, qr, log = console }) {
  const inFlight = new Set();
  return createServer(async (request, response) => {
    try {
      const path = new URL(request.url, 'http://bridge').pathname;
      if (request.method === 'GET' && path === '/healthz') {
        const state = await health();
        return answer(response, state.logged_in ? 200 : 503, state);
      }
      if (request.method === 'GET' && path === '/qr') {
        const code = qr();
        if (!code) return answer(response, 404, { error: 'no_qr', detail: 'logged in, or no QR code yet' });
        response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        return response.end(code + '\n');
      }
      if (request.method !== 'POST' || path !== '/notices') {
        return answer(response, 404, { error: 'not_found' });
      }
      const body = await readBody(request);
      const refused = verify(secret, request.headers, body);
      if (refused) {
        log.warn(`notice refused: ${refused}`);
        return answer(response, 401, { error: refused });
      }
      let notice;
      try {
        notice = JSON.parse(body.toString('utf8'));
      } catch {
        return answer(response, 400, { error: 'invalid_json' });
      }
      if (notice.notice_id === undefined || !notice.target?.id || typeof notice.text !== 'string') {
        return answer(response, 400, { error: 'schema_violation', detail: 'notice_id, target.id and text are required' });
      }
      if (sentNotices.has(notice.notice_id)) {
        return answer(response, 200, { status: 'already_sent', notice_id: notice.notice_id });
      }
      // A retry that arrives while the first attempt is still being said waits its turn.
      if (inFlight.has(String(notice.notice_id))) {
        return answer(response, 503, { error: 'in_progress' });
      }
      inFlight.add(String(notice.notice_id));
      try {
        await deliver(notice);
        await sentNotices.add(notice.notice_id);
      } finally {
        inFlight.delete(String(notice.notice_id));
      }
      return answer(response, 200, { status: 'sent', notice_id: notice.notice_id });
    } catch (error) {
      const status = error.status ?? 500;
      if (status >= 500) log.error(`notice not delivered: ${error.message}`);
      const code = { 404: 'unknown_target', 409: 'not_permitted', 400: 'schema_violation' }[status] ?? 'not_delivered';
      return answer(response, status, { error: code, detail: error.message });
    }
  });
}

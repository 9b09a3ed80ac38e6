// Posts spooled events to ledgerbot in order, signed, retrying under the same id until they are
// acknowledged. An image's bytes go first to the media route; the event then names the upload.
import { signedHeaders } from './signing.mjs';

// Answers that will not change on a retry: the event is parked for an operator. 401 is not one
// of them: a secret being rotated or corrected should not lose events.
const PERMANENT = new Set([400, 404, 413, 415, 422]);

export class Sender {
  constructor({ spool, url, secret, mediaPath = '/hooks/generic/media', eventPath = '/hooks/generic', log = console, minBackoffMs = 1000, maxBackoffMs = 300000 }) {
    Object.assign(this, { spool, url, secret, mediaPath, eventPath, log, minBackoffMs, maxBackoffMs });
    this.backoff = minBackoffMs;
    this.stopped = false;
    this.wake = null;
    this.delivered = 0;
    this.lastError = '';
  }

  async post(path, body, contentType) {
    const response = await fetch(this.url + path, {
      method: 'POST',
      headers: { 'Content-Type': contentType, ...signedHeaders(this.secret, body) },
      body,
    });
    const text = await response.text();
    return { status: response.status, text };
  }

  /// One item: 'done', 'parked' or 'retry'.
  async deliver(item) {
    const event = { ...item.event };
    if (item.image) {
      const bytes = Buffer.from(item.image.base64, 'base64');
      const upload = await this.post(this.mediaPath, bytes, 'application/octet-stream');
      if (upload.status !== 200) return this.outcome(upload, `media for ${event.id}`);
      event.image = { upload_id: JSON.parse(upload.text).upload_id };
    }
    return this.outcome(await this.post(this.eventPath, JSON.stringify(event), 'application/json'), event.id);
  }

  outcome({ status, text }, what) {
    if (status === 200) return 'done';
    this.lastError = `${what}: HTTP ${status} ${text.slice(0, 200)}`;
    if (PERMANENT.has(status)) {
      this.log.error(`ledgerbot refused ${this.lastError}; parked in the spool's dead/ folder`);
      return 'parked';
    }
    this.log.warn(`ledgerbot did not take ${this.lastError}; retrying`);
    return 'retry';
  }

  /// Delivers everything spooled, then waits for more (nudge()) until stop().
  async run() {
    while (!this.stopped) {
      const names = await this.spool.pending();
      if (names.length === 0) {
        // stop() may have come while the spool was being read: then nobody would wake us.
        if (this.stopped) break;
        await new Promise((resolve) => { this.wake = resolve; });
        this.wake = null;
        continue;
      }
      let result;
      try {
        result = await this.deliver(await this.spool.read(names[0]));
      } catch (error) {
        this.lastError = `${names[0]}: ${error.message}`;
        this.log.warn(`ledgerbot unreachable (${error.message}); retrying`);
        result = 'retry';
      }
      if (result === 'done') {
        await this.spool.remove(names[0]);
        this.delivered += 1;
        this.backoff = this.minBackoffMs;
      } else if (result === 'parked') {
        await this.spool.park(names[0]);
      } else {
        // New events do not cut the pause short: ledgerbot is down or refusing.
        if (this.stopped) break;
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, this.backoff);
          this.interrupt = () => { clearTimeout(timer); resolve(); };
        });
        this.interrupt = null;
        this.backoff = Math.min(this.backoff * 2, this.maxBackoffMs);
      }
    }
  }

  nudge() {
    if (this.wake) this.wake();
  }

  stop() {
    this.stopped = true;
    this.nudge();
    if (this.interrupt) this.interrupt();
  }
}
